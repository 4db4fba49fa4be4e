#include "serverlib/servercontroller.h"

#include "serverlib/serverlogging.h"
#include "serverlib/threadcheck.h"

#include <QMetaMethod>
#include <QThread>

#include <utility>

namespace Server {

namespace {

// Beyond the server's own stop deadline: what the listener thread needs to delete the server.
constexpr int ThreadEndMarginMs = 1000;

} // namespace

ServerController::ServerController(QObject *parent)
    : QObject(parent), m_thread(new QThread), m_server(new ChatServer)
{
    m_thread->setObjectName(QStringLiteral("listener"));
    m_server->moveToThread(m_thread);
    // The server's destructor runs in its own thread, where its sockets and timers live.
    connect(m_thread, &QThread::finished, m_server, &QObject::deleteLater);
    forwardServerSignals();
}

ServerController::~ServerController()
{
    if (!m_thread->isRunning()) { // never started: nothing ever ran in it
        delete m_server;
        delete m_thread;
        return;
    }
    // The server, deleted as its thread finishes, stops there if it still runs (bounded).
    m_thread->quit();
    if (m_thread->wait(QDeadlineTimer(ChatServer::StopDeadlineMs + ThreadEndMarginMs))) {
        delete m_thread;
        return;
    }
    // Destroying a running QThread aborts the program: leave it, and what it holds, behind.
    qCCritical(lcServer) << "the listener thread did not end; left behind";
}

void ServerController::forwardServerSignals()
{
    // Queued: the server emits in its own thread.
    connect(m_server, &ChatServer::started, this, &ServerController::serverStarted);
    connect(m_server, &ChatServer::startFailed, this, &ServerController::serverStartFailed);
    connect(m_server, &ChatServer::stopped, this, &ServerController::serverStopped);
    connect(m_server, &ChatServer::statsUpdated, this, &ServerController::keepStats);
    connect(m_server, &ChatServer::threadsStranded, this, &ServerController::threadsStranded);
    connect(m_server, &ChatServer::clientConnected, this, &ServerController::clientConnected);
    connect(m_server, &ChatServer::clientRefused, this, &ServerController::clientRefused);
    connect(m_server, &ChatServer::clientRegistered, this, &ServerController::clientRegistered);
    connect(m_server, &ChatServer::clientDisconnected, this, &ServerController::clientDisconnected);
    // messagesRelayed only while someone listens here: see connectNotify().
}

void ServerController::start(const ServerConfig &config)
{
    assertOwnThread(this, "ServerController::start");
    if (m_state == State::Stopping) {
        m_startAfterStop = config;
        return;
    }
    if (m_state != State::Stopped) {
        Q_EMIT startFailed(tr("The server is already running."));
        return;
    }
    beginStart(config);
}

void ServerController::beginStart(const ServerConfig &config)
{
    m_config = config;
    m_state = State::Starting;
    if (!m_thread->isRunning())
        m_thread->start();
    ChatServer *server = m_server;
    QMetaObject::invokeMethod(
        server, [server, config] { server->start(config); }, Qt::QueuedConnection);
}

void ServerController::stop()
{
    assertOwnThread(this, "ServerController::stop");
    m_startAfterStop.reset();
    if (m_state == State::Stopped || m_state == State::Stopping)
        return;
    m_state = State::Stopping;
    Q_EMIT stopping();
    // After a start still on its way, if any: queued calls run in order.
    QMetaObject::invokeMethod(m_server, &ChatServer::stop, Qt::QueuedConnection);
}

void ServerController::serverStarted(const QHostAddress &address, quint16 port)
{
    m_address = address;
    m_port = port;
    if (m_state != State::Starting)
        return; // stopped before it started: stopped() follows
    m_state = State::Running;
    Q_EMIT started();
}

void ServerController::serverStartFailed(const QString &reason)
{
    const bool stopWasAsked = m_state == State::Stopping;
    m_state = State::Stopped;
    Q_EMIT startFailed(reason);
    if (stopWasAsked)
        Q_EMIT stopped();
}

void ServerController::serverStopped()
{
    m_state = State::Stopped;
    m_address.clear();
    m_port = 0;
    m_lastStats.clear();
    // Under way before stopped() is emitted, so that its receivers see the state it leaves.
    if (const std::optional<ServerConfig> next = std::exchange(m_startAfterStop, std::nullopt))
        beginStart(*next);
    Q_EMIT stopped();
}

void ServerController::keepStats(const QList<ThreadStats> &threads)
{
    m_lastStats = threads;
    Q_EMIT statsUpdated(threads);
}

int ServerController::clientCount() const
{
    int clients = 0;
    for (const ThreadStats &thread : m_lastStats)
        clients += thread.clients;
    return clients;
}

void ServerController::setStatsInterval(int milliseconds)
{
    ChatServer *server = m_server;
    QMetaObject::invokeMethod(
        server, [server, milliseconds] { server->setStatsInterval(milliseconds); },
        Qt::QueuedConnection);
}

void ServerController::connectNotify(const QMetaMethod &signal)
{
    if (signal != QMetaMethod::fromSignal(&ServerController::messagesRelayed))
        return;
    if (++m_relayObservers == 1) {
        m_relayForwarding = connect(m_server, &ChatServer::messagesRelayed, this,
                                    &ServerController::messagesRelayed);
    }
}

void ServerController::disconnectNotify(const QMetaMethod &signal)
{
    // An invalid method means "all signals": disconnect() without arguments.
    if (signal.isValid() && signal != QMetaMethod::fromSignal(&ServerController::messagesRelayed))
        return;
    if (m_relayObservers > 0 && --m_relayObservers == 0)
        disconnect(m_relayForwarding);
}

} // namespace Server
