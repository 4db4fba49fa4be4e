#pragma once

#include <QString>

#include <optional>

namespace Cluster {

// Where Redis is: redis://HOST:PORT[/DB]. The port defaults to 6379 and the database to 0.
struct RedisUrl
{
    static constexpr int DefaultPort = 6379;
    static constexpr int MaxDatabase = 15; // redis-server's default `databases 16`

    QString host;
    int port = DefaultPort;
    int database = 0;

    // Nothing, and the reason in `error`, when `spec` is not such a URL.
    static std::optional<RedisUrl> parse(const QString &spec, QString *error);
    QString toString() const;
};

} // namespace Cluster
