#pragma once

#include <algorithm>
#include <cstddef>
#include <deque>
#include <functional>
#include <iterator>
#include <mutex>
#include <vector>

namespace Concurrent {

// A bounded hand-off into one thread: any thread pushes without waiting for the consumer; the
// consumer takes items in batches and is woken once per batch (when the queue goes from empty
// to non-empty). An item that finds the queue full, or closed, is refused at once, so a stalled
// consumer costs its producers a refusal, not memory. What a refusal means is the caller's.
// Free of Qt's event loop so that ThreadSanitizer can check it on its own.
template<typename T> class BoundedQueue
{
public:
    enum class Push { Queued, Full, Closed };

    BoundedQueue(std::ptrdiff_t capacity, std::function<void()> wake)
        : m_wake(std::move(wake)), m_capacity(std::max<std::ptrdiff_t>(capacity, 1))
    { }

    Push push(T item)
    {
        std::lock_guard lock(m_mutex);
        if (m_closed)
            return Push::Closed;
        if (std::ptrdiff_t(m_pending.size()) >= m_capacity)
            return Push::Full;
        m_pending.push_back(std::move(item));
        // Waking under the lock keeps the consumer alive for the call: close() takes the same
        // lock.
        if (m_pending.size() == 1 && m_wake)
            m_wake();
        return Push::Queued;
    }

    // The oldest items first, at most `max` of them.
    std::vector<T> take(std::ptrdiff_t max)
    {
        std::lock_guard lock(m_mutex);
        const auto count
            = std::min(m_pending.size(), std::size_t(std::max<std::ptrdiff_t>(max, 0)));
        const auto end = m_pending.begin() + std::ptrdiff_t(count);
        std::vector<T> taken(std::make_move_iterator(m_pending.begin()),
                             std::make_move_iterator(end));
        m_pending.erase(m_pending.begin(), end);
        return taken;
    }

    std::ptrdiff_t size() const
    {
        std::lock_guard lock(m_mutex);
        return std::ptrdiff_t(m_pending.size());
    }

    // After this every push is refused and `wake` is never called again once it returns; what
    // is queued stays for the consumer to take.
    void close()
    {
        std::lock_guard lock(m_mutex);
        m_closed = true;
        m_wake = nullptr;
    }

private:
    mutable std::mutex m_mutex;
    std::deque<T> m_pending;
    std::function<void()> m_wake;
    const std::ptrdiff_t m_capacity;
    bool m_closed = false;
};

} // namespace Concurrent
