#pragma once

#include "serverlib/clusterfront.h"
#include "serverlib/departurelog.h"
#include "serverlib/mailbox.h"
#include "serverlib/registry.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QSet>
#include <QTimer>

#include <memory>

namespace Cluster {
struct RedisReply;
class ChannelBus;
class NodeDirectory;
class RedisLink;
} // namespace Cluster

class TestCluster; // tests/serverlib/tst_cluster.cpp

namespace Irc {
struct IrcMessage;
}

namespace Server {

struct ServerContext;

// A server's place in a cluster (docs/cluster.md): its link to Redis (a thread of its own), its
// membership and nicks (NodeDirectory) and the chat between servers (ChannelBus). Lives in the
// server's thread and never waits: the workers reach it through its ClusterFront.
//
// Users of other servers are entries of the local Registry whose mailbox is the bridge: what a
// worker delivers to them is drained here and published once per line, on the channel's bus
// channel for a channel event, else once per server that serves a recipient. Lines from the bus
// are applied to the registry and delivered to this server's members only.
class ClusterNode : public QObject
{
    Q_OBJECT

public:
    ClusterNode(std::shared_ptr<ServerContext> context, const QByteArray &nodeName,
                QObject *parent = nullptr);
    // Without stop() first, the others learn of the end from the liveness key's expiry.
    ~ClusterNode() override;

    const std::shared_ptr<ClusterFront> &front() const { return m_front; }
    QByteArray nodeName() const { return m_nodeName; }
    void start();
    // Leaves the cluster (the other servers QUIT this server's users and free their nicks),
    // then stops the link; stopped() follows, within a bound even when Redis is gone.
    void stop();

Q_SIGNALS:
    void stopped();
    void linkChanged(bool up, const QString &reason);

private:
    friend class ClusterFront;
    friend class ::TestCluster; // to cut the link as a crash would

    struct RemoteUser
    {
        QByteArray node; // its server's id
        QByteArray nick; // folded
    };
    struct Frame;
    // A resynchronisation of one channel this server asked for: the remote members it knew
    // when it asked (`candidates`, id -> node) that nothing since has shown present, and the
    // `member` answers counted per node since it asked. A node's end marker (`synced <count>`)
    // after exactly `count` answers closes a whole answer given after the question: its
    // candidates it did not name have left, as `departures` (id -> the PART or QUIT line its
    // node still knew) says, or as the split's.
    struct SyncRound
    {
        QHash<quint32, QByteArray> candidates;
        QHash<QByteArray, int> answers;
        QHash<quint32, QByteArray> departures;
    };

