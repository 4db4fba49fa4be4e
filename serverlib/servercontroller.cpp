#include "serverlib/servercontroller.h"

#include "serverlib/serverlogging.h"
#include "serverlib/threadcheck.h"
#include "storagelib/store.h"

#include <QDir>
#include <QFileInfo>
#include <QMetaMethod>
#include <QThread>

#include <utility>

namespace Server {

namespace {

// Beyond the server's own stop deadline: what the listener thread needs to delete the server.
constexpr int ThreadEndMarginMs = 1000;

Storage::StoreConfig storeConfigFor(const HistoryConfig &history, QString *error)
{
    Storage::StoreConfig config;
    config.location = Storage::DatabaseLocation::parse(history.effectiveDatabase(), error);
    config.maxPendingWrites = history.maxPendingWrites;
    config.retention = {history.maxAgeDays, history.maxLinesPerChannel};
    return config;
}

// The last reference may go in any thread (a worker that outlived a stop): the store is then
// deleted in its own thread, later, as a QObject must be.
void deleteStore(Storage::Store *store)
{
    if (store->thread() == QThread::currentThread())
        delete store;
    else
        store->deleteLater();
}

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
    } else {
        // The server, deleted as its thread finishes, stops there if it still runs (bounded).
        m_thread->quit();
        if (m_thread->wait(QDeadlineTimer(ChatServer::StopDeadlineMs + ThreadEndMarginMs))) {
            delete m_thread;
        } else {
            // Destroying a running QThread aborts the program: leave it, and what it holds,
            // behind.
            qCCritical(lcServer) << "the listener thread did not end; left behind";
        }
    }
    // Last, once the workers are gone: its destructor writes what is queued (bounded).
    if (m_store)
        m_store->close();
    m_store.reset();
}

void ServerController::forwardServerSignals()
{
    // Queued: the server emits in its own thread.
    connect(m_server, &ChatServer::started, this, &ServerController::serverStarted);
    connect(m_server, &ChatServer::startFailed, this, &ServerController::serverStartFailed);
    connect(m_server, &ChatServer::stopped, this, &ServerController::serverStopped);
    connect(m_server, &ChatServer::statsUpdated, this, &ServerController::keepStats);
    connect(m_server, &ChatServer::threadsStranded, this, &ServerController::threadsStranded);
    connect(m_server, &ChatServer::clusterLinkChanged, this, &ServerController::clusterLinkChanged);
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
    m_startFailure.clear();
    m_lastHistory = {};
    // The tutorial's echo server relays no chat lines to keep.
    const bool keepsHistory = config.history.enabled && config.protocol == WireProtocol::Irc
        && config.validate().isEmpty();
    if (!keepsHistory) {
        startServer();
        return;
    }
    if (!openStore(config.history)) {
        m_state = State::Stopped;
        Q_EMIT startFailed(std::exchange(m_startFailure, QString()));
    }
}

// Returns at once; storeOpened() follows. False, with m_startFailure set, when the database
// cannot even be tried.
bool ServerController::openStore(const HistoryConfig &history)
{
    QString error;
    const Storage::StoreConfig storeConfig = storeConfigFor(history, &error);
    if (!error.isEmpty()) {
        m_startFailure = tr("The history database is not usable: %1").arg(error);
        return false;
    }
    const Storage::DatabaseLocation &location = storeConfig.location;
    if (location.backend == Storage::Backend::Sqlite) {
        const QString folder = QFileInfo(location.path).absolutePath();
        if (!QDir().mkpath(folder)) {
            m_startFailure
                = tr("Cannot create the folder %1 for the history database.").arg(folder);
            qCCritical(lcServer).noquote() << m_startFailure;
            return false;
        }
    }
    m_store = std::shared_ptr<Storage::Store>(new Storage::Store(storeConfig), deleteStore);
    const quint64 run = ++m_run;
    connect(m_store.get(), &Storage::Store::opened, this,
            [this, run](const QString &problem) { storeOpened(run, problem); });
    connect(m_store.get(), &Storage::Store::closed, this, [this, run] { storeClosed(run); });
    m_store->open();
    return true;
}

void ServerController::storeOpened(quint64 run, const QString &error)
{
    if (run != m_run || !m_store)
        return; // an earlier run's store
    if (!error.isEmpty()) {
        m_startFailure = tr("Cannot open the history database %1: %2")
                             .arg(m_store->config().location.displayName(), error);
        qCCritical(lcServer).noquote() << m_startFailure;
        m_store->close(); // startFailed() once it has closed
        return;
    }
    if (m_state == State::Stopping) {
        m_store->close(); // stopped before the server was started: stopped() once it has closed
        return;
    }
    startServer();
}

void ServerController::storeClosed(quint64 run)
{
    if (run != m_run || !m_store)
        return;
    // Not from inside the store's own signal: finishing releases the store.
    QMetaObject::invokeMethod(this, &ServerController::finishStop, Qt::QueuedConnection);
}

void ServerController::startServer()
{
    if (!m_thread->isRunning())
        m_thread->start();
    m_serverActive = true;
    ChatServer *server = m_server;
    QMetaObject::invokeMethod(
        server, [server, config = m_config, store = m_store] { server->start(config, store); },
        Qt::QueuedConnection);
}

void ServerController::stop()
{
    assertOwnThread(this, "ServerController::stop");
    m_startAfterStop.reset();
    if (m_state == State::Stopped || m_state == State::Stopping)
        return;
    m_state = State::Stopping;
    Q_EMIT stopping();
    // After a start still on its way, if any: queued calls run in order. A store still opening
    // is closed when it has opened (storeOpened()).
    if (m_serverActive)
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
    m_serverActive = false;
    m_startFailure = reason;
    closeStoreOrFinish();
}

void ServerController::serverStopped()
{
    m_serverActive = false;
    closeStoreOrFinish();
}

// The workers have ended, so every line they relayed is in the store's queue: closing writes it.
void ServerController::closeStoreOrFinish()
{
    if (m_store)
        m_store->close(); // finishStop() once it has closed
    else
        finishStop();
}

void ServerController::finishStop()
{
    if (m_store) {
        m_lastHistory = historyStats();
        const QString totals = QStringLiteral("history: %1 lines stored, %2 not stored")
                                   .arg(m_lastHistory.stored)
                                   .arg(m_lastHistory.notStored);
        if (m_lastHistory.notStored > 0)
            qCWarning(lcServer).noquote() << totals;
        else
            qCInfo(lcServer).noquote() << totals;
    }
    m_store.reset();
    const bool stopWasAsked = m_state == State::Stopping;
    m_state = State::Stopped;
    m_address.clear();
    m_port = 0;
    m_lastStats.clear();
    if (!m_startFailure.isEmpty()) {
        Q_EMIT startFailed(std::exchange(m_startFailure, QString()));
        if (!stopWasAsked)
            return;
    }
    // Under way before stopped() is emitted, so that its receivers see the state it leaves.
    if (const std::optional<ServerConfig> next = std::exchange(m_startAfterStop, std::nullopt))
        beginStart(*next);
    Q_EMIT stopped();
}

HistoryStats ServerController::historyStats() const
{
    if (!m_store)
        return m_lastHistory;
    return {true, m_store->storedCount(), m_store->notStoredCount(), m_store->pendingWrites()};
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
