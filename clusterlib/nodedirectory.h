#pragma once

#include "clusterlib/redisreply.h"

#include <QByteArray>
#include <QHash>
#include <QObject>
#include <QString>

#include <functional>
#include <optional>

class QTimer;

namespace Cluster {

class RedisLink;

struct DirectoryTiming
{
    // A node's liveness key expires this long after its last refresh; the others notice a node
    // that stopped refreshing (killed, frozen, cut off from Redis) within ttlMs + sweepMs.
    int ttlMs = 10'000;
    int refreshMs = 3'000;
    int sweepMs = 2'000;
};

// The nodes of one cluster, and the names (nicks) each holds network-wide, kept in Redis:
//
// - `<prefix>nodes`, a hash of node id -> node name, and for each node a liveness key
//   `<prefix>node:<id>` that the node refreshes and that expires when it stops doing so;
// - `<prefix>name:<name>`, the id of the node that holds the name, and `<prefix>node:<id>:names`,
//   the names a node holds, so that they are freed together when it goes;
// - `<prefix>channel:<channel>`, the ids of the nodes that have members on an IRC channel, and
//   `<prefix>node:<id>:channels`, the channels a node has members on, cleared when it goes;
// - `<prefix>reentry`, set for a liveness period by a node that joins again (Redis lost its
//   data, or took the node for dead): meanwhile nobody is told it is first on a channel.
//
// Every node sweeps: a node in the hash whose liveness key has expired is removed, its names
// freed and `left` announced, in one Lua script, so that of all the sweepers exactly one does
// it, and nobody sees the node gone while its names are still held. A node's id is its name and
// a random incarnation: a node restarted under the same name is a new node, and finds no ghosts
// of its former self once that one has been swept. A node that finds itself swept (it could
// not refresh in time) is told so by evicted() and joins again, holding no names.
//
// Lives in its owner's thread; talks to Redis only through the link, never waiting.
class NodeDirectory : public QObject
{
    Q_OBJECT

public:
    NodeDirectory(RedisLink &link, const QByteArray &name,
                  const QByteArray &prefix = "qtchat:", const DirectoryTiming &timing = {},
                  QObject *parent = nullptr);
    ~NodeDirectory() override;

    void start();
    // Leaves the cluster at once: its names are freed and the others told, without waiting
    // for the liveness key to expire.
    void stop();

    QByteArray id() const { return m_id; }
    QByteArray name() const { return m_name; }
    // The other nodes, id -> name, as last read or announced.
    QHash<QByteArray, QByteArray> nodes() const { return m_nodes; }

    // Claims `name` (already case-folded) for this node across the cluster; `done` gets true
    // when this node holds it (now or already), false when another does or Redis could not
    // answer. Runs in this object's thread.
    void claimName(const QByteArray &name, std::function<void(bool held)> done);
    // `done`, if given, runs once Redis has freed it (or could not be reached).
    void releaseName(const QByteArray &name, std::function<void()> done = {});
    // Keeps, for the other nodes to read, what this node tells of a name it holds (field and
    // value pairs; the field `node` is this node's id), in place of what it told before. Nothing
    // is kept for a name this node does not hold; it goes with the name.
    void describeName(const QByteArray &name, const QList<QByteArray> &fieldsAndValues);
    struct NameHolder
    {
        QByteArray node; // its id
        QHash<QByteArray, QByteArray> facts; // empty: it has told nothing of the name
    };
    // Who holds `name`, and what it told of it; `done` gets nothing when nobody holds it or
    // Redis could not answer. One Redis round-trip.
    void lookUpName(const QByteArray &name,
                    std::function<void(std::optional<NameHolder> holder)> done);
    // This node has members on `channel` (folded): `done`, if given, gets how many other nodes
    // have, or nothing when Redis could not answer or cannot tell (this node is not in the
    // cluster, or another one joined again less than a liveness period ago and may not have
    // entered its channels again yet). Adding and counting are one step, so of two nodes
    // entering an empty channel at once exactly one hears it was the first.
    void enterChannel(const QByteArray &channel,
                      std::function<void(std::optional<int> others)> done = {});
    void leaveChannel(const QByteArray &channel);

Q_SIGNALS:
    void joined(); // in the cluster, nodes() read
    void nodeJoined(const QByteArray &id, const QByteArray &name);
    // Another node left, or was found dead: its users are gone, its names free.
    void nodeLeft(const QByteArray &id, const QByteArray &name, const QString &reason);
    void evicted();

private:
    using Handler = std::function<void(const RedisReply &reply)>;

    void send(const QList<QByteArray> &argv, Handler handler = {});
    void replied(quint64 id, const RedisReply &reply);
    void eventsReceived(const Cluster::PubSubMessages &batch);
    void eventReceived(const QByteArray &payload);
    // `again`: after Redis lost this node (its data, or took it for dead), not at start.
    void join(bool again);
    void readNodes();
    void reconcile(const RedisReply &hash, bool announce);
    void refresh();
    void sweep();
    void sweepNode(const QByteArray &id, const QByteArray &reason, bool force);
    QByteArray nodeKey(const QByteArray &id) const { return m_prefix + "node:" + id; }
    QByteArray namesKey(const QByteArray &id) const { return nodeKey(id) + ":names"; }
    QByteArray nameKey(const QByteArray &name) const { return m_prefix + "name:" + name; }
    QByteArray factsKey(const QByteArray &name) const { return m_prefix + "user:" + name; }
    QByteArray channelsKey(const QByteArray &id) const { return nodeKey(id) + ":channels"; }
    QByteArray reentryKey() const { return m_prefix + "reentry"; }
    QByteArray channelKey(const QByteArray &channel) const
    {
        return m_prefix + "channel:" + channel;
    }

    RedisLink &m_link;
    const QByteArray m_name;
    const QByteArray m_prefix;
    const DirectoryTiming m_timing;
    const QByteArray m_id;
    QHash<QByteArray, QByteArray> m_nodes;
    QHash<quint64, Handler> m_pending;
    QTimer *m_refreshTimer;
    QTimer *m_sweepTimer;
    bool m_running = false;
};

} // namespace Cluster
