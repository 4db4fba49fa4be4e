#pragma once

#include <QString>

#include <optional>

namespace Cluster {

// Where Redis is: redis://[[USER]:PASSWORD@]HOST:PORT[/DB] over TCP, or unix:///PATH[?db=DB] on
// a Unix socket (the forms redis-py, redis-rb and go-redis read). The port defaults to 6379 and
// the database to 0. With a password the link sends AUTH first: USER for a Redis 6+ ACL user,
// none for `requirepass` (the default user). The password is a secret: toString() and every
// error show **** in its place.
struct RedisUrl
{
    static constexpr int DefaultPort = 6379;
    static constexpr int MaxDatabase = 15; // redis-server's default `databases 16`

    QString host;
    int port = DefaultPort;
    QString socketPath; // set: a Unix socket, and host and port are not used
    int database = 0;
    QString user; // empty: Redis' default user
    QString password; // empty: no AUTH

    // Nothing, and the reason in `error`, when `spec` is not such a URL.
    static std::optional<RedisUrl> parse(const QString &spec, QString *error);
    bool isUnixSocket() const { return !socketPath.isEmpty(); }
    bool hasPassword() const { return !password.isEmpty(); }
    // For the log: the URL with **** for the password; parse() reads it back but for that.
    QString toString() const;
    // `spec`, which may not parse, with **** for whatever may be a password in it: for the log.
    static QString redacted(const QString &spec);
};

} // namespace Cluster
