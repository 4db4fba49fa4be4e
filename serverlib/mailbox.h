#pragma once

#include "serverlib/wakingqueue.h"

#include <QByteArray>
#include <QList>

namespace Server {

// One line for some clients served by one thread. The line is shared, not copied, between
// every thread it goes to (QByteArray's implicit sharing is thread-safe).
struct Delivery
{
    QByteArray line;
    QList<quint32> recipients;
    quint32 exclude = 0; // the sender, who is not echoed to
};

// Instantiated once, in mailbox.cpp: the relay's hot path calls one out-of-line post().
extern template class WakingQueue<Delivery>;

// The hand-off into a serving thread. Any thread posts; the owning thread drains. The owner is
// woken once per batch, not once per line, which keeps fan-out to other threads cheap.
class Mailbox : public WakingQueue<Delivery>
{
public:
    using WakingQueue::WakingQueue;
};

} // namespace Server
