#include "loadlib/trafficrun.h"

#include "loadlib/monotonicclock.h"
#include "loadlib/progress.h"

#include <limits>
#include <thread>

#include <pthread.h>

namespace Load {

namespace {

// After a requested stop: lines in flight take milliseconds to arrive, two seconds leave room
// for a server that is behind. Whatever has not arrived by then is reported as undelivered.
constexpr qint64 DrainTimeoutNs = 2 * NsPerSecond;
// The server answers QUIT at once; a server that does not is not waited for long.
constexpr qint64 QuitTimeoutNs = 2 * NsPerSecond;

using Phase = LoadProgress::Phase;

} // namespace

TrafficRun::TrafficRun(const LoadOptions &options, const Endpoints &endpoints, RunControl *control)
    : m_options(options), m_topology(options), m_control(control ? control : &m_ownControl)
{
    m_shared.control = m_control;
    m_shared.probes.reset(options.threads, options.senders);
    for (int shard = 0; shard < options.threads; ++shard) {
        m_shards.push_back(
            std::make_unique<TrafficShard>(shard, options, m_topology, endpoints, m_shared));
    }
    m_report.options = options;
}

TrafficRun::~TrafficRun() = default;

LoadReport TrafficRun::run()
{
    const qint64 cpuStartNs = ProcessStats::selfCpuNs();
    m_deadlineNs = monotonicNs() + qint64(m_options.timeoutS * NsPerSecond);
    m_report.cpu.serverPids = m_options.serverPids;
    m_report.cpu.serverStart = ProcessStats::sample(m_options.serverPids);
    m_control->begin(int(m_shards.size()));
    if (runSetup() && runSettle())
        runTraffic();
    m_report.cpu.serverEnd = ProcessStats::sample(m_options.serverPids);
    if (m_options.quitAtEnd)
        runQuit();
    m_report.cpu.generatorTotalNs = ProcessStats::selfCpuNs() - cpuStartNs;
    m_control->setPhase(Phase::Finished);
    return m_report;
}

bool TrafficRun::runSetup()
{
    printProgress(m_options,
                  QStringLiteral("setting up %1 clients on %2 threads")
                      .arg(m_options.clients)
                      .arg(m_options.threads));
    onEveryShard([this](TrafficShard &shard) { shard.runSetup(m_deadlineNs); });
    m_report.cpu.serverAfterSetup = ProcessStats::sample(m_options.serverPids);
    fillSetup();
    printProgress(m_options,
                  QStringLiteral("%1 clients ready, %2 failed")
                      .arg(m_report.setup.ready)
                      .arg(m_report.setup.failed));
    return !m_report.timedOut && m_report.failures.isEmpty() && m_report.setup.failed == 0
        && !m_control->stopRequested();
}

// With one server, a client's 366 means the server knows it; with several, the others learn of
// it through their link, and a line said before they have would not reach it.
bool TrafficRun::runSettle()
{
    if (m_options.serverAddresses().size() < 2)
        return true;
    printProgress(m_options, QStringLiteral("waiting until every server knows every member"));
    onEveryShard([this](TrafficShard &shard) { shard.runSettle(m_deadlineNs); });
    for (const auto &shard : m_shards) {
        m_report.timedOut = m_report.timedOut || shard->tally().timedOut;
        for (const QString &failure : shard->tally().failures)
            m_report.failures.append(failure);
    }
    return !m_report.timedOut && m_report.failures.isEmpty() && !m_control->stopRequested();
}

void TrafficRun::runTraffic()
{
    printProgress(
        m_options,
        QStringLiteral("%1 senders x %2 lines").arg(m_options.senders).arg(m_options.messages));
    const qint64 cpuStartNs = ProcessStats::selfCpuNs();
    m_trafficStartNs = monotonicNs();
    m_control->setPhase(Phase::Sending);
    const qint64 deadlineNs
        = m_options.untilStopped ? std::numeric_limits<qint64>::max() : m_deadlineNs;
    onEveryShard([this, deadlineNs](TrafficShard &shard) {
        shard.runTraffic(m_trafficStartNs, deadlineNs);
    });
    if (m_control->stopRequested() && m_control->drainsOnStop() && !m_shared.stop)
        runDrain();
    m_report.cpu.generatorTrafficNs = ProcessStats::selfCpuNs() - cpuStartNs;
    TrafficTally total;
    for (const auto &shard : m_shards)
        total.add(shard->tally());
    fillTraffic(total);
}

void TrafficRun::runDrain()
{
    printProgress(m_options, QStringLiteral("stopped; waiting for the lines in flight"));
    m_control->setPhase(Phase::Draining);
    const qint64 deadlineNs = monotonicNs() + DrainTimeoutNs;
    onEveryShard([deadlineNs](TrafficShard &shard) { shard.runDrain(deadlineNs); });
}

void TrafficRun::runQuit()
{
    m_control->setPhase(Phase::Quitting);
    const qint64 deadlineNs = monotonicNs() + QuitTimeoutNs;
    onEveryShard([deadlineNs](TrafficShard &shard) { shard.runQuit(deadlineNs); });
}

void TrafficRun::onEveryShard(const std::function<void(TrafficShard &)> &work)
{
    std::vector<std::thread> threads;
    for (size_t i = 1; i < m_shards.size(); ++i) {
        threads.emplace_back([&work, shard = m_shards[i].get(), i] {
            // Named, so that top -H and perf show which share is busy.
            pthread_setname_np(pthread_self(),
                               QByteArray("load-" + QByteArray::number(qulonglong(i))).constData());
            work(*shard);
        });
    }
    work(*m_shards.front());
    for (std::thread &thread : threads)
        thread.join();
}

void TrafficRun::fillSetup()
{
    LoadReport::Setup &setup = m_report.setup;
    LatencyHistogram perClient;
    qint64 startedNs = std::numeric_limits<qint64>::max();
    qint64 finishedNs = 0;
    for (const auto &shard : m_shards) {
        const ClientFleet &fleet = shard->fleet();
        setup.clients += fleet.size();
        setup.ready += fleet.readyCount();
        perClient.merge(fleet.setupTimes());
        startedNs = qMin(startedNs, fleet.setupStartedNs());
        finishedNs = qMax(finishedNs, fleet.setupDone() ? fleet.setupFinishedNs() : monotonicNs());
        m_report.timedOut = m_report.timedOut || shard->tally().timedOut;
        for (const QString &failure : shard->tally().failures)
            m_report.failures.append(failure);
    }
    setup.failed = setup.clients - setup.ready; // failed, or still setting up at the timeout
    setup.durationNs = finishedNs - startedNs;
    setup.perClient = perClient.summary();
}

void TrafficRun::fillTraffic(const TrafficTally &tally)
{
    LoadReport::Traffic &traffic = m_report.traffic;
    traffic.ran = true;
    // Until stopped, every line sent was planned; what counts is that each one arrived.
    traffic.messagesPlanned = m_options.untilStopped
        ? tally.messagesSent
        : quint64(m_options.senders) * m_options.messages;
    traffic.messagesSent = tally.messagesSent;
    traffic.expectedDeliveries = tally.expectedDeliveries;
    traffic.receivedDeliveries = tally.receivedDeliveries;
    traffic.outOfOrder = tally.outOfOrder;
    traffic.duplicates = tally.duplicates;
    traffic.foreignLines = tally.foreignLines;
    traffic.latency = tally.latency.summary();
    traffic.crossServerLatency = tally.crossServerLatency.summary();
    traffic.durationNs = qMax<qint64>(0, tally.lastDeliveryNs - m_trafficStartNs);
    m_report.failures = tally.failures;
    m_report.timedOut = tally.timedOut;
    m_report.stalled = tally.stalled;
    if (tally.clientLost && m_report.failures.isEmpty())
        m_report.failures.append(QStringLiteral("a client was lost during traffic"));
}

} // namespace Load
