#pragma once

#include <QByteArray>

namespace Load {

class LoadClient;

// One client's outgoing stream of numbered, timestamped PRIVMSGs to one channel, and when the
// next line may go: at a fixed rate, or while fewer than `window` lines are unseen at the probes
// (TrafficShard: one in each generator thread).
class LoadSender
{
public:
    LoadSender(quint32 id, LoadClient &client, QByteArray channel, quint32 total);

    void setRate(double perSecond, qint64 startNs);
    void setWindow(quint32 window, int probe);
    void setReceivers(int receivers) { m_receivers = receivers; }

    // Lines that may be queued now. `confirmed`: lines of this sender the probe has received.
    quint32 allowance(qint64 nowNs, quint64 confirmed) const;
    // Paced: when the next line is due. Unpaced: 0.
    qint64 nextDueNs() const;
    QByteArray takeLine(qint64 nowNs);
    // The client is gone: what was sent stays expected, nothing more will be.
    void abandon() { m_total = m_sent; }

    quint32 id() const { return m_id; }
    LoadClient &client() const { return m_client; }
    int probe() const { return m_probe; }
    int receivers() const { return m_receivers; }
    quint32 sent() const { return m_sent; }
    bool finished() const { return m_sent >= m_total; }

private:
    quint32 m_id;
    LoadClient &m_client;
    QByteArray m_channel;
    quint32 m_total;
    quint32 m_sent = 0;
    int m_receivers = 0;
    double m_rate = 0;
    qint64 m_startNs = 0;
    quint32 m_window = 0;
    int m_probe = -1;
};

} // namespace Load
