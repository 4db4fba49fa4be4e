#pragma once

#include "loadlib/clientfleet.h"
#include "loadlib/epollloop.h"
#include "loadlib/latencyhistogram.h"
#include "loadlib/loadclientlistener.h"
#include "loadlib/loadreport.h"
#include "loadlib/loadtopology.h"

#include <functional>
#include <memory>
#include <vector>

namespace Load {

class Endpoints;

// The churn scenario: resident clients sit in the channels while new clients connect,
// register, join one channel and QUIT at a fixed rate. Checks that every cycle completes and
// that the residents see each churner's JOIN and QUIT.
class ChurnRun : public LoadClientListener
{
public:
    ChurnRun(const LoadOptions &options, const Endpoints &endpoints);
    ~ChurnRun() override;
    LoadReport run();

    void clientReady(LoadClient &client) override;
    void clientFailed(LoadClient &client) override;
    void clientClosed(LoadClient &client) override;
    void clientMessage(LoadClient &client, const Irc::IrcMessage &message, qint64 readNs) override;
    void clientWritable(LoadClient &client) override;

private:
    bool runSetup();
    void runChurn();
    void startDueCycles(qint64 nowNs);
    void startCycle(quint64 cycle);
    void retire(LoadClient &client);
    bool churnDone() const;
    bool runLoopUntil(const std::function<bool()> &done);
    qint64 onTick(qint64 nowNs);
    qint64 dueNs(quint64 cycle) const;
    void fillReport();

    const LoadOptions &m_options;
    const Endpoints &m_endpoints;
    LoadTopology m_topology;
    EpollLoop m_loop;
    ClientFleet m_residents;
    std::vector<std::unique_ptr<LoadClient>> m_active;
    std::vector<std::unique_ptr<LoadClient>> m_retired; // deleted after poll() returns
    LatencyHistogram m_cycleTimes;
    LoadReport m_report;
    quint64 m_nextCycle = 0;
    qint64 m_deadlineNs = 0;
    qint64 m_churnStartNs = 0;
    qint64 m_lastProgressNs = 0;
    bool m_inChurn = false;
    bool m_residentLost = false;
};

} // namespace Load
