#include "serverlib/chatserver.h"

#include "serverlib/clusternode.h"
#include "serverlib/listener.h"
#include "serverlib/servercontext.h"
#include "serverlib/serverlogging.h"
#include "serverlib/threadcheck.h"
#include "serverlib/tlsconfig.h"
#include "serverlib/transport.h"
#include "serverlib/workerthread.h"

#include <QMetaMethod>
#include <QSemaphore>

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
// After accept() failed for lack of resources (EMFILE), try again after this long, when some
// clients may have left.
constexpr int AcceptRetryMs = 500;
// A thread's last clean-up (its worker, its event dispatcher) follows its finished() signal
// closely: look again this soon rather than wait for it.
constexpr int ReapRetryMs = 5;

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

WorkerThread *takeBySerial(QList<WorkerThread *> &threads, quint64 serial)
{
    const auto it = std::find_if(threads.begin(), threads.end(), [serial](WorkerThread *thread) {
        return thread->serial() == serial;
    });
    if (it == threads.end())
        return nullptr;
    WorkerThread *thread = *it;
    threads.erase(it);
    return thread;
}

QStringList namesOf(const QList<WorkerThread *> &threads)
{
    QStringList names;
    for (const WorkerThread *thread : threads)
        names.append(thread->name());
    return names;
}

} // namespace

ChatServer::ChatServer(QObject *parent)
    : QObject(parent),
      m_relays(std::make_shared<RelayFeed>([this] {
          // From a worker's thread, under the feed's lock: the first line of a batch.
          QMetaObject::invokeMethod(
              this, [this] { m_relayTimer.start(); }, Qt::QueuedConnection);
      })),
      m_listener(
          new Listener([this](qintptr descriptor) { incomingConnection(descriptor); }, this)),
      // Every timer a child, so that moveToThread() before start() takes them along.
      m_statsTimer(this),
      m_stopTimer(this),
      m_reapTimer(this),
      m_relayTimer(this)
{
    qRegisterMetaType<ThreadStats>();
    qRegisterMetaType<QList<ThreadStats>>();
    qRegisterMetaType<RelayedMessage>();
    qRegisterMetaType<QList<RelayedMessage>>();
    qRegisterMetaType<QHostAddress>();
    m_statsTimer.setInterval(DefaultStatsIntervalMs);
    connect(&m_statsTimer, &QTimer::timeout, this, &ChatServer::publishStats);
    m_stopTimer.setSingleShot(true);
    connect(&m_stopTimer, &QTimer::timeout, this, &ChatServer::stopTimerExpired);
    m_reapTimer.setSingleShot(true);
    m_reapTimer.setInterval(ReapRetryMs);
    connect(&m_reapTimer, &QTimer::timeout, this, &ChatServer::reapEndedThreads);
    m_relayTimer.setSingleShot(true);
    m_relayTimer.setInterval(RelayBatchMs);
    connect(&m_relayTimer, &QTimer::timeout, this, &ChatServer::drainRelays);
    connect(m_listener, &Listener::acceptFailed, this, &ChatServer::retryAcceptingLater);
}

ChatServer::~ChatServer()
{
    m_relays->close(); // no worker wakes this object up any more
    if (m_state != State::Stopped)
        stopBlocking();
    abandonThreadsStillRunning();
}

bool ChatServer::start(const ServerConfig &config, std::shared_ptr<Storage::Store> store)
{
    assertOwnThread(this, "ChatServer::start");
    if (m_state == State::Running) {
        failStart(tr("The server is already running."));
        return false;
    }
    if (m_state == State::Stopping) {
        failStart(tr("The server is still stopping."));
        return false;
    }
    if (const QString problem = config.validate(); !problem.isEmpty()) {
        failStart(problem);
        return false;
    }
    std::optional<QSslConfiguration> tls;
    if (!config.tlsCertificatePath.isEmpty()) {
        QString problem;
        tls = loadServerTls(config.tlsCertificatePath, config.tlsKeyPath, &problem);
        if (!tls) {
            failStart(problem);
            return false;
        }
    }
    if (!m_listener->listen(config.bindAddress, config.port, ListenBacklog, config.sharePort)) {
        failStart(tr("Cannot listen on %1 port %2: %3")
                      .arg(config.bindAddress.toString())
                      .arg(config.port)
                      .arg(m_listener->errorString()));
        return false;
    }
    m_config = config;
    m_startError.clear();
    m_context = std::make_shared<ServerContext>(config, effectiveMaxClients(config), std::move(tls),
                                                m_relays, std::move(store));
    startCluster();
    // Before the event loop runs again, so before the first connection is taken.
    for (int i = 1; i <= config.effectiveWorkerCount(); ++i) {
        spawnWorker(config.threading == ThreadingModel::Single
                        ? QStringLiteral("single")
                        : QStringLiteral("worker-%1").arg(i));
    }
    m_state = State::Running;
    // ProcessSupervisor learns from this line that a process of `--processes N` serves.
    qCInfo(lcServer).noquote() << "listening on" << serverAddress().toString() << serverPort()
                               << "with" << threadingModelName(config.threading)
                               << (m_context->tls ? "threading, over TLS" : "threading");
    m_sinceStats.start();
    m_statsTimer.start();
    Q_EMIT started(serverAddress(), serverPort());
    return true;
}

