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
    // UTC: when the server says it was sent (server-time), else when this client saw or sent it.
    QDateTime timestamp;
    QString id; // the server's msgid tag; empty when it gives none
    QString account; // the sender's account (account-tag); empty when none is known
    bool notice = false;
    bool action = false; // CTCP ACTION (/me)
    // Sent by this client: shown as it is sent, or with echo-message when the server relays it.
    bool own = false;
    bool fromServer = false;
};

} // namespace Client

Q_DECLARE_METATYPE(Client::ChatMessage)
