#include "protocol/textsplit.h"

#include "protocol/ircmessage.h"

namespace Irc {

namespace {

qsizetype pieceLength(QByteArrayView rest, qsizetype maxBytes)
{
    const qsizetype hardCut = truncateUtf8(rest, maxBytes).size();
    if (hardCut == rest.size())
        return hardCut;
    const qsizetype space = rest.first(hardCut + 1).lastIndexOf(' ');
    // Breaking at a space only pays when it keeps the piece reasonably full.
    return space > hardCut / 2 ? space : qMax<qsizetype>(hardCut, 1);
}

} // namespace

QList<QByteArray> splitText(QByteArrayView text, qsizetype maxBytes)
{
    QList<QByteArray> pieces;
    while (!text.isEmpty()) {
        const qsizetype length = pieceLength(text, maxBytes);
        pieces.append(text.first(length).toByteArray());
        text = text.sliced(length);
        if (text.startsWith(' ') && length < maxBytes)
            text = text.sliced(1);
    }
    return pieces;
}

} // namespace Irc
