#pragma once

#include "loadlib/loadprogress.h"
#include "loadlib/traffictally.h"

#include <atomic>
#include <mutex>
#include <vector>

namespace Load {

// How other threads steer and watch a traffic run: any thread may ask it to stop and take a
// snapshot of its progress; the run's shard threads publish what they counted. Shards publish
// on their loop's tick, a few times a second, never per line, so one mutex costs the delivery
// path nothing and a reader always sees each shard's counts from one moment.
class RunControl
{
public:
    enum class StopMode {
        Drain, // stop sending, wait (briefly) for the lines in flight, then end
        Now, // end without waiting for lines in flight (the server is going away)
    };

    // What a shard knows apart from its tally.
    struct ShardCounts
    {
        int clients = 0;
        int connected = 0;
        int failed = 0;
        quint64 missing = 0;
        bool sendingStopped = false; // its expected deliveries are final
    };

    // Before a new run: no stop requested, nothing published, Idle. Not while a run is active.
    void reset();
    // Any thread. A later Now overrides an earlier Drain, not the other way round.
    void requestStop(StopMode mode);
    bool stopRequested() const { return m_stopRequested.load(std::memory_order_acquire); }
    bool drainsOnStop() const { return m_drain.load(std::memory_order_acquire); }

    // The run's threads.
    void begin(int shards);
    void setPhase(LoadProgress::Phase phase);
    void publish(int shard, const ShardCounts &counts, const TrafficTally &tally);
    // Every shard stopped sending and every line it sent has reached every receiver.
    bool everythingDelivered() const;

    // Any thread.
    LoadProgress snapshot() const;

private:
    struct Slot
    {
        ShardCounts counts;
        TrafficTally tally;
    };

    std::atomic<bool> m_stopRequested {false};
    std::atomic<bool> m_drain {true};
    mutable std::mutex m_mutex;
    std::vector<Slot> m_slots;
    LoadProgress::Phase m_phase = LoadProgress::Phase::Idle;
    qint64 m_sendingStartedNs = 0;
    qint64 m_sendingEndedNs = 0;
};

} // namespace Load
