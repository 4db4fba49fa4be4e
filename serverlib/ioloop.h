#pragma once

#include "netio/epollset.h"

#include <QObject>

#include <array>
#include <vector>

class QSocketNotifier;

namespace Server {

// Something the IoLoop watches: a descriptor's readiness, and output waiting to be flushed.
class IoHandler
{
public:
    virtual void handleIo(quint32 epollEvents) = 0;
    virtual void flushOutput() = 0;

protected:
    ~IoHandler() = default;
};

// A worker's sockets, watched through one epoll set. Qt's event loop sees a single descriptor,
// the epoll set's, instead of one socket notifier per client: its poll() stays as cheap at
// 10,000 clients as at ten, and arming or disarming a socket's interest is one epoll_ctl call
// rather than bookkeeping in the event dispatcher.
//
// Output is flushed in batches: a handler asks for a flush once, and the loop flushes every
// handler that asked at the end of the batch — after all ready sockets were served, after a
// mailbox drain — so that a fan-out writes each recipient once per batch, not once per line.
class IoLoop : public QObject
{
    Q_OBJECT

public:
    explicit IoLoop(QObject *parent = nullptr);
    ~IoLoop() override;

    bool isValid() const { return m_epoll.isValid(); }
    bool watch(int descriptor, IoHandler *handler, quint32 epollEvents);
    void rewatch(int descriptor, IoHandler *handler, quint32 epollEvents);
    void unwatch(int descriptor);

    // Flushes `handler` at the end of the current batch, or soon when no batch is running.
    // A handler asks once until it is flushed, and withdraws before it is destroyed.
    void requestFlush(IoHandler *handler);
    void withdrawFlush(IoHandler *handler);

    // One buffer for every socket's reads: input is copied out of it at once, so that idle
    // clients hold no read buffer.
    char *readBuffer() { return m_readBuffer.data(); }
    static constexpr qsizetype ReadBufferBytes = 16 * 1024;

    // Marks a stretch of work (serving a mailbox, a timer sweep) after which pending output
    // is flushed. Batches nest; the outermost one flushes.
    class Batch
    {
    public:
        explicit Batch(IoLoop &loop) : m_loop(loop) { ++m_loop.m_batchDepth; }
        ~Batch() { m_loop.endBatch(); }
        Batch(const Batch &) = delete;
        Batch &operator=(const Batch &) = delete;

    private:
        IoLoop &m_loop;
    };

private:
    void dispatchReadyEvents();
    void endBatch();
    void flushPending();

    NetIo::EpollSet m_epoll;
    QSocketNotifier *m_notifier = nullptr;
    std::vector<IoHandler *> m_flushPending;
    int m_batchDepth = 0;
    bool m_flushPosted = false;
    // Left uninitialised: zeroing would make all of it resident in every per-connection thread,
    // even for clients that only ever send a few short lines.
    std::array<char, ReadBufferBytes> m_readBuffer;
};

} // namespace Server
