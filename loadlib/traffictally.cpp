#include "loadlib/traffictally.h"

namespace Load {

namespace {

// Ten reasons tell what went wrong; thousands of identical ones would bury the report.
constexpr int MaxReportedFailures = 10;

} // namespace

void TrafficTally::add(const TrafficTally &other)
{
    messagesSent += other.messagesSent;
    expectedDeliveries += other.expectedDeliveries;
    receivedDeliveries += other.receivedDeliveries;
    outOfOrder += other.outOfOrder;
    duplicates += other.duplicates;
    foreignLines += other.foreignLines;
    latency.merge(other.latency);
    crossServerLatency.merge(other.crossServerLatency);
    lastDeliveryNs = qMax(lastDeliveryNs, other.lastDeliveryNs);
    for (const QString &failure : other.failures)
        addFailure(failure);
    timedOut = timedOut || other.timedOut;
    stalled = stalled || other.stalled;
    clientLost = clientLost || other.clientLost;
}

void TrafficTally::addFailure(const QString &failure)
{
    if (failures.size() < MaxReportedFailures)
        failures.append(failure);
}

} // namespace Load
