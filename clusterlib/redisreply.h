#pragma once

#include <QByteArray>
#include <QList>
#include <QMetaType>

#include <functional>

namespace Cluster {

// A reply from Redis, as a value that may cross threads. `Failed` is ours, not Redis': the
// command was not sent, or its connection was lost before the reply came (`text` says why).
struct RedisReply
{
    enum class Type { Failed, Error, Status, Integer, Nil, String, Array };

    Type type = Type::Failed;
    QByteArray text; // String, Status, Error, Failed
    qint64 integer = 0;
    QList<RedisReply> elements; // Array

    static RedisReply failed(const QByteArray &reason);
    // Redis answered, and not with an error.
    bool isOk() const { return type != Type::Failed && type != Type::Error; }
    bool isStatus(const char *status) const { return type == Type::Status && text == status; }
};

// Runs in the link's thread: it must only hand the reply on (post it), never block.
using ReplyCallback = std::function<void(const RedisReply &reply)>;

// For a command whose reply nobody reads (a PUBLISH): nothing crosses back to another thread.
void ignoreReply(const RedisReply &reply);

// A message published to a channel this link subscribes to.
struct PubSubMessage
{
    QByteArray channel;
    QByteArray payload;
};
// The messages of one read from the subscriber connection, in the order Redis sent them.
using PubSubMessages = QList<PubSubMessage>;

} // namespace Cluster

Q_DECLARE_METATYPE(Cluster::RedisReply)
Q_DECLARE_METATYPE(Cluster::PubSubMessages)
