#pragma once

#include "serverlib/clusterfront.h"
#include "serverlib/connectionlimiter.h"
#include "serverlib/loginthrottle.h"
#include "serverlib/registry.h"
#include "serverlib/relayfeed.h"
#include "serverlib/serverconfig.h"
#include "storagelib/store.h"

#include <QByteArray>
#include <QDateTime>
#include <QRandomGenerator>
#include <QSslConfiguration>

#include <atomic>
#include <memory>
#include <optional>

namespace Server {

// What every serving thread shares: the config (read-only once started) and the registry.
// Shared by ChatServer and each of its worker threads, so that a thread that outlives its
// server's stop (see ChatServer::stop) still has what it serves.
struct ServerContext
{
    // `maxClients`: the cap the server can honour (see ChatServer::start).
    ServerContext(const ServerConfig &serverConfig, int maxClients,
                  std::optional<QSslConfiguration> tlsConfiguration,
                  std::shared_ptr<RelayFeed> relayFeed,
                  std::shared_ptr<Storage::Store> historyStore = {})
        : config(serverConfig),
          limits(serverConfig.limits.effective()),
          tls(std::move(tlsConfiguration)),
          registry(limits.maxChannelsPerClient, serverConfig.whowasEntries),
          connections(maxClients, limits.maxClientsPerIp),
          relays(std::move(relayFeed)),
          store(std::move(historyStore))
    { }

    const ServerConfig config;
    const ServerLimits limits; // with noLimits applied
    // Set: every session speaks TLS with this certificate and key. Read-only once started;
    // each session copies it (implicitly shared).
    const std::optional<QSslConfiguration> tls;
    Registry registry;
    ConnectionLimiter connections;
    const QByteArray createdAt = QDateTime::currentDateTimeUtc().toString(Qt::RFC2822Date).toUtf8();
    // Where workers report relayed lines, while someone observes them.
    const std::shared_ptr<RelayFeed> relays;
    // Where relayed channel lines are kept and history is read; null: no storage. Shared, so
    // that a thread outliving its server's stop never calls a deleted store (a closed one
    // counts what it is given as not stored).
    const std::shared_ptr<Storage::Store> store;
    // Failed SASL logins, per account and per address (accounts exist only with a store).
    LoginThrottle logins;
    // Sessions that negotiated server-time, message-tags or account-tag. While there are none,
    // relayed lines are sent without making any tags for them.
    std::atomic<int> taggedSessions {0};
    // Set when the server is one node of a cluster, before the first worker starts; null for a
    // standalone server, which so pays nothing for the cluster.
    std::shared_ptr<ClusterFront> cluster;

    // IRCv3 msgid: unique on this server, also across restarts (the start time leads), and
    // among the servers that share a database (a random number drawn at start follows: two
    // nodes of a cluster may start within one millisecond, and history keeps a msgid once).
    QByteArray nextMessageId()
    {
        return m_messageIdPrefix
            + QByteArray::number(m_messageIds.fetch_add(1, std::memory_order_relaxed), 36);
    }

private:
    const QByteArray m_messageIdPrefix = QByteArray::number(QDateTime::currentMSecsSinceEpoch(), 36)
        + QByteArray::number(QRandomGenerator::system()->generate(), 36).rightJustified(7, '0')
        + '-';
    std::atomic<quint64> m_messageIds {0};
};

} // namespace Server
