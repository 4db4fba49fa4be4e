#pragma once

#include "loadlib/latencyhistogram.h"

#include <QElapsedTimer>
#include <QJsonObject>
#include <QTimer>

#include <functional>

#include <sys/resource.h>

// What a LagProbe saw: how late the event loop ran its timer, and what its thread did meanwhile.
// High lag at low CPU means the thread was ready but not scheduled (a loaded machine, see the
// involuntary switches), not that the GUI had too much to do.
struct LagSample
{
    int intervalMs = 0;
    Load::LatencySummary lag; // per tick, how much later than its interval the timer fired
    double wallSeconds = 0;
    double cpuSeconds = 0; // the thread's own user + system time
    long involuntarySwitches = 0; // preempted while it could have run
    long voluntarySwitches = 0; // went to sleep itself (an idle poll, a lock)

    double cpuPercent() const;
    QJsonObject lagJson() const;
    QJsonObject threadJson() const;
    QString toText() const;
};

// How late a repeating timer in the calling thread fires: each gap beyond its interval is time
// the event loop spent elsewhere, which is what a user feels as a sluggish window. It measures
// inside a plain QEventLoop (runUntil): QTest::qWait() sleeps up to 10 ms between rounds of
// events, and that sleep would show up as lag.
class LagProbe
{
public:
    explicit LagProbe(int intervalMs);

    void start();
    // Runs an event loop until `done` holds (checked on every tick) or `timeoutMs` passed.
    bool runUntil(const std::function<bool()> &done, int timeoutMs);
    LagSample stop();

private:
    void tick();

    int m_intervalMs;
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_lastNs = 0;
    rusage m_startUsage {};
    Load::LatencyHistogram m_lag;
};
