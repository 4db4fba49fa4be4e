#include "serverlib/streamtransport.h"

#include <QSslSocket>

namespace Server {

namespace {

// The kernel already buffers; a bounded read buffer keeps a flooding peer from making Qt
// buffer without limit in user space.
constexpr qint64 ReadBufferBytes = 16 * 1024;

} // namespace

StreamTransport::StreamTransport(TransportEvents &events, const QSslConfiguration &tls)
    : m_events(events), m_tls(tls)
{ }

StreamTransport::~StreamTransport()
{
    // The socket's last signals (an abort while it is destroyed) must not reach the session.
    if (m_socket)
        m_socket->disconnect();
}

bool StreamTransport::open(qintptr descriptor)
{
    m_socket = std::make_unique<QSslSocket>();
    if (!m_socket->setSocketDescriptor(descriptor))
        return false;
    m_socket->setReadBufferSize(ReadBufferBytes);
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    QObject::connect(m_socket.get(), &QSslSocket::readyRead, m_socket.get(),
                     [this] { m_events.transportReadable(); });
    QObject::connect(m_socket.get(), &QSslSocket::errorOccurred, m_socket.get(), [this] {
        if (m_error.isEmpty())
            m_error = m_socket->errorString();
    });
    QObject::connect(m_socket.get(), &QSslSocket::disconnected, m_socket.get(),
                     [this] { m_events.transportClosed(m_error); });
    m_socket->setSslConfiguration(m_tls);
    // A client that never finishes the handshake is closed by the registration timeout.
    m_socket->startServerEncryption();
    return true;
}

QByteArrayView StreamTransport::read()
{
    m_chunk = m_socket->readAll();
    return m_chunk;
}

qint64 StreamTransport::unreadBytes() const
{
    return m_socket->bytesAvailable();
}

void StreamTransport::write(const QByteArray &data)
{
    m_socket->write(data);
}

qint64 StreamTransport::queuedBytes() const
{
    // QSslSocket counts only what it has not encrypted yet; the encrypted bytes wait in its
    // plain socket, and a client that does not read makes those grow.
    return m_socket->bytesToWrite() + m_socket->encryptedBytesToWrite();
}

void StreamTransport::flush()
{
    m_socket->flush();
}

bool StreamTransport::isReady() const
{
    return m_socket->isEncrypted();
}

void StreamTransport::close()
{
    // Hand what is queued to the kernel now rather than on a later write notification: at
    // shutdown, a busy machine might otherwise run into the grace period before it is sent.
    m_socket->flush();
    m_socket->disconnectFromHost();
}

void StreamTransport::abort()
{
    m_socket->abort();
}

} // namespace Server