void ChatServer::failStart(const QString &reason)
{
    m_startError = reason;
    Q_EMIT startFailed(reason);
}

QHostAddress ChatServer::serverAddress() const
{
    assertOwnThread(this, "ChatServer::serverAddress");
    return m_listener->serverAddress();
}

quint16 ChatServer::serverPort() const
{
    assertOwnThread(this, "ChatServer::serverPort");
    return m_listener->serverPort();
}

void ChatServer::stop()
{
    assertOwnThread(this, "ChatServer::stop");
    if (m_state != State::Running)
        return;
    m_state = State::Stopping;
    m_finishing = false;
    m_listener->close();
    m_statsTimer.stop();
    m_sinceStop.start();
    m_stopTimer.start(StopPauseBoundMs);
    // Step 1: nothing new is accepted anywhere before anyone is told to go, so that every line
    // accepted until now is delivered ahead of the ERROR. Each worker says when it has stopped
    // reading (workerStoppedReading); none is waited for.
    for (WorkerThread *thread : std::as_const(m_workers)) {
        m_stillReading.insert(thread->serial());
        QMetaObject::invokeMethod(thread->worker(), &Worker::beginShutdown, Qt::QueuedConnection);
    }
    if (m_stillReading.isEmpty())
        finishShutdown();
}

void ChatServer::workerStoppedReading(quint64 serial)
{
    if (m_state != State::Stopping || m_finishing)
        return;
    m_stillReading.remove(serial);
    if (m_stillReading.isEmpty())
        finishShutdown();
}

void ChatServer::finishShutdown()
{
    postFinishShutdown();
    m_stopTimer.start(qMax<qint64>(0, StopDeadlineMs - m_sinceStop.elapsed()));
    reapEndedThreads(); // completes the stop if nothing is left to wait for
}

void ChatServer::postFinishShutdown()
{
    // Step 2: deliver what was accepted, say ERROR, close; each thread then ends by itself.
    m_finishing = true;
    m_stillReading.clear();
    for (WorkerThread *thread : std::as_const(m_workers))
        QMetaObject::invokeMethod(thread->worker(), &Worker::finishShutdown, Qt::QueuedConnection);
    m_ending += m_workers;
    m_workers.clear();
}

void ChatServer::stopTimerExpired()
{
    if (!m_finishing) {
        qCWarning(lcServer).noquote() << "not every worker stopped reading within"
                                      << StopPauseBoundMs << "ms; closing anyway";
        finishShutdown();
        return;
    }
    const QStringList names = namesOf(m_ending);
    for (const QString &name : names) {
        qCCritical(lcServer).noquote() << "thread" << name << "did not end within" << StopDeadlineMs
                                       << "ms; it is left to end by itself";
    }
    m_stranded += m_ending;
    m_ending.clear();
    Q_EMIT threadsStranded(names);
    completeStop();
}

void ChatServer::startCluster()
{
    if (!m_config.cluster.enabled())
        return;
    const QString name = m_config.cluster.effectiveNodeName(serverPort());
    m_cluster = new ClusterNode(m_context, name.toUtf8(), this);
    connect(m_cluster, &ClusterNode::linkChanged, this,
            [this, name](bool up, const QString &reason) {
                Q_EMIT clusterLinkChanged(up, name, reason);
            });
    // Before any worker exists: the workers read it without a lock.
    m_context->cluster = m_cluster->front();
    m_cluster->start();
}

bool ChatServer::leaveCluster()
{
    if (!m_cluster)
        return false;
    ClusterNode *cluster = std::exchange(m_cluster, nullptr);
    connect(cluster, &ClusterNode::stopped, this, [this, cluster] {
        cluster->deleteLater();
        completeStop();
    });
    cluster->stop();
    return true;
}

void ChatServer::completeStop()
{
    m_stopTimer.stop();
    if (leaveCluster())
        return;
    m_context.reset(); // the stranded threads keep their own reference
    m_state = State::Stopped;
    drainRelays(); // the last lines reach the log before "stopped"
    qCInfo(lcServer) << "stopped";
    Q_EMIT stopped();
}

void ChatServer::threadFinished(quint64 serial)
{
    // A serving thread only ends when told to; one that ended by itself serves no more.
    if (WorkerThread *thread = takeBySerial(m_workers, serial)) {
        qCWarning(lcServer).noquote() << "thread" << thread->name() << "ended unasked";
        m_ending.append(thread);
    }
    m_finished.insert(serial);
    reapEndedThreads();
}

