#include "loadlib/churnrun.h"

#include "loadlib/endpoints.h"
#include "loadlib/loadclient.h"
#include "loadlib/monotonicclock.h"
#include "loadlib/progress.h"
#include "protocol/ircmessage.h"

#include <algorithm>
#include <cmath>

namespace Load {

namespace {

constexpr qint64 MaxWaitNs = 100 * NsPerMs;
constexpr int MaxReportedFailures = 10;

} // namespace

ChurnRun::ChurnRun(const LoadOptions &options, const Endpoints &endpoints)
    : m_options(options),
      m_endpoints(endpoints),
      m_topology(options),
      m_residents({0, 1, options.clients}, options.setupConcurrency, m_topology, endpoints, m_loop,
                  *this)
{
    m_report.options = options;
}

ChurnRun::~ChurnRun() = default;

LoadReport ChurnRun::run()
{
    const qint64 cpuStartNs = ProcessStats::selfCpuNs();
    m_deadlineNs = monotonicNs() + qint64(m_options.timeoutS * NsPerSecond);
    m_report.cpu.serverPids = m_options.serverPids;
    m_report.cpu.serverStart = ProcessStats::sample(m_options.serverPids);
    if (runSetup())
        runChurn();
    m_report.cpu.serverEnd = ProcessStats::sample(m_options.serverPids);
    m_report.cpu.generatorTotalNs = ProcessStats::selfCpuNs() - cpuStartNs;
    fillReport();
    return m_report;
}

bool ChurnRun::runSetup()
{
    printProgress(m_options,
                  QStringLiteral("setting up %1 resident clients").arg(m_options.clients));
    m_residents.startSetup();
    m_report.timedOut = !runLoopUntil([this] { return m_residents.setupDone() || m_residentLost; });
    m_report.cpu.serverAfterSetup = ProcessStats::sample(m_options.serverPids);
    return !m_report.timedOut && !m_residentLost && m_residents.failedCount() == 0;
}

void ChurnRun::runChurn()
{
    m_report.churn.ran = true;
    m_report.churn.targetRate = m_options.rate;
    m_report.churn.planned = quint64(std::llround(m_options.rate * m_options.durationS));
    printProgress(m_options,
                  QStringLiteral("churning %1 cycles at %2/s")
                      .arg(m_report.churn.planned)
                      .arg(m_options.rate));
    const qint64 cpuStartNs = ProcessStats::selfCpuNs();
    m_churnStartNs = m_lastProgressNs = monotonicNs();
    m_inChurn = true;
    m_report.timedOut = !runLoopUntil([this] { return churnDone(); });
    m_inChurn = false;
    m_report.churn.durationNs = m_lastProgressNs - m_churnStartNs;
    m_report.cpu.generatorTrafficNs = ProcessStats::selfCpuNs() - cpuStartNs;
}

qint64 ChurnRun::dueNs(quint64 cycle) const
{
    return m_churnStartNs + qint64(double(cycle) * NsPerSecond / m_options.rate);
}

void ChurnRun::startDueCycles(qint64 nowNs)
{
    for (; m_nextCycle < m_report.churn.planned && dueNs(m_nextCycle) <= nowNs; ++m_nextCycle) {
        // A server slower than the rate would let cycles pile up without bound: skip and say so.
        if (int(m_active.size()) >= m_options.setupConcurrency)
            m_report.churn.skipped += 1;
        else
            startCycle(m_nextCycle);
    }
}

void ChurnRun::startCycle(quint64 cycle)
{
    const int channel = int(cycle % quint64(m_options.channels));
    const int index = m_options.clients + int(cycle);
    ClientSetup setup {m_topology.churnNick(cycle),
                       {m_topology.channel(channel)},
                       m_endpoints.serverFor(index),
                       m_endpoints.sourceFor(index),
                       m_topology.capabilities()};
    m_active.push_back(std::make_unique<LoadClient>(index, setup, m_loop, *this));
    m_report.churn.started += 1;
    m_report.churn.joinsExpected += quint64(m_topology.memberCount(channel));
    m_active.back()->start();
}

void ChurnRun::clientReady(LoadClient &client)
{
    if (m_residents.contains(client)) {
        m_residents.clientSettled(client);
        return;
    }
    // Residents see the QUIT of a churner that completed its JOIN.
    const int channel = (client.index() - m_options.clients) % m_options.channels;
    m_report.churn.quitsExpected += quint64(m_topology.memberCount(channel));
    client.quit("churn");
}

void ChurnRun::clientFailed(LoadClient &client)
{
    if (m_report.failures.size() < MaxReportedFailures)
        m_report.failures.append(QString::fromUtf8(client.failure()));
    if (!m_residents.contains(client)) {
        m_report.churn.failed += 1;
        retire(client);
    } else if (client.readyNs() == 0) {
        m_residents.clientSettled(client); // failed while setting up
    } else {
        m_residentLost = true;
    }
}

void ChurnRun::clientClosed(LoadClient &client)
{
    const qint64 nowNs = monotonicNs();
    m_cycleTimes.record(nowNs - client.startedNs());
    m_report.churn.completed += 1;
    m_lastProgressNs = nowNs;
    retire(client);
}

void ChurnRun::clientMessage(LoadClient &client, const Irc::IrcMessage &message, qint64 readNs)
{
    // Only residents count: a churner that is still in the channel also sees the JOINs and
    // QUITs of the churners that overlap with it (every cycle overlaps on a server that takes
    // longer than 1/rate to register one), and those are not what the counts expect.
    if (!m_residents.contains(client))
        return;
    if (!m_topology.isChurnNick(Irc::nickOf(message.source)))
        return;
    if (message.command == "JOIN")
        m_report.churn.joinsSeen += 1;
    else if (message.command == "QUIT")
        m_report.churn.quitsSeen += 1;
    else
        return;
    m_lastProgressNs = readNs;
}

void ChurnRun::clientWritable(LoadClient &client)
{
    client.setWantsWritable(false); // churners only send set-up lines and QUIT
}

void ChurnRun::retire(LoadClient &client)
{
    const auto it = std::find_if(m_active.begin(), m_active.end(),
                                 [&client](const auto &active) { return active.get() == &client; });
    if (it == m_active.end())
        return;
    m_retired.push_back(std::move(*it));
    *it = std::move(m_active.back());
    m_active.pop_back();
}

bool ChurnRun::churnDone() const
{
    const LoadReport::Churn &churn = m_report.churn;
    return m_residentLost || m_report.stalled
        || (m_nextCycle >= churn.planned && m_active.empty()
            && churn.joinsSeen >= churn.joinsExpected && churn.quitsSeen >= churn.quitsExpected);
}

// False when the global deadline came first.
bool ChurnRun::runLoopUntil(const std::function<bool()> &done)
{
    return m_loop.runUntil(m_deadlineNs, done, [this](qint64 nowNs) { return onTick(nowNs); });
}

// Runs between two polls, so clients retired inside the last poll can be deleted here.
qint64 ChurnRun::onTick(qint64 nowNs)
{
    m_retired.clear();
    qint64 wakeNs = nowNs + MaxWaitNs;
    if (!m_inChurn)
        return wakeNs;
    startDueCycles(nowNs);
    if (nowNs - m_lastProgressNs > qint64(m_options.idleTimeoutS * NsPerSecond))
        m_report.stalled = true;
    if (m_nextCycle < m_report.churn.planned)
        wakeNs = qMin(wakeNs, dueNs(m_nextCycle));
    return wakeNs;
}

void ChurnRun::fillReport()
{
    LoadReport::Setup &setup = m_report.setup;
    setup.clients = m_residents.size();
    setup.ready = m_residents.readyCount();
    setup.failed = setup.clients - setup.ready;
    setup.durationNs = (m_residents.setupDone() ? m_residents.setupFinishedNs() : monotonicNs())
        - m_residents.setupStartedNs();
    setup.perClient = m_residents.setupTimes().summary();
    m_report.churn.cycle = m_cycleTimes.summary();
    if (m_residentLost)
        m_report.failures.append(QStringLiteral("a resident client was lost during churn"));
}

} // namespace Load
