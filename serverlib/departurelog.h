#pragma once

#include <QByteArray>
#include <QHash>

#include <deque>
#include <optional>

namespace Server {

// How this server's own users left their channels lately: each PART with its channel, each
// QUIT. A server that could not hear it (cut off from the network meanwhile) asks in its
// resynchronisation, and its members then see the reason the user gave instead of the split's
// (docs/cluster.md, "Resynchronisation"). Kept for `maxAgeMs`, at most `capacity` departures
// however many users come and go: written on a PART or QUIT, never on a chat line. Not
// thread-safe: its ClusterNode's thread only.
class DepartureLog
{
public:
    DepartureLog(qsizetype capacity, qint64 maxAgeMs) : m_capacity(capacity), m_maxAgeMs(maxAgeMs)
    { }

    // `line`: the PART or QUIT as the channel's members got it; names are folded.
    void parted(const QByteArray &channel, const QByteArray &nick, const QByteArray &line,
                qint64 nowMs);
    void quit(const QByteArray &nick, const QByteArray &line, qint64 nowMs);
    // Back on the channel: its part there is no longer how it left.
    void joined(const QByteArray &channel, const QByteArray &nick);
    // How `nick` left `channel`: its PART there, else its QUIT when no user here has the nick
    // any more (`gone`); nothing once forgotten.
    std::optional<QByteArray> departure(const QByteArray &channel, const QByteArray &nick,
                                        bool gone, qint64 nowMs);
    qsizetype size() const { return m_order.size(); }

private:
    struct Entry
    {
        QByteArray line;
        quint64 serial = 0;
    };
    struct Written
    {
        QByteArray key;
        quint64 serial = 0;
        qint64 atMs = 0;
    };
    void record(const QByteArray &key, const QByteArray &line, qint64 nowMs);
    void expire(qint64 nowMs);
    static QByteArray partKey(const QByteArray &channel, const QByteArray &nick)
    {
        return channel + ' ' + nick; // a nick never holds a space: a QUIT's key is the nick
    }

    const qsizetype m_capacity;
    const qint64 m_maxAgeMs;
    QHash<QByteArray, Entry> m_latest; // the latest departure per key
    std::deque<Written> m_order; // every one written, oldest first: what bounds m_latest
    quint64 m_nextSerial = 0;
};

} // namespace Server
