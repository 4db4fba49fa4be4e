#include "serverlib/connectionlimiter.h"

namespace Server {

ConnectionLimiter::ConnectionLimiter(int maxTotal, int maxPerAddress)
    : m_maxTotal(maxTotal), m_maxPerAddress(maxPerAddress)
{ }

QByteArray ConnectionLimiter::admit(const QHostAddress &address)
{
    std::lock_guard lock(m_mutex);
    if (m_maxTotal > 0 && m_total >= m_maxTotal)
        return "Server is full";
    if (m_maxPerAddress > 0 && m_perAddress.value(address) >= m_maxPerAddress)
        return "Too many connections from your address";
    ++m_perAddress[address];
    ++m_total;
    return {};
}

void ConnectionLimiter::release(const QHostAddress &address)
{
    std::lock_guard lock(m_mutex);
    const auto it = m_perAddress.find(address);
    if (it == m_perAddress.end())
        return;
    --m_total;
    // Forget addresses that have gone, so that the table holds only current peers.
    if (--*it == 0)
        m_perAddress.erase(it);
}

int ConnectionLimiter::total() const
{
    std::lock_guard lock(m_mutex);
    return m_total;
}

} // namespace Server
