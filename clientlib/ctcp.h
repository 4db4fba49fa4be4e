#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <optional>

namespace Client {

// CTCP framing inside PRIVMSG/NOTICE bodies: "\x01COMMAND body\x01". Only ACTION (/me) is
// shown; other queries are recognised so that they are not displayed as text.
namespace Ctcp {

struct Message
{
    QByteArray command; // upper-cased
    QByteArray body;
};

QByteArray encode(QByteArrayView command, QByteArrayView body);
// nullopt when `text` is not CTCP. A missing closing \x01 is tolerated, as mIRC sends it.
std::optional<Message> decode(QByteArrayView text);

} // namespace Ctcp

} // namespace Client
