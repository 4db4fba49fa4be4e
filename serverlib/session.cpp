#include "session.h"

#include "worker.h"

#include <QTcpSocket>

namespace {

// The kernel already buffers; a bounded read buffer keeps a flooding peer from making Qt
// buffer without limit in user space.
constexpr qint64 ReadBufferBytes = 16 * 1024;

} // namespace

Session::Session(quint32 id, Worker &worker) : m_id(id), m_worker(worker) { }

Session::~Session() = default;

bool Session::open(qintptr descriptor)
{
    m_socket = new QTcpSocket(this);
    if (!m_socket->setSocketDescriptor(descriptor))
        return false;
    m_socket->setReadBufferSize(ReadBufferBytes);
    // Chat lines are small and latency matters more than packet count.
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    m_peer = m_socket->peerAddress().toString() + u':' + QString::number(m_socket->peerPort());
    connect(m_socket, &QTcpSocket::readyRead, this, [this] {
        if (m_reading)
            processInput();
    });
    connect(m_socket, &QTcpSocket::errorOccurred, this, [this] {
        if (m_closeReason.isEmpty())
            m_closeReason = m_socket->errorString();
    });
    connect(m_socket, &QTcpSocket::disconnected, this, &Session::onDisconnected);
    opened();
    return true;
}

QByteArray Session::peerHost() const
{
    return m_socket->peerAddress().toString().toUtf8();
}

void Session::send(const QByteArray &line)
{
    if (m_socket->state() == QAbstractSocket::ConnectedState)
        m_socket->write(line);
}

void Session::closeWithError(const QByteArray &text)
{
    if (m_closeReason.isEmpty())
        m_closeReason = QString::fromUtf8(text);
    m_reading = false;
    send("ERROR :" + text + "\r\n");
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

void Session::onDisconnected()
{
    if (m_finished)
        return;
    m_finished = true;
    m_reading = false;
    const QString reason = m_closeReason.isEmpty() ? tr("Connection closed") : m_closeReason;
    connectionClosed(reason);
    m_worker.sessionFinished(this, reason);
}
