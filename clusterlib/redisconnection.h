#pragma once

#include "clusterlib/redisreply.h"
#include "clusterlib/redisurl.h"

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QString>

struct redisAsyncContext;
class QTimer;

namespace Cluster {

struct LinkTiming
{
    int connectTimeoutMs = 5000;
    // Between two attempts: from the first value, doubled after each failure up to the last.
    int reconnectMinMs = 100;
    int reconnectMaxMs = 5000;
    // The link proves both connections alive this often, and drops one that has not answered
    // within the timeout: a stopped or hung Redis, or a subscriber connection that stopped
    // delivering, is noticed in at most the sum of the two.
    int livenessIntervalMs = 5000;
    int livenessTimeoutMs = 5000;
};

// What a reason given for a link that is down tells, for a short, translated word in a user
// interface; the reason itself, in English, is for the log.
enum class LinkProblem { Other, Refused, Password, NoAnswer, OutputBuffer };
LinkProblem linkProblemOf(const QString &reason);

// One connection to Redis through hiredis' async API, kept up until close(): when the
// attempt fails or the connection is lost it tries again, waiting longer after each failure.
// Lives in the link thread, which alone makes and uses its socket.
class RedisConnection : public QObject
{
    Q_OBJECT

public:
    enum class State { Disconnected, Connecting, Connected };
    // For messages pushed on a subscriber connection: the whole reply.
    using PushCallback = std::function<void(const RedisReply &reply)>;

    RedisConnection(const QString &name, const RedisUrl &url, const LinkTiming &timing,
                    QObject *parent = nullptr);
    ~RedisConnection() override;

    void open();
    void close();
    // Gives up on the current connection (one that stopped answering) and makes a new one.
    void drop(const QString &reason);
    State state() const { return m_state; }
    // Commands in flight: sent, not answered yet.
    qsizetype inFlight() const { return m_inFlight; }

    // Sends now when connected; the callback gets the reply, or Failed when the command could
    // not be sent or the connection is lost first. Never called back before this returns.
    void send(const QList<QByteArray> &argv, ReplyCallback callback);
    // SUBSCRIBE, PSUBSCRIBE and their opposites: every message they bring goes to
    // `onPush` (set before open()).
    void sendSubscription(const QList<QByteArray> &argv);
    void setPushCallback(PushCallback onPush) { m_onPush = std::move(onPush); }

Q_SIGNALS:
    void connected();
    void disconnected(const QString &reason);

private:
    static void onConnect(const redisAsyncContext *context, int status);
    static void onDisconnect(const redisAsyncContext *context, int status);
    static void onReply(redisAsyncContext *context, void *reply, void *pending);
    static void onPush(redisAsyncContext *context, void *reply, void *unused);

    void attempt();
    void handshake();
    void greet();
    void sendHandshake(const QList<QByteArray> &argv, ReplyCallback onReply);
    void refuseHandshake(const QString &reason);
    void becomeConnected();
    void lose(const QString &reason);
    void scheduleRetry();
    void failLater(ReplyCallback callback, const QByteArray &reason);
    QString contextError() const;

    const QString m_name;
    const RedisUrl m_url;
    const LinkTiming m_timing;
    redisAsyncContext *m_context = nullptr;
    QTimer *m_retryTimer;
    QTimer *m_connectTimer;
    PushCallback m_onPush;
    State m_state = State::Disconnected;
    int m_retryDelayMs;
    qsizetype m_inFlight = 0;
    bool m_open = false;
    // Why Redis refused the handshake (a password, a database): said as a warning, each attempt.
    QString m_refusal;
};

} // namespace Cluster
