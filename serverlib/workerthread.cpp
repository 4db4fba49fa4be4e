#include "serverlib/workerthread.h"

#include "serverlib/serverlogging.h"

namespace Server {

WorkerThread::WorkerThread(ServerContext &context, const QString &name, quint64 serial)
    : m_worker(new Worker(context, name)), m_counters(m_worker->counters()), m_serial(serial)
{
    m_thread.setObjectName(name);
    m_worker->moveToThread(&m_thread);
    // Deleting the worker in its own thread deletes its sockets where they were created.
    QObject::connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread.start();
}

WorkerThread::~WorkerThread()
{
    join();
}

void WorkerThread::join()
{
    if (!m_thread.wait(QDeadlineTimer(10000)))
        qCCritical(lcServer) << "thread" << name() << "did not finish; waiting on";
    m_thread.wait();
    m_worker = nullptr;
}

} // namespace Server
