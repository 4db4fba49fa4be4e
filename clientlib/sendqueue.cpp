#include "clientlib/sendqueue.h"

namespace Client {

SendQueue::SendQueue(QObject *parent) : QObject(parent)
{
    connect(&m_refill, &QTimer::timeout, this, &SendQueue::refill);
}

void SendQueue::setPacing(int burst, int intervalMs)
{
    m_burst = qMax(burst, 0);
    m_tokens = m_burst;
    m_refill.setInterval(qMax(intervalMs, 0));
    m_refill.stop();
    flush();
}

void SendQueue::enqueue(const QByteArray &line)
{
    m_queue.enqueue(line);
    flush();
}

void SendQueue::enqueueBackground(const QByteArray &line)
{
    m_background.enqueue(line);
    flush();
}

void SendQueue::sendNow(const QByteArray &line)
{
    Q_EMIT lineReady(line);
}

void SendQueue::clear()
{
    m_queue.clear();
    m_background.clear();
    m_tokens = m_burst;
    m_refill.stop();
}

void SendQueue::flush()
{
    while (queuedLines() > 0 && (!paced() || m_tokens > 0)) {
        if (paced())
            --m_tokens;
        Q_EMIT lineReady(m_queue.isEmpty() ? m_background.dequeue() : m_queue.dequeue());
    }
    if (paced() && m_tokens < m_burst && !m_refill.isActive())
        m_refill.start();
}

void SendQueue::refill()
{
    m_tokens = qMin(m_tokens + 1, m_burst);
    flush();
    if (m_tokens >= m_burst && queuedLines() == 0)
        m_refill.stop();
}

} // namespace Client
