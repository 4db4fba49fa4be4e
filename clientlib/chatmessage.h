#pragma once

#include <QDateTime>
#include <QMetaType>
#include <QString>

namespace Client {

// One PRIVMSG or NOTICE, received or sent by us, decoded for display.
struct ChatMessage
{
    QString from; // nick, or the server's name for server notices
    QString target; // a channel, our nick, or `*` before registration
    QString conversation; // where a UI shows it: the channel, or the other party's nick
    QString text; // UTF-8 decoded with replacement characters; CTCP framing removed
    QDateTime timestamp; // UTC, when this client saw or sent it
    bool notice = false;
    bool action = false; // CTCP ACTION (/me)
    bool own = false; // sent by this client; servers do not echo it back
    bool fromServer = false;
};

} // namespace Client

Q_DECLARE_METATYPE(Client::ChatMessage)
