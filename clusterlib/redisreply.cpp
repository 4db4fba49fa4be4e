#include "clusterlib/redisreply.h"

namespace Cluster {

RedisReply RedisReply::failed(const QByteArray &reason)
{
    RedisReply reply;
    reply.type = Type::Failed;
    reply.text = reason;
    return reply;
}

void ignoreReply(const RedisReply &) { }

} // namespace Cluster
