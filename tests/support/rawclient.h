#pragma once

#include "protocol/ircmessage.h"
#include "protocol/linesplitter.h"

#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QTcpSocket>

#include <functional>
#include <optional>

// A test's view of one IRC connection: raw lines out, parsed messages in. It waits by running
// the event loop until a condition holds (QTest::qWaitFor), never by sleeping.
class RawClient : public QObject
{
    Q_OBJECT

public:
    static constexpr int DefaultTimeoutMs = 5000;

    explicit RawClient(QObject *parent = nullptr);

    bool connectTo(quint16 port, const QHostAddress &address = QHostAddress::LocalHost);
    // To 127.0.0.1, with a tiny kernel receive buffer from the start (set before connect(), so
    // that the window it offers stays small): once it stops reading (setReading()), the server's
    // socket buffer fills up after kilobytes, not megabytes.
    bool connectWithTinyReceiveBuffer(quint16 port);
    // NICK + USER, then waits for the end of the welcome burst (376 or 422).
    bool registerAs(const QByteArray &nick);
    // The same after `CAP REQ` for `capabilities` (space-separated) and its ACK, then CAP END.
    bool registerWithCapabilities(const QByteArray &nick, const QByteArray &capabilities);
    // CAP LS 302, NICK and USER, then `CAP REQ` for `capabilities` (if any) acknowledged:
    // registration waits for CAP END, so REGISTER or AUTHENTICATE may come first.
    bool negotiate(const QByteArray &nick, const QByteArray &capabilities);
    // The end of the welcome burst: 376, or 422 without a MOTD.
    bool waitForWelcome(int timeoutMs = DefaultTimeoutMs);
    void send(const QByteArray &line); // without CR LF
    void sendRaw(const QByteArray &bytes);
    void disconnectFromServer();

    // Consumes received messages up to and including the first with `command`.
    std::optional<Irc::IrcMessage> expect(const QByteArray &command,
                                          int timeoutMs = DefaultTimeoutMs);
    // Consumes messages up to and including the first that satisfies `match`.
    std::optional<Irc::IrcMessage>
    expectMatch(const std::function<bool(const Irc::IrcMessage &)> &match,
                int timeoutMs = DefaultTimeoutMs);
    // Waits until `count` unconsumed messages with `command` arrived; consumes all and returns
    // them.
    QList<Irc::IrcMessage> collect(const QByteArray &command, int count,
                                   int timeoutMs = DefaultTimeoutMs);
    // As expect(), but the line as it came, IRCv3 tags included, without its CR LF; with
    // `containing`, the first such line that contains it (a source, a text).
    std::optional<QByteArray> expectLine(const QByteArray &command,
                                         const QByteArray &containing = {},
                                         int timeoutMs = DefaultTimeoutMs);
    bool waitForDisconnected(int timeoutMs = DefaultTimeoutMs);
    bool isConnected() const { return m_socket.state() == QAbstractSocket::ConnectedState; }
    // Off: the client stops reading, as a stalled peer does; what arrives stays in the socket
    // (Qt keeps at most `bufferBytes`, the kernel the rest). On: reads everything held back.
    void setReading(bool reading, qint64 bufferBytes = 4096);

    // Messages received and not consumed yet.
    const QList<Irc::IrcMessage> &pending() const { return m_pending; }
    QTcpSocket &socket() { return m_socket; }

private:
    void readLines();
    using LineMatch = std::function<bool(const Irc::IrcMessage &, const QByteArray &line)>;
    // The index of the first pending message that satisfies `match`, or -1 after the timeout.
    qsizetype waitForMatch(const LineMatch &match, int timeoutMs);
    void consumeThrough(qsizetype index);

    QTcpSocket m_socket;
    Irc::LineSplitter m_splitter {64 * 1024, 1024 * 1024};
    QList<Irc::IrcMessage> m_pending;
    QList<QByteArray> m_pendingLines; // m_pending's lines as they came
    bool m_reading = true;
};
