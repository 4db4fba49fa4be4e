#pragma once

#include "concurrent/boundedqueue.h"
#include "storagelib/storagetypes.h"

#include <QtGlobal>

#include <atomic>

namespace Storage {

// The lines on their way to the storage thread. Any thread pushes without waiting for the
// database; the storage thread takes them in batches and is woken once per batch (when the
// queue goes from empty to non-empty). The queue is bounded: when it is full — the disk
// stalls, or the server relays faster than the database writes — a line is counted as not
// stored instead of queued, so memory stays bounded and no loss goes unnoticed.
// Free of Qt's event loop so that ThreadSanitizer can check it on its own.
class WriteQueue : public Concurrent::BoundedQueue<HistoryMessage>
{
public:
    using BoundedQueue::BoundedQueue;

    // Full, or Closed (the store is closing): either way the line is counted as not stored.
    Push push(HistoryMessage message)
    {
        const Push result = BoundedQueue::push(std::move(message));
        if (result != Push::Queued)
            addNotStored(1);
        return result;
    }

    // Lines refused here, and lines the storage thread failed to write.
    quint64 notStored() const { return m_notStored.load(std::memory_order_relaxed); }
    void addNotStored(quint64 count) { m_notStored.fetch_add(count, std::memory_order_relaxed); }

private:
    std::atomic<quint64> m_notStored {0};
};

} // namespace Storage
