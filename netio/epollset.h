#pragma once

#include <sys/epoll.h>

#include <cstdint>
#include <span>

namespace NetIo {

// An epoll instance, closed with the object. Each descriptor is registered with a pointer that
// comes back with its events; what the pointer means is the caller's business.
class EpollSet
{
public:
    EpollSet();
    ~EpollSet();
    EpollSet(const EpollSet &) = delete;
    EpollSet &operator=(const EpollSet &) = delete;

    // False when epoll_create1() failed (errno says why).
    bool isValid() const { return m_fd >= 0; }
    int descriptor() const { return m_fd; }

    bool add(int fd, void *data, std::uint32_t events);
    bool modify(int fd, void *data, std::uint32_t events);
    void remove(int fd);

    // Waits at most `timeoutMs` (0: not at all, -1: until something is ready) and fills `ready`
    // from its start. Returns how many entries were filled, -1 on an error.
    int wait(std::span<epoll_event> ready, int timeoutMs);

private:
    bool control(int operation, int fd, void *data, std::uint32_t events);

    int m_fd = -1;
};

} // namespace NetIo
