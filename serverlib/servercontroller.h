#pragma once

#include "serverlib/chatserver.h"

#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QStringList>

#include <optional>

class QThread;

namespace Server {

// Starts and stops the chat server for whoever shows it: the desktop window and
// `qtchat --headless` alike. It lives in its caller's thread (the GUI thread in the app) and
// never waits for the server: the ChatServer runs in a thread of its own ("listener"), where
// it accepts connections and creates, ends and deletes the worker threads. Calls go there
// queued; results come back as signals. No widgets.
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

    // Returns at once; started() or startFailed() follows. During a stop, the start waits
    // for stopped().
    void start(const ServerConfig &config);
    // Returns at once, after stopping(); stopped() follows when every worker thread has ended,
    // or at the stop deadline, after threadsStranded() has named the threads that had not. A
    // start waiting for this stop is dropped.
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

Q_SIGNALS:
    void started();
    void startFailed(const QString &reason);
    void stopping();
    void stopped();
    void threadsStranded(const QStringList &names);
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
    void serverStarted(const QHostAddress &address, quint16 port);
    void serverStartFailed(const QString &reason);
    void serverStopped();
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
};

} // namespace Server
