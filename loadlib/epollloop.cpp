#include "loadlib/epollloop.h"

#include "loadlib/iohandler.h"
#include "loadlib/monotonicclock.h"

namespace Load {

void EpollLoop::poll(int timeoutMs)
{
    const int count = m_epoll.wait(m_ready, timeoutMs);
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
