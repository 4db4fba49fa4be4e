#pragma once

#include "serverlib/mailbox.h"
#include "serverlib/registry.h"

#include <QByteArray>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>

namespace Server {

class ClusterNode;

// What a claim for a nick across the cluster came to.
enum class NickClaim {
    Held, // this server holds it now
    Taken, // a user on another server has it
    Unreachable, // Redis did not answer: nobody can tell, so it is not given
};

// Whether a client who joins a channel nobody here is on may be its operator.
enum class ChannelEntry {
    Founder, // no other server has members there: the channel's first member network-wide
    Member, // another server has
    // Redis did not answer, or cannot tell yet (it lost its data, or a node is entering its
    // channels again): nobody can tell, so no operator status is given
    Unreachable,
};

// A user of another server that this one may know nothing of (it shares no channel followed
// here), as its server told the network (docs/cluster.md, "Users on no shared channel").
struct RemoteUserInfo
{
    QByteArray nick, user, host, realname, account; // account: empty when not logged in
    QByteArray nodeId, nodeName; // its server
};

// What a server's workers use of its cluster (ServerContext::cluster): every call may come from
// any thread and returns at once. The ClusterNode behind it lives in the server's thread.
class ClusterFront
{
public:
    using ClaimDone = std::function<void(Session &session, NickClaim result)>;
    using EntryDone = std::function<void(Session &session, ChannelEntry entry)>;
    using LookUpDone = std::function<void(Session &session, std::optional<RemoteUserInfo> user)>;

    explicit ClusterFront(std::shared_ptr<Mailbox> bridge) : m_bridge(std::move(bridge)) { }

    // The mailbox of every user served by another server: what is delivered to it crosses to
    // those servers, once per line.
    const std::shared_ptr<Mailbox> &bridge() const { return m_bridge; }
    // A channel event reaches the other servers even while no remote member is known there
    // (they may have members this server has not heard of yet): the bridge joins the audience.
    void include(Audience &audience) const;

    // Claims `nick` across the cluster for `client`; `done` runs in the client's own thread,
    // through its mailbox, like an OPER password check's verdict.
    void claimNick(const QByteArray &nick, const MemberGroup &client, ClaimDone done);
    void releaseNick(const QByteArray &nick);
    // `client` is about to be this server's first member of `channel` (folded): the cluster
    // records that this server is there and tells, through the client's mailbox, whether it is
    // the first server there. One Redis round-trip, once per channel this server enters.
    void enterChannel(const QByteArray &channel, const MemberGroup &client, EntryDone done);
    // A join announced by enterChannel() did not happen (refused, or the client left first).
    void recheckChannel(const QByteArray &channel);
    // A private line for a nick this server does not know: the node that holds the nick is
    // looked up in Redis and gets it; `notFound` runs in the sender's thread when none does.
    void sendToNick(const QByteArray &nick, const OutgoingLine &line, const MemberGroup &sender,
                    std::function<void(Session &session)> notFound);

    // What the other servers show of this server's user `nick` (WHOIS, KILL, INVITE there):
    // told again after its registration and each change of its nick, account or real name.
    void describeUser(const QByteArray &nick);
    // A nick no user known here has: its server's user, as told, comes through the client's
    // mailbox; nothing when no server has such a user or Redis could not answer. One Redis
    // round-trip.
    void lookUpUser(const QByteArray &nick, const MemberGroup &client, LookUpDone done);
    // A line (an INVITE) for `user`, to its server; false when it cannot leave this one.
    bool sendToUser(const RemoteUserInfo &user, const OutgoingLine &line);
    // An operator's KILL of `user`: its server closes it with `reason`, as a local KILL does.
    bool killUser(const RemoteUserInfo &user, const QByteArray &reason);

    // A user who lost its nick to a user of another server (docs/cluster.md, "Nick
    // collisions") now has another one and is on `channels`: the other servers hear of it.
    void collisionSettled(const QByteArray &lostNick, const QList<QByteArray> &channels);

    bool isLinked() const { return m_linked.load(std::memory_order_relaxed); }

private:
    friend class ClusterNode;
    // Runs `call` in the node's thread; false when there is no node (stopping).
    bool post(std::function<void(ClusterNode &node)> call);
    void attach(ClusterNode *node);
    void detach();
    void setLinked(bool linked) { m_linked.store(linked, std::memory_order_relaxed); }

    const std::shared_ptr<Mailbox> m_bridge;
    std::mutex m_mutex; // a post and detach() never cross: nothing reaches a deleted node
    ClusterNode *m_node = nullptr;
    std::atomic<bool> m_linked {false};
};

} // namespace Server
