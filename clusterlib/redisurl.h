#pragma once

#include <QString>

#include <optional>

namespace Cluster {

// Where Redis is: redis://HOST:PORT[/DB] over TCP, or unix:///PATH[?db=DB] on a Unix socket
// (the form redis-py, redis-rb and go-redis read). The port defaults to 6379 and the database
// to 0.
struct RedisUrl
{
    static constexpr int DefaultPort = 6379;
    static constexpr int MaxDatabase = 15; // redis-server's default `databases 16`

    QString host;
    int port = DefaultPort;
    QString socketPath; // set: a Unix socket, and host and port are not used
    int database = 0;

    // Nothing, and the reason in `error`, when `spec` is not such a URL.
    static std::optional<RedisUrl> parse(const QString &spec, QString *error);
    bool isUnixSocket() const { return !socketPath.isEmpty(); }
    QString toString() const;
};

} // namespace Cluster
