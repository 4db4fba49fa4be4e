#pragma once

#include "clusterlib/redisengine.h"
#include "clusterlib/redisreply.h"

#include <QObject>

#include <atomic>
#include <memory>
#include <mutex>

class QThread;

namespace Cluster {

// The link to Redis, through a thread of its own ("redis") that alone makes and uses its two
// connections: one for commands, one for subscriptions. Every method may be called from any
// thread and returns at once: nobody waits for Redis.
//
// - command() queues a command (binary-safe arguments) for the link thread, which pipelines
//   what has queued up. Its reply comes as replied() — emitted from the link thread, so a
//   receiver in another thread gets it queued, in its own thread — or, with a callback, by a
//   call in the link thread that hands it on. Replies come in the order the commands were
//   given from one thread. A command is refused at once (id 0) when LinkConfig's queue is
//   full or the link is stopped; one given while no connection attempt is under way, or
//   whose connection is lost before its reply, is answered with RedisReply::Type::Failed.
//   Commands given while an attempt is under way wait for it.
// - subscribe() and psubscribe() hold for the life of the link: after a lost connection the
//   link subscribes again by itself. Messages come as messages(), all those of one read from
//   Redis in one signal (one queued call per receiver, not one per message), then each again
//   as message(); and as patternMessage().
// - stateChanged() tells when both connections are up (Connected), when one is lost or an
//   attempt failed (Disconnected, with the reason), and when a new attempt is under way. The
//   link reconnects by itself, waiting longer after each failure (LinkTiming). A heartbeat,
//   published on the command connection to a channel only this link's subscriber connection
//   listens to, proves both alive; one that stays silent past LinkTiming's bound is dropped
//   and made again.
//
// start() once, stop() once; stopped() follows stop(). The destructor of a link not stopped
// first stops it and waits, bounded, for its thread. The link must outlive the threads that
// call it.
class RedisLink : public QObject
{
    Q_OBJECT

public:
    using State = RedisEngine::State;

    explicit RedisLink(const LinkConfig &config, QObject *parent = nullptr);
    ~RedisLink() override;

    void start();
    void stop();
    State state() const { return m_state.load(); }
    const LinkConfig &config() const { return m_config; }

    quint64 command(const QList<QByteArray> &argv);
    // `callback` runs in the link thread: it must hand the reply on, never block.
    quint64 command(const QList<QByteArray> &argv, ReplyCallback callback);
    // Runs `argv` only while `key` holds `value`, atomically (WATCH/MULTI/EXEC, run by the link
    // thread one at a time); the reply is the command's, or Nil when the key held anything
    // else. A building block for claims that only their holder may change.
    quint64 commandIf(const QByteArray &key, const QByteArray &value,
                      const QList<QByteArray> &argv);

    void subscribe(const QByteArray &channel);
    void unsubscribe(const QByteArray &channel);
    void psubscribe(const QByteArray &pattern);
    void punsubscribe(const QByteArray &pattern);

Q_SIGNALS:
    void replied(quint64 id, const Cluster::RedisReply &reply);
    void stateChanged(Cluster::RedisLink::State state, const QString &reason);
    void messages(const Cluster::PubSubMessages &batch);
    void message(const QByteArray &channel, const QByteArray &payload);
    void patternMessage(const QByteArray &pattern, const QByteArray &channel,
                        const QByteArray &payload);
    // Redis confirmed a subscription (again, after a reconnection).
    void subscribed(const QByteArray &channelOrPattern);
    // The subscriptions were lost (a lost connection, or Redis dropping a reader too slow for
    // its pub/sub output buffer): messages published until subscribed() comes again are never
    // received, so whatever they would have told must be read again from Redis.
    void subscriptionsLost(const QString &reason);
    void stopped();

private:
    bool enqueue(QueuedCommand command);
    void postToEngine(std::function<void(RedisEngine &engine)> call);
    ReplyCallback emitReplied(quint64 id);

    const LinkConfig m_config;
    std::shared_ptr<CommandQueue> m_queue;
    std::unique_ptr<QThread> m_thread;
    RedisEngine *m_engine = nullptr; // lives in m_thread, deleted there
    std::mutex m_postMutex; // a post and stop() never cross: nothing is posted after shutdown
    bool m_stopping = false;
    std::atomic<quint64> m_lastId {0};
    std::atomic<State> m_state {State::Connecting};
};

} // namespace Cluster
