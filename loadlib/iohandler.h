#pragma once

#include <QtGlobal>

namespace Load {

// Whatever owns a descriptor registered with the EpollLoop.
class IoHandler
{
public:
    virtual ~IoHandler() = default;
    // `events` is the epoll event mask. May be called after the handler closed its descriptor
    // (a stale event from the same batch): implementations ignore it then.
    virtual void handleIo(quint32 events) = 0;
};

} // namespace Load
