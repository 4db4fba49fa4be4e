#include "session.h"

#include "servercontext.h"
#include "worker.h"

#include <QSslSocket>
#include <QTcpSocket>

namespace {

// The kernel already buffers; a bounded read buffer keeps a flooding peer from making Qt
// buffer without limit in user space.
constexpr qint64 ReadBufferBytes = 16 * 1024;

} // namespace

Session::Session(quint32 id, Worker &worker)
    : m_id(id),
      m_worker(worker),
      m_sendQueueLimit(worker.context().limits.sendQueueBytes),
      m_closeGraceMs(worker.context().limits.closeGraceMs)
{ }

Session::~Session() = default;

bool Session::open(qintptr descriptor, const QHostAddress &address)
{
    m_address = address;
    const std::optional<QSslConfiguration> &tls = m_worker.context().tls;
    if (tls)
        m_socket = m_tls = new QSslSocket(this);
    else
        m_socket = new QTcpSocket(this);
    if (!m_socket->setSocketDescriptor(descriptor))
        return false;
    m_socket->setReadBufferSize(ReadBufferBytes);
    // Chat lines are small and latency matters more than packet count.
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    m_peer = m_socket->peerAddress().toString() + u':' + QString::number(m_socket->peerPort());
    m_openedAtMs = m_lastInputMs = m_worker.nowMs();
    connect(m_socket, &QTcpSocket::readyRead, this, [this] {
        // Any input is a sign of life, for the ping check.
        m_lastInputMs = m_worker.nowMs();
        if (m_reading)
            processInput();
    });
    connect(m_socket, &QTcpSocket::errorOccurred, this, [this] {
        if (m_closeReason.isEmpty())
            m_closeReason = m_socket->errorString();
    });
    connect(m_socket, &QTcpSocket::disconnected, this, &Session::onDisconnected);
    if (tls)
        startEncryption(*tls);
    opened();
    return true;
}

void Session::startEncryption(const QSslConfiguration &configuration)
{
    m_tls->setSslConfiguration(configuration);
    // A client that never finishes the handshake is closed by the registration timeout.
    m_tls->startServerEncryption();
}

QByteArray Session::peerHost() const
{
    return m_socket->peerAddress().toString().toUtf8();
}

void Session::send(const QByteArray &line)
{
    if (m_closing || m_sendQueueFull)
        return;
    // One virtual call and an addition per line: cheap enough for the fan-out path.
    if (m_sendQueueLimit > 0 && queuedBytes() + line.size() > m_sendQueueLimit) {
        overflowSendQueue();
        return;
    }
    m_socket->write(line);
}

qint64 Session::queuedBytes() const
{
    // QSslSocket counts only what it has not encrypted yet; the encrypted bytes wait in its
    // plain socket, and a client that does not read makes those grow.
    return m_socket->bytesToWrite() + (m_tls ? m_tls->encryptedBytesToWrite() : 0);
}

void Session::overflowSendQueue()
{
    m_sendQueueFull = true;
    m_reading = false;
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
    m_reading = false;
    m_closingSinceMs = m_worker.nowMs();
    if (m_tls && !m_tls->isEncrypted()) {
        // Before the TLS handshake there is no way to say anything: just drop the connection.
        leave();
        m_socket->abort();
        return;
    }
    // The last line, past the send-queue limit if need be: it is the only one left.
    m_socket->write("ERROR :" + text + "\r\n");
    leave();
    // Hand what is queued to the kernel now rather than on a later write notification: at
    // shutdown, a busy machine might otherwise run into the grace period before it is sent.
    m_socket->flush();
    m_socket->disconnectFromHost();
}

void Session::stopReading()
{
    m_reading = false;
}

void Session::abort()
{
    m_socket->abort();
}

void Session::checkTimers(qint64 nowMs)
{
    if (m_closing && !m_finished && nowMs - m_closingSinceMs >= m_closeGraceMs)
        abort();
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

void Session::onDisconnected()
{
    if (m_finished)
        return;
    m_finished = true;
    m_closing = true;
    m_reading = false;
    leave();
    m_worker.sessionFinished(this, closeReason());
}
