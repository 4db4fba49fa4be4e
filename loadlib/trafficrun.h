#pragma once

#include "loadlib/loadreport.h"
#include "loadlib/loadtopology.h"
#include "loadlib/runcontrol.h"
#include "loadlib/trafficshard.h"

#include <functional>
#include <memory>
#include <vector>

namespace Load {

class Endpoints;

// The fanout, latency and connections scenarios: set up every client, then let the senders
// write numbered lines while every receiver checks order and measures latency, until each
// expected delivery has arrived (or the run times out or stalls). The clients are spread over
// --threads shards, each with its own epoll loop, so that the generator is not the bottleneck.
// run() blocks the calling thread; `control` (optional, must outlive the run) lets other
// threads stop the run and watch its progress meanwhile.
class TrafficRun
{
public:
    TrafficRun(const LoadOptions &options, const Endpoints &endpoints,
               RunControl *control = nullptr);
    ~TrafficRun();
    LoadReport run();

private:
    bool runSetup();
    bool runSettle();
    void runTraffic();
    void runDrain();
    void runQuit();
    // Runs `work` on every shard, each in its own thread (the first in this one), and joins.
    void onEveryShard(const std::function<void(TrafficShard &)> &work);
    void fillSetup();
    void fillTraffic(const TrafficTally &tally);

    const LoadOptions &m_options;
    LoadTopology m_topology;
    RunControl m_ownControl; // when the caller passes none
    RunControl *m_control;
    TrafficShard::Shared m_shared;
    std::vector<std::unique_ptr<TrafficShard>> m_shards;
    LoadReport m_report;
    qint64 m_deadlineNs = 0;
    qint64 m_trafficStartNs = 0;
};

} // namespace Load
