#include "serverlib/listener.h"

#include <QSocketNotifier>

#include <cerrno>

#include <sys/socket.h>

namespace Server {

Listener::Listener(std::function<void(qintptr)> accept, QObject *parent)
    : QObject(parent), m_accept(std::move(accept)), m_bound(this)
{ }

bool Listener::listen(const QHostAddress &address, quint16 port, int backlog)
{
    m_bound.setListenBacklogSize(backlog);
    if (!m_bound.listen(address, port))
        return false;
    m_bound.pauseAccepting();
    m_acceptError.clear();
    m_notifier = new QSocketNotifier(m_bound.socketDescriptor(), QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &Listener::acceptPending);
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
    return m_acceptError.isEmpty() ? m_bound.errorString() : m_acceptError;
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
