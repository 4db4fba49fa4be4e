#include "serverlib/chatserver.h"

#include "serverlib/servercontext.h"
#include "serverlib/serverlogging.h"
#include "serverlib/tlsconfig.h"
#include "serverlib/transport.h"
#include "serverlib/workerthread.h"

#include <QMetaMethod>

#include <algorithm>
#include <limits>

#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

namespace Server {

namespace {

// Accept bursts (a load test, a LAN coming back) without the kernel refusing connections.
constexpr int ListenBacklog = 1024;
constexpr int DefaultStatsIntervalMs = 1000;
// Descriptors kept for everything but clients: the listener, thread wake-ups, log files, the
// GUI's own connections, and one to accept and refuse a client with when full.
constexpr qint64 ReservedDescriptors = 64;
// After accept() failed for lack of resources (EMFILE), QTcpServer stops accepting for good;
// try again after this long, when some clients may have left.
constexpr int AcceptRetryMs = 500;

// How many clients the process can hold at once: each costs a descriptor, and per-connection
// threading two more for its thread's event loop (its wake-up eventfd and its epoll set). Refusing
// with a clear ERROR beats accept() failing, which is why this cap holds even with noLimits.
int clientCeiling(ThreadingModel threading)
{
    rlimit limit {};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY)
        return 0;
    const qint64 perClient = threading == ThreadingModel::PerConnection ? 3 : 1;
    const qint64 clients = (qint64(limit.rlim_cur) - ReservedDescriptors) / perClient;
    return int(qBound(qint64(1), clients, qint64(std::numeric_limits<int>::max())));
}

int effectiveMaxClients(const ServerConfig &config)
{
    const int configured = config.limits.effective().maxClients;
    const int ceiling = clientCeiling(config.threading);
    if (ceiling == 0)
        return configured;
    if (configured > ceiling) {
        qCInfo(lcServer).noquote() << "the open-file limit allows only" << ceiling
                                   << "clients; raise it with `ulimit -n` for more";
    }
    return configured == 0 ? ceiling : qMin(configured, ceiling);
}

} // namespace

ChatServer::ChatServer(QObject *parent) : QTcpServer(parent)
{
    qRegisterMetaType<ThreadStats>();
    qRegisterMetaType<QList<ThreadStats>>();
    m_statsTimer.setInterval(DefaultStatsIntervalMs);
    connect(&m_statsTimer, &QTimer::timeout, this, &ChatServer::publishStats);
    connect(this, &QTcpServer::acceptError, this, &ChatServer::retryAcceptingLater);
}

ChatServer::~ChatServer()
{
    stop();
}

bool ChatServer::start(const ServerConfig &config)
{
    m_startError = isListening() ? tr("The server is already running.") : config.validate();
    if (!m_startError.isEmpty())
        return false;
    std::optional<QSslConfiguration> tls;
    if (!config.tlsCertificatePath.isEmpty()) {
        tls = loadServerTls(config.tlsCertificatePath, config.tlsKeyPath, &m_startError);
        if (!tls)
            return false;
    }
    m_config = config;
    m_context
        = std::make_unique<ServerContext>(config, effectiveMaxClients(config), std::move(tls));
    m_context->observeMessages = m_messageObservers > 0;
    for (int i = 1; i <= config.effectiveWorkerCount(); ++i) {
        spawnWorker(config.threading == ThreadingModel::Single
                        ? QStringLiteral("single")
                        : QStringLiteral("worker-%1").arg(i));
    }
    setListenBacklogSize(ListenBacklog);
    if (!listen(config.bindAddress, config.port)) {
        m_startError = tr("Cannot listen on %1 port %2: %3")
                           .arg(config.bindAddress.toString())
                           .arg(config.port)
                           .arg(errorString());
        for (WorkerThread *thread : std::as_const(m_workers))
            thread->quit();
        joinAllWorkers();
        return false;
    }
    qCInfo(lcServer).noquote() << "listening on" << serverAddress().toString() << serverPort()
                               << "with" << threadingModelName(config.threading)
                               << (m_context->tls ? "threading, over TLS" : "threading");
    m_sinceStats.start();
    m_statsTimer.start();
    Q_EMIT started();
    return true;
}

void ChatServer::stop()
{
    if (!isListening() && m_workers.isEmpty())
        return;
    close();
    m_statsTimer.stop();
    // Nothing new is accepted anywhere before anyone is told to go, so that every line
    // accepted until now is delivered ahead of the ERROR.
    for (WorkerThread *thread : std::as_const(m_workers))
        QMetaObject::invokeMethod(thread->worker(), &Worker::beginShutdown,
                                  Qt::BlockingQueuedConnection);
    for (WorkerThread *thread : std::as_const(m_workers))
        QMetaObject::invokeMethod(thread->worker(), &Worker::finishShutdown, Qt::QueuedConnection);
    joinAllWorkers();
    qCInfo(lcServer) << "stopped";
    Q_EMIT stopped();
}

void ChatServer::joinAllWorkers()
{
    qDeleteAll(m_workers); // each joins its thread
    m_workers.clear();
    m_context.reset();
}

int ChatServer::clientCount() const
{
    int count = 0;
    for (const WorkerThread *thread : m_workers)
        count += thread->counters().clients.load(std::memory_order_relaxed);
    return count;
}

