#pragma once

#include <QByteArray>
#include <QList>

#include <vector>

namespace Server {

// A nick that was in use: who had it, and when they left it (quit or changed nick).
struct WhowasEntry
{
    QByteArray nick, user, host, realname;
    qint64 leftSecs = 0;
};

// The last departures and nick changes for WHOWAS, in a ring of fixed capacity: however many
// nicks come and go, it holds at most `capacity` entries, each bounded by the line length.
// Not thread-safe: the registry keeps it under its lock.
class WhowasHistory
{
public:
    explicit WhowasHistory(int capacity) : m_capacity(qMax(0, capacity)) { }

    void record(WhowasEntry entry); // overwrites the oldest once full
    // Entries for `nick` (ASCII case-insensitive), newest first, at most `max`.
    QList<WhowasEntry> find(const QByteArray &nick, qsizetype max) const;

private:
    const qsizetype m_capacity;
    std::vector<WhowasEntry> m_ring; // grows up to m_capacity, then wraps
    qsizetype m_next = 0; // where the next entry goes once the ring is full
};

} // namespace Server
