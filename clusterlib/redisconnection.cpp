#include "clusterlib/redisconnection.h"

#include "clusterlib/clusterlogging.h"
#include "clusterlib/hiredisadapter.h"

#include <QFile>
#include <QTimer>

#include <hiredis/async.h>

#include <memory>
#include <vector>

namespace Cluster {

namespace {

// The reasons' words that linkProblemOf() reads: each is in the reason that RedisConnection or
// RedisEngine gives, but "refused", hiredis' (strerror's) own.
constexpr char PasswordRefused[] = "Redis refused the password";
constexpr char PasswordMissing[] = "Redis asks for a password";
constexpr char NoAnswer[] = "did not answer";
constexpr char NoEcho[] = "came back within";
constexpr char OutputBuffer[] = "output buffer";
constexpr char Refused[] = "refused";

// What a command's callback needs when hiredis answers it.
struct PendingReply
{
    RedisConnection *connection;
    ReplyCallback callback;
};

// hiredis takes argv as C strings with lengths: values are binary-safe.
int sendArgv(redisAsyncContext *context, redisCallbackFn *onReply, void *data,
             const QList<QByteArray> &argv)
{
    std::vector<const char *> parts;
    std::vector<size_t> lengths;
    parts.reserve(argv.size());
    lengths.reserve(argv.size());
    for (const QByteArray &part : argv) {
        parts.push_back(part.constData());
        lengths.push_back(size_t(part.size()));
    }
    return redisAsyncCommandArgv(context, onReply, data, int(argv.size()), parts.data(),
                                 lengths.data());
}

} // namespace

LinkProblem linkProblemOf(const QString &reason)
{
    const auto has = [&reason](const char *words) {
        return reason.contains(QLatin1String(words), Qt::CaseInsensitive);
    };
    if (has(PasswordRefused) || has(PasswordMissing))
        return LinkProblem::Password;
    if (has(OutputBuffer))
        return LinkProblem::OutputBuffer;
    if (has(NoAnswer) || has(NoEcho))
        return LinkProblem::NoAnswer;
    if (has(Refused))
        return LinkProblem::Refused;
    return LinkProblem::Other;
}

RedisConnection::RedisConnection(const QString &name, const RedisUrl &url, const LinkTiming &timing,
                                 QObject *parent)
    : QObject(parent),
      m_name(name),
      m_url(url),
      m_timing(timing),
      m_retryTimer(new QTimer(this)),
      m_connectTimer(new QTimer(this)),
      m_retryDelayMs(timing.reconnectMinMs)
{
    m_retryTimer->setSingleShot(true);
    m_connectTimer->setSingleShot(true);
    connect(m_retryTimer, &QTimer::timeout, this, &RedisConnection::attempt);
    connect(m_connectTimer, &QTimer::timeout, this, [this] {
        drop(m_refusal.isEmpty() ? QStringLiteral("Redis %1 within %2 ms")
                                       .arg(QLatin1String(NoAnswer))
                                       .arg(m_timing.connectTimeoutMs)
                                 : m_refusal);
    });
}

RedisConnection::~RedisConnection()
{
    close();
}

void RedisConnection::open()
{
    if (m_open)
        return;
    m_open = true;
    attempt();
}

void RedisConnection::close()
{
    m_open = false;
    m_retryTimer->stop();
    m_connectTimer->stop();
    m_state = State::Disconnected;
    if (redisAsyncContext *context = std::exchange(m_context, nullptr))
        redisAsyncFree(context);
}

void RedisConnection::drop(const QString &reason)
{
    if (redisAsyncContext *context = std::exchange(m_context, nullptr))
        redisAsyncFree(context); // unanswered commands are called back with no reply
    if (m_open)
        lose(reason);
}

void RedisConnection::attempt()
{
    if (!m_open || m_context)
        return;
    m_state = State::Connecting;
    m_refusal.clear();
    redisAsyncContext *context = m_url.isUnixSocket()
        ? redisAsyncConnectUnix(QFile::encodeName(m_url.socketPath).constData())
        : redisAsyncConnect(m_url.host.toUtf8().constData(), m_url.port);
    if (!context || context->err) {
        const QString reason
            = context ? QString::fromLocal8Bit(context->errstr) : QStringLiteral("out of memory");
        if (context)
            redisAsyncFree(context);
        lose(reason);
        return;
    }
    m_context = context;
    context->data = this;
    HiredisAdapter::attach(context);
    // After attach: setting the connect callback asks for the first write readiness.
    redisAsyncSetConnectCallback(context, &RedisConnection::onConnect);
    redisAsyncSetDisconnectCallback(context, &RedisConnection::onDisconnect);
    m_connectTimer->start(m_timing.connectTimeoutMs);
}

void RedisConnection::onConnect(const redisAsyncContext *context, int status)
{
    auto *self = static_cast<RedisConnection *>(context->data);
    if (!self || self->m_context != context)
        return;
    if (status != REDIS_OK) {
        // hiredis frees the context when this returns.
        const QString reason = QString::fromLocal8Bit(context->errstr);
        self->m_context = nullptr;
        self->lose(reason);
        return;
    }
    // A peer that vanishes without a reset (a cable, a crashed host) is noticed by TCP. A Unix
    // socket has no cable, and hiredis' TCP options would fail on it.
    if (!self->m_url.isUnixSocket())
        redisEnableKeepAlive(&self->m_context->c);
    self->handshake();
}

// A TCP connection is not yet Redis: a stopped or hung server accepts it all the same. The
// connection counts once Redis has answered its first commands: AUTH when the URL has a
// password (Redis answers nothing else before it), then SELECT, or PING.
void RedisConnection::handshake()
{
    if (!m_url.hasPassword()) {
        greet();
        return;
    }
    QList<QByteArray> argv {"AUTH"};
    if (!m_url.user.isEmpty())
        argv << m_url.user.toUtf8();
    argv << m_url.password.toUtf8();
    sendHandshake(argv, [this](const RedisReply &reply) {
        if (reply.isStatus("OK"))
            greet();
        else
            refuseHandshake(QStringLiteral("%1 (%2)").arg(QLatin1String(PasswordRefused),
                                                          QString::fromUtf8(reply.text)));
    });
}

void RedisConnection::greet()
{
    const QList<QByteArray> argv = m_url.database != 0
        ? QList<QByteArray> {"SELECT", QByteArray::number(m_url.database)}
        : QList<QByteArray> {"PING"};
    sendHandshake(argv, [this, command = argv.constFirst()](const RedisReply &reply) {
        if (reply.isStatus("OK") || reply.isStatus("PONG"))
            becomeConnected();
        else if (reply.text.startsWith("NOAUTH"))
            refuseHandshake(
                QStringLiteral("%1, and the URL gives none (%2)")
                    .arg(QLatin1String(PasswordMissing), QString::fromUtf8(reply.text)));
        else
            refuseHandshake(QStringLiteral("Redis answered %1 with an error (%2)")
                                .arg(QString::fromLatin1(command), QString::fromUtf8(reply.text)));
    });
}

// A reply that failed for a lost connection is not passed on: onDisconnect() follows, and says
// why.
void RedisConnection::sendHandshake(const QList<QByteArray> &argv, ReplyCallback onReply)
{
    auto *pending
        = new PendingReply {this, [onReply = std::move(onReply)](const RedisReply &reply) {
                                if (reply.type != RedisReply::Type::Failed)
                                    onReply(reply);
                            }};
    ++m_inFlight;
    if (sendArgv(m_context, &RedisConnection::onReply, pending, argv) != REDIS_OK) {
        --m_inFlight;
        delete pending;
    }
}

void RedisConnection::refuseHandshake(const QString &reason)
{
    if (!m_context)
        return;
    m_refusal = reason;
    m_connectTimer->start(0); // gives up out of hiredis' callback: retries
}

void RedisConnection::becomeConnected()
{
    m_connectTimer->stop();
    m_state = State::Connected;
    m_retryDelayMs = m_timing.reconnectMinMs;
    qCInfo(lcCluster).noquote() << m_name << "connected to" << m_url.toString();
    Q_EMIT connected();
}

void RedisConnection::onDisconnect(const redisAsyncContext *context, int status)
{
    auto *self = static_cast<RedisConnection *>(context->data);
    if (!self || self->m_context != context)
        return; // we freed it ourselves
    const QString reason = status == REDIS_OK ? QStringLiteral("closed by the server")
                                              : QString::fromLocal8Bit(context->errstr);
    self->m_context = nullptr;
    self->lose(reason);
}

void RedisConnection::lose(const QString &reason)
{
    const bool wasConnected = m_state == State::Connected;
    m_state = State::Disconnected;
    m_connectTimer->stop();
    if (wasConnected)
        qCWarning(lcCluster).noquote()
            << QStringLiteral("%1 lost its connection to %2: %3; reconnecting")
                   .arg(m_name, m_url.toString(), reason);
    else if (!m_refusal.isEmpty()) // a mistake in the URL or in Redis' settings: said loudly
        qCWarning(lcCluster).noquote()
            << QStringLiteral("%1 cannot connect to %2: %3; trying again")
                   .arg(m_name, m_url.toString(), reason);
    else
        qCInfo(lcCluster).noquote()
            << QStringLiteral("%1 cannot connect to %2: %3").arg(m_name, m_url.toString(), reason);
    Q_EMIT disconnected(reason);
    scheduleRetry();
}

void RedisConnection::scheduleRetry()
{
    if (!m_open || m_retryTimer->isActive())
        return;
    m_retryTimer->start(m_retryDelayMs);
    m_retryDelayMs = std::min(m_retryDelayMs * 2, m_timing.reconnectMaxMs);
}

void RedisConnection::send(const QList<QByteArray> &argv, ReplyCallback callback)
{
    if (m_state != State::Connected || !m_context) {
        failLater(std::move(callback), "not connected to Redis");
        return;
    }
    auto *pending = new PendingReply {this, std::move(callback)};
    ++m_inFlight;
    if (sendArgv(m_context, &RedisConnection::onReply, pending, argv) != REDIS_OK) {
        --m_inFlight;
        failLater(std::move(pending->callback), "the connection to Redis is closing");
        delete pending;
    }
}

void RedisConnection::failLater(ReplyCallback callback, const QByteArray &reason)
{
    QMetaObject::invokeMethod(
        this, [callback = std::move(callback), reason] { callback(RedisReply::failed(reason)); },
        Qt::QueuedConnection);
}

void RedisConnection::onReply(redisAsyncContext *context, void *reply, void *data)
{
    std::unique_ptr<PendingReply> pending(static_cast<PendingReply *>(data));
    --pending->connection->m_inFlight;
    if (reply)
        pending->callback(toRedisReply(static_cast<redisReply *>(reply)));
    else
        pending->callback(
            RedisReply::failed("the connection to Redis was lost before the reply: "
                               + QByteArray(context->errstr ? context->errstr : "closed")));
}

void RedisConnection::sendSubscription(const QList<QByteArray> &argv)
{
    if (m_state == State::Connected && m_context)
        sendArgv(m_context, &RedisConnection::onPush, nullptr, argv);
}

void RedisConnection::onPush(redisAsyncContext *context, void *reply, void *)
{
    auto *self = static_cast<RedisConnection *>(context->data);
    // No reply: the connection is going; disconnected() follows and the engine resubscribes.
    if (self && reply && self->m_onPush)
        self->m_onPush(toRedisReply(static_cast<redisReply *>(reply)));
}

} // namespace Cluster
