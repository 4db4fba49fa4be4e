#include "tools/guilag/lagprobe.h"

#include <QEventLoop>

namespace {

constexpr qint64 NsPerMs = 1'000'000;

rusage threadUsage()
{
    rusage usage {};
    getrusage(RUSAGE_THREAD, &usage);
    return usage;
}

double cpuSeconds(const rusage &usage)
{
    const auto seconds = [](const timeval &t) {
        return double(t.tv_sec) + double(t.tv_usec) / 1e6;
    };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

double millis(qint64 ns)
{
    return double(ns) / 1e6;
}

double micros(qint64 ns)
{
    return double(ns) / 1e3;
}

} // namespace

double LagSample::cpuPercent() const
{
    return wallSeconds > 0 ? 100.0 * cpuSeconds / wallSeconds : 0.0;
}

QJsonObject LagSample::lagJson() const
{
    return {{QStringLiteral("interval_ms"), intervalMs},
            {QStringLiteral("ticks"), qint64(lag.count)},
            {QStringLiteral("p50_us"), micros(lag.p50Ns)},
            {QStringLiteral("p99_us"), micros(lag.p99Ns)},
            {QStringLiteral("p999_us"), micros(lag.p999Ns)},
            {QStringLiteral("max_us"), micros(lag.maxNs)},
            {QStringLiteral("mean_us"), lag.meanNs / 1e3}};
}

QJsonObject LagSample::threadJson() const
{
    return {{QStringLiteral("seconds"), wallSeconds},
            {QStringLiteral("cpu_seconds"), cpuSeconds},
            {QStringLiteral("cpu_percent"), cpuPercent()},
            {QStringLiteral("involuntary_context_switches"), qint64(involuntarySwitches)},
            {QStringLiteral("voluntary_context_switches"), qint64(voluntarySwitches)}};
}

QString LagSample::toText() const
{
    return QStringLiteral("  GUI event-loop lag over %1 ticks of %2 ms: p50 %3 ms, p99 %4 ms, "
                          "p99.9 %5 ms, max %6 ms\n"
                          "  GUI thread: busy %7 % of %8 s; %9 involuntary, %10 voluntary "
                          "context switches\n")
        .arg(lag.count)
        .arg(intervalMs)
        .arg(millis(lag.p50Ns), 0, 'f', 2)
        .arg(millis(lag.p99Ns), 0, 'f', 2)
        .arg(millis(lag.p999Ns), 0, 'f', 2)
        .arg(millis(lag.maxNs), 0, 'f', 2)
        .arg(cpuPercent(), 0, 'f', 0)
        .arg(wallSeconds, 0, 'f', 1)
        .arg(involuntarySwitches)
        .arg(voluntarySwitches);
}

LagProbe::LagProbe(int intervalMs) : m_intervalMs(intervalMs)
{
    // A coarse timer may fire up to 5 % early or late by design; that would be noise, not lag.
    m_timer.setTimerType(Qt::PreciseTimer);
    m_timer.setInterval(intervalMs);
    QObject::connect(&m_timer, &QTimer::timeout, [this] { tick(); });
}

void LagProbe::start()
{
    m_lag = Load::LatencyHistogram();
    m_lastNs = 0;
    m_startUsage = threadUsage();
    m_clock.start();
    m_timer.start();
}

bool LagProbe::runUntil(const std::function<bool()> &done, int timeoutMs)
{
    QEventLoop loop;
    const QMetaObject::Connection check
        = QObject::connect(&m_timer, &QTimer::timeout, &loop, [&loop, &done] {
              if (done())
                  loop.quit();
          });
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    loop.exec();
    QObject::disconnect(check);
    return done();
}

LagSample LagProbe::stop()
{
    m_timer.stop();
    const rusage usage = threadUsage();
    LagSample sample;
    sample.intervalMs = m_intervalMs;
    sample.lag = m_lag.summary();
    sample.wallSeconds = double(m_clock.nsecsElapsed()) / 1e9;
    sample.cpuSeconds = cpuSeconds(usage) - cpuSeconds(m_startUsage);
    sample.involuntarySwitches = usage.ru_nivcsw - m_startUsage.ru_nivcsw;
    sample.voluntarySwitches = usage.ru_nvcsw - m_startUsage.ru_nvcsw;
    return sample;
}

void LagProbe::tick()
{
    const qint64 nowNs = m_clock.nsecsElapsed();
    if (m_lastNs > 0)
        m_lag.record(qMax<qint64>(0, nowNs - m_lastNs - m_intervalMs * NsPerMs));
    m_lastNs = nowNs;
}
