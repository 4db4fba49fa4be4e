#include "serverlib/listener.h"

#include <QSocketNotifier>

#include <cerrno>
#include <cstring>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace Server {

namespace {

// The address as the kernel takes it. QHostAddress::Any is IPv6's any address with IPv4 mapped
// onto it (IPV6_V6ONLY off below), as QTcpServer binds it.
socklen_t socketAddress(const QHostAddress &address, quint16 port, sockaddr_storage *storage)
{
    std::memset(storage, 0, sizeof(*storage));
    if (address.protocol() == QAbstractSocket::IPv4Protocol) {
        auto *ipv4 = reinterpret_cast<sockaddr_in *>(storage);
        ipv4->sin_family = AF_INET;
        ipv4->sin_port = htons(port);
        ipv4->sin_addr.s_addr = htonl(address.toIPv4Address());
        return sizeof(sockaddr_in);
    }
    auto *ipv6 = reinterpret_cast<sockaddr_in6 *>(storage);
    ipv6->sin6_family = AF_INET6;
    ipv6->sin6_port = htons(port);
    const Q_IPV6ADDR bytes = address.protocol() == QAbstractSocket::AnyIPProtocol
        ? QHostAddress(QHostAddress::AnyIPv6).toIPv6Address()
        : address.toIPv6Address();
    std::memcpy(&ipv6->sin6_addr, &bytes, sizeof(bytes));
    ipv6->sin6_scope_id = address.scopeId().toUInt();
    return sizeof(sockaddr_in6);
}

bool setOption(int descriptor, int level, int option, int value)
{
    return ::setsockopt(descriptor, level, option, &value, sizeof(value)) == 0;
}

// A listening socket on the shared port, or -1 with errno set.
int openSharedSocket(const QHostAddress &address, quint16 port, int backlog)
{
    sockaddr_storage storage;
    const socklen_t length = socketAddress(address, port, &storage);
    const int descriptor
        = ::socket(storage.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (descriptor < 0)
        return -1;
    const bool ready = setOption(descriptor, SOL_SOCKET, SO_REUSEADDR, 1)
        && setOption(descriptor, SOL_SOCKET, SO_REUSEPORT, 1)
        && (address.protocol() != QAbstractSocket::AnyIPProtocol
            || setOption(descriptor, IPPROTO_IPV6, IPV6_V6ONLY, 0))
        && ::bind(descriptor, reinterpret_cast<const sockaddr *>(&storage), length) == 0
        && ::listen(descriptor, backlog) == 0;
    if (ready)
        return descriptor;
    const int error = errno;
    ::close(descriptor);
    errno = error;
    return -1;
}

} // namespace

Listener::Listener(std::function<void(qintptr)> accept, QObject *parent)
    : QObject(parent), m_accept(std::move(accept)), m_bound(this)
{ }

bool Listener::listen(const QHostAddress &address, quint16 port, int backlog, bool sharePort)
{
    m_listenError.clear();
    m_bound.setListenBacklogSize(backlog);
    if (!(sharePort ? listenShared(address, port, backlog) : m_bound.listen(address, port)))
        return false;
    m_bound.pauseAccepting();
    m_acceptError.clear();
    m_notifier = new QSocketNotifier(m_bound.socketDescriptor(), QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &Listener::acceptPending);
    return true;
}

bool Listener::listenShared(const QHostAddress &address, quint16 port, int backlog)
{
    const int descriptor = openSharedSocket(address, port, backlog);
    if (descriptor < 0) {
        m_listenError = qt_error_string(errno);
        return false;
    }
    // QTcpServer takes a listening socket as it is and reads back its address and port.
    if (!m_bound.setSocketDescriptor(descriptor)) {
        m_listenError = m_bound.errorString();
        ::close(descriptor);
        return false;
    }
    return true;
}

void Listener::close()
{
    delete m_notifier; // before its descriptor is closed
    m_notifier = nullptr;
    m_bound.close();
}

QString Listener::errorString() const
{
    if (!m_acceptError.isEmpty())
        return m_acceptError;
    return m_listenError.isEmpty() ? m_bound.errorString() : m_listenError;
}

void Listener::resumeAccepting()
{
    if (m_notifier)
        m_notifier->setEnabled(true);
}

void Listener::acceptPending()
{
    // Everything the kernel has queued, as QTcpServer does, until it has no more.
    for (;;) {
        const int descriptor
            = ::accept4(int(m_bound.socketDescriptor()), nullptr, nullptr, SOCK_CLOEXEC);
        if (descriptor >= 0) {
            m_accept(descriptor);
            continue;
        }
        switch (errno) {
        case EINTR:
        case ECONNABORTED: // the client gave up while queued
            continue;
        case EAGAIN:
#if EAGAIN != EWOULDBLOCK
        case EWOULDBLOCK:
#endif
            return;
        default: // EMFILE, ENFILE, ENOBUFS, ENOMEM: nothing frees up by trying again at once
            m_acceptError = qt_error_string(errno);
            m_notifier->setEnabled(false);
            Q_EMIT acceptFailed(m_acceptError);
            return;
        }
    }
}

} // namespace Server
