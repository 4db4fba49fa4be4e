#include "loadlib/epollloop.h"

#include "loadlib/iohandler.h"
#include "loadlib/monotonicclock.h"

#include <cerrno>
#include <unistd.h>

namespace Load {

EpollLoop::EpollLoop() : m_fd(epoll_create1(EPOLL_CLOEXEC)) { }

EpollLoop::~EpollLoop()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

bool EpollLoop::add(int fd, IoHandler *handler, quint32 events)
{
    epoll_event event {};
    event.events = events;
    event.data.ptr = handler;
    return epoll_ctl(m_fd, EPOLL_CTL_ADD, fd, &event) == 0;
}

bool EpollLoop::modify(int fd, IoHandler *handler, quint32 events)
{
    epoll_event event {};
    event.events = events;
    event.data.ptr = handler;
    return epoll_ctl(m_fd, EPOLL_CTL_MOD, fd, &event) == 0;
}

void EpollLoop::remove(int fd)
{
    epoll_ctl(m_fd, EPOLL_CTL_DEL, fd, nullptr);
}

void EpollLoop::poll(int timeoutMs)
{
    const int count = epoll_wait(m_fd, m_ready.data(), int(m_ready.size()), timeoutMs);
    for (int i = 0; i < count; ++i)
        static_cast<IoHandler *>(m_ready[i].data.ptr)->handleIo(m_ready[i].events);
}

bool EpollLoop::runUntil(qint64 deadlineNs, const std::function<bool()> &done,
                         const std::function<qint64(qint64 nowNs)> &tick)
{
    while (!done()) {
        const qint64 nowNs = monotonicNs();
        if (nowNs >= deadlineNs)
            return false;
        const qint64 wakeNs = qMin(tick(nowNs), deadlineNs);
        if (done())
            break;
        poll(int(qMax<qint64>(0, (wakeNs - nowNs + NsPerMs - 1) / NsPerMs)));
    }
    return true;
}

} // namespace Load