    void claimNick(const QByteArray &nick, const MemberGroup &client, ClusterFront::ClaimDone done);
    void releaseNick(const QByteArray &nick);
    void enterChannel(const QByteArray &channel, const MemberGroup &client,
                      ClusterFront::EntryDone done);
    void describeUser(const QByteArray &nick);
    void lookUpUser(const QByteArray &nick, const MemberGroup &client,
                    const ClusterFront::LookUpDone &done);
    QByteArray nodeNameOf(const QByteArray &id) const;
    void killReceived(const Irc::IrcMessage &message);
    void broadcastReceived(const QByteArray &payload);
    void claimAgain();
    void reclaimed(const QByteArray &nick, bool held);
    void renameAfterCollision(const QByteArray &nick, int attempt);
    void collisionSettled(const QByteArray &lostNick, const QList<QByteArray> &channels);
    void announceMembers();
    struct Lookup
    {
        QByteArray nick;
        OutgoingLine line;
        MemberGroup sender;
        std::function<void(Session &session)> notFound;
    };
    void sendToNick(Lookup lookup);
    void nickLookedUp(quint64 id, const Cluster::RedisReply &reply);
    void drainBridge();
    void forward(const Delivery &delivery);
    // Queues the line for the channel's next message on the bus (publishPending()).
    void publish(const QByteArray &channel, const QByteArray &kind, const Delivery &delivery,
                 const Irc::IrcMessage &message);
    void publishPending();
    void channelReceived(const QByteArray &channel, const QByteArray &origin,
                         const QByteArray &payload);
    void directReceived(const QByteArray &origin, const QByteArray &payload);
    void remoteJoin(const QByteArray &channel, const QByteArray &origin, const Frame &frame,
                    const Irc::IrcMessage &message);
    void announceRemoteJoin(const Audience &members, const Frame &frame, const QByteArray &source,
                            const QByteArray &channelName, const QByteArray &account,
                            const QByteArray &realname);
    void remoteChannelEvent(const QByteArray &channel, const Frame &frame, quint32 sender,
                            const Irc::IrcMessage &message);
    void storePrivateLine(const Frame &frame, const Irc::IrcMessage &message,
                          const QByteArray &recipientNick, const QByteArray &recipientAccount);
    void remoteUserEvent(quint32 sender, const Frame &frame, const Irc::IrcMessage &message);
    void answerSync(const QByteArray &channel, const QList<QByteArray> &asked = {});
    void requestSync(const QByteArray &channel);
    void directSyncRequest(const QByteArray &text);
    void countAnswer(const QByteArray &channel, const QByteArray &origin, const QByteArray &nick);
    void answerEnded(const QByteArray &channel, const QByteArray &origin, const QByteArray &text);
    void noteDeparture(const QByteArray &channel, const QByteArray &origin, const QByteArray &line);
    void recordDeparture(const QByteArray &channel, const Irc::IrcMessage &message,
                         const QByteArray &line);
    void removeStale(const QByteArray &channel, quint32 id, bool gone, const QByteArray &departure);
    // An event of `id` came after a question: the stream shows it, it is no longer a candidate.
    void seen(quint32 id, const QByteArray &channel = {});
    void nodeLeft(const QByteArray &id, const QByteArray &name);
    void linkStateChanged(bool up, const QString &reason);
    void updateSubscription(const QByteArray &channel, bool recheck = false);
    void updateAllSubscriptions();
    void forgetChannel(const QByteArray &channel);
    void dropIfInNoChannel(quint32 id);
    void forget(quint32 id);
    quint32 remoteUser(const QByteArray &origin, const QByteArray &nick) const;
    void deliverLocally(const Audience &audience, const Frame &frame);
    void finishStop();
    void emitStopped();

    const std::shared_ptr<ServerContext> m_context;
    const QByteArray m_nodeName;
    const std::shared_ptr<Mailbox> m_bridge;
    const std::shared_ptr<ClusterFront> m_front;
    std::unique_ptr<Cluster::RedisLink> m_link;
    Cluster::NodeDirectory *m_directory = nullptr; // children
    Cluster::ChannelBus *m_bus = nullptr;
    QHash<quint32, RemoteUser> m_remoteUsers;
    QHash<QByteArray, quint32> m_remoteByNick; // folded nick -> id
    QHash<quint64, Lookup> m_lookups; // by the GET's id
    QSet<QByteArray> m_subscribed; // folded channels with local members
    // Consecutive lines of one channel from the bridge, not published yet: published together
    // when the bridge is drained, or before a line that must follow them.
    QByteArray m_pendingChannel;
    QList<QByteArray> m_pendingLines;
    QHash<QByteArray, SyncRound> m_rounds; // folded channel -> its resynchronisation
    DepartureLog m_departures; // this server's users', for the others' resynchronisations
    QElapsedTimer m_clock; // the departures' age
    // Folded nicks this server lost to another while it was out of the network: their users
    // are being renamed, and are not announced under them meanwhile.
    QSet<QByteArray> m_collided;
    int m_reclaiming = 0; // nicks claimed again, not answered yet
    QTimer m_stopDeadline;
    quint32 m_nextRemoteId = 0x8000'0000; // above every id the listener gives
    bool m_stopping = false;
    bool m_linkStopping = false;
    bool m_stopped = false;
    bool m_linkStateSaid = false;
};

} // namespace Server
