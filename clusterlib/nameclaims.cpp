#include "clusterlib/nameclaims.h"

#include "clusterlib/redislink.h"

namespace Cluster {

NameClaims::NameClaims(RedisLink &link, const QByteArray &prefix) : m_link(link), m_prefix(prefix)
{ }

quint64 NameClaims::claim(const QByteArray &name, const QByteArray &owner, qint64 ttlMs)
{
    return m_link.command({"SET", key(name), owner, "NX", "PX", QByteArray::number(ttlMs)});
}

quint64 NameClaims::refresh(const QByteArray &name, const QByteArray &owner, qint64 ttlMs)
{
    return m_link.commandIf(key(name), owner, {"PEXPIRE", key(name), QByteArray::number(ttlMs)});
}

quint64 NameClaims::release(const QByteArray &name, const QByteArray &owner)
{
    return m_link.commandIf(key(name), owner, {"DEL", key(name)});
}

// SET NX answers OK (claimed) or Nil (held by someone); a guarded PEXPIRE 1 (refreshed), or Nil
// (the key held another owner) or 0 (it expired meanwhile).
NameClaims::Outcome NameClaims::claimOutcome(const RedisReply &reply)
{
    if (reply.isStatus("OK") || (reply.type == RedisReply::Type::Integer && reply.integer == 1))
        return Outcome::Held;
    return reply.isOk() ? Outcome::NotOurs : Outcome::Failed;
}

// A guarded DEL: 1, or Nil when the key held another owner or none.
NameClaims::Outcome NameClaims::releaseOutcome(const RedisReply &reply)
{
    if (reply.type == RedisReply::Type::Integer && reply.integer == 1)
        return Outcome::Released;
    return reply.isOk() ? Outcome::NotOurs : Outcome::Failed;
}

} // namespace Cluster
