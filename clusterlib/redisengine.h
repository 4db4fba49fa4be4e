#pragma once

#include "clusterlib/commandqueue.h"
#include "clusterlib/redisconnection.h"

#include <QObject>
#include <QSet>

class QTimer;

#include <deque>
#include <memory>

namespace Cluster {

struct LinkConfig
{
    RedisUrl url;
    LinkTiming timing;
    // Commands waiting for the link thread; past this a command is refused at once.
    int maxQueuedCommands = 10'000;
    // Commands sent and not answered yet; past this the link thread leaves commands queued.
    int maxInFlight = 10'000;
};

// The link thread's side of a RedisLink: it makes both connections in that thread — one for
// commands, one for subscriptions, which Redis puts in a mode where nothing else can be sent —
// and alone uses them. Created by the RedisLink, moved to its thread and deleted there.
class RedisEngine : public QObject
{
    Q_OBJECT

public:
    enum class State { Connecting, Connected, Disconnected };
    Q_ENUM(State)

    RedisEngine(const LinkConfig &config, std::shared_ptr<CommandQueue> queue);
    ~RedisEngine() override;

    void start();
    // Sends what is queued while connected, fails it while no attempt is under way, and leaves
    // it queued while connecting.
    void drain();
    void subscribe(const QByteArray &channel, bool pattern);
    void unsubscribe(const QByteArray &channel, bool pattern);
    // Fails what is queued, closes both connections and quits the thread.
    void shutdown();

Q_SIGNALS:
    void stateChanged(Cluster::RedisEngine::State state, const QString &reason);
    // Emitted once per read from the subscriber connection, for all the messages it brought.
    void messages(const Cluster::PubSubMessages &batch);
    void patternMessage(const QByteArray &pattern, const QByteArray &channel,
                        const QByteArray &payload);
    void subscribed(const QByteArray &channelOrPattern);
    // The subscriber connection was lost after it had been up: what was published until the
    // subscriptions are back (subscribed() again) is never received.
    void subscriptionsLost(const QString &reason);

private:
    void dispatch(QueuedCommand command);
    void runNextGuarded();
    void guardChecked(const RedisReply &current);
    void finishGuarded(const RedisReply &reply);
    void failQueued(const QByteArray &reason);
    void afterReply();
    void resubscribe();
    void push(const RedisReply &reply);
    void batchMessage(PubSubMessage message);
    void flushMessages();
    void updateState(const QString &reason);
    void subscriberLost(const QString &reason);
    void startHeartbeat();
    void sendHeartbeat();
    void heartbeatEchoed(const QByteArray &payload);
    void heartbeatOverdue();

    const LinkConfig m_config;
    std::shared_ptr<CommandQueue> m_queue;
    RedisConnection *m_commands = nullptr;
    RedisConnection *m_subscriber = nullptr;
    QSet<QByteArray> m_channels;
    QSet<QByteArray> m_patterns;
    PubSubMessages m_batch; // read, not emitted yet
    // Guarded commands run one at a time: EXEC ends every WATCH of the connection.
    std::deque<QueuedCommand> m_guarded;
    bool m_guardBusy = false;
    bool m_stopping = false;
    bool m_throttled = false; // drain() stopped at maxInFlight
    State m_state = State::Connecting;
    QString m_lastProblem;
    // Liveness: a PUBLISH on the command connection to a channel of this link's own, which the
    // subscriber connection must bring back.
    QByteArray m_heartbeatChannel;
    QTimer *m_heartbeatTimer = nullptr;
    QTimer *m_heartbeatDeadline = nullptr;
    quint64 m_heartbeatSent = 0;
    bool m_heartbeatPublished = false;
    bool m_heartbeatSubscribed = false;
    bool m_subscriberWasUp = false;
};

} // namespace Cluster
