#pragma once

#include "storagelib/storagetypes.h"

#include <QtGlobal>

#include <atomic>
#include <deque>
#include <functional>
#include <mutex>
#include <vector>

namespace Storage {

// The lines on their way to the storage thread. Any thread pushes without waiting for the
// database; the storage thread takes them in batches and is woken once per batch (when the
// queue goes from empty to non-empty). The queue is bounded: when it is full — the disk
// stalls, or the server relays faster than the database writes — a line is counted as not
// stored instead of queued, so memory stays bounded and no loss goes unnoticed.
// Free of Qt's event loop so that ThreadSanitizer can check it on its own.
class WriteQueue
{
public:
    enum class Push {
        Queued,
        Full, // counted as not stored
        Closed, // the store is closing: counted as not stored
    };

    WriteQueue(qsizetype capacity, std::function<void()> wake);

    Push push(HistoryMessage message);
    std::vector<HistoryMessage> take(qsizetype max);
    qsizetype size() const;
    // After this, every push is refused; what is queued stays for the storage thread to take.
    // `wake` is never called again once it returns.
    void close();

    // Lines refused here, and lines the storage thread failed to write.
    quint64 notStored() const { return m_notStored.load(std::memory_order_relaxed); }
    void addNotStored(quint64 count) { m_notStored.fetch_add(count, std::memory_order_relaxed); }

private:
    mutable std::mutex m_mutex;
    std::deque<HistoryMessage> m_pending;
    std::function<void()> m_wake;
    const qsizetype m_capacity;
    bool m_closed = false;
    std::atomic<quint64> m_notStored {0};
};

} // namespace Storage
