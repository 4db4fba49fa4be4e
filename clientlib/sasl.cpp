#include "clientlib/sasl.h"

#include "protocol/ircmessage.h"

namespace Client::Sasl {

QByteArray plainMessage(const QString &account, const QString &password)
{
    return '\0' + account.toUtf8() + '\0' + password.toUtf8();
}

QList<QByteArray> authenticateLines(const QByteArray &message)
{
    const QByteArray encoded = message.toBase64();
    QList<QByteArray> lines;
    for (qsizetype at = 0; at < encoded.size(); at += ChunkBytes)
        lines.append(Irc::makeLine({}, "AUTHENTICATE", {encoded.mid(at, ChunkBytes)}));
    if (encoded.size() % ChunkBytes == 0)
        lines.append(Irc::makeLine({}, "AUTHENTICATE", {"+"}));
    return lines;
}

bool offersPlain(const QByteArray &capabilityValue)
{
    if (capabilityValue.isEmpty())
        return true;
    const QList<QByteArray> mechanisms = capabilityValue.toUpper().split(',');
    return mechanisms.contains("PLAIN");
}

} // namespace Client::Sasl
