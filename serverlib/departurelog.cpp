#include "serverlib/departurelog.h"

namespace Server {

void DepartureLog::parted(const QByteArray &channel, const QByteArray &nick, const QByteArray &line,
                          qint64 nowMs)
{
    record(partKey(channel, nick), line, nowMs);
}

void DepartureLog::quit(const QByteArray &nick, const QByteArray &line, qint64 nowMs)
{
    record(nick, line, nowMs);
}

void DepartureLog::joined(const QByteArray &channel, const QByteArray &nick)
{
    if (!m_latest.isEmpty())
        m_latest.remove(partKey(channel, nick));
}

std::optional<QByteArray> DepartureLog::departure(const QByteArray &channel, const QByteArray &nick,
                                                  bool gone, qint64 nowMs)
{
    expire(nowMs);
    if (const auto part = m_latest.constFind(partKey(channel, nick)); part != m_latest.cend())
        return part->line;
    if (const auto quit = m_latest.constFind(nick); gone && quit != m_latest.cend())
        return quit->line;
    return std::nullopt;
}

void DepartureLog::record(const QByteArray &key, const QByteArray &line, qint64 nowMs)
{
    if (m_capacity <= 0)
        return;
    const quint64 serial = m_nextSerial++;
    m_latest.insert(key, {line, serial});
    m_order.push_back({key, serial, nowMs});
    expire(nowMs);
}

// Drops what is too old or past the capacity, oldest first. A key written again since keeps
// its later departure.
void DepartureLog::expire(qint64 nowMs)
{
    while (
        !m_order.empty()
        && (qsizetype(m_order.size()) > m_capacity || nowMs - m_order.front().atMs > m_maxAgeMs)) {
        const Written &oldest = m_order.front();
        if (const auto it = m_latest.constFind(oldest.key);
            it != m_latest.cend() && it->serial == oldest.serial)
            m_latest.erase(it);
        m_order.pop_front();
    }
}

} // namespace Server
