#pragma once

#include "concurrent/wakingqueue.h"

#include <QList>
#include <QMetaType>
#include <QString>

#include <atomic>

namespace Server {

// A chat line the server relayed (PRIVMSG/NOTICE, or a tutorial chunk), as the log shows it.
struct RelayedMessage
{
    QString from;
    QString target; // empty for a tutorial chunk
    QString text;
    QString thread; // the serving thread's name
};

} // namespace Server

extern template class Concurrent::WakingQueue<Server::RelayedMessage>;

namespace Server {

// Relayed lines on their way to whoever watches the server (the log). Workers append; the
// server's thread takes them in batches, so that a busy channel costs the GUI one queued signal
// per batch rather than one per line. Lines are collected only while someone observes them.
class RelayFeed : public Concurrent::WakingQueue<RelayedMessage>
{
public:
    using WakingQueue::WakingQueue;

    // Read by every worker on every relayed line: an atomic, never a lock.
    bool isObserved() const { return m_observers.load(std::memory_order_relaxed) > 0; }
    // +1 or -1 per connection to the signal that carries the batches; never below 0. Safe from
    // any thread (Qt calls connectNotify in the thread that connects).
    void addObservers(int delta);

private:
    std::atomic<int> m_observers {0};
};

} // namespace Server

Q_DECLARE_METATYPE(Server::RelayedMessage)