void ChatServer::reapEndedThreads()
{
    bool stillEnding = false;
    for (QList<WorkerThread *> *list : {&m_ending, &m_stranded}) {
        for (qsizetype i = list->size() - 1; i >= 0; --i) {
            WorkerThread *thread = list->at(i);
            if (!m_finished.contains(thread->serial()))
                continue;
            if (!thread->hasEnded()) {
                stillEnding = true;
                continue;
            }
            m_finished.remove(thread->serial());
            list->removeAt(i);
            delete thread;
        }
    }
    if (stillEnding)
        m_reapTimer.start();
    if (m_state == State::Stopping && m_finishing && m_ending.isEmpty())
        completeStop();
}

void ChatServer::stopBlocking()
{
    const QDeadlineTimer deadline(StopDeadlineMs);
    m_listener->close();
    if (!m_finishing) {
        // Step 1 without the event loop: each worker releases the semaphore once it has
        // stopped reading.
        auto stoppedReading = std::make_shared<QSemaphore>();
        for (WorkerThread *thread : std::as_const(m_workers)) {
            Worker *worker = thread->worker();
            QMetaObject::invokeMethod(
                worker,
                [worker, stoppedReading] {
                    worker->beginShutdown();
                    stoppedReading->release();
                },
                Qt::QueuedConnection);
        }
        stoppedReading->tryAcquire(int(m_workers.size()), StopPauseBoundMs);
        postFinishShutdown();
    }
    for (WorkerThread *thread : std::as_const(m_ending))
        thread->waitUntil(deadline);
    m_stranded += m_ending;
    m_ending.clear();
    delete std::exchange(m_cluster, nullptr); // its link's thread ends within a bound
    m_context.reset();
    m_state = State::Stopped;
}

void ChatServer::abandonThreadsStillRunning()
{
    for (WorkerThread *thread : std::as_const(m_stranded)) {
        if (thread->hasEnded()) {
            delete thread;
        } else {
            // Destroying a running QThread aborts the program: it is left to run on, with
            // everything it uses.
            qCCritical(lcServer).noquote()
                << "thread" << thread->name() << "is still running; left behind";
        }
    }
    m_stranded.clear();
}

int ChatServer::clientCount() const
{
    assertOwnThread(this, "ChatServer::clientCount");
    int count = 0;
    for (const WorkerThread *thread : m_workers)
        count += thread->counters().clients.load(std::memory_order_relaxed);
    return count;
}

void ChatServer::incomingConnection(qintptr socketDescriptor)
{
    assertOwnThread(this, "ChatServer::incomingConnection");
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
    qCWarning(lcServer).noquote() << "accepting a connection failed:" << m_listener->errorString()
                                  << "- trying again in" << AcceptRetryMs << "ms";
    QTimer::singleShot(AcceptRetryMs, this, [this] {
        if (m_listener->isListening())
            m_listener->resumeAccepting();
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
    const quint64 serial = m_nextSerial++;
    auto *thread = new WorkerThread(m_context, name, serial);
    thread->onFinished(this, [this, serial] { threadFinished(serial); });
    Worker *worker = thread->worker();
    connect(worker, &Worker::clientConnected, this, &ChatServer::clientConnected);
    connect(worker, &Worker::clientRegistered, this, &ChatServer::clientRegistered);
    connect(worker, &Worker::clientDisconnected, this, &ChatServer::clientDisconnected);
    connect(worker, &Worker::readingStopped, this,
            [this, serial] { workerStoppedReading(serial); });
    if (m_config.threading == ThreadingModel::PerConnection)
        connect(worker, &Worker::idle, this, [this, serial] { retireWorker(serial); });
    m_workers.append(thread);
    return thread;
}

void ChatServer::retireWorker(quint64 serial)
{
    // While stopping, every worker ends through the shutdown steps instead.
    if (m_state != State::Running)
        return;
    if (WorkerThread *thread = takeBySerial(m_workers, serial)) {
        thread->quit();
        m_ending.append(thread); // deleted once its thread is gone (reapEndedThreads)
    }
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

void ChatServer::drainRelays()
{
    m_relayTimer.stop();
    std::vector<RelayedMessage> taken = m_relays->takeAll();
    if (taken.empty())
        return;
    QList<RelayedMessage> batch;
    batch.reserve(qsizetype(taken.size()));
    std::move(taken.begin(), taken.end(), std::back_inserter(batch));
    Q_EMIT messagesRelayed(batch);
}

void ChatServer::connectNotify(const QMetaMethod &signal)
{
    if (signal == QMetaMethod::fromSignal(&ChatServer::messagesRelayed))
        m_relays->addObservers(+1);
}

void ChatServer::disconnectNotify(const QMetaMethod &signal)
{
    // An invalid method means "all signals": disconnect() without arguments.
    if (!signal.isValid() || signal == QMetaMethod::fromSignal(&ChatServer::messagesRelayed))
        m_relays->addObservers(-1);
}

} // namespace Server
