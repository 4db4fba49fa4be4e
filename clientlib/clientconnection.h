#pragma once

#include "clientlib/clientsettings.h"
#include "clientlib/reconnectbackoff.h"
#include "clientlib/sendqueue.h"

#include "protocol/ircmessage.h"
#include "protocol/linesplitter.h"
#include "protocol/messagetags.h"

#include <QObject>
#include <QSslSocket>
#include <QTimer>

namespace Client {

// The transport under a ChatClient: one TCP or TLS connection at a time (a pinned
// certificate is trusted as it is), cut into lines, paced on the way out, pinged when it
// falls silent, and opened again with exponential backoff when it drops without being asked
// to. Of IRC it knows only the line framing and its own liveness PING.
class ClientConnection : public QObject
{
    Q_OBJECT

public:
    explicit ClientConnection(QObject *parent = nullptr);
    ~ClientConnection() override;

    // Drops any current connection (without reconnecting it) and connects anew.
    void open(const ClientSettings &settings);
    // Sends `quitLine` ahead of the paced lines, which are dropped, and gives the server a
    // moment to close; cancels any pending reconnect. Without a connection it ends at once.
    void quit(const QByteArray &quitLine);
    // For a refusal that retrying would meet again: sends `quitLine`, closes, no reconnect.
    void giveUp(const QByteArray &quitLine);
    // Registration is complete: the connect timeout stops and the backoff starts afresh.
    void setEstablished();

    bool isConnected() const { return m_socket.state() == QAbstractSocket::ConnectedState; }
    // Paced; dropped when not connected.
    void send(const QByteArray &line);
    // Paced, after every line sent with send(); dropped when not connected.
    void sendBackground(const QByteArray &line);
    // Ahead of paced lines: PONG, QUIT.
    void sendNow(const QByteArray &line);

    void setReconnectDelays(int initialMs, int maxMs);
    bool isReconnectPending() const { return m_reconnectTimer.isActive(); }

Q_SIGNALS:
    // An attempt starts (the first, or a reconnect).
    void connecting();
    // Ready for registration: connected, and with TLS, encrypted.
    void connected();
    void lineReceived(const QByteArray &line);
    void lineSent(const QByteArray &line);
    // The connection is gone. A reconnect, if one is due, is scheduled after this returns,
    // unless a slot has connected again.
    void ended();
    void errorOccurred(const QString &message);
    void reconnectScheduled(int attempt, int delayMs);

private:
    void openSocket();
    void onEncryptionReady();
    void onSocketStateChanged(QAbstractSocket::SocketState socketState);
    void onSocketError(QAbstractSocket::SocketError error);
    void onSslErrors(const QList<QSslError> &errors);
    void onReadyRead();
    void onTimeout();
    void onLivenessTimeout();
    void writeLine(const QByteArray &line);
    void connectionEnded();
    void scheduleReconnect();

    ClientSettings m_settings;
    // A server's line: up to 8191 bytes of IRCv3 tags, then the 512 bytes of the message.
    static constexpr qsizetype MaxLineBytes
        = Irc::MaxTagSectionBytes + Irc::IrcMessage::MaxLineBytes;
    Irc::LineSplitter m_splitter {MaxLineBytes, 2 * MaxLineBytes};
    bool m_closing = false; // quit() or giveUp(): the end is wanted, not a failure
    bool m_pingOutstanding = false;
    ReconnectBackoff m_backoff;
    QTimer m_reconnectTimer;
    QTimer m_timeout; // connecting, registering, or waiting for the server to close after QUIT
    QTimer m_liveness;
    SendQueue m_sendQueue;
    // Last, so that it is destroyed first, while everything its signals reach still exists.
    QSslSocket m_socket;
};

} // namespace Client
