#include "app/notificationpolicy.h"

namespace App {

NotificationPolicy::Reason NotificationPolicy::decide(const Line &line, bool windowActive) const
{
    if (!enabled || windowActive || line.own || line.fromServer)
        return Reason::None;
    if (line.inChannel)
        return line.mentionsUs && !isMuted(line.conversation) ? Reason::Mention : Reason::None;
    // Notices in private are mostly services and bots talking; a mention in one still counts.
    if (line.notice)
        return line.mentionsUs ? Reason::Mention : Reason::None;
    return Reason::PrivateMessage;
}

bool NotificationPolicy::isMuted(const QString &channel) const
{
    for (const QString &muted : mutedChannels) {
        if (sameName ? sameName(muted, channel) : muted == channel)
            return true;
    }
    return false;
}

QString NotificationPolicy::title(Reason reason, const QString &from, const QString &conversation)
{
    if (reason == Reason::PrivateMessage)
        return tr("%1 wrote to you").arg(from);
    return tr("%1 mentioned you in %2").arg(from, conversation);
}

} // namespace App
