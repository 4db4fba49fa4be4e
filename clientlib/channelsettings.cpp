#include "clientlib/channelsettings.h"

#include "clientlib/channelstate.h"

#include "protocol/ircmessage.h"

namespace Client {

namespace {

// RFC 2812's default for servers that do not announce MODES.
constexpr int DefaultModesPerLine = 3;

void appendFlagChanges(const ChannelSettings &from, const ChannelSettings &to,
                       QList<Irc::ModeChange> &changes)
{
    for (char flag : ChannelSettings::EditableFlags) {
        if (from.hasFlag(flag) != to.hasFlag(flag))
            changes.append({to.hasFlag(flag), flag, {}});
    }
}

void appendKeyChanges(const QString &from, const QString &to, QList<Irc::ModeChange> &changes)
{
    if (from == to)
        return;
    if (!from.isEmpty())
        changes.append({false, 'k', from.toUtf8()});
    if (!to.isEmpty())
        changes.append({true, 'k', to.toUtf8()});
}

void appendLimitChange(int from, int to, QList<Irc::ModeChange> &changes)
{
    if (from == to)
        return;
    if (to > 0)
        changes.append({true, 'l', QByteArray::number(to)});
    else
        changes.append({false, 'l', {}});
}

} // namespace

void ChannelSettings::setFlag(char flag, bool on)
{
    QByteArray result;
    for (char known : EditableFlags) {
        if (known == flag ? on : hasFlag(known))
            result += known;
    }
    flags = result;
}

ChannelSettings ChannelSettings::of(const ChannelState &channel)
{
    ChannelSettings settings;
    settings.topic = channel.topic();
    settings.key = channel.key();
    settings.limit = channel.hasMode('l') ? channel.limit() : 0;
    for (char flag : EditableFlags) {
        if (channel.hasMode(flag))
            settings.flags += flag;
    }
    return settings;
}

QList<Irc::ModeChange> ChannelSettings::modeChanges(const ChannelSettings &from,
                                                    const ChannelSettings &to)
{
    QList<Irc::ModeChange> changes;
    appendFlagChanges(from, to, changes);
    appendKeyChanges(from.key, to.key, changes);
    appendLimitChange(from.limit, to.limit, changes);
    return changes;
}

QString ChannelSettings::keyError(const QString &key)
{
    if (key.contains(u' ') || key.contains(u',') || key.startsWith(u':'))
        return tr("A channel key cannot contain spaces or commas, nor start with a colon.");
    if (key.toUtf8().size() > Irc::MaxKeyLength)
        return tr("The channel key is too long.");
    return {};
}

QList<Irc::ModeChange> banChanges(const QStringList &masks, bool add)
{
    QList<Irc::ModeChange> changes;
    for (const QString &mask : masks)
        changes.append({add, 'b', mask.trimmed().toUtf8()});
    return changes;
}

QList<QByteArray> modeLines(const QString &channel, const QList<Irc::ModeChange> &changes,
                            int perLine)
{
    QList<QByteArray> lines;
    const int step = qMax(1, perLine);
    for (qsizetype first = 0; first < changes.size(); first += step) {
        QList<QByteArray> params = Irc::formatModeChanges(changes.mid(first, step));
        params.prepend(channel.toUtf8());
        lines.append(Irc::IrcMessage {{}, "MODE", params}.toLine());
    }
    return lines;
}

int modesPerLine(const Irc::ISupport &support)
{
    for (const QByteArray &token : support.otherTokens) {
        if (token.startsWith("MODES=")) {
            const int value = token.mid(6).toInt();
            return value > 0 ? value : DefaultModesPerLine;
        }
    }
    return DefaultModesPerLine;
}

} // namespace Client
