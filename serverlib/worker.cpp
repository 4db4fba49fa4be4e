#include "serverlib/worker.h"

#include "serverlib/ioloop.h"
#include "serverlib/ircsession.h"
#include "serverlib/mailbox.h"
#include "serverlib/servercontext.h"
#include "serverlib/serverlogging.h"
#include "serverlib/threadcheck.h"
#include "serverlib/tutorialsession.h"

#include <QThread>

#include <unistd.h>

namespace Server {

namespace {

// Long enough for clients on a LAN to read their last lines, short enough that quitting the
// app never feels stuck on a peer that stopped reading.
constexpr int ShutdownGraceMs = 1500;

} // namespace

Worker::Worker(ServerContext &context, const QString &name)
    : m_context(context), m_sweepTimer(this), m_shutdownDeadline(this)
{
    setObjectName(name);
    m_clock.start();
    m_sweepTimer.setInterval(context.limits.sweepIntervalMs());
    connect(&m_sweepTimer, &QTimer::timeout, this, &Worker::sweep);
    m_mailbox = std::make_shared<Mailbox>(
        [this] { QMetaObject::invokeMethod(this, &Worker::drainMailbox, Qt::QueuedConnection); });
    m_shutdownDeadline.setSingleShot(true);
    m_shutdownDeadline.setInterval(ShutdownGraceMs);
    connect(&m_shutdownDeadline, &QTimer::timeout, this, [this] {
        IoLoop::Batch batch(ioLoop());
        // A copy: abort() finishes the session at once, which removes it from m_sessions.
        const QList<Session *> sessions = m_sessions.values();
        for (Session *session : sessions)
            session->abort();
        endThreadWhenEmpty();
    });
}

Worker::~Worker()
{
    m_mailbox->close();
}

IoLoop &Worker::ioLoop()
{
    assertOwnThread(this, "Worker::ioLoop");
    // Made here rather than in the constructor, which runs in the server's thread: the loop's
    // notifier belongs to the thread that serves the sockets.
    if (!m_ioLoop)
        m_ioLoop = new IoLoop(this);
    return *m_ioLoop;
}

void Worker::addConnection(qintptr descriptor, quint32 clientId, const PeerName &peer)
{
    assertOwnThread(this, "Worker::addConnection");
    if (m_stopping) {
        dropConnection(descriptor, peer.address);
        return;
    }
    Session *session = createSession(clientId);
    if (!session->open(descriptor, peer)) {
        qCWarning(lcServer) << "could not adopt connection" << clientId << "in" << name();
        delete session;
        dropConnection(descriptor, peer.address);
        if (m_sessions.isEmpty())
            Q_EMIT idle();
        return;
    }
    m_sessions.insert(clientId, session);
    if (!m_sweepTimer.isActive())
        m_sweepTimer.start();
    qCInfo(lcServer).noquote() << "client" << clientId << "connected from" << session->peer()
                               << "served by" << name();
    Q_EMIT clientConnected(clientId, session->peer(), name());
}

void Worker::dropConnection(qintptr descriptor, const QHostAddress &address)
{
    ::close(int(descriptor));
    m_counters->clients.fetch_sub(1, std::memory_order_relaxed);
    m_context.connections.release(address);
}

Session *Worker::createSession(quint32 clientId)
{
    if (m_context.config.protocol == WireProtocol::Tutorial)
        return new TutorialSession(clientId, *this);
    return new IrcSession(clientId, *this);
}

void Worker::sessionFinished(Session *session, const QString &reason)
{
    assertOwnThread(this, "Worker::sessionFinished");
    if (!m_sessions.remove(session->id()))
        return;
    m_counters->clients.fetch_sub(1, std::memory_order_relaxed);
    m_context.connections.release(session->address());
    const QByteArray nick = session->nick();
    qCInfo(lcServer).noquote() << "client" << session->id() << nick << "disconnected from" << name()
                               << QStringLiteral("(%1)").arg(reason);
    Q_EMIT clientDisconnected(session->id(), QString::fromUtf8(nick), reason, name());
    session->deleteLater();
    if (m_stopping)
        endThreadWhenEmpty();
    else if (m_sessions.isEmpty())
        Q_EMIT idle();
}

void Worker::deliver(const Audience &audience, const QByteArray &line, quint32 exclude)
{
    for (const MemberGroup &group : audience)
        deliver(group, line, exclude);
}

void Worker::deliver(const MemberGroup &group, const QByteArray &line, quint32 exclude)
{
    if (group.mailbox == m_mailbox)
        deliverLocal(group.ids, line, nullptr, {}, {}, exclude);
    else
        group.mailbox->post({line, group.ids, exclude});
}

void Worker::deliver(const Audience &audience, const OutgoingLine &line, quint32 exclude)
{
    for (const MemberGroup &group : audience)
        deliver(group, line, exclude);
}

void Worker::deliver(const MemberGroup &group, const OutgoingLine &line, quint32 exclude)
{
    if (group.mailbox == m_mailbox)
        deliverLocal(group.ids, line.line, line.tags.get(), line.required, line.excluded, exclude);
    else
        group.mailbox->post(
            {line.line, group.ids, exclude, {}, line.tags, line.required, line.excluded});
}

void Worker::deliverLocal(const QList<quint32> &ids, const QByteArray &line, const LineTags *tags,
                          Irc::Capabilities required, Irc::Capabilities excluded, quint32 exclude)
{
    assertOwnThread(this, "Worker::deliverLocal");
    static const QByteArray noTags;
    quint64 delivered = 0;
    for (quint32 id : ids) {
        if (id == exclude)
            continue;
        Session *session = m_sessions.value(id);
        if (!session)
            continue;
        const Irc::Capabilities capabilities = session->capabilities();
        if ((capabilities & required) != required || (capabilities & excluded))
            continue;
        session->send(tags ? tags->forRecipient(capabilities) : noTags, line);
        ++delivered;
    }
    m_counters->deliveries.fetch_add(delivered, std::memory_order_relaxed);
}

void Worker::callSessions(const MemberGroup &group, SessionCall call)
{
    group.mailbox->post({{}, group.ids, 0, std::move(call)});
}

void Worker::callLocal(const QList<quint32> &ids, const SessionCall &call)
{
    for (quint32 id : ids) {
        if (Session *session = m_sessions.value(id))
            call(*session);
    }
}

void Worker::drainMailbox()
{
    IoLoop::Batch batch(ioLoop());
    for (const Delivery &delivery : m_mailbox->takeAll()) {
        if (delivery.call)
            callLocal(delivery.recipients, delivery.call);
        else
            deliverLocal(delivery.recipients, delivery.line, delivery.tags.get(), delivery.required,
                         delivery.excluded, delivery.exclude);
    }
}

void Worker::reportRelayed(const QByteArray &from, const QByteArray &target, const QByteArray &text)
{
    RelayFeed &relays = *m_context.relays;
    if (relays.isObserved()) {
        relays.post(
            {QString::fromUtf8(from), QString::fromUtf8(target), QString::fromUtf8(text), name()});
    }
}

void Worker::reportRegistered(quint32 id, const QByteArray &nick)
{
    qCInfo(lcServer).noquote() << "client" << id << "registered as" << nick << "on" << name();
    Q_EMIT clientRegistered(id, QString::fromUtf8(nick), name());
}

void Worker::sweep()
{
    if (m_sessions.isEmpty()) {
        m_sweepTimer.stop();
        return;
    }
    if (m_stopping)
        return; // the shutdown deadline takes over
    const qint64 now = nowMs();
    IoLoop::Batch batch(ioLoop());
    // A copy: a check may close a session, which removes it from m_sessions. A closed session
    // is deleted later, never during this loop.
    const QList<Session *> sessions = m_sessions.values();
    for (Session *session : sessions)
        session->checkTimers(now);
}

void Worker::beginShutdown()
{
    assertOwnThread(this, "Worker::beginShutdown");
    m_stopping = true;
    for (Session *session : std::as_const(m_sessions))
        session->stopReading();
    Q_EMIT readingStopped();
}

void Worker::finishShutdown()
{
    assertOwnThread(this, "Worker::finishShutdown");
    if (m_finishing)
        return;
    m_finishing = true;
    IoLoop::Batch batch(ioLoop());
    drainMailbox();
    const QList<Session *> sessions = m_sessions.values();
    for (Session *session : sessions)
        session->closeWithError("Server shutting down");
    m_shutdownDeadline.start();
    endThreadWhenEmpty();
}

void Worker::endThreadWhenEmpty()
{
    // Before step 2 the server still holds this worker and will call finishShutdown() on it.
    if (!m_finishing || !m_sessions.isEmpty())
        return;
    m_shutdownDeadline.stop();
    thread()->quit();
}

} // namespace Server
