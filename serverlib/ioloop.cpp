#include "serverlib/ioloop.h"

#include "serverlib/serverlogging.h"

#include <QSocketNotifier>

#include <algorithm>
#include <cerrno>

namespace Server {

namespace {

// Events taken per wake-up. More wait for the next round of the event loop, so that timers,
// mailbox deliveries and the shutdown steps are never starved by busy sockets.
constexpr int MaxEventsPerDispatch = 256;

} // namespace

IoLoop::IoLoop(QObject *parent) : QObject(parent)
{
    if (!m_epoll.isValid()) {
        qCCritical(lcServer).noquote() << "epoll_create1 failed:" << qt_error_string(errno);
        return;
    }
    m_notifier = new QSocketNotifier(m_epoll.descriptor(), QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &IoLoop::dispatchReadyEvents);
}

IoLoop::~IoLoop()
{
    delete m_notifier;
}

bool IoLoop::watch(int descriptor, IoHandler *handler, quint32 epollEvents)
{
    return m_epoll.add(descriptor, handler, epollEvents);
}

void IoLoop::rewatch(int descriptor, IoHandler *handler, quint32 epollEvents)
{
    m_epoll.modify(descriptor, handler, epollEvents);
}

void IoLoop::unwatch(int descriptor)
{
    m_epoll.remove(descriptor);
}

void IoLoop::requestFlush(IoHandler *handler)
{
    m_flushPending.push_back(handler);
    if (m_batchDepth > 0 || m_flushPosted)
        return;
    // Output queued outside any batch (a queued call, a timer): flush on the next round of the
    // event loop, together with whatever else is queued until then.
    m_flushPosted = true;
    QMetaObject::invokeMethod(
        this,
        [this] {
            m_flushPosted = false;
            flushPending();
        },
        Qt::QueuedConnection);
}

void IoLoop::withdrawFlush(IoHandler *handler)
{
    // Nulled rather than erased: a flush pass may be walking the list right now.
    std::replace(m_flushPending.begin(), m_flushPending.end(), handler,
                 static_cast<IoHandler *>(nullptr));
}

void IoLoop::dispatchReadyEvents()
{
    Batch batch(*this);
    std::array<epoll_event, MaxEventsPerDispatch> events;
    const int count = m_epoll.wait(events, 0);
    // Handlers are never deleted during a dispatch (sessions go with deleteLater()), so every
    // pointer taken here stays valid for the whole loop, even for a connection closed by an
    // earlier event.
    for (int i = 0; i < count; ++i)
        static_cast<IoHandler *>(events[i].data.ptr)->handleIo(events[i].events);
}

void IoLoop::endBatch()
{
    if (--m_batchDepth == 0)
        flushPending();
}

void IoLoop::flushPending()
{
    // Flushing may close a connection, whose departure queues output for others: those are
    // appended and flushed in the same pass.
    ++m_batchDepth;
    for (std::size_t i = 0; i < m_flushPending.size(); ++i) {
        if (IoHandler *handler = m_flushPending[i])
            handler->flushOutput();
    }
    m_flushPending.clear();
    --m_batchDepth;
}

} // namespace Server
