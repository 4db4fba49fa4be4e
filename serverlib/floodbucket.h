#pragma once

#include <QtGlobal>

namespace Server {

// Flood control for one client, counted in lines: up to `burst` lines pass at once, then
// `perSecond` lines a second. A rate of 0 disables it.
//
// Kept as the time the next line would be on time (GCRA) rather than a token count. While
// lines are held back, each one taken is booked at its own due time, not at the time the
// worker's sweep came round to it; so a held-back client gets its full rate, not one burst per
// sweep. Costs nothing while a client is quiet: no timer, the caller's clock is read per line.
class FloodBucket
{
public:
    FloodBucket(int burst, double perSecond)
        : m_intervalMs(perSecond > 0 ? 1000 / perSecond : 0),
          m_toleranceMs((burst - 1) * m_intervalMs)
    { }

    // True when one more line may be handled at `nowMs`; false holds lines back until a later
    // call says true.
    bool hasToken(qint64 nowMs)
    {
        if (m_intervalMs <= 0 || m_nextMs - double(nowMs) <= m_toleranceMs)
            return true;
        m_holding = true;
        return false;
    }
    void take(qint64 nowMs)
    {
        m_nextMs = (m_holding ? m_nextMs : qMax(m_nextMs, double(nowMs))) + m_intervalMs;
    }
    // Nothing is waiting any more: the next line counts from the present again, so that a
    // quiet client gets one burst, never the time it was quiet.
    void caughtUp() { m_holding = false; }

private:
    const double m_intervalMs; // between lines at the sustained rate
    const double m_toleranceMs; // how far ahead of the rate a burst may run
    double m_nextMs = 0;
    bool m_holding = false;
};

} // namespace Server
