#include "storagelib/writequeue.h"

namespace Storage {

WriteQueue::WriteQueue(qsizetype capacity, std::function<void()> wake)
    : m_wake(std::move(wake)), m_capacity(std::max<qsizetype>(capacity, 1))
{ }

WriteQueue::Push WriteQueue::push(HistoryMessage message)
{
    std::lock_guard lock(m_mutex);
    const Push refused = m_closed                   ? Push::Closed
        : qsizetype(m_pending.size()) >= m_capacity ? Push::Full
                                                    : Push::Queued;
    if (refused != Push::Queued) {
        addNotStored(1);
        return refused;
    }
    m_pending.push_back(std::move(message));
    // Waking under the lock: close() takes the same lock, so the owner outlives the call.
    if (m_pending.size() == 1 && m_wake)
        m_wake();
    return Push::Queued;
}

std::vector<HistoryMessage> WriteQueue::take(qsizetype max)
{
    std::lock_guard lock(m_mutex);
    const auto count
        = std::min<std::size_t>(m_pending.size(), std::size_t(std::max<qsizetype>(max, 0)));
    std::vector<HistoryMessage> taken(std::make_move_iterator(m_pending.begin()),
                                      std::make_move_iterator(m_pending.begin() + count));
    m_pending.erase(m_pending.begin(), m_pending.begin() + count);
    return taken;
}

qsizetype WriteQueue::size() const
{
    std::lock_guard lock(m_mutex);
    return qsizetype(m_pending.size());
}

void WriteQueue::close()
{
    std::lock_guard lock(m_mutex);
    m_closed = true;
    m_wake = nullptr;
}

} // namespace Storage
