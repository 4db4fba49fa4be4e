#include "clusterlib/redislink.h"

#include "clusterlib/clusterlogging.h"

#include <QDeadlineTimer>
#include <QThread>

namespace Cluster {

namespace {

// The link thread only closes two sockets when it stops.
constexpr int StopDeadlineMs = 5000;

} // namespace

RedisLink::RedisLink(const LinkConfig &config, QObject *parent)
    : QObject(parent), m_config(config), m_thread(std::make_unique<QThread>())
{
    m_thread->setObjectName(QStringLiteral("redis"));
    // m_engine is set before anything can be queued; stop() ends the wakes before the engine
    // can be deleted.
    m_queue = std::make_shared<CommandQueue>(config.maxQueuedCommands, [this] {
        QMetaObject::invokeMethod(m_engine, &RedisEngine::drain, Qt::QueuedConnection);
    });
    m_engine = new RedisEngine(config, m_queue);
    m_engine->moveToThread(m_thread.get());
    connect(m_thread.get(), &QThread::finished, m_engine, &QObject::deleteLater);
    connect(m_thread.get(), &QThread::finished, this, &RedisLink::stopped);
    // Emitted in the link thread: each receiver gets them queued in its own, with one hop.
    connect(
        m_engine, &RedisEngine::stateChanged, this,
        [this](State state, const QString &reason) {
            m_state = state;
            Q_EMIT stateChanged(state, reason);
        },
        Qt::DirectConnection);
    connect(
        m_engine, &RedisEngine::messages, this,
        [this](const PubSubMessages &batch) {
            Q_EMIT messages(batch);
            for (const PubSubMessage &one : batch)
                Q_EMIT message(one.channel, one.payload);
        },
        Qt::DirectConnection);
    connect(m_engine, &RedisEngine::patternMessage, this, &RedisLink::patternMessage,
            Qt::DirectConnection);
    connect(m_engine, &RedisEngine::subscribed, this, &RedisLink::subscribed, Qt::DirectConnection);
    connect(m_engine, &RedisEngine::subscriptionsLost, this, &RedisLink::subscriptionsLost,
            Qt::DirectConnection);
}

RedisLink::~RedisLink()
{
    stop();
    if (!m_thread->wait(QDeadlineTimer(StopDeadlineMs))) {
        // Destroying a running QThread would abort the program.
        qCCritical(lcCluster) << "the Redis link thread did not end in time; it is left running";
        (void)m_thread.release();
    }
}

void RedisLink::start()
{
    std::lock_guard lock(m_postMutex);
    if (m_stopping || m_thread->isRunning())
        return;
    m_thread->start();
    QMetaObject::invokeMethod(m_engine, &RedisEngine::start, Qt::QueuedConnection);
}

void RedisLink::stop()
{
    std::lock_guard lock(m_postMutex);
    if (m_stopping)
        return;
    m_stopping = true;
    m_queue->close();
    if (!m_thread->isRunning())
        m_thread->start(); // never started: the engine still ends in its own thread
    QMetaObject::invokeMethod(m_engine, &RedisEngine::shutdown, Qt::QueuedConnection);
}

ReplyCallback RedisLink::emitReplied(quint64 id)
{
    return [this, id](const RedisReply &reply) {
        Q_EMIT replied(id, reply);
    };
}

bool RedisLink::enqueue(QueuedCommand command)
{
    return m_queue->push(std::move(command)) == CommandQueue::Push::Queued;
}

quint64 RedisLink::command(const QList<QByteArray> &argv)
{
    const quint64 id = ++m_lastId;
    return enqueue({argv, emitReplied(id)}) ? id : 0;
}

quint64 RedisLink::command(const QList<QByteArray> &argv, ReplyCallback callback)
{
    const quint64 id = ++m_lastId;
    return enqueue({argv, std::move(callback)}) ? id : 0;
}

quint64 RedisLink::commandIf(const QByteArray &key, const QByteArray &value,
                             const QList<QByteArray> &argv)
{
    const quint64 id = ++m_lastId;
    return enqueue({argv, emitReplied(id), key, value}) ? id : 0;
}

void RedisLink::postToEngine(std::function<void(RedisEngine &engine)> call)
{
    std::lock_guard lock(m_postMutex);
    if (m_stopping)
        return;
    RedisEngine *engine = m_engine;
    QMetaObject::invokeMethod(
        engine, [engine, call = std::move(call)] { call(*engine); }, Qt::QueuedConnection);
}

void RedisLink::subscribe(const QByteArray &channel)
{
    postToEngine([channel](RedisEngine &engine) { engine.subscribe(channel, false); });
}

void RedisLink::unsubscribe(const QByteArray &channel)
{
    postToEngine([channel](RedisEngine &engine) { engine.unsubscribe(channel, false); });
}

void RedisLink::psubscribe(const QByteArray &pattern)
{
    postToEngine([pattern](RedisEngine &engine) { engine.subscribe(pattern, true); });
}

void RedisLink::punsubscribe(const QByteArray &pattern)
{
    postToEngine([pattern](RedisEngine &engine) { engine.unsubscribe(pattern, true); });
}

} // namespace Cluster
