#include "serverlib/session.h"

#include "serverlib/directtransport.h"
#include "serverlib/servercontext.h"
#include "serverlib/streamtransport.h"
#include "serverlib/threadcheck.h"
#include "serverlib/worker.h"

namespace Server {

Session::Session(quint32 id, Worker &worker)
    : m_id(id),
      m_worker(worker),
      m_sendQueueLimit(worker.context().limits.sendQueueBytes),
      m_closeGraceMs(worker.context().limits.closeGraceMs)
{ }

Session::~Session() = default;

bool Session::open(qintptr descriptor, const PeerName &peer)
{
    assertOwnThread(this, "Session::open"); // the socket is made in the thread that serves it
    m_address = peer.address;
    const std::optional<QSslConfiguration> &tls = m_worker.context().tls;
    TransportEvents &events = *this;
    if (tls)
        m_transport = std::make_unique<StreamTransport>(events, *tls);
    else
        m_transport = std::make_unique<DirectTransport>(m_worker.ioLoop(), events);
    if (!m_transport->open(descriptor))
        return false;
    m_peer = peer.address.toString() + u':' + QString::number(peer.port);
    m_openedAtMs = m_lastInputMs = m_worker.nowMs();
    opened();
    return true;
}

QByteArray Session::peerHost() const
{
    return m_address.toString().toUtf8();
}

void Session::send(const QByteArray &tags, const QByteArray &line)
{
    if (m_capture) {
        m_capture->append({tags, line});
        return;
    }
    if (m_closing || m_sendQueueFull)
        return;
    const qint64 bytes = tags.size() + line.size();
    if (m_sendQueueLimit > 0 && m_transport->queuedBytes() + bytes > m_sendQueueLimit) {
        overflowSendQueue();
        return;
    }
    if (!tags.isEmpty())
        m_transport->write(tags);
    m_transport->write(line);
}

void Session::overflowSendQueue()
{
    m_sendQueueFull = true;
    stopReading();
    // Deferred: send() runs inside other clients' commands and fan-out loops, which must not
    // see this client leave the registry under their feet.
    QMetaObject::invokeMethod(
        this, [this] { closeWithError("SendQ exceeded"); }, Qt::QueuedConnection);
}

void Session::closeWithError(const QByteArray &text)
{
    if (m_closing || m_finished)
        return;
    if (m_closeReason.isEmpty())
        m_closeReason = QString::fromUtf8(text);
    m_closing = true;
    stopReading();
    m_closingSinceMs = m_worker.nowMs();
    if (!m_transport->isReady()) {
        // Before the TLS handshake there is no way to say anything: just drop the connection.
        leave();
        m_transport->abort();
        return;
    }
    // The last line, past the send-queue limit if need be: it is the only one left.
    m_transport->write("ERROR :" + text + "\r\n");
    leave();
    m_transport->close();
}

void Session::hangUp()
{
    stopReading();
    m_transport->close();
}

void Session::stopReading()
{
    m_reading = false;
    if (!m_finished)
        m_transport->setReadPaused(true);
}

void Session::abort()
{
    m_transport->abort();
}

void Session::checkTimers(qint64 nowMs)
{
    if (m_closing && !m_finished && nowMs - m_closingSinceMs >= m_closeGraceMs)
        abort();
}

void Session::updateReadInterest()
{
    if (!m_finished)
        m_transport->setReadPaused(!m_reading || !wantsInput());
}

void Session::transportReadable()
{
    // Any input is a sign of life, for the ping check.
    m_lastInputMs = m_worker.nowMs();
    if (m_reading)
        processInput();
    updateReadInterest();
}

void Session::leave()
{
    if (m_left)
        return;
    m_left = true;
    connectionClosed(closeReason());
}

QString Session::closeReason() const
{
    return m_closeReason.isEmpty() ? tr("Connection closed") : m_closeReason;
}

void Session::transportClosed(const QString &error)
{
    if (m_finished)
        return;
    if (m_closeReason.isEmpty())
        m_closeReason = error;
    m_finished = true;
    m_closing = true;
    m_reading = false;
    leave();
    m_worker.sessionFinished(this, closeReason());
}

} // namespace Server
