#pragma once

#include "concurrent/wakingqueue.h"
#include "serverlib/linetags.h"

#include <QByteArray>
#include <QList>

#include <functional>

namespace Server {

class Session;

// Something done to one client's session in the thread that serves it, by whoever cannot touch
// it (another worker: KILL; a thread pool: a checked OPER password).
using SessionCall = std::function<void(Session &)>;

// One line for some clients served by one thread. The line is shared, not copied, between
// every thread it goes to (QByteArray's implicit sharing is thread-safe), and so are its tags.
struct Delivery
{
    QByteArray line;
    QList<quint32> recipients;
    quint32 exclude = 0; // the sender, who is not echoed to
    // Set: instead of the line, this runs on each recipient still served (looked up by id, so a
    // client that left in the meantime is skipped).
    SessionCall call = {};
    // The line's IRCv3 tag variants: the recipient's own worker picks one per recipient.
    std::shared_ptr<const LineTags> tags = {};
    Irc::Capabilities required = {}; // recipients without all of these are skipped
    Irc::Capabilities excluded = {}; // recipients with any of these are skipped
};

} // namespace Server

// Instantiated once, in mailbox.cpp: the relay's hot path calls one out-of-line post().
extern template class Concurrent::WakingQueue<Server::Delivery>;

namespace Server {

// The hand-off into a serving thread. Any thread posts; the owning thread drains. The owner is
// woken once per batch, not once per line, which keeps fan-out to other threads cheap.
class Mailbox : public Concurrent::WakingQueue<Delivery>
{
public:
    using WakingQueue::WakingQueue;
};

} // namespace Server
