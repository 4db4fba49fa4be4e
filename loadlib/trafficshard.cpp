#include "loadlib/trafficshard.h"

#include "loadlib/loadclient.h"
#include "loadlib/loadoptions.h"
#include "loadlib/loadtopology.h"
#include "loadlib/monotonicclock.h"
#include "loadlib/payload.h"
#include "loadlib/runcontrol.h"
#include "protocol/ircmessage.h"

#include <limits>

namespace Load {

namespace {

// The generator's own bound on queued output per sender: a sender whose socket is full
// waits for EPOLLOUT instead of buffering more lines.
constexpr qsizetype MaxQueuedBytes = 16 * 1024;
// Waking at least this often keeps the deadline, stop and stall checks responsive.
constexpr qint64 MaxWaitNs = 100 * NsPerMs;
// How often a shard tells its RunControl what it counted: often enough for a live display,
// rare enough that the copy (mostly the latency histogram, ~60 KB) costs nothing.
constexpr qint64 PublishIntervalNs = 100 * NsPerMs;
// A settle marker lost because its server did not know all members yet is sent again after this.
constexpr qint64 SettleResendNs = 200 * NsPerMs;
constexpr QByteArrayView SettlePrefix = "settle ";
// A sender held by another shard's probe looks again this often: that shard does not wake
// this one when its probe reads.
constexpr qint64 ForeignProbePollNs = NsPerMs;

} // namespace

TrafficShard::TrafficShard(int shard, const LoadOptions &options, const LoadTopology &topology,
                           const Endpoints &endpoints, Shared &shared)
    : m_shard(shard),
      m_shards(options.threads),
      m_options(options),
      m_topology(topology),
      m_shared(shared),
      m_fleet({shard, options.threads, options.clients},
              qMax(1, options.setupConcurrency / options.threads), topology, endpoints, m_loop,
              *this),
      m_received(size_t(m_fleet.size())),
      m_localSender(size_t(options.senders), -1)
{ }

void TrafficShard::runSetup(qint64 deadlineNs)
{
    m_fleet.startSetup();
    noteSetupProgress();
    const bool inTime = runLoopUntil(
        deadlineNs, [this] { return stopping() || m_shared.shardsSetUp == m_shards; });
    if (!inTime) {
        m_tally.timedOut = true;
        stopAll();
    }
    publish(monotonicNs());
}

void TrafficShard::noteSetupProgress()
{
    if (m_setUpCounted || !m_fleet.setupDone())
        return;
    m_setUpCounted = true;
    ++m_shared.shardsSetUp;
}

void TrafficShard::runSettle(qint64 deadlineNs)
{
    planSettle();
    m_settling = true;
    sendSettleMarkers(monotonicNs());
    noteSettleProgress();
    const bool inTime = runLoopUntil(
        deadlineNs, [this] { return stopping() || m_shared.shardsSettled == m_shards; });
    m_settling = false;
    if (!inTime) {
        m_tally.addFailure(QStringLiteral("the servers did not learn each other's channel "
                                          "members before the time-out"));
        m_tally.timedOut = true;
        stopAll();
    }
}

// For each channel and server: the channel's first member on that server says a marker, and
// every member on another server must read it.
void TrafficShard::planSettle()
{
    const int servers = int(m_options.serverAddresses().size());
    std::vector<std::vector<int>> markerSender(size_t(m_options.channels),
                                               std::vector<int>(size_t(servers), -1));
    for (int channel = 0; channel < m_options.channels; ++channel) {
        for (int member : m_topology.membersOf(channel)) {
            int &sender = markerSender[size_t(channel)][size_t(m_options.serverOf(member))];
            if (sender < 0)
                sender = member;
        }
        for (int server = 0; server < servers; ++server) {
            const int sender = markerSender[size_t(channel)][size_t(server)];
            if (sender >= 0 && sender % m_shards == m_shard)
                m_settleMarkers.emplace_back(sender, channel);
        }
    }
    m_settleSeen.assign(size_t(m_fleet.size()), {});
    m_settleNeeded.assign(size_t(m_fleet.size()), 0);
    for (int local = 0; local < m_fleet.size(); ++local) {
        const int index = m_fleet.client(local).index();
        for (int j = 0; j < m_options.joinsPerClient; ++j) {
            const int channel = (index + j) % m_options.channels;
            for (int server = 0; server < servers; ++server) {
                if (server != m_options.serverOf(index)
                    && markerSender[size_t(channel)][size_t(server)] >= 0)
                    m_settleNeeded[size_t(local)] += 1;
            }
        }
    }
}

void TrafficShard::sendSettleMarkers(qint64 nowNs)
{
    m_lastSettleNs = nowNs;
    for (const auto &[sender, channel] : m_settleMarkers) {
        LoadClient &client = m_fleet.client(m_fleet.localIndexOf(sender));
        const QByteArray text
            = SettlePrefix.toByteArray() + QByteArray::number(m_options.serverOf(sender));
        client.queue(Irc::makeLine({}, "PRIVMSG", {m_topology.channel(channel), text}));
        client.flush();
    }
}

// True when `message` is a marker (counted while settling, ignored after).
bool TrafficShard::recordSettleMarker(const LoadClient &client, const Irc::IrcMessage &message)
{
    if (!message.param(1).startsWith(SettlePrefix))
        return false;
    if (m_settling) {
        m_settleSeen[size_t(m_fleet.localIndexOf(client.index()))].insert(message.param(0) + ' '
                                                                          + message.param(1));
        noteSettleProgress();
    }
    return true;
}

void TrafficShard::noteSettleProgress()
{
    if (m_settledCounted)
        return;
    for (size_t local = 0; local < m_settleSeen.size(); ++local) {
        if (m_settleSeen[local].size() < m_settleNeeded[local])
            return;
    }
    m_settledCounted = true;
    ++m_shared.shardsSettled;
}

void TrafficShard::runTraffic(qint64 startNs, qint64 deadlineNs)
{
    m_lastProgressNs = startNs;
    m_inTraffic = true;
    chooseProbes();
    createSenders(startNs);
    m_plannedDeliveries = plannedDeliveries();
    for (LoadSender &sender : m_senders)
        feed(sender, startNs);
    if (!runLoopUntil(deadlineNs, [this] { return trafficDone(); })) {
        m_tally.timedOut = true;
        stopAll();
    }
    m_inTraffic = false;
    stopSending(monotonicNs());
}

// Sent lines stay expected; the run's totals of expected deliveries are final from here on.
void TrafficShard::stopSending(qint64 nowNs)
{
    for (LoadSender &sender : m_senders)
        sender.abandon();
    m_sendingStopped = true;
    publish(nowNs);
}

void TrafficShard::runDrain(qint64 deadlineNs)
{
    const RunControl &control = *m_shared.control;
    runLoopUntil(deadlineNs, [this, &control] {
        return m_shared.stop || !control.drainsOnStop() || control.everythingDelivered();
    });
    publish(monotonicNs());
}

void TrafficShard::runQuit(qint64 deadlineNs)
{
    m_quitting = true;
    for (int local = 0; local < m_fleet.size(); ++local) {
        LoadClient &client = m_fleet.client(local);
        if (client.state() == LoadClient::State::Ready)
            client.quit("load run finished");
        else
            client.abort(); // still setting up: the server may not even have accepted it
    }
    runLoopUntil(deadlineNs, [this] { return allClosed(); });
    for (int local = 0; local < m_fleet.size(); ++local)
        m_fleet.client(local).abort(); // the server did not answer in time
    publish(monotonicNs());
}

bool TrafficShard::allClosed() const
{
    for (int local = 0; local < m_fleet.size(); ++local) {
        if (m_fleet.client(local).isOpen())
            return false;
    }
    return true;
}

// A probe among this shard's clients for every sender of the run, local or not, so that each
// sender's window covers every shard's receivers.
void TrafficShard::chooseProbes()
{
    const int count = m_options.senders;
    const bool windowed = !m_options.isPaced() && m_options.window > 0;
    m_probeOf.assign(size_t(count), -1);
    for (int s = 0; s < count; ++s) {
        if (windowed)
            m_probeOf[size_t(s)] = m_topology.probeFor(s, count, m_shards, m_shard);
        if (m_probeOf[size_t(s)] < 0) // nobody here to wait for
            m_shared.probes.publish(m_shard, quint32(s), std::numeric_limits<quint64>::max());
    }
}

void TrafficShard::createSenders(qint64 startNs)
{
    const int count = m_options.senders;
    m_senders.reserve(size_t(count / m_shards + 1));
    // Until stopped: more lines than a sender at 1,000 lines/s writes in 49 days.
    const quint32 lines
        = m_options.untilStopped ? std::numeric_limits<quint32>::max() : m_options.messages;
    for (int s = m_shard; s < count; s += m_shards) {
        const int channel = m_topology.channelOfSender(s);
        LoadClient &client = m_fleet.client(m_fleet.localIndexOf(s));
        LoadSender &sender
            = m_senders.emplace_back(quint32(s), client, m_topology.channel(channel), lines);
        sender.setReceivers(m_topology.memberCount(channel) - 1);
        sender.setWindow(m_options.window, m_probeOf[size_t(s)]);
        // Staggered starts: paced senders would otherwise all fire in the same millisecond.
        if (m_options.isPaced())
            sender.setRate(m_options.rate,
                           startNs + qint64(NsPerSecond / m_options.rate * s / count));
        m_localSender[size_t(s)] = int(m_senders.size()) - 1;
    }
}

// Known in advance, so that a shard knows when it is done without asking the others.
quint64 TrafficShard::plannedDeliveries() const
{
    quint64 planned = 0;
    for (int s = 0; s < m_options.senders; ++s) {
        for (int member : m_topology.membersOf(m_topology.channelOfSender(s))) {
            if (member != s && member % m_shards == m_shard)
                planned += m_options.messages;
        }
    }
    return planned;
}

void TrafficShard::feed(LoadSender &sender, qint64 nowNs)
{
    LoadClient &client = sender.client();
    if (!client.isOpen() || m_sendingStopped)
        return;
    quint32 allowed = sender.allowance(nowNs, confirmedAtProbe(sender));
    for (; allowed > 0 && client.pendingOutput() < MaxQueuedBytes; --allowed) {
        client.queue(sender.takeLine(nowNs));
        m_tally.messagesSent += 1;
        m_tally.expectedDeliveries += quint64(sender.receivers());
        m_lastProgressNs = nowNs;
    }
    client.flush();
    // More is allowed but the buffer is full: come back when the socket has room.
    client.setWantsWritable(allowed > 0);
}

quint64 TrafficShard::confirmedAtProbe(const LoadSender &sender) const
{
    if (sender.probe() < 0)
        return sender.sent();
    quint64 confirmed
        = m_received[size_t(m_fleet.localIndexOf(sender.probe()))].uniqueFrom(sender.id());
    for (int shard = 0; shard < m_shards; ++shard) {
        if (shard != m_shard)
            confirmed = qMin(confirmed, m_shared.probes.seen(shard, sender.id()));
    }
    return confirmed;
}

// Senders whose window another shard's probe holds: fed again here, since that shard's reads
// do not wake this one. Returns when to look again.
qint64 TrafficShard::feedWindowedSenders(qint64 nowNs)
{
    qint64 wakeNs = std::numeric_limits<qint64>::max();
    if (m_shards == 1 || m_options.window == 0)
        return wakeNs;
    for (LoadSender &sender : m_senders) {
        if (sender.finished() || sender.client().pendingOutput() >= MaxQueuedBytes)
            continue;
        if (sender.allowance(nowNs, confirmedAtProbe(sender)) > 0)
            feed(sender, nowNs);
        if (!sender.finished() && sender.allowance(nowNs, confirmedAtProbe(sender)) == 0)
            wakeNs = nowNs + ForeignProbePollNs;
    }
    return wakeNs;
}

void TrafficShard::clientReady(LoadClient &client)
{
    m_fleet.clientSettled(client);
    noteSetupProgress();
}

void TrafficShard::clientFailed(LoadClient &client)
{
    if (m_quitting)
        return; // the run is over; a reset while leaving loses nothing
    m_tally.addFailure(QString::fromUtf8(client.failure()));
    if (client.readyNs() == 0) {
        m_fleet.clientSettled(client); // failed while setting up
        noteSetupProgress();
        return;
    }
    // A client lost after it was ready means lost deliveries: waiting for them would only stall.
    m_tally.clientLost = true;
    stopAll();
}

void TrafficShard::clientMessage(LoadClient &client, const Irc::IrcMessage &message, qint64 readNs)
{
    if (message.command != "PRIVMSG")
        return; // JOINs of later clients, QUITs at the end
    if (Irc::nickOf(message.source) == client.nick())
        return; // its own line back (echo-message): not a delivery
    if (recordSettleMarker(client, message))
        return;
    const std::optional<Payload> payload = Payload::fromText(message.param(1));
    if (!payload || payload->sender >= quint32(m_options.senders)) {
        m_tally.foreignLines += 1;
        return;
    }
    recordDelivery(client, *payload, readNs);
}

void TrafficShard::recordDelivery(const LoadClient &receiver, const Payload &payload, qint64 readNs)
{
    SequenceChecker &checker = m_received[size_t(m_fleet.localIndexOf(receiver.index()))];
    switch (checker.record(payload.sender, payload.sequence)) {
    case SequenceChecker::Verdict::Duplicate:
        m_tally.duplicates += 1;
        return;
    case SequenceChecker::Verdict::OutOfOrder:
        m_tally.outOfOrder += 1;
        break;
    case SequenceChecker::Verdict::InOrder:
        break;
    }
    m_tally.receivedDeliveries += 1;
    m_tally.latency.record(readNs - payload.sentNs);
    if (m_options.serverOf(int(payload.sender)) != m_options.serverOf(receiver.index()))
        m_tally.crossServerLatency.record(readNs - payload.sentNs);
    m_tally.lastDeliveryNs = m_lastProgressNs = readNs;
    if (payload.sender >= m_probeOf.size() || m_probeOf[payload.sender] != receiver.index())
        return;
    // The window moved.
    m_shared.probes.publish(m_shard, payload.sender, checker.uniqueFrom(payload.sender));
    const int local = m_localSender[payload.sender];
    if (local >= 0)
        feed(m_senders[size_t(local)], readNs);
}

void TrafficShard::clientWritable(LoadClient &client)
{
    const bool sends = client.index() < m_options.senders && m_localSender[client.index()] >= 0;
    if (sends && !m_sendingStopped)
        feed(m_senders[size_t(m_localSender[client.index()])], monotonicNs());
    else
        client.setWantsWritable(false);
}

bool TrafficShard::trafficDone() const
{
    if (stopping())
        return true;
    // Lines still in a sender's buffer must reach the socket before this thread stops writing.
    for (const LoadSender &sender : m_senders) {
        if (!sender.finished() || sender.client().pendingOutput() > 0)
            return false;
    }
    return m_tally.receivedDeliveries >= m_plannedDeliveries;
}

// False when the deadline came first.
bool TrafficShard::runLoopUntil(qint64 deadlineNs, const std::function<bool()> &done)
{
    return m_loop.runUntil(deadlineNs, done, [this](qint64 nowNs) { return onTick(nowNs); });
}

bool TrafficShard::stopping() const
{
    return m_shared.stop || m_shared.control->stopRequested();
}

// Sends what paced senders owe, notices a stall, publishes progress, and says when to wake.
qint64 TrafficShard::onTick(qint64 nowNs)
{
    qint64 wakeNs = nowNs + MaxWaitNs;
    if (nowNs - m_lastPublishNs >= PublishIntervalNs)
        publish(nowNs);
    if (m_settling && m_shared.shardsSettled < m_shards && nowNs - m_lastSettleNs >= SettleResendNs)
        sendSettleMarkers(nowNs);
    if (!m_inTraffic)
        return wakeNs;
    if (nowNs - m_lastProgressNs > qint64(m_options.idleTimeoutS * NsPerSecond)) {
        m_tally.stalled = true;
        stopAll();
    }
    if (!m_options.isPaced())
        return qMin(wakeNs, feedWindowedSenders(nowNs));
    for (LoadSender &sender : m_senders) {
        if (!sender.finished() && sender.nextDueNs() <= nowNs)
            feed(sender, nowNs);
        if (!sender.finished())
            wakeNs = qMin(wakeNs, sender.nextDueNs());
    }
    return wakeNs;
}

void TrafficShard::stopAll()
{
    m_shared.stop = true;
}

void TrafficShard::publish(qint64 nowNs)
{
    RunControl::ShardCounts counts;
    counts.clients = m_fleet.size();
    for (int local = 0; local < m_fleet.size(); ++local) {
        const LoadClient &client = m_fleet.client(local);
        counts.connected += client.state() == LoadClient::State::Ready && client.isOpen();
        counts.failed += client.state() == LoadClient::State::Failed;
        counts.missing += m_received[size_t(local)].missing();
    }
    counts.sendingStopped = m_sendingStopped;
    m_shared.control->publish(m_shard, counts, m_tally);
    m_lastPublishNs = nowNs;
}

} // namespace Load
