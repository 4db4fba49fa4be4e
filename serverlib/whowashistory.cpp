#include "serverlib/whowashistory.h"

#include "protocol/names.h"

namespace Server {

void WhowasHistory::record(WhowasEntry entry)
{
    if (m_capacity == 0)
        return;
    if (qsizetype(m_ring.size()) < m_capacity) {
        m_ring.push_back(std::move(entry));
        return;
    }
    m_ring[m_next] = std::move(entry);
    m_next = (m_next + 1) % m_capacity;
}

QList<WhowasEntry> WhowasHistory::find(const QByteArray &nick, qsizetype max) const
{
    QList<WhowasEntry> found;
    const QByteArray folded = Irc::foldCase(nick);
    const qsizetype size = qsizetype(m_ring.size());
    // The newest entry is just before m_next (once full) or the last one (while filling).
    const qsizetype newest = size < m_capacity ? size - 1 : (m_next + size - 1) % size;
    for (qsizetype step = 0; step < size && found.size() < max; ++step) {
        const WhowasEntry &entry = m_ring[(newest - step + size) % size];
        if (Irc::foldCase(entry.nick) == folded)
            found.append(entry);
    }
    return found;
}

} // namespace Server
