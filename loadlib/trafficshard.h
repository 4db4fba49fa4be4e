#pragma once

#include "loadlib/clientfleet.h"
#include "loadlib/epollloop.h"
#include "loadlib/loadclientlistener.h"
#include "loadlib/loadsender.h"
#include "loadlib/sequencechecker.h"
#include "loadlib/traffictally.h"

#include <QSet>

#include <atomic>
#include <functional>
#include <memory>
#include <vector>

namespace Load {

class Endpoints;
class LoadTopology;
class RunControl;
struct LoadOptions;
struct Payload;

// How many lines of each sender the probe each shard keeps for it has read. A sender's window
// counts from the slowest of them: with a probe in the sender's own shard only, the receivers
// of the other shards could fall behind without bound while the window still looked open, and
// the run measured the generator's own backlog instead of the server's.
class ProbeProgress
{
public:
    void reset(int shards, int senders)
    {
        m_senders = senders;
        m_seen = std::make_unique<std::atomic<quint64>[]>(size_t(shards) * size_t(senders));
    }
    void publish(int shard, quint32 sender, quint64 seen)
    {
        at(shard, sender).store(seen, std::memory_order_relaxed);
    }
    quint64 seen(int shard, quint32 sender) const
    {
        return at(shard, sender).load(std::memory_order_relaxed);
    }

private:
    std::atomic<quint64> &at(int shard, quint32 sender) const
    {
        return m_seen[size_t(shard) * size_t(m_senders) + sender];
    }

    int m_senders = 0;
    std::unique_ptr<std::atomic<quint64>[]> m_seen;
};

// One generator thread's share of a traffic run: the clients whose index % threads == shard,
// the senders among them, and the order and latency checks of their receivers. On the delivery
// path shards share one relaxed counter per sender and shard (ProbeProgress), no lock, so more
// threads give the generator more cores.
class TrafficShard : public LoadClientListener
{
public:
    // What the threads of one run tell each other.
    struct Shared
    {
        std::atomic<bool> stop {false}; // a shard failed, stalled or timed out: all stop
        std::atomic<int> shardsSetUp {0};
        std::atomic<int> shardsSettled {0};
        ProbeProgress probes; // sized by the run before any shard starts
        RunControl *control = nullptr; // stop requests from outside; where progress goes
    };

    TrafficShard(int shard, const LoadOptions &options, const LoadTopology &topology,
                 const Endpoints &endpoints, Shared &shared);

    // Connects, registers and joins this shard's clients, and keeps reading until every shard
    // is set up, so that no client's input piles up while the others finish.
    void runSetup(qint64 deadlineNs);
    // Several servers: until every client has read a marker line from a member on each other
    // server of its channels, so that no server still misses members that joined elsewhere
    // when traffic starts. Markers are sent again until they arrive.
    void runSettle(qint64 deadlineNs);
    // Sends this shard's lines and receives until every delivery to its clients has arrived
    // (or, until stopped, until a stop is requested).
    void runTraffic(qint64 startNs, qint64 deadlineNs);
    // After a requested stop: sends nothing more and keeps receiving until every shard's lines
    // have arrived everywhere.
    void runDrain(qint64 deadlineNs);
    // Every set-up client sends QUIT; waits until the server has closed them all.
    void runQuit(qint64 deadlineNs);

    const ClientFleet &fleet() const { return m_fleet; }
    const TrafficTally &tally() const { return m_tally; }

    void clientReady(LoadClient &client) override;
    void clientFailed(LoadClient &client) override;
    void clientClosed(LoadClient &) override { }
    void clientMessage(LoadClient &client, const Irc::IrcMessage &message, qint64 readNs) override;
    void clientWritable(LoadClient &client) override;

private:
    void noteSetupProgress();
    void planSettle();
    void sendSettleMarkers(qint64 nowNs);
    bool recordSettleMarker(const LoadClient &client, const Irc::IrcMessage &message);
    void noteSettleProgress();
    void chooseProbes();
    void createSenders(qint64 startNs);
    quint64 plannedDeliveries() const;
    void feed(LoadSender &sender, qint64 nowNs);
    qint64 feedWindowedSenders(qint64 nowNs);
    quint64 confirmedAtProbe(const LoadSender &sender) const;
    void recordDelivery(const LoadClient &receiver, const Payload &payload, qint64 readNs);
    bool trafficDone() const;
    bool stopping() const;
    void stopSending(qint64 nowNs);
    bool allClosed() const;
    void publish(qint64 nowNs);
    bool runLoopUntil(qint64 deadlineNs, const std::function<bool()> &done);
    qint64 onTick(qint64 nowNs);
    void stopAll();

    const int m_shard;
    const int m_shards;
    const LoadOptions &m_options;
    const LoadTopology &m_topology;
    Shared &m_shared;
    EpollLoop m_loop;
    ClientFleet m_fleet;
    std::vector<SequenceChecker> m_received; // per client of this shard
    std::vector<LoadSender> m_senders;
    std::vector<int> m_localSender; // run-wide sender id -> index in m_senders, or -1
    std::vector<int> m_probeOf; // run-wide sender id -> this shard's probe client for it, or -1
    // Settling: the markers this shard's clients send (client index, channel), and per local
    // client the markers seen ("#channel server") and how many it needs.
    std::vector<std::pair<int, int>> m_settleMarkers;
    std::vector<QSet<QByteArray>> m_settleSeen;
    std::vector<int> m_settleNeeded;
    qint64 m_lastSettleNs = 0;
    bool m_settling = false;
    bool m_settledCounted = false;
    TrafficTally m_tally;
    quint64 m_plannedDeliveries = 0; // to this shard's clients when every sender sends all
    qint64 m_lastProgressNs = 0;
    qint64 m_lastPublishNs = 0;
    bool m_setUpCounted = false;
    bool m_inTraffic = false;
    bool m_sendingStopped = false;
    bool m_quitting = false;
};

} // namespace Load
