#pragma once

#include "serverlib/worker.h"

#include <QString>
#include <QThread>

#include <memory>

namespace Server {

// A Worker and the QThread it runs in, as the server's thread sees them. The worker is deleted
// in its own thread when the thread finishes; this object must outlive that (see join()).
class WorkerThread
{
public:
    WorkerThread(ServerContext &context, const QString &name, quint64 serial);
    ~WorkerThread();

    Worker *worker() const { return m_worker; } // valid until join()
    const WorkerCounters &counters() const { return *m_counters; }
    WorkerCounters &counters() { return *m_counters; }
    QString name() const { return m_thread.objectName(); }
    quint64 serial() const { return m_serial; }

    void quit() { m_thread.quit(); }
    // Waits for the thread to end; afterwards worker() is gone.
    void join();

    // For rates: what the counters said at the last stats tick.
    quint64 lastMessages = 0;
    quint64 lastDeliveries = 0;

    Q_DISABLE_COPY_MOVE(WorkerThread)

private:
    QThread m_thread;
    Worker *m_worker;
    std::shared_ptr<WorkerCounters> m_counters;
    const quint64 m_serial;
};

} // namespace Server
