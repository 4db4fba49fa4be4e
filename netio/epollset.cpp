#include "netio/epollset.h"

#include <unistd.h>

namespace NetIo {

EpollSet::EpollSet() : m_fd(::epoll_create1(EPOLL_CLOEXEC)) { }

EpollSet::~EpollSet()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

bool EpollSet::add(int fd, void *data, std::uint32_t events)
{
    return control(EPOLL_CTL_ADD, fd, data, events);
}

bool EpollSet::modify(int fd, void *data, std::uint32_t events)
{
    return control(EPOLL_CTL_MOD, fd, data, events);
}

void EpollSet::remove(int fd)
{
    ::epoll_ctl(m_fd, EPOLL_CTL_DEL, fd, nullptr);
}

int EpollSet::wait(std::span<epoll_event> ready, int timeoutMs)
{
    return ::epoll_wait(m_fd, ready.data(), int(ready.size()), timeoutMs);
}

bool EpollSet::control(int operation, int fd, void *data, std::uint32_t events)
{
    epoll_event event {};
    event.events = events;
    event.data.ptr = data;
    return ::epoll_ctl(m_fd, operation, fd, &event) == 0;
}

} // namespace NetIo
