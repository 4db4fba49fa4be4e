#include "clientlib/reconnectbackoff.h"

#include <QtGlobal>

#include <algorithm>

namespace Client {

ReconnectBackoff::ReconnectBackoff(int initialMs, int maxMs)
{
    setLimits(initialMs, maxMs);
}

void ReconnectBackoff::setLimits(int initialMs, int maxMs)
{
    m_initialMs = std::max(initialMs, 1);
    m_maxMs = std::max(maxMs, m_initialMs);
}

int ReconnectBackoff::nextDelay()
{
    qint64 delay = m_initialMs;
    for (int i = 0; i < m_attempts && delay < m_maxMs; ++i)
        delay *= 2;
    ++m_attempts;
    return int(std::min<qint64>(delay, m_maxMs));
}

} // namespace Client
