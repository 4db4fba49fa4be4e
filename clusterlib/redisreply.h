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

} // namespace Cluster

Q_DECLARE_METATYPE(Cluster::RedisReply)
