#include "clientlib/clientconnection.h"

#include "clientlib/clientlogging.h"
#include "clientlib/secrets.h"

#include "protocol/ircmessage.h"

#include <algorithm>

namespace Client {

namespace {

constexpr int ConnectTimeoutMs = 30'000; // covers the TCP connect and the registration
constexpr int QuitTimeoutMs = 3'000;
constexpr int LivenessIdleMs = 90'000;
constexpr int LivenessReplyMs = 60'000;

} // namespace

ClientConnection::ClientConnection(QObject *parent) : QObject(parent)
{
    m_reconnectTimer.setSingleShot(true);
    m_timeout.setSingleShot(true);
    m_liveness.setSingleShot(true);
    connect(&m_reconnectTimer, &QTimer::timeout, this, &ClientConnection::openSocket);
    connect(&m_timeout, &QTimer::timeout, this, &ClientConnection::onTimeout);
    connect(&m_liveness, &QTimer::timeout, this, &ClientConnection::onLivenessTimeout);
    connect(&m_sendQueue, &SendQueue::lineReady, this, &ClientConnection::writeLine);
    // With TLS, registration starts once the handshake is done, not at the TCP connect.
    connect(&m_socket, &QTcpSocket::connected, this, [this] {
        if (!m_settings.tls)
            onEncryptionReady();
    });
    connect(&m_socket, &QSslSocket::encrypted, this, &ClientConnection::onEncryptionReady);
    connect(&m_socket, &QSslSocket::sslErrors, this, &ClientConnection::onSslErrors);
    connect(&m_socket, &QTcpSocket::readyRead, this, &ClientConnection::onReadyRead);
    connect(&m_socket, &QTcpSocket::stateChanged, this, &ClientConnection::onSocketStateChanged);
    connect(&m_socket, &QTcpSocket::errorOccurred, this, &ClientConnection::onSocketError);
}

ClientConnection::~ClientConnection()
{
    // The socket's destructor signals; nothing of ours may run while members go away.
    m_socket.disconnect(this);
    if (isConnected()) {
        m_socket.write(Irc::makeLine({}, "QUIT", {}));
        m_socket.flush();
    }
    m_socket.abort();
}

void ClientConnection::open(const ClientSettings &settings)
{
    {
        const QSignalBlocker blocker(&m_socket);
        m_socket.abort();
    }
    m_settings = settings;
    m_closing = false;
    m_backoff.reset();
    m_reconnectTimer.stop();
    openSocket();
}

void ClientConnection::quit(const QByteArray &quitLine)
{
    m_closing = true;
    m_reconnectTimer.stop();
    m_sendQueue.clear(); // a quit is meant now, not after paced chat lines
    if (!isConnected()) {
        m_socket.abort();
        connectionEnded();
        return;
    }
    m_sendQueue.sendNow(quitLine);
    // The server answers QUIT with ERROR and closes; closing first could reset the
    // connection before it read our reason.
    m_timeout.start(QuitTimeoutMs);
}

void ClientConnection::giveUp(const QByteArray &quitLine)
{
    m_closing = true;
    if (isConnected()) {
        m_sendQueue.sendNow(quitLine);
        m_socket.disconnectFromHost();
    }
}

void ClientConnection::setEstablished()
{
    m_timeout.stop();
    m_backoff.reset();
}

void ClientConnection::send(const QByteArray &line)
{
    if (isConnected())
        m_sendQueue.enqueue(line);
}

void ClientConnection::sendBackground(const QByteArray &line)
{
    if (isConnected())
        m_sendQueue.enqueueBackground(line);
}

void ClientConnection::sendNow(const QByteArray &line)
{
    m_sendQueue.sendNow(line);
}

void ClientConnection::setReconnectDelays(int initialMs, int maxMs)
{
    m_backoff.setLimits(initialMs, maxMs);
}

void ClientConnection::openSocket()
{
    m_splitter.clear();
    m_sendQueue.clear();
    m_sendQueue.setPacing(m_settings.sendBurst, m_settings.sendIntervalMs);
    m_pingOutstanding = false;
    m_liveness.stop();
    Q_EMIT connecting();
    qCInfo(lcClient) << "connecting to" << m_settings.host << m_settings.port;
    m_timeout.start(ConnectTimeoutMs);
    if (m_settings.tls)
        m_socket.connectToHostEncrypted(m_settings.host, m_settings.port);
    else
        m_socket.connectToHost(m_settings.host, m_settings.port);
}

void ClientConnection::onSslErrors(const QList<QSslError> &errors)
{
    // A pinned certificate is trusted as it is: every error must be about that very
    // certificate. Anything else fails the handshake and is reported as a socket error.
    const QList<QSslCertificate> &pinned = m_settings.pinnedCertificates;
    const bool allPinned
        = std::all_of(errors.cbegin(), errors.cend(),
                      [&pinned](const QSslError &e) { return pinned.contains(e.certificate()); });
    if (allPinned && !errors.isEmpty())
        m_socket.ignoreSslErrors(errors);
}

void ClientConnection::onEncryptionReady()
{
    // Chat lines are small and interactive; Nagle would hold them back.
    m_socket.setSocketOption(QAbstractSocket::LowDelayOption, 1);
    m_liveness.start(LivenessIdleMs);
    Q_EMIT connected();
}

void ClientConnection::onSocketStateChanged(QAbstractSocket::SocketState socketState)
{
    if (socketState == QAbstractSocket::UnconnectedState)
        connectionEnded();
}

void ClientConnection::onSocketError(QAbstractSocket::SocketError error)
{
    if (m_closing && error == QAbstractSocket::RemoteHostClosedError)
        return;
    qCWarning(lcClient) << "socket error:" << m_socket.errorString();
    Q_EMIT errorOccurred(tr("Connection to %1:%2 failed: %3")
                             .arg(m_settings.host)
                             .arg(m_settings.port)
                             .arg(m_socket.errorString()));
}

void ClientConnection::onReadyRead()
{
    m_pingOutstanding = false;
    m_liveness.start(LivenessIdleMs);
    m_splitter.append(m_socket.readAll());
    Irc::LineSplitter::Line line;
    while (m_splitter.next(&line)) {
        if (line.tooLong) {
            qCWarning(lcClient) << "dropped an over-long line from the server";
            continue;
        }
        qCDebug(lcClient) << "<<" << line.text;
        Q_EMIT lineReceived(line.text);
    }
    if (m_splitter.overflowed()) {
        Q_EMIT errorOccurred(tr("The server sent data without line breaks; disconnecting."));
        m_socket.abort();
    }
}

void ClientConnection::onTimeout()
{
    if (m_closing) {
        m_socket.abort(); // the server did not close after our QUIT
        return;
    }
    Q_EMIT errorOccurred(tr("The server did not complete the connection in time."));
    m_socket.abort();
}

void ClientConnection::onLivenessTimeout()
{
    if (!m_pingOutstanding) {
        // Silence can mean a dead link that TCP will not report for a long time.
        m_pingOutstanding = true;
        m_sendQueue.sendNow(Irc::makeLine({}, "PING", {"qtchat"}));
        m_liveness.start(LivenessReplyMs);
        return;
    }
    Q_EMIT errorOccurred(tr("The server stopped responding."));
    m_socket.abort();
}

void ClientConnection::writeLine(const QByteArray &line)
{
    if (!isConnected())
        return;
    m_socket.write(line);
    const QByteArray shown = withoutSecrets(line.chopped(2));
    qCDebug(lcClient) << ">>" << shown;
    Q_EMIT lineSent(shown);
}

void ClientConnection::connectionEnded()
{
    m_timeout.stop();
    m_liveness.stop();
    m_sendQueue.clear();
    m_splitter.clear();
    Q_EMIT ended();
    // A slot connected to ended() may have connected again.
    const bool wantReconnect = !m_closing && m_settings.autoReconnect;
    if (m_socket.state() == QAbstractSocket::UnconnectedState && wantReconnect
        && !m_reconnectTimer.isActive())
        scheduleReconnect();
}

void ClientConnection::scheduleReconnect()
{
    const int delay = m_backoff.nextDelay();
    qCInfo(lcClient) << "reconnecting in" << delay << "ms, attempt" << m_backoff.attempts();
    m_reconnectTimer.start(delay);
    Q_EMIT reconnectScheduled(m_backoff.attempts(), delay);
}

} // namespace Client
