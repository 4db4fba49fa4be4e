#include "clusterlib/commandqueue.h"

namespace Cluster {

CommandQueue::CommandQueue(qsizetype capacity, std::function<void()> wake)
    : m_wake(std::move(wake)), m_capacity(capacity)
{ }

CommandQueue::Push CommandQueue::push(QueuedCommand command)
{
    std::lock_guard lock(m_mutex);
    if (m_closed)
        return Push::Closed;
    if (qsizetype(m_pending.size()) >= m_capacity)
        return Push::Full;
    m_pending.push_back(std::move(command));
    // Waking under the lock keeps the link thread's engine alive for the call: close() takes
    // the same lock.
    if (m_pending.size() == 1)
        m_wake();
    return Push::Queued;
}

std::vector<QueuedCommand> CommandQueue::take(qsizetype max)
{
    std::vector<QueuedCommand> taken;
    std::lock_guard lock(m_mutex);
    const qsizetype count = std::min(max, qsizetype(m_pending.size()));
    taken.reserve(count);
    for (qsizetype i = 0; i < count; ++i) {
        taken.push_back(std::move(m_pending.front()));
        m_pending.pop_front();
    }
    return taken;
}

qsizetype CommandQueue::size() const
{
    std::lock_guard lock(m_mutex);
    return qsizetype(m_pending.size());
}

void CommandQueue::close()
{
    std::lock_guard lock(m_mutex);
    m_closed = true;
    m_wake = nullptr;
}

} // namespace Cluster
