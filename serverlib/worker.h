#pragma once

#include "serverlib/linetags.h"
#include "serverlib/mailbox.h"
#include "serverlib/registry.h"
#include "serverlib/transport.h"

#include <QElapsedTimer>
#include <QHash>
#include <QHostAddress>
#include <QObject>
#include <QTimer>

#include <atomic>
#include <memory>

namespace Server {

class IoLoop;
class Session;
struct ServerContext;

// Read by the stats timer in the server's thread while the worker's thread writes them.
struct WorkerCounters
{
    std::atomic<int> clients {0};
    std::atomic<quint64> messages {0};
    std::atomic<quint64> deliveries {0};
};

// Serves a set of connections in one thread. Each socket is created here, in this thread, from
// the descriptor the server accepted. Lines for clients of other workers go through their
// mailboxes: one hand-off per worker per batch, never one per recipient.
class Worker : public QObject
{
    Q_OBJECT

public:
    Worker(ServerContext &context, const QString &name);
    ~Worker() override;

    ServerContext &context() const { return m_context; }
    const std::shared_ptr<Mailbox> &mailbox() const { return m_mailbox; }
    // The epoll set of this worker's plain connections, made in the worker's thread.
    IoLoop &ioLoop();
    std::shared_ptr<WorkerCounters> counters() const { return m_counters; }
    QString name() const { return objectName(); }
    bool isStopping() const { return m_stopping; }
    // A monotonic clock for the sessions' timeouts and flood control.
    qint64 nowMs() const { return m_clock.elapsed(); }

    void deliver(const Audience &audience, const QByteArray &line, quint32 exclude = 0);
    void deliver(const MemberGroup &group, const QByteArray &line, quint32 exclude = 0);
    // Runs `call` on each of the group's sessions in the thread that serves them, later (a
    // queued call through their mailbox, even when that is this worker's own).
    static void callSessions(const MemberGroup &group, SessionCall call);
    // Each recipient gets the tag variant its capabilities ask for, chosen in its own thread.
    void deliver(const Audience &audience, const OutgoingLine &line, quint32 exclude = 0);
    void deliver(const MemberGroup &group, const OutgoingLine &line, quint32 exclude = 0);
    void countMessage() { m_counters->messages.fetch_add(1, std::memory_order_relaxed); }
    void reportRelayed(const QByteArray &from, const QByteArray &target, const QByteArray &text);
    void reportRegistered(quint32 id, const QByteArray &nick);
    // Called by a session whose socket has closed; the session deletes itself later.
    void sessionFinished(Session *session, const QString &reason);

public Q_SLOTS:
    // `peer.address` was admitted by the server's ConnectionLimiter; released when the client
    // goes.
    void addConnection(qintptr descriptor, quint32 clientId, const PeerName &peer);
    // Shutdown step 1: read nothing more, so that no new lines are accepted anywhere.
    void beginShutdown();
    // Shutdown step 2: deliver what was accepted, say ERROR, close, then end the thread.
    void finishShutdown();

Q_SIGNALS:
    void clientConnected(quint32 clientId, const QString &peer, const QString &threadName);
    void clientRegistered(quint32 clientId, const QString &nick, const QString &threadName);
    void clientDisconnected(quint32 clientId, const QString &nick, const QString &reason,
                            const QString &threadName);
    // Shutdown step 1 is done here: this worker accepts no new line.
    void readingStopped();
    // No client left: a per-connection worker's thread can go.
    void idle();

private:
    void drainMailbox();
    void callLocal(const QList<quint32> &ids, const SessionCall &call);
    void deliverLocal(const QList<quint32> &ids, const QByteArray &line, const LineTags *tags,
                      Irc::Capabilities required, Irc::Capabilities excluded, quint32 exclude);
    Session *createSession(quint32 clientId);
    void dropConnection(qintptr descriptor, const QHostAddress &address);
    void sweep();
    void endThreadWhenEmpty();

    ServerContext &m_context;
    std::shared_ptr<Mailbox> m_mailbox;
    std::shared_ptr<WorkerCounters> m_counters = std::make_shared<WorkerCounters>();
    QHash<quint32, Session *> m_sessions;
    IoLoop *m_ioLoop = nullptr; // a child, made on first use
    QElapsedTimer m_clock;
    // One timer for all sessions' timeouts: a timer per session would cost 10,000 timers (and
    // their wake-ups) at 10,000 clients.
    QTimer m_sweepTimer;
    QTimer m_shutdownDeadline;
    bool m_stopping = false; // step 1 done: reading nothing more
    bool m_finishing = false; // step 2 under way: the thread ends once no session is left
};

} // namespace Server
