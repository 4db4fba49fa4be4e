#pragma once

#include "serverlib/worker.h"

#include <QDeadlineTimer>
#include <QString>
#include <QThread>

#include <memory>

namespace Server {

// A Worker and the QThread it runs in, as the server's thread sees them. The worker is deleted
// in its own thread when the thread finishes. Nothing here waits for the thread: the server
// deletes this object once hasEnded() says the thread is gone, since destroying a QThread that
// still runs aborts the program.
class WorkerThread
{
public:
    WorkerThread(std::shared_ptr<ServerContext> context, const QString &name, quint64 serial);
    ~WorkerThread();

    Worker *worker() const { return m_worker; } // valid until the thread finishes
    const WorkerCounters &counters() const { return *m_counters; }
    WorkerCounters &counters() { return *m_counters; }
    QString name() const { return m_thread.objectName(); }
    quint64 serial() const { return m_serial; }

    // Ends the thread's event loop; the thread then finishes by itself.
    void quit() { m_thread.quit(); }
    // Calls `slot` in `context`'s thread once the thread has finished its event loop. Its last
    // clean-up (deleting the worker) may still be under way then: see hasEnded().
    template<typename Slot> void onFinished(QObject *context, Slot slot)
    {
        QObject::connect(&m_thread, &QThread::finished, context, std::move(slot));
    }
    // True once the thread is completely gone, so that this object may be deleted. Never
    // blocks.
    bool hasEnded() const;
    // For a server destroyed while running only: blocks until the thread is gone or
    // `deadline` passes.
    bool waitUntil(QDeadlineTimer deadline);

    // For rates: what the counters said at the last stats tick.
    quint64 lastMessages = 0;
    quint64 lastDeliveries = 0;

    Q_DISABLE_COPY_MOVE(WorkerThread)

private:
    // Declared first, destroyed last: the worker serves from it until the thread is gone.
    const std::shared_ptr<ServerContext> m_context;
    mutable QThread m_thread;
    Worker *m_worker;
    std::shared_ptr<WorkerCounters> m_counters;
    const quint64 m_serial;
};

} // namespace Server
