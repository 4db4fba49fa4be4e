#include "serverlib/mailbox.h"

namespace Server {

Mailbox::Mailbox(std::function<void()> wake) : m_wake(std::move(wake)) { }

bool Mailbox::post(Delivery delivery)
{
    std::lock_guard lock(m_mutex);
    if (m_closed)
        return false;
    m_pending.push_back(std::move(delivery));
    // Waking under the lock keeps the owner alive for the call: close() takes the same lock.
    if (m_pending.size() == 1)
        m_wake();
    return true;
}

std::vector<Delivery> Mailbox::takeAll()
{
    std::vector<Delivery> taken;
    std::lock_guard lock(m_mutex);
    taken.swap(m_pending);
    return taken;
}

void Mailbox::close()
{
    std::lock_guard lock(m_mutex);
    m_closed = true;
    m_wake = nullptr;
    m_pending.clear();
}

} // namespace Server
