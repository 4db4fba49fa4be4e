#pragma once

#include "loadlib/latencyhistogram.h"

#include <QStringList>

namespace Load {

// What one generator thread counted during a traffic run; the run adds the threads' tallies.
struct TrafficTally
{
    quint64 messagesSent = 0;
    quint64 expectedDeliveries = 0; // lines sent x the receivers of their channel
    quint64 receivedDeliveries = 0; // distinct
    quint64 outOfOrder = 0;
    quint64 duplicates = 0;
    quint64 foreignLines = 0;
    LatencyHistogram latency;
    LatencyHistogram crossServerLatency; // sender and receiver on different servers
    qint64 lastDeliveryNs = 0;
    QStringList failures;
    bool timedOut = false;
    bool stalled = false;
    bool clientLost = false; // a ready client failed: its deliveries will never arrive

    void add(const TrafficTally &other);
    void addFailure(const QString &failure);
};

} // namespace Load
