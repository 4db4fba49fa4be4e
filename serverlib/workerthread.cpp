#include "serverlib/workerthread.h"

namespace Server {

WorkerThread::WorkerThread(std::shared_ptr<ServerContext> context, const QString &name,
                           quint64 serial)
    : m_context(std::move(context)),
      m_worker(new Worker(*m_context, name)),
      m_counters(m_worker->counters()),
      m_serial(serial)
{
    m_thread.setObjectName(name);
    m_worker->moveToThread(&m_thread);
    // Deleting the worker in its own thread deletes its sockets where they were created.
    QObject::connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread.start();
}

WorkerThread::~WorkerThread()
{
    Q_ASSERT_X(hasEnded(), "WorkerThread", "deleted while its thread still runs");
}

bool WorkerThread::hasEnded() const
{
    // QThread::isFinished() is already true while the thread is still deleting the worker and
    // its event dispatcher, when ~QThread would wait; a wait with a deadline that has already
    // passed only looks.
    return m_thread.wait(QDeadlineTimer(0));
}

bool WorkerThread::waitUntil(QDeadlineTimer deadline)
{
    return m_thread.wait(deadline);
}

} // namespace Server
