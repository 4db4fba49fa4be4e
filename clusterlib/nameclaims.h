#pragma once

#include "clusterlib/redisreply.h"

#include <QByteArray>

namespace Cluster {

class RedisLink;

// A name held by one owner across the cluster — a nick, network-wide — as a Redis key whose
// value is the owner and which expires unless its holder refreshes it: a node that dies lets
// go of its names by itself. Claiming is one SET ... NX PX, atomic in Redis, so of two owners
// claiming one name at once exactly one wins. Refreshing and releasing change the key only
// while the owner still holds it (RedisLink::commandIf), never someone else's claim.
//
// Each call returns the command's id (0: refused, see RedisLink::command); the answer is the
// link's replied() with that id, read with claimOutcome() or releaseOutcome().
class NameClaims
{
public:
    enum class Outcome {
        Held, // claimed, or refreshed: the owner holds the name
        NotOurs, // someone else holds it, or nobody does (expired, released)
        Released,
        Failed, // no answer from Redis: the claim's state is unknown
    };

    // Keys are `prefix` followed by the name (the caller folds the name first).
    NameClaims(RedisLink &link, const QByteArray &prefix);

    quint64 claim(const QByteArray &name, const QByteArray &owner, qint64 ttlMs);
    quint64 refresh(const QByteArray &name, const QByteArray &owner, qint64 ttlMs);
    quint64 release(const QByteArray &name, const QByteArray &owner);

    // For the replies to claim() and refresh().
    static Outcome claimOutcome(const RedisReply &reply);
    static Outcome releaseOutcome(const RedisReply &reply);
    QByteArray key(const QByteArray &name) const { return m_prefix + name; }

private:
    RedisLink &m_link;
    const QByteArray m_prefix;
};

} // namespace Cluster
