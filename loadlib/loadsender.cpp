#include "loadlib/loadsender.h"

#include "loadlib/monotonicclock.h"
#include "loadlib/payload.h"
#include "protocol/ircmessage.h"

#include <cmath>

namespace Load {

LoadSender::LoadSender(quint32 id, LoadClient &client, QByteArray channel, quint32 total)
    : m_id(id), m_client(client), m_channel(std::move(channel)), m_total(total)
{ }

void LoadSender::setRate(double perSecond, qint64 startNs)
{
    m_rate = perSecond;
    m_startNs = startNs;
}

void LoadSender::setWindow(quint32 window, int probe)
{
    m_window = window;
    m_probe = probe;
}

quint32 LoadSender::allowance(qint64 nowNs, quint64 confirmed) const
{
    const quint32 remaining = m_total - m_sent;
    if (m_rate > 0) {
        if (nowNs < m_startNs)
            return 0;
        const double due = std::floor(double(nowNs - m_startNs) * m_rate / NsPerSecond) + 1;
        return quint32(qBound(0.0, due - m_sent, double(remaining)));
    }
    if (m_window == 0 || m_probe < 0)
        return remaining;
    const quint64 inFlight = m_sent - qMin<quint64>(confirmed, m_sent);
    return inFlight >= m_window ? 0 : qMin(remaining, quint32(m_window - inFlight));
}

qint64 LoadSender::nextDueNs() const
{
    if (m_rate <= 0)
        return 0;
    return m_startNs + qint64(std::ceil(double(m_sent) * NsPerSecond / m_rate));
}

QByteArray LoadSender::takeLine(qint64 nowNs)
{
    const QByteArray text = Payload {m_id, m_sent++, nowNs}.toText();
    return Irc::makeLine({}, "PRIVMSG", {m_channel, text});
}

} // namespace Load
