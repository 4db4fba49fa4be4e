#include "app/whoistext.h"

#include "clientlib/queryresults.h"

#include <QLocale>

namespace App {

namespace {

constexpr qint64 Minute = 60;
constexpr qint64 Hour = 60 * Minute;
constexpr qint64 Day = 24 * Hour;

QString identity(const Client::WhoisInfo &info)
{
    const QString address = QStringLiteral("%1!%2@%3").arg(info.nick, info.user, info.host);
    return info.realName.isEmpty()
        ? WhoisText::tr("%1 is %2").arg(info.nick, address)
        : WhoisText::tr("%1 is %2 (%3)").arg(info.nick, address, info.realName);
}

QString idleLine(const Client::WhoisInfo &info)
{
    const QString idle = WhoisText::duration(info.idleSeconds);
    if (!info.signOn.isValid())
        return WhoisText::tr("Idle: %1").arg(idle);
    const QString signOn = QLocale().toString(info.signOn.toLocalTime(), QLocale::ShortFormat);
    return WhoisText::tr("Idle: %1, signed on %2").arg(idle, signOn);
}

QString serverLine(const Client::WhoisInfo &info)
{
    return info.serverInfo.isEmpty()
        ? WhoisText::tr("Server: %1").arg(info.server)
        : WhoisText::tr("Server: %1 (%2)").arg(info.server, info.serverInfo);
}

} // namespace

QStringList WhoisText::lines(const Client::WhoisInfo &info)
{
    if (!info.found) {
        return {info.error.isEmpty() ? tr("%1: no such nick.").arg(info.nick)
                                     : tr("%1: %2").arg(info.nick, info.error)};
    }
    QStringList lines {identity(info)};
    if (!info.channels.isEmpty())
        lines.append(tr("Channels: %1").arg(info.channels.join(u' ')));
    if (!info.server.isEmpty())
        lines.append(serverLine(info));
    if (info.idleSeconds >= 0)
        lines.append(idleLine(info));
    if (info.away)
        lines.append(tr("Away: %1").arg(info.awayMessage));
    if (info.isOperator)
        lines.append(tr("Is an IRC operator."));
    if (!info.account.isEmpty())
        lines.append(tr("Logged in as %1.").arg(info.account));
    return lines;
}

QString WhoisText::duration(qint64 seconds)
{
    if (seconds >= Day)
        return tr("%1 d %2 h").arg(seconds / Day).arg(seconds % Day / Hour);
    if (seconds >= Hour)
        return tr("%1 h %2 min").arg(seconds / Hour).arg(seconds % Hour / Minute);
    if (seconds >= Minute)
        return tr("%1 min %2 s").arg(seconds / Minute).arg(seconds % Minute);
    return tr("%1 s").arg(seconds);
}

} // namespace App
