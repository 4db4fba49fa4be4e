#pragma once

#include <functional>
#include <mutex>
#include <vector>

namespace Concurrent {

// A hand-off into one thread: any thread posts, the owner takes everything at once. The owner
// is woken once per batch (when the queue goes from empty to non-empty), not once per item.
// Kept free of Qt's event loop so that ThreadSanitizer can check it on its own.
template<typename T> class WakingQueue
{
public:
    explicit WakingQueue(std::function<void()> wake) : m_wake(std::move(wake)) { }

    // False once closed: the owner is gone and the item is dropped.
    bool post(T item)
    {
        std::lock_guard lock(m_mutex);
        if (m_closed)
            return false;
        m_pending.push_back(std::move(item));
        // Waking under the lock keeps the owner alive for the call: close() takes the same
        // lock.
        if (m_pending.size() == 1)
            m_wake();
        return true;
    }

    std::vector<T> takeAll()
    {
        std::vector<T> taken;
        std::lock_guard lock(m_mutex);
        taken.swap(m_pending);
        return taken;
    }

    // After this returns, `wake` is never called again.
    void close()
    {
        std::lock_guard lock(m_mutex);
        m_closed = true;
        m_wake = nullptr;
        m_pending.clear();
    }

private:
    std::mutex m_mutex;
    std::vector<T> m_pending;
    std::function<void()> m_wake;
    bool m_closed = false;
};

} // namespace Concurrent
