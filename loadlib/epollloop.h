#pragma once

#include "netio/epollset.h"

#include <QtGlobal>

#include <array>
#include <functional>

namespace Load {

class IoHandler;

// A level-triggered epoll set. The generator must not be the bottleneck, so it uses one
// epoll set and plain non-blocking sockets instead of Qt's event dispatcher, whose wake-up
// cost grows with the number of sockets.
class EpollLoop
{
public:
    bool isValid() const { return m_epoll.isValid(); }
    bool add(int fd, IoHandler *handler, quint32 events)
    {
        return m_epoll.add(fd, handler, events);
    }
    bool modify(int fd, IoHandler *handler, quint32 events)
    {
        return m_epoll.modify(fd, handler, events);
    }
    void remove(int fd) { m_epoll.remove(fd); }
    // Waits at most `timeoutMs` and dispatches what is ready. A handler must not delete another
    // handler while a batch is dispatched; owners delete after poll() returns.
    void poll(int timeoutMs);
    // Polls until `done` holds. Before each wait `tick(now)` runs and returns when to wake at
    // the latest. False when `deadlineNs` (CLOCK_MONOTONIC) came first.
    bool runUntil(qint64 deadlineNs, const std::function<bool()> &done,
                  const std::function<qint64(qint64 nowNs)> &tick);

private:
    NetIo::EpollSet m_epoll;
    std::array<epoll_event, 512> m_ready {};
};

} // namespace Load
