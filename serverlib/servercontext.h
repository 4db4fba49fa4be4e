#pragma once

#include "serverlib/connectionlimiter.h"
#include "serverlib/registry.h"
#include "serverlib/serverconfig.h"

#include <QByteArray>
#include <QDateTime>
#include <QSslConfiguration>

#include <atomic>
#include <optional>

namespace Server {

// What every serving thread shares: the config (read-only once started) and the registry.
// Owned by ChatServer, which joins every thread before it lets go of it.
struct ServerContext
{
    // `maxClients`: the cap the server can honour (see ChatServer::start).
    ServerContext(const ServerConfig &serverConfig, int maxClients,
                  std::optional<QSslConfiguration> tlsConfiguration)
        : config(serverConfig),
          limits(serverConfig.limits.effective()),
          tls(std::move(tlsConfiguration)),
          registry(limits.maxChannelsPerClient),
          connections(maxClients, limits.maxClientsPerIp)
    { }

    const ServerConfig config;
    const ServerLimits limits; // with noLimits applied
    // Set: every session speaks TLS with this certificate and key. Read-only once started;
    // each session copies it (implicitly shared).
    const std::optional<QSslConfiguration> tls;
    Registry registry;
    ConnectionLimiter connections;
    const QByteArray createdAt = QDateTime::currentDateTimeUtc().toString(Qt::RFC2822Date).toUtf8();
    // Relayed lines are reported to the GUI only while someone listens: it costs a queued
    // signal per line.
    std::atomic_bool observeMessages {false};
};

} // namespace Server
