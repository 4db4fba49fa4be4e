#include "clientlib/nickfallback.h"

#include "protocol/ircmessage.h"

namespace Client {

QByteArray alternativeNick(QByteArrayView wanted, int attempt, qsizetype maxLength)
{
    const QByteArray suffix = attempt <= 1 ? QByteArray("_") : '_' + QByteArray::number(attempt);
    const qsizetype baseLength = qMax<qsizetype>(maxLength - suffix.size(), 1);
    return Irc::truncateUtf8(wanted, baseLength).toByteArray() + suffix;
}

} // namespace Client
