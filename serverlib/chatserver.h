#pragma once

#include "serverlib/relayfeed.h"
#include "serverlib/serverconfig.h"
#include "serverlib/serverstats.h"

#include <QElapsedTimer>
#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QSet>
#include <QStringList>
#include <QTimer>

#include <memory>

namespace Storage {
class Store;
}

class TestChatServer; // tests/serverlib/tst_chatserver.cpp
class TestCluster; // tests/serverlib/tst_cluster.cpp

namespace Server {

class ClusterNode;
class Listener;
struct ServerContext;
class WorkerThread;

// Accepts connections and hands each descriptor to a worker thread, where its socket is
// created. Lives in one thread (where it was made, or the thread it was moved to before its
// first start()): every call comes from there and every signal is emitted there. Nothing here
// waits for a worker thread; ServerController runs it in a thread of its own, so that the GUI
// thread never creates, waits for or deletes one.
//
// The listening socket is a private member, not a base class: listening without start() would
// serve with no workers and no limits.
//
// With TLS the listener stays a QTcpServer rather than a QSslServer: QSslServer (Qt 6.4) creates
// each QSslSocket in incomingConnection(), in this thread, and hands it out through
// nextPendingConnection(), but a socket must be made in the worker thread that serves it. So
// the worker's Session creates the QSslSocket from the descriptor, sets the certificate and key
// and starts the server handshake itself (Session::open).
//
// Connections over the caps of ServerLimits are refused here, before any worker sees them.
class ChatServer : public QObject
{
    Q_OBJECT

public:
    enum class State { Stopped, Running, Stopping };

    // How long stop() gives the worker threads: to stop reading (about a second at most), then
    // to deliver, say ERROR and close, including the grace period for peers that do not read.
    static constexpr int StopPauseBoundMs = 1000;
    static constexpr int StopDeadlineMs = 5000;
    // Relayed lines are handed on at most this often: live enough for a log, few enough signals.
    static constexpr int RelayBatchMs = 50;

    explicit ChatServer(QObject *parent = nullptr);
    // A server that was not stopped (and waited for) stops here the blocking way, bounded by
    // StopDeadlineMs; threads still running then are left to run on, never destroyed.
    ~ChatServer() override;

    // Listens with `config` and emits started(), or returns false and emits startFailed() (see
    // startError()) when the config is invalid, the address cannot be bound, or a stop is still
    // under way. `store`, open, keeps the relayed channel lines and answers history queries;
    // its owner closes it after stopped() (ServerController does).
    bool start(const ServerConfig &config, std::shared_ptr<Storage::Store> store = {});
    // Returns at once. Stops listening, delivers every line accepted until now, sends ERROR to
    // every client and closes the connections; emits stopped() when every worker thread has
    // ended, or when StopDeadlineMs has passed, after reporting the threads still running
    // (threadsStranded()). With no thread to wait for, stopped() comes before stop() returns.
    // The server can be started again after stopped().
    void stop();
    State state() const { return m_state; }
    bool isRunning() const { return m_state == State::Running; }

    const ServerConfig &config() const { return m_config; }
    QString startError() const { return m_startError; }
    QHostAddress serverAddress() const;
    quint16 serverPort() const;
    int clientCount() const;
    // Threads serving clients now.
    int threadCount() const { return int(m_workers.size()); }
    // Threads that missed a stop's deadline and have not ended since.
    int strandedThreadCount() const { return int(m_stranded.size()); }
    void setStatsInterval(int milliseconds) { m_statsTimer.setInterval(milliseconds); }
    // Whether workers collect relayed lines now (someone listens to messagesRelayed). Safe from
    // any thread.
    bool isCollectingRelays() const { return m_relays->isObserved(); }

Q_SIGNALS:
    void started(const QHostAddress &address, quint16 port);
    void startFailed(const QString &reason);
    void stopped();
    // The threads (by name) that had not ended by a stop's deadline. They are deleted when they
    // do end; until then they keep what they serve (their ServerContext) alive.
    void threadsStranded(const QStringList &names);
    // In a cluster: the link to Redis came up (`up`) or was lost (`reason` says how); `node` is
    // this server's name in the cluster. The first comes once the node has linked at start.
    void clusterLinkChanged(bool up, const QString &node, const QString &reason);
    void clientConnected(quint32 clientId, const QString &peer, const QString &threadName);
    // A connection turned away by a cap (ServerLimits); the client got `ERROR` with `reason`.
    void clientRefused(const QString &address, const QString &reason);
    void clientRegistered(quint32 clientId, const QString &nick, const QString &threadName);
    void clientDisconnected(quint32 clientId, const QString &nick, const QString &reason,
                            const QString &threadName);
    // Chat lines the server relayed, in batches (at most one signal per RelayBatchMs). The
    // workers collect them only while something is connected to this signal.
    void messagesRelayed(const QList<RelayedMessage> &messages);
    void statsUpdated(const QList<ThreadStats> &threads);

protected:
    // May run in another thread than this object's (Qt calls them where connect() is called):
    // they only touch the relay feed's atomic count.
    void connectNotify(const QMetaMethod &signal) override;
    void disconnectNotify(const QMetaMethod &signal) override;

private:
    friend class ::TestChatServer; // to block a worker thread, as a bug would
    friend class ::TestCluster; // to cut a node off Redis, as a crash would

    void incomingConnection(qintptr socketDescriptor);
    void refuse(qintptr socketDescriptor, const QHostAddress &address, const QByteArray &reason);
    void retryAcceptingLater();
    void failStart(const QString &reason);
    WorkerThread *leastLoadedWorker() const;
    WorkerThread *spawnWorker(const QString &name);
    void retireWorker(quint64 serial);
    void workerStoppedReading(quint64 serial);
    void finishShutdown();
    void postFinishShutdown();
    void stopTimerExpired();
    void threadFinished(quint64 serial);
    void reapEndedThreads();
    void completeStop();
    void startCluster();
    // Stop step 5 in a cluster: leave it once the workers are gone; completeStop() follows.
    bool leaveCluster();
    void stopBlocking();
    void abandonThreadsStillRunning();
    void publishStats();
    void drainRelays();

    ServerConfig m_config;
    QString m_startError;
    const std::shared_ptr<RelayFeed> m_relays;
    std::shared_ptr<ServerContext> m_context;
    Listener *m_listener; // a child
    ClusterNode *m_cluster = nullptr; // a child, while started with a cluster
    QList<WorkerThread *> m_workers; // serving
    QList<WorkerThread *> m_ending; // told to end, not gone yet
    QList<WorkerThread *> m_stranded; // missed a stop's deadline, not gone yet
    QSet<quint64> m_finished; // their event loops are done; deleted once gone (reapEndedThreads)
    QSet<quint64> m_stillReading; // stop step 1: workers that have not stopped reading yet
    QTimer m_statsTimer;
    QTimer m_stopTimer;
    QTimer m_reapTimer;
    QTimer m_relayTimer;
    QElapsedTimer m_sinceStats;
    QElapsedTimer m_sinceStop;
    State m_state = State::Stopped;
    bool m_finishing = false; // stop step 2 under way
    quint32 m_nextClientId = 1;
    quint64 m_nextSerial = 1;
};

} // namespace Server
