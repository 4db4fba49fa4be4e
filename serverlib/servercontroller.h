#pragma once

#include "serverlib/chatserver.h"

#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QStringList>

#include <memory>
#include <optional>

class QThread;

namespace Storage {
class Store;
}

namespace Server {

// Starts and stops the chat server for whoever shows it: the desktop window and
// `qtchat --headless` alike. It lives in its caller's thread (the GUI thread in the app) and
// never waits for the server: the ChatServer runs in a thread of its own ("listener"), where
// it accepts connections and creates, ends and deletes the worker threads. Calls go there
// queued; results come back as signals. No widgets.
//
// It also owns the chat history's Storage::Store (its own "storage" thread), made for each start
// unless the config turns history off: the store is opened before the server listens, and a
// database that cannot be opened fails the start (startFailed() says which and why; the server
// does not run without the history it was told to keep). A stop ends the server first, so that
// every line its workers relayed has been handed to the store, then closes the store, which
// writes what is queued; stopped() comes after both. The workers share the store (a
// std::shared_ptr in their ServerContext), so a thread that outlives a stop never calls a
// deleted one.
class ServerController : public QObject
{
    Q_OBJECT

public:
    enum class State { Stopped, Starting, Running, Stopping };
    Q_ENUM(State)

    explicit ServerController(QObject *parent = nullptr);
    // A server still running is stopped here, waiting a bounded time (a little more than
    // ChatServer::StopDeadlineMs); an owner that must not block calls stop() and waits for
    // stopped() first.
    ~ServerController() override;

    // Returns at once; started() or startFailed() follows (after the history database has
    // opened, when there is one). During a stop, the start waits for stopped().
    void start(const ServerConfig &config);
    // Returns at once, after stopping(); stopped() follows when every worker thread has ended
    // (or at the stop deadline, after threadsStranded() has named the threads that had not) and
    // the history store has written its queue and closed. A start waiting for this stop is
    // dropped.
    void stop();

    State state() const { return m_state; }
    bool isRunning() const { return m_state == State::Running; }
    // The config of the last start().
    const ServerConfig &config() const { return m_config; }
    // Where the server listens, while it runs.
    QHostAddress serverAddress() const { return m_address; }
    quint16 serverPort() const { return m_port; }
    // As of the last statsUpdated().
    int clientCount() const;
    int threadCount() const { return int(m_lastStats.size()); }
    void setStatsInterval(int milliseconds);
    // Whether the server's workers collect relayed lines now: only while messagesRelayed here
    // has a receiver.
    bool isCollectingRelays() const { return m_server->isCollectingRelays(); }
    // The history store of the current (or last) run: lines stored, not stored, waiting.
    HistoryStats historyStats() const;

Q_SIGNALS:
    void started();
    void startFailed(const QString &reason);
    void stopping();
    void stopped();
    void threadsStranded(const QStringList &names);
    // In a cluster (ServerConfig::cluster): the server's link to Redis came up or was lost.
    void clusterLinkChanged(bool up, const QString &node, const QString &reason);
    void clientConnected(quint32 clientId, const QString &peer, const QString &threadName);
    void clientRefused(const QString &address, const QString &reason);
    void clientRegistered(quint32 clientId, const QString &nick, const QString &threadName);
    void clientDisconnected(quint32 clientId, const QString &nick, const QString &reason,
                            const QString &threadName);
    // Relayed chat lines in batches; collected by the workers only while this is connected.
    void messagesRelayed(const QList<RelayedMessage> &messages);
    void statsUpdated(const QList<ThreadStats> &threads);

protected:
    void connectNotify(const QMetaMethod &signal) override;
    void disconnectNotify(const QMetaMethod &signal) override;

private:
    void forwardServerSignals();
    void beginStart(const ServerConfig &config);
    bool openStore(const HistoryConfig &history);
    void storeOpened(quint64 run, const QString &error);
    void storeClosed(quint64 run);
    void startServer();
    void serverStarted(const QHostAddress &address, quint16 port);
    void serverStartFailed(const QString &reason);
    void serverStopped();
    void closeStoreOrFinish();
    void finishStop();
    void keepStats(const QList<ThreadStats> &threads);

    QThread *m_thread; // the listener thread; left running, never destroyed, if it hangs
    ChatServer *m_server; // lives in m_thread and is deleted there as the thread finishes
    ServerConfig m_config;
    std::optional<ServerConfig> m_startAfterStop;
    QHostAddress m_address;
    quint16 m_port = 0;
    QList<ThreadStats> m_lastStats;
    QMetaObject::Connection m_relayForwarding;
    int m_relayObservers = 0;
    State m_state = State::Stopped;
    // This run's store; null without history, and once the run has ended.
    std::shared_ptr<Storage::Store> m_store;
    // Tells a signal of an earlier run's store (still closing) from this run's.
    quint64 m_run = 0;
    HistoryStats m_lastHistory; // of the run that ended
    bool m_serverActive = false; // the ChatServer was asked to start and has not ended since
    QString m_startFailure; // reported once the store has closed
};

} // namespace Server