void ChatServer::incomingConnection(qintptr socketDescriptor)
{
    const PeerName peer = peerNameOf(socketDescriptor);
    if (const QByteArray refusal = m_context->connections.admit(peer.address); !refusal.isEmpty()) {
        refuse(socketDescriptor, peer.address, refusal);
        return;
    }
    const quint32 clientId = m_nextClientId++;
    WorkerThread *thread = m_config.threading == ThreadingModel::PerConnection
        ? spawnWorker(QStringLiteral("conn-%1").arg(clientId))
        : leastLoadedWorker();
    // Counted here rather than when the worker adopts it, so that a burst of connections
    // spreads over the pool instead of piling onto whichever worker looked empty.
    thread->counters().clients.fetch_add(1, std::memory_order_relaxed);
    Worker *worker = thread->worker();
    QMetaObject::invokeMethod(
        worker,
        [worker, socketDescriptor, clientId, peer] {
            worker->addConnection(socketDescriptor, clientId, peer);
        },
        Qt::QueuedConnection);
}

void ChatServer::refuse(qintptr socketDescriptor, const QHostAddress &address,
                        const QByteArray &reason)
{
    // Said on the raw descriptor, from this thread: a refused connection costs no socket object
    // and no worker. Under TLS a plain line before the handshake would be noise to the client,
    // so it is only closed.
    if (!m_context->tls) {
        const QByteArray line = "ERROR :Closing link (" + reason + ")\r\n";
        ::send(int(socketDescriptor), line.constData(), size_t(line.size()),
               MSG_DONTWAIT | MSG_NOSIGNAL);
        // FIN after the line, before close(): the client reads the ERROR, then the end.
        ::shutdown(int(socketDescriptor), SHUT_WR);
    }
    ::close(int(socketDescriptor));
    qCInfo(lcServer).noquote() << "refused a connection from" << address.toString() << '(' << reason
                               << ')';
    Q_EMIT clientRefused(address.toString(), QString::fromUtf8(reason));
}

void ChatServer::retryAcceptingLater()
{
    qCWarning(lcServer).noquote() << "accepting a connection failed:" << errorString()
                                  << "- trying again in" << AcceptRetryMs << "ms";
    QTimer::singleShot(AcceptRetryMs, this, [this] {
        if (isListening())
            resumeAccepting();
    });
}

WorkerThread *ChatServer::leastLoadedWorker() const
{
    return *std::min_element(m_workers.cbegin(), m_workers.cend(), [](auto *a, auto *b) {
        return a->counters().clients.load(std::memory_order_relaxed)
            < b->counters().clients.load(std::memory_order_relaxed);
    });
}

WorkerThread *ChatServer::spawnWorker(const QString &name)
{
    auto *thread = new WorkerThread(*m_context, name, m_nextSerial++);
    Worker *worker = thread->worker();
    connect(worker, &Worker::clientConnected, this, &ChatServer::clientConnected);
    connect(worker, &Worker::clientRegistered, this, &ChatServer::clientRegistered);
    connect(worker, &Worker::clientDisconnected, this, &ChatServer::clientDisconnected);
    connect(worker, &Worker::messageRelayed, this, &ChatServer::messageRelayed);
    if (m_config.threading == ThreadingModel::PerConnection) {
        const quint64 serial = thread->serial();
        connect(worker, &Worker::idle, this, [this, serial] { reapWorker(serial); });
    }
    m_workers.append(thread);
    return thread;
}

void ChatServer::reapWorker(quint64 serial)
{
    // The worker may already be gone with a stop() that ran before this queued call.
    const auto it
        = std::find_if(m_workers.begin(), m_workers.end(),
                       [serial](WorkerThread *thread) { return thread->serial() == serial; });
    if (it == m_workers.end())
        return;
    WorkerThread *thread = *it;
    m_workers.erase(it);
    thread->quit();
    delete thread;
}

void ChatServer::publishStats()
{
    const double seconds = qMax<qint64>(m_sinceStats.restart(), 1) / 1000.0;
    QList<ThreadStats> stats;
    stats.reserve(m_workers.size());
    for (WorkerThread *thread : std::as_const(m_workers)) {
        const quint64 messages = thread->counters().messages.load(std::memory_order_relaxed);
        const quint64 deliveries = thread->counters().deliveries.load(std::memory_order_relaxed);
        stats.append({thread->name(), thread->counters().clients.load(std::memory_order_relaxed),
                      (messages - thread->lastMessages) / seconds,
                      (deliveries - thread->lastDeliveries) / seconds, messages});
        thread->lastMessages = messages;
        thread->lastDeliveries = deliveries;
    }
    Q_EMIT statsUpdated(stats);
}

void ChatServer::connectNotify(const QMetaMethod &signal)
{
    if (signal == QMetaMethod::fromSignal(&ChatServer::messageRelayed))
        updateMessageObservers(+1);
}

void ChatServer::disconnectNotify(const QMetaMethod &signal)
{
    // An invalid method means "all signals": disconnect() without arguments.
    if (!signal.isValid() || signal == QMetaMethod::fromSignal(&ChatServer::messageRelayed))
        updateMessageObservers(-1);
}

void ChatServer::updateMessageObservers(int delta)
{
    m_messageObservers = qMax(0, m_messageObservers + delta);
    if (m_context)
        m_context->observeMessages = m_messageObservers > 0;
}

} // namespace Server
