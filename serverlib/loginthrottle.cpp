#include "serverlib/loginthrottle.h"

#include "protocol/names.h"

#include <algorithm>
#include <vector>

namespace Server {

QByteArray LoginThrottle::accountKey(const QByteArray &account)
{
    return "a:" + Irc::foldCase(account);
}

QByteArray LoginThrottle::addressKey(const QByteArray &address)
{
    return "h:" + address;
}

qint64 LoginThrottle::waitMs(const QByteArray &account, const QByteArray &address)
{
    std::lock_guard lock(m_mutex);
    const qint64 now = m_clock.elapsed();
    return std::max(waitFor(accountKey(account), FreeAccountFailures, now),
                    waitFor(addressKey(address), FreeAddressFailures, now));
}

void LoginThrottle::recordFailure(const QByteArray &account, const QByteArray &address)
{
    std::lock_guard lock(m_mutex);
    const qint64 now = m_clock.elapsed();
    note(accountKey(account), now);
    note(addressKey(address), now);
}

void LoginThrottle::recordSuccess(const QByteArray &account)
{
    std::lock_guard lock(m_mutex);
    m_entries.remove(accountKey(account));
}

qsizetype LoginThrottle::size() const
{
    std::lock_guard lock(m_mutex);
    return m_entries.size();
}

qint64 LoginThrottle::waitFor(const QByteArray &key, int freeFailures, qint64 nowMs) const
{
    const auto it = m_entries.constFind(key);
    if (it == m_entries.cend() || it->failures < freeFailures)
        return 0;
    const int over = std::min(it->failures - freeFailures, 16);
    const qint64 delay = std::min(MaxDelayMs, BaseDelayMs << over);
    return std::max<qint64>(0, it->lastFailureMs + delay - nowMs);
}

void LoginThrottle::note(const QByteArray &key, qint64 nowMs)
{
    auto it = m_entries.find(key);
    if (it != m_entries.end() && nowMs - it->lastFailureMs >= ForgetAfterMs)
        it->failures = 0;
    if (it == m_entries.end()) {
        makeRoom(nowMs);
        it = m_entries.insert(key, {});
    }
    it->failures = std::min(it->failures + 1, 1000);
    it->lastFailureMs = nowMs;
    it->lastFailure = ++m_failures;
}

// Expired entries go first; if that is not enough, the quarter that failed longest ago, so that
// a full table costs one pass per MaxEntries / 4 new entries, not one per entry.
void LoginThrottle::makeRoom(qint64 nowMs)
{
    if (m_entries.size() < MaxEntries)
        return;
    m_entries.removeIf([nowMs](const auto &entry) {
        return nowMs - entry.value().lastFailureMs >= ForgetAfterMs;
    });
    if (m_entries.size() < MaxEntries)
        return;
    // Ordered by failure number rather than time: many fail within one millisecond.
    std::vector<quint64> order;
    order.reserve(size_t(m_entries.size()));
    for (const Entry &entry : std::as_const(m_entries))
        order.push_back(entry.lastFailure);
    const auto cut = order.begin() + std::ptrdiff_t(order.size() / 4);
    std::nth_element(order.begin(), cut, order.end());
    const quint64 oldestKept = *cut;
    m_entries.removeIf(
        [oldestKept](const auto &entry) { return entry.value().lastFailure < oldestKept; });
}

} // namespace Server
