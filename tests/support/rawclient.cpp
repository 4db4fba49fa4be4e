#include "tests/support/rawclient.h"

#include "protocol/numerics.h"

#include <QTest>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace Numeric = Irc::Numeric;

RawClient::RawClient(QObject *parent) : QObject(parent)
{
    connect(&m_socket, &QTcpSocket::readyRead, this, &RawClient::readLines);
}

bool RawClient::connectTo(quint16 port, const QHostAddress &address)
{
    m_socket.connectToHost(address, port);
    return QTest::qWaitFor([this] { return isConnected(); }, DefaultTimeoutMs);
}

bool RawClient::connectWithTinyReceiveBuffer(quint16 port)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    const int size = 4096;
    ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
    sockaddr_in address {};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<const sockaddr *>(&address), sizeof address) != 0
        || !m_socket.setSocketDescriptor(fd)) {
        ::close(fd);
        return false;
    }
    return true;
}

bool RawClient::registerAs(const QByteArray &nick)
{
    send("NICK " + nick);
    send("USER " + nick + " 0 * :Test " + nick);
    return waitForWelcome();
}

bool RawClient::waitForWelcome(int timeoutMs)
{
    return expectMatch(
               [](const Irc::IrcMessage &m) {
                   return m.command == Numeric::EndOfMotd || m.command == Numeric::NoMotd;
               },
               timeoutMs)
        .has_value();
}

bool RawClient::negotiate(const QByteArray &nick, const QByteArray &capabilities)
{
    send("CAP LS 302");
    send("NICK " + nick);
    send("USER u 0 * :Real " + nick);
    if (!expect("CAP"))
        return false;
    if (capabilities.isEmpty())
        return true;
    send("CAP REQ :" + capabilities);
    const std::optional<Irc::IrcMessage> ack = expect("CAP");
    return ack && ack->param(1) == "ACK";
}

bool RawClient::registerWithCapabilities(const QByteArray &nick, const QByteArray &capabilities)
{
    send("CAP REQ :" + capabilities);
    const std::optional<Irc::IrcMessage> ack = expect("CAP");
    if (!ack || ack->param(1) != "ACK")
        return false;
    send("CAP END");
    return registerAs(nick);
}

void RawClient::send(const QByteArray &line)
{
    sendRaw(line + "\r\n");
}

void RawClient::sendRaw(const QByteArray &bytes)
{
    m_socket.write(bytes);
}

void RawClient::disconnectFromServer()
{
    m_socket.disconnectFromHost();
}

std::optional<Irc::IrcMessage> RawClient::expect(const QByteArray &command, int timeoutMs)
{
    return expectMatch([&command](const Irc::IrcMessage &m) { return m.command == command; },
                       timeoutMs);
}

std::optional<Irc::IrcMessage>
RawClient::expectMatch(const std::function<bool(const Irc::IrcMessage &)> &match, int timeoutMs)
{
    const qsizetype found = waitForMatch(
        [&match](const Irc::IrcMessage &m, const QByteArray &) { return match(m); }, timeoutMs);
    if (found < 0)
        return std::nullopt;
    const Irc::IrcMessage message = m_pending[found];
    consumeThrough(found);
    return message;
}

std::optional<QByteArray> RawClient::expectLine(const QByteArray &command,
                                                const QByteArray &containing, int timeoutMs)
{
    const qsizetype found = waitForMatch(
        [&](const Irc::IrcMessage &m, const QByteArray &line) {
            return m.command == command && line.contains(containing);
        },
        timeoutMs);
    if (found < 0)
        return std::nullopt;
    const QByteArray line = m_pendingLines[found];
    consumeThrough(found);
    return line;
}

qsizetype RawClient::waitForMatch(const LineMatch &match, int timeoutMs)
{
    qsizetype found = -1;
    auto scan = [&] {
        for (qsizetype i = 0; i < m_pending.size() && found < 0; ++i) {
            if (match(m_pending[i], m_pendingLines[i]))
                found = i;
        }
        return found >= 0;
    };
    if (!scan() && !QTest::qWaitFor(scan, timeoutMs))
        return -1;
    return found;
}

void RawClient::consumeThrough(qsizetype index)
{
    m_pending.remove(0, index + 1);
    m_pendingLines.remove(0, index + 1);
}

QList<Irc::IrcMessage> RawClient::collect(const QByteArray &command, int count, int timeoutMs)
{
    auto matching = [&] {
        return std::count_if(m_pending.cbegin(), m_pending.cend(),
                             [&](const Irc::IrcMessage &m) { return m.command == command; });
    };
    // A short count is for the caller to report: it compares what arrived with what it expects.
    [[maybe_unused]] const bool complete
        = QTest::qWaitFor([&] { return matching() >= count; }, timeoutMs);
    QList<Irc::IrcMessage> taken;
    for (qsizetype i = 0; i < m_pending.size();) {
        if (m_pending[i].command == command) {
            taken.append(m_pending.takeAt(i));
            m_pendingLines.removeAt(i);
        } else {
            ++i;
        }
    }
    return taken;
}

bool RawClient::waitForDisconnected(int timeoutMs)
{
    return QTest::qWaitFor([this] { return m_socket.state() == QAbstractSocket::UnconnectedState; },
                           timeoutMs);
}

void RawClient::setReading(bool reading, qint64 bufferBytes)
{
    m_reading = reading;
    m_socket.setReadBufferSize(reading ? 0 : bufferBytes);
    if (reading)
        readLines();
}

void RawClient::readLines()
{
    if (!m_reading)
        return;
    m_splitter.append(m_socket.readAll());
    Irc::LineSplitter::Line line;
    while (m_splitter.next(&line)) {
        if (std::optional<Irc::IrcMessage> message = Irc::IrcMessage::parse(line.text)) {
            m_pending.append(std::move(*message));
            m_pendingLines.append(line.text);
        }
    }
}
