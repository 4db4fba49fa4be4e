#pragma once

#include "clusterlib/redisreply.h"

#include <QByteArray>
#include <QList>

#include <deque>
#include <functional>
#include <mutex>
#include <vector>

namespace Cluster {

// One command on its way to the link thread. `guardKey` set: the command runs only while
// `guardKey` holds `guardValue`, checked and run atomically (WATCH, GET, MULTI ... EXEC); a
// Nil reply then means the key was not (or no longer) ours.
struct QueuedCommand
{
    QList<QByteArray> argv;
    ReplyCallback callback;
    QByteArray guardKey = {};
    QByteArray guardValue = {};
};

// The commands on their way to the link thread, as a Mailbox is for a worker: any thread
// pushes, the link thread takes them in batches and is woken once per batch (when the queue
// goes from empty to non-empty). Bounded: a command that finds it full is refused at once,
// so a stalled Redis costs callers an error, not memory.
// Free of Qt's event loop so that ThreadSanitizer can check it on its own.
class CommandQueue
{
public:
    enum class Push { Queued, Full, Closed };

    CommandQueue(qsizetype capacity, std::function<void()> wake);

    Push push(QueuedCommand command);
    std::vector<QueuedCommand> take(qsizetype max);
    qsizetype size() const;
    // After this every push is refused and `wake` is never called again; what is queued stays
    // for the link thread to take (and fail).
    void close();

private:
    mutable std::mutex m_mutex;
    std::deque<QueuedCommand> m_pending;
    std::function<void()> m_wake;
    const qsizetype m_capacity;
    bool m_closed = false;
};

} // namespace Cluster
