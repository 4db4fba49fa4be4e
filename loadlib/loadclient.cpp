#include "loadlib/loadclient.h"

#include "loadlib/epollloop.h"
#include "loadlib/loadclientlistener.h"
#include "loadlib/monotonicclock.h"
#include "protocol/ircmessage.h"
#include "protocol/messagetags.h"
#include "protocol/numerics.h"

#include <array>
#include <cerrno>
#include <cstring>

#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

namespace Load {

namespace {

// A bounded amount of reading per wake-up keeps one busy socket from starving the others.
constexpr int MaxReadsPerWakeup = 4;
constexpr size_t ReadChunkBytes = 64 * 1024;
// The longest line a server may send: IRCv3 tags, then the 512 bytes of the line proper.
constexpr qsizetype MaxLineBytes = Irc::MaxTagSectionBytes + Irc::IrcMessage::MaxLineBytes;
// Lines the server may send without an end: more than any real line, still bounded.
constexpr qsizetype MaxUnterminatedBytes = 16 * 1024;
// JOIN #a,#b,... lines stay well inside the 512-byte limit.
constexpr qsizetype MaxJoinListBytes = 400;
// Written bytes at the front of the output buffer are dropped once they add up to this.
constexpr qsizetype CompactAfterBytes = 64 * 1024;

QByteArray systemError(const char *call)
{
    return QByteArray(call) + ": " + QByteArray(std::strerror(errno));
}

// 4xx and 5xx replies, except 422: "MOTD File is missing" is a normal end of registration.
bool isErrorNumeric(const QByteArray &command)
{
    return command != Irc::Numeric::NoMotd && command.size() == 3
        && (command[0] == '4' || command[0] == '5') && command[1] >= '0' && command[1] <= '9'
        && command[2] >= '0' && command[2] <= '9';
}

} // namespace

LoadClient::LoadClient(int index, ClientSetup setup, EpollLoop &loop, LoadClientListener &listener)
    : m_index(index),
      m_setup(std::move(setup)),
      m_loop(loop),
      m_listener(listener),
      m_splitter(MaxLineBytes, MaxUnterminatedBytes)
{ }

LoadClient::~LoadClient()
{
    closeSocket();
}

void LoadClient::start()
{
    m_startedNs = monotonicNs();
    if (!openSocket())
        return;
    const auto *server = reinterpret_cast<const sockaddr *>(&m_setup.server);
    if (::connect(m_fd, server, sizeof(m_setup.server)) < 0 && errno != EINPROGRESS) {
        fail(systemError("connect"));
        return;
    }
    m_state = State::Connecting;
    m_interest = EPOLLOUT;
    if (!m_loop.add(m_fd, this, m_interest))
        fail(systemError("epoll_ctl"));
}

bool LoadClient::openSocket()
{
    m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (m_fd < 0) {
        fail(systemError("socket"));
        return false;
    }
    const int on = 1;
    // Lines are small and latency is what is measured.
    setsockopt(m_fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
    if (!m_setup.source)
        return true;
    // Defer the port choice to connect(): bind() alone would reserve a port per address for
    // every destination and run out at ~28k again.
    setsockopt(m_fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &on, sizeof(on));
    sockaddr_in local {};
    local.sin_family = AF_INET;
    local.sin_addr = *m_setup.source;
    if (::bind(m_fd, reinterpret_cast<const sockaddr *>(&local), sizeof(local)) < 0) {
        fail(systemError("bind"));
        return false;
    }
    return true;
}

void LoadClient::queue(const QByteArray &line)
{
    m_out.append(line);
}

void LoadClient::flush()
{
    writePending();
    updateInterest();
}

void LoadClient::quit(QByteArrayView reason)
{
    if (!isOpen() || m_state == State::Quitting)
        return;
    m_state = State::Quitting;
    queue(Irc::makeLine({}, "QUIT", {reason}));
    flush();
}

void LoadClient::abort()
{
    closeSocket();
    if (m_state != State::Failed)
        m_state = State::Closed;
}

void LoadClient::setWantsWritable(bool wants)
{
    m_wantsWritable = wants;
    updateInterest();
}

void LoadClient::handleIo(quint32 events)
{
    if (!isOpen())
        return; // a stale event for a socket closed earlier in the same batch
    if (m_state == State::Connecting) {
        finishConnect();
        return;
    }
    if (events & (EPOLLIN | EPOLLHUP | EPOLLERR))
        readInput();
    if (isOpen() && (events & EPOLLOUT)) {
        writePending();
        if (isOpen() && pendingOutput() == 0 && m_wantsWritable)
            m_listener.clientWritable(*this);
    }
    updateInterest();
}

void LoadClient::finishConnect()
{
    int error = 0;
    socklen_t length = sizeof(error);
    getsockopt(m_fd, SOL_SOCKET, SO_ERROR, &error, &length);
    if (error != 0) {
        errno = error;
        fail(systemError("connect"));
        return;
    }
    m_state = State::Registering;
    // All at once: the server holds registration from CAP REQ until CAP END, whatever it
    // answers, so the client need not wait for the ACK.
    if (!m_setup.capabilities.isEmpty())
        queue("CAP REQ :" + m_setup.capabilities + "\r\n");
    queue(Irc::makeLine({}, "NICK", {m_setup.nick}));
    queue(Irc::makeLine({}, "USER", {m_setup.nick, "0", "*", "qtchat-load"}));
    if (!m_setup.capabilities.isEmpty())
        queue(Irc::makeLine({}, "CAP", {"END"}));
    flush();
}

void LoadClient::readInput()
{
    thread_local std::array<char, ReadChunkBytes> chunk;
    for (int i = 0; i < MaxReadsPerWakeup && isOpen(); ++i) {
        const ssize_t received = ::recv(m_fd, chunk.data(), chunk.size(), 0);
        if (received > 0) {
            m_splitter.append(QByteArrayView(chunk.data(), received));
            if (!takeLines(monotonicNs()) || size_t(received) < chunk.size())
                return;
        } else if (received == 0) {
            onPeerClosed();
            return;
        } else if (errno != EINTR) {
            if (errno != EAGAIN && errno != EWOULDBLOCK)
                fail(systemError("recv"));
            return;
        }
    }
}

// False once the client is closed: the caller stops reading.
bool LoadClient::takeLines(qint64 readNs)
{
    Irc::LineSplitter::Line line;
    while (isOpen() && m_splitter.next(&line)) {
        if (line.tooLong) {
            fail("the server sent a line longer than 512 bytes and its tags");
            return false;
        }
        if (const std::optional<Irc::IrcMessage> message = Irc::IrcMessage::parse(line.text))
            handleMessage(*message, readNs);
    }
    if (isOpen() && m_splitter.overflowed())
        fail("the server sent more than 16 KiB without a line end");
    return isOpen();
}

void LoadClient::handleMessage(const Irc::IrcMessage &message, qint64 readNs)
{
    if (message.command == "PING") {
        queue(Irc::makeLine({}, "PONG", {message.param(0)}));
        flush();
    } else if (message.command == "ERROR") {
        if (m_state != State::Quitting) // after QUIT the ERROR is the expected goodbye
            fail(QByteArray("ERROR from the server: ") + message.param(0));
    } else if (isErrorNumeric(message.command)) {
        fail(QByteArray("the server answered ") + message.command + ' '
             + message.params.mid(1).join(' '));
    } else if (m_state == State::Registering || m_state == State::Joining) {
        handleSetupReply(message);
    } else {
        m_listener.clientMessage(*this, message, readNs);
    }
}

void LoadClient::handleSetupReply(const Irc::IrcMessage &message)
{
    const QByteArray &command = message.command;
    if (m_state == State::Registering
        && (command == Irc::Numeric::EndOfMotd || command == Irc::Numeric::NoMotd)) {
        sendJoins();
    } else if (m_state == State::Joining && command == Irc::Numeric::EndOfNames) {
        if (++m_channelsJoined == m_setup.channels.size())
            becomeReady();
    }
}

void LoadClient::sendJoins()
{
    if (m_setup.channels.isEmpty()) {
        becomeReady();
        return;
    }
    m_state = State::Joining;
    QByteArray list;
    for (const QByteArray &channel : std::as_const(m_setup.channels)) {
        if (!list.isEmpty() && list.size() + channel.size() + 1 > MaxJoinListBytes) {
            queue(Irc::makeLine({}, "JOIN", {list}));
            list.clear();
        }
        list += (list.isEmpty() ? QByteArray() : QByteArray(",")) + channel;
    }
    queue(Irc::makeLine({}, "JOIN", {list}));
    flush();
}

void LoadClient::becomeReady()
{
    m_state = State::Ready;
    m_readyNs = monotonicNs();
    m_listener.clientReady(*this);
}

void LoadClient::onPeerClosed()
{
    if (m_state != State::Quitting) {
        fail("the server closed the connection");
        return;
    }
    closeSocket();
    m_state = State::Closed;
    m_listener.clientClosed(*this);
}

void LoadClient::writePending()
{
    while (isOpen() && pendingOutput() > 0) {
        const ssize_t sent
            = ::send(m_fd, m_out.constData() + m_outSent, size_t(pendingOutput()), MSG_NOSIGNAL);
        if (sent > 0) {
            m_outSent += sent;
        } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
            break;
        } else if (errno != EINTR) {
            fail(systemError("send"));
            return;
        }
    }
    if (pendingOutput() == 0) {
        m_out.resize(0); // keeps the allocation for the next batch
        m_outSent = 0;
    } else if (m_outSent >= CompactAfterBytes) {
        m_out.remove(0, m_outSent);
        m_outSent = 0;
    }
}

void LoadClient::updateInterest()
{
    if (!isOpen() || m_state == State::Connecting)
        return;
    const bool wantsOut = pendingOutput() > 0 || m_wantsWritable;
    const quint32 interest = EPOLLIN | (wantsOut ? quint32(EPOLLOUT) : 0u);
    if (interest == m_interest)
        return;
    m_interest = interest;
    if (!m_loop.modify(m_fd, this, interest))
        fail(systemError("epoll_ctl"));
}

void LoadClient::fail(const QByteArray &reason)
{
    if (m_state == State::Failed || m_state == State::Closed)
        return;
    m_failure = m_setup.nick + ": " + reason;
    m_state = State::Failed;
    closeSocket();
    m_listener.clientFailed(*this);
}

void LoadClient::closeSocket()
{
    if (m_fd < 0)
        return;
    m_loop.remove(m_fd);
    ::close(m_fd);
    m_fd = -1;
}

} // namespace Load
