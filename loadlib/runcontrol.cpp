#include "loadlib/runcontrol.h"

#include "loadlib/monotonicclock.h"

namespace Load {

void RunControl::reset()
{
    const std::lock_guard lock(m_mutex);
    m_stopRequested.store(false, std::memory_order_release);
    m_drain.store(true, std::memory_order_release);
    m_slots.clear();
    m_phase = LoadProgress::Phase::Idle;
    m_sendingStartedNs = m_sendingEndedNs = 0;
}

void RunControl::requestStop(StopMode mode)
{
    if (mode == StopMode::Now)
        m_drain.store(false, std::memory_order_release);
    m_stopRequested.store(true, std::memory_order_release);
}

void RunControl::begin(int shards)
{
    const std::lock_guard lock(m_mutex);
    m_slots.assign(size_t(shards), Slot());
    m_phase = LoadProgress::Phase::SettingUp;
    m_sendingStartedNs = m_sendingEndedNs = 0;
}

void RunControl::setPhase(LoadProgress::Phase phase)
{
    const std::lock_guard lock(m_mutex);
    const qint64 nowNs = monotonicNs();
    if (phase == LoadProgress::Phase::Sending)
        m_sendingStartedNs = nowNs;
    else if (m_phase == LoadProgress::Phase::Sending)
        m_sendingEndedNs = nowNs;
    m_phase = phase;
}

void RunControl::publish(int shard, const ShardCounts &counts, const TrafficTally &tally)
{
    const std::lock_guard lock(m_mutex);
    Slot &slot = m_slots[size_t(shard)];
    slot.counts = counts;
    slot.tally = tally; // same-sized histogram: copies into the existing buffer
}

bool RunControl::everythingDelivered() const
{
    const std::lock_guard lock(m_mutex);
    quint64 expected = 0;
    quint64 received = 0;
    for (const Slot &slot : m_slots) {
        if (!slot.counts.sendingStopped)
            return false;
        expected += slot.tally.expectedDeliveries;
        received += slot.tally.receivedDeliveries;
    }
    return received >= expected;
}

LoadProgress RunControl::snapshot() const
{
    LoadProgress progress;
    TrafficTally total;
    {
        const std::lock_guard lock(m_mutex);
        for (const Slot &slot : m_slots) {
            progress.clients += slot.counts.clients;
            progress.connected += slot.counts.connected;
            progress.failed += slot.counts.failed;
            progress.missing += slot.counts.missing;
            total.add(slot.tally);
        }
        progress.phase = m_phase;
        if (m_sendingStartedNs > 0)
            progress.sendingNs
                = (m_sendingEndedNs ? m_sendingEndedNs : monotonicNs()) - m_sendingStartedNs;
    }
    progress.messagesSent = total.messagesSent;
    progress.expectedDeliveries = total.expectedDeliveries;
    progress.receivedDeliveries = total.receivedDeliveries;
    progress.outOfOrder = total.outOfOrder;
    progress.duplicates = total.duplicates;
    progress.latency = total.latency.summary();
    progress.failures = total.failures;
    progress.timedOut = total.timedOut;
    progress.stalled = total.stalled;
    return progress;
}

} // namespace Load
