#pragma once

#include <QByteArray>
#include <QObject>
#include <QQueue>
#include <QTimer>

namespace Client {

// Paces outgoing lines with a token bucket: `burst` lines go out at once, then one per
// interval. Servers throttle or disconnect clients that send faster (ngircd's penalties,
// InspIRCd's "Excess Flood"), and a long message split into pieces is such a burst.
class SendQueue : public QObject
{
    Q_OBJECT

public:
    explicit SendQueue(QObject *parent = nullptr);

    // An interval or burst of 0 sends everything at once.
    void setPacing(int burst, int intervalMs);
    void enqueue(const QByteArray &line);
    // For lines the client sends on its own (the queries after a join): they go out only
    // when no other line waits, so that what the user types never queues behind them.
    void enqueueBackground(const QByteArray &line);
    // For PONG and QUIT, which must not wait behind chat lines.
    void sendNow(const QByteArray &line);
    void clear();
    qsizetype queuedLines() const { return m_queue.size() + m_background.size(); }

Q_SIGNALS:
    void lineReady(const QByteArray &line);

private:
    bool paced() const { return m_burst > 0 && m_refill.interval() > 0; }
    void flush();
    void refill();

    QQueue<QByteArray> m_queue;
    QQueue<QByteArray> m_background;
    QTimer m_refill;
    int m_burst = 0;
    int m_tokens = 0;
};

} // namespace Client
