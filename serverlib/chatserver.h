#pragma once

#include "serverlib/serverconfig.h"
#include "serverlib/serverstats.h"

#include <QElapsedTimer>
#include <QList>
#include <QTcpServer>
#include <QTimer>

#include <memory>

namespace Server {

struct ServerContext;
class WorkerThread;

// Accepts connections and hands each descriptor to a worker thread, where its socket is
// created. Lives in the thread that made it; every signal arrives there.
//
// With TLS it stays a QTcpServer rather than a QSslServer: QSslServer (Qt 6.4) creates each
// QSslSocket in incomingConnection(), in this thread, and hands it out through
// nextPendingConnection(), but a socket must be made in the worker thread that serves it. So
// the worker's Session creates the QSslSocket from the descriptor, sets the certificate and key
// and starts the server handshake itself (Session::open).
//
// Connections over the caps of ServerLimits are refused here, before any worker sees them.
class ChatServer : public QTcpServer
{
    Q_OBJECT

public:
    explicit ChatServer(QObject *parent = nullptr);
    ~ChatServer() override;

    // Listens with `config`; false (see startError()) when the config is invalid or the
    // address cannot be bound.
    bool start(const ServerConfig &config);
    // Stops listening, delivers what was accepted, sends ERROR to every client and joins every
    // thread. The server can be started again afterwards.
    void stop();
    bool isRunning() const { return isListening(); }

    const ServerConfig &config() const { return m_config; }
    QString startError() const { return m_startError; }
    int clientCount() const;
    int threadCount() const { return int(m_workers.size()); }
    void setStatsInterval(int milliseconds) { m_statsTimer.setInterval(milliseconds); }

Q_SIGNALS:
    void clientConnected(quint32 clientId, const QString &peer, const QString &threadName);
    // A connection turned away by a cap (ServerLimits); the client got `ERROR` with `reason`.
    void clientRefused(const QString &address, const QString &reason);
    void clientRegistered(quint32 clientId, const QString &nick, const QString &threadName);
    void clientDisconnected(quint32 clientId, const QString &nick, const QString &reason,
                            const QString &threadName);
    // A chat line the server relayed (PRIVMSG/NOTICE, or a tutorial chunk). Costs a queued
    // signal per line, so workers emit it only while something is connected to it.
    void messageRelayed(const QString &from, const QString &target, const QString &text,
                        const QString &threadName);
    void statsUpdated(const QList<ThreadStats> &threads);
    void started();
    void stopped();

protected:
    void incomingConnection(qintptr socketDescriptor) override;
    void connectNotify(const QMetaMethod &signal) override;
    void disconnectNotify(const QMetaMethod &signal) override;

private:
    void refuse(qintptr socketDescriptor, const QHostAddress &address, const QByteArray &reason);
    void retryAcceptingLater();
    WorkerThread *leastLoadedWorker() const;
    WorkerThread *spawnWorker(const QString &name);
    void reapWorker(quint64 serial);
    void joinAllWorkers();
    void publishStats();
    void updateMessageObservers(int delta);

    ServerConfig m_config;
    QString m_startError;
    std::unique_ptr<ServerContext> m_context;
    QList<WorkerThread *> m_workers;
    QTimer m_statsTimer;
    QElapsedTimer m_sinceStats;
    quint32 m_nextClientId = 1;
    quint64 m_nextSerial = 1;
    int m_messageObservers = 0;
};

} // namespace Server
