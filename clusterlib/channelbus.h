#pragma once

#include "clusterlib/redisreply.h"

#include <QByteArray>
#include <QHash>
#include <QObject>

#include <mutex>

namespace Cluster {

class RedisLink;

// The chat traffic between the nodes of a cluster, through Redis pub/sub: one channel in Redis
// per IRC channel (`<prefix>chan:<folded name>`) and one per node for what is addressed to a
// user on it (`<prefix>to:<node id>`), and one that every node follows (`<prefix>all`, for what
// reaches users on every node: WALLOPS).
//
// - A line said in a channel crosses Redis once, whatever the number of its members: each node
//   that has members there relays it to them itself.
// - A node subscribes to an IRC channel's traffic while it has local members there (counted by
//   addLocalMember() and removeLocalMember()), so a node with none never receives it.
// - Every published line carries its origin node and a sequence number per origin and channel.
//   A node drops its own lines, and tells by gap() when a sequence number was skipped (lines
//   lost: a subscription dropped by Redis, a node that fell behind), so that it can resynchronise
//   instead of serving a channel with a hole in it. Pub/sub keeps one publisher's order.
//
// publish() and sendToNode() may be called from any thread (the server's workers) and never
// wait. Subscriptions are counted in this object's thread. received() and directReceived() are
// emitted in this object's thread.
class ChannelBus : public QObject
{
    Q_OBJECT

public:
    ChannelBus(RedisLink &link, const QByteArray &nodeId,
               const QByteArray &prefix = "qtchat:", QObject *parent = nullptr);

    QByteArray nodeId() const { return m_nodeId; }

    void addLocalMember(const QByteArray &channel);
    void removeLocalMember(const QByteArray &channel);
    bool isSubscribed(const QByteArray &channel) const { return m_localMembers.contains(channel); }

    // `channel` is folded; `payload` is what the other nodes relay (a serialised line). False
    // when the link refused it (its queue full, or stopped): the line did not leave this node.
    bool publish(const QByteArray &channel, const QByteArray &payload);
    // Several payloads in one message, received in this order: one PUBLISH, one message to
    // read on each node, one sequence number.
    bool publish(const QByteArray &channel, const QList<QByteArray> &payloads);
    bool sendToNode(const QByteArray &nodeId, const QByteArray &payload);
    // To every other node: one PUBLISH, whatever their number.
    bool broadcast(const QByteArray &payload);

Q_SIGNALS:
    void received(const QByteArray &channel, const QByteArray &originNode,
                  const QByteArray &payload);
    void directReceived(const QByteArray &originNode, const QByteArray &payload);
    void broadcastReceived(const QByteArray &originNode, const QByteArray &payload);
    // Lines of `originNode` in `channel` (empty: addressed to this node) were lost on the way.
    void gap(const QByteArray &channel, const QByteArray &originNode);
    // Redis confirmed the subscription to `channel`: from now on its lines arrive.
    void subscribed(const QByteArray &channel);

private:
    // Tells a gap (and goes on from the new number); false for a line seen already. A gap in
    // the broadcasts is only logged: nothing there can be read again.
    bool inSequence(const QByteArray &stream, const QByteArray &origin, quint64 sequence,
                    bool tellGap = true);
    void messagesArrived(const Cluster::PubSubMessages &batch);
    void messageArrived(const QByteArray &redisChannel, const QByteArray &message);
    bool isOwn(const QByteArray &message) const;
    void channelMessage(const QByteArray &channel, const QByteArray &message);
    quint64 nextSequence(const QByteArray &stream);
    QByteArray channelKey(const QByteArray &channel) const { return m_channelPrefix + channel; }
    QByteArray nodeKey(const QByteArray &nodeId) const { return m_nodePrefix + nodeId; }

    RedisLink &m_link;
    const QByteArray m_nodeId;
    const QByteArray m_channelPrefix; // `<prefix>chan:`, made once: every message is matched
    const QByteArray m_nodePrefix; // `<prefix>to:`
    const QByteArray m_ownChannel;
    const QByteArray m_allChannel; // `<prefix>all`
    QHash<QByteArray, int> m_localMembers; // folded channel -> local members
    // channel -> (origin node -> last sequence number seen)
    QHash<QByteArray, QHash<QByteArray, quint64>> m_lastSeen;
    std::mutex m_sequenceMutex; // publishers are the server's workers
    QHash<QByteArray, quint64> m_sequences; // channel or node -> last number given
};

} // namespace Cluster
