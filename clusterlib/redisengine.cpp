#include "clusterlib/redisengine.h"

#include "clusterlib/clusterlogging.h"

#include <QThread>
#include <QTimer>
#include <QUuid>

#include <utility>

namespace Cluster {

namespace {

// Commands sent per pass of the event loop, so that replies are read between two passes.
constexpr qsizetype MaxBatch = 1000;

// Commands that would change what the shared command connection means for everybody else on
// it: transactions (the link runs its own, see RedisLink::commandIf), subscriptions (the
// subscriber connection's), the database and the connection's life.
bool isReserved(const QByteArray &name)
{
    static const QSet<QByteArray> reserved {
        "WATCH",      "UNWATCH",     "MULTI",        "EXEC",       "DISCARD",      "SUBSCRIBE",
        "PSUBSCRIBE", "UNSUBSCRIBE", "PUNSUBSCRIBE", "SSUBSCRIBE", "SUNSUBSCRIBE", "SELECT",
        "QUIT",       "RESET",       "MONITOR",      "CLIENT",     "HELLO"};
    return reserved.contains(name.toUpper());
}

} // namespace

RedisEngine::RedisEngine(const LinkConfig &config, std::shared_ptr<CommandQueue> queue)
    : m_config(config), m_queue(std::move(queue))
{ }

RedisEngine::~RedisEngine() = default;

void RedisEngine::start()
{
    m_commands = new RedisConnection(QStringLiteral("the Redis command link"), m_config.url,
                                     m_config.timing, this);
    m_subscriber = new RedisConnection(QStringLiteral("the Redis subscriber link"), m_config.url,
                                       m_config.timing, this);
    m_subscriber->setPushCallback([this](const RedisReply &reply) { push(reply); });
    startHeartbeat();
    connect(m_commands, &RedisConnection::connected, this, [this] {
        updateState({});
        drain();
    });
    connect(m_commands, &RedisConnection::disconnected, this, [this](const QString &reason) {
        m_lastProblem = reason;
        m_heartbeatDeadline->stop();
        updateState(reason);
        drain(); // fails what waited for this attempt
    });
    connect(m_subscriber, &RedisConnection::connected, this, [this] {
        m_subscriberWasUp = true;
        resubscribe();
        updateState({});
    });
    connect(m_subscriber, &RedisConnection::disconnected, this, &RedisEngine::subscriberLost);
    m_commands->open();
    m_subscriber->open();
}

void RedisEngine::drain()
{
    m_throttled = false;
    if (m_stopping || !m_commands || m_commands->state() == RedisConnection::State::Connecting)
        return; // queued until the attempt ends
    if (m_commands->state() == RedisConnection::State::Disconnected) {
        failQueued("not connected to Redis: " + m_lastProblem.toUtf8());
        return;
    }
    const qsizetype room = m_config.maxInFlight - m_commands->inFlight() - m_guarded.size();
    if (room <= 0) {
        m_throttled = true;
        return;
    }
    for (QueuedCommand &command : m_queue->take(std::min(room, MaxBatch)))
        dispatch(std::move(command));
    if (m_queue->size() > 0)
        QMetaObject::invokeMethod(this, &RedisEngine::drain, Qt::QueuedConnection);
}

void RedisEngine::dispatch(QueuedCommand command)
{
    if (command.argv.isEmpty() || isReserved(command.argv.first())) {
        command.callback(RedisReply::failed(
            "this command is not sent on the shared link: "
            + (command.argv.isEmpty() ? QByteArray("(empty)") : command.argv.first())));
        return;
    }
    if (!command.guardKey.isEmpty()) {
        m_guarded.push_back(std::move(command));
        runNextGuarded();
        return;
    }
    m_commands->send(command.argv,
                     [this, callback = std::move(command.callback)](const RedisReply &reply) {
                         callback(reply);
                         afterReply();
                     });
}

// WATCH, then GET: the value decides between MULTI, the command, EXEC — which Redis runs only
// if nobody changed the key since WATCH — and UNWATCH. No Lua needed.
void RedisEngine::runNextGuarded()
{
    if (m_guardBusy || m_guarded.empty() || m_stopping)
        return;
    m_guardBusy = true;
    const QByteArray key = m_guarded.front().guardKey;
    m_commands->send({"WATCH", key}, ignoreReply); // a failure shows in GET's reply
    m_commands->send({"GET", key}, [this](const RedisReply &reply) { guardChecked(reply); });
}

void RedisEngine::guardChecked(const RedisReply &current)
{
    if (m_guarded.empty())
        return; // failed by shutdown()
    const QueuedCommand &command = m_guarded.front();
    if (!current.isOk()) {
        finishGuarded(current);
        return;
    }
    if (current.type != RedisReply::Type::String || current.text != command.guardValue) {
        m_commands->send({"UNWATCH"}, ignoreReply);
        RedisReply notOurs;
        notOurs.type = RedisReply::Type::Nil;
        finishGuarded(notOurs);
        return;
    }
    // Sent together from one function: nothing else can come between them on the connection.
    m_commands->send({"MULTI"}, ignoreReply);
    m_commands->send(command.argv, ignoreReply); // QUEUED
    m_commands->send({"EXEC"}, [this](const RedisReply &reply) {
        // EXEC's Nil: the key changed after WATCH, the command did not run.
        const bool ran = reply.type == RedisReply::Type::Array && reply.elements.size() == 1;
        finishGuarded(ran ? reply.elements.first() : reply);
    });
}

void RedisEngine::finishGuarded(const RedisReply &reply)
{
    QueuedCommand command = std::move(m_guarded.front());
    m_guarded.pop_front();
    m_guardBusy = false;
    command.callback(reply);
    runNextGuarded();
    afterReply();
}

void RedisEngine::afterReply()
{
    if (m_throttled)
        drain();
}

void RedisEngine::failQueued(const QByteArray &reason)
{
    for (;;) {
        std::vector<QueuedCommand> batch = m_queue->take(MaxBatch);
        if (batch.empty())
            return;
        for (QueuedCommand &command : batch)
            command.callback(RedisReply::failed(reason));
    }
}

void RedisEngine::subscribe(const QByteArray &channel, bool pattern)
{
    QSet<QByteArray> &set = pattern ? m_patterns : m_channels;
    if (set.contains(channel))
        return;
    set.insert(channel);
    if (m_subscriber) // else sent with the others once connected
        m_subscriber->sendSubscription({pattern ? "PSUBSCRIBE" : "SUBSCRIBE", channel});
}

void RedisEngine::unsubscribe(const QByteArray &channel, bool pattern)
{
    QSet<QByteArray> &set = pattern ? m_patterns : m_channels;
    if (set.remove(channel) && m_subscriber)
        m_subscriber->sendSubscription({pattern ? "PUNSUBSCRIBE" : "UNSUBSCRIBE", channel});
}

// A new subscriber connection starts with no subscriptions: they are all sent again.
void RedisEngine::resubscribe()
{
    const auto sendAll = [this](const QByteArray &command, const QSet<QByteArray> &names) {
        if (names.isEmpty())
            return;
        QList<QByteArray> argv {command};
        argv.append(names.values());
        m_subscriber->sendSubscription(argv);
    };
    sendAll("SUBSCRIBE", m_channels);
    sendAll("PSUBSCRIBE", m_patterns);
}

void RedisEngine::push(const RedisReply &reply)
{
    if (reply.type != RedisReply::Type::Array || reply.elements.size() < 3)
        return;
    const QByteArray &kind = reply.elements.at(0).text;
    const QByteArray &first = reply.elements.at(1).text;
    if (first == m_heartbeatChannel) {
        if (kind == "message")
            heartbeatEchoed(reply.elements.at(2).text);
        else if (kind == "subscribe")
            m_heartbeatSubscribed = true;
    } else if (kind == "message") {
        batchMessage({first, reply.elements.at(2).text});
    } else if (kind == "pmessage" && reply.elements.size() == 4) {
        flushMessages();
        Q_EMIT patternMessage(first, reply.elements.at(2).text, reply.elements.at(3).text);
    } else if (kind == "subscribe" || kind == "psubscribe") {
        flushMessages();
        Q_EMIT subscribed(first);
    }
}

// The messages of one read leave together, once hiredis has parsed them all: one queued call
// per receiver and read instead of one per message.
void RedisEngine::batchMessage(PubSubMessage message)
{
    m_batch.append(std::move(message));
    if (m_batch.size() == 1)
        QMetaObject::invokeMethod(this, &RedisEngine::flushMessages, Qt::QueuedConnection);
}

// Before any other signal, so that receivers see everything in the order Redis sent it.
void RedisEngine::flushMessages()
{
    if (!m_batch.isEmpty())
        Q_EMIT messages(std::exchange(m_batch, {}));
}

void RedisEngine::updateState(const QString &reason)
{
    using Conn = RedisConnection::State;
    const Conn commands = m_commands->state();
    const Conn subscriber = m_subscriber->state();
    State state = State::Connecting;
    if (commands == Conn::Connected && subscriber == Conn::Connected)
        state = State::Connected;
    else if (commands == Conn::Disconnected || subscriber == Conn::Disconnected)
        state = State::Disconnected;
    if (state == m_state)
        return;
    m_state = state;
    flushMessages();
    Q_EMIT stateChanged(state, reason);
}

void RedisEngine::subscriberLost(const QString &reason)
{
    m_heartbeatSubscribed = false;
    m_heartbeatDeadline->stop();
    const bool wasUp = std::exchange(m_subscriberWasUp, false);
    // Redis up and only this connection gone, not for want of a heartbeat: Redis closed it
    // itself, which it does to a subscriber that reads too slowly (client-output-buffer-limit
    // pubsub) without telling anyone else.
    const bool closedByRedis = wasUp && m_commands->state() == RedisConnection::State::Connected
        && linkProblemOf(reason) != LinkProblem::NoAnswer;
    const QString why = closedByRedis
        ? QStringLiteral("%1; Redis is up, so it closed this connection itself, as it does to a "
                         "reader too slow for its pub/sub output buffer")
              .arg(reason)
        : reason;
    updateState(why);
    if (!wasUp)
        return;
    qCWarning(lcCluster).noquote()
        << QStringLiteral("the Redis subscriber link lost its subscriptions (%1). What is "
                          "published until it has subscribed again is not received.")
               .arg(why);
    flushMessages();
    Q_EMIT subscriptionsLost(why);
}

void RedisEngine::startHeartbeat()
{
    m_heartbeatChannel
        = "qtchat:link-alive:" + QUuid::createUuid().toByteArray(QUuid::WithoutBraces);
    m_channels.insert(m_heartbeatChannel); // subscribed with the others on each connection
    m_heartbeatTimer = new QTimer(this);
    m_heartbeatTimer->setInterval(m_config.timing.livenessIntervalMs);
    connect(m_heartbeatTimer, &QTimer::timeout, this, &RedisEngine::sendHeartbeat);
    m_heartbeatDeadline = new QTimer(this);
    m_heartbeatDeadline->setSingleShot(true);
    m_heartbeatDeadline->setInterval(m_config.timing.livenessTimeoutMs);
    connect(m_heartbeatDeadline, &QTimer::timeout, this, &RedisEngine::heartbeatOverdue);
    m_heartbeatTimer->start();
}

void RedisEngine::sendHeartbeat()
{
    if (m_state != State::Connected || !m_heartbeatSubscribed || m_heartbeatDeadline->isActive())
        return;
    const quint64 sent = ++m_heartbeatSent;
    m_heartbeatPublished = false;
    m_heartbeatDeadline->start();
    m_commands->send({"PUBLISH", m_heartbeatChannel, QByteArray::number(sent)},
                     [this, sent](const RedisReply &reply) {
                         if (sent == m_heartbeatSent && reply.isOk())
                             m_heartbeatPublished = true;
                     });
}

void RedisEngine::heartbeatEchoed(const QByteArray &payload)
{
    if (payload == QByteArray::number(m_heartbeatSent))
        m_heartbeatDeadline->stop();
}

// The command connection did not answer the PUBLISH, or the subscriber did not bring it back.
void RedisEngine::heartbeatOverdue()
{
    const int timeoutMs = m_config.timing.livenessTimeoutMs;
    if (!m_heartbeatPublished)
        m_commands->drop(QStringLiteral("Redis did not answer within %1 ms").arg(timeoutMs));
    else
        m_subscriber->drop(
            QStringLiteral("no published message came back within %1 ms").arg(timeoutMs));
}

void RedisEngine::shutdown()
{
    m_stopping = true;
    flushMessages();
    if (m_heartbeatTimer) {
        m_heartbeatTimer->stop();
        m_heartbeatDeadline->stop();
    }
    m_queue->close();
    failQueued("the Redis link is stopping");
    // Unanswered commands are called back with Failed as the connections close.
    if (m_commands)
        m_commands->close();
    if (m_subscriber)
        m_subscriber->close();
    while (!m_guarded.empty())
        finishGuarded(RedisReply::failed("the Redis link is stopping"));
    thread()->quit();
}

} // namespace Cluster
