#pragma once

#include "loadlib/latencyhistogram.h"

#include <QStringList>

namespace Load {

// A traffic run as another thread sees it while it runs (RunControl::snapshot()).
struct LoadProgress
{
    enum class Phase {
        Idle, // not started
        SettingUp, // connecting, registering, joining
        Sending,
        Draining, // stopped sending; waiting for the lines still in flight
        Quitting, // QUIT sent; waiting for the server to close
        Finished,
    };

    Phase phase = Phase::Idle;
    int clients = 0;
    int connected = 0; // set up and still connected
    int failed = 0;
    quint64 messagesSent = 0;
    quint64 expectedDeliveries = 0; // lines sent x the other members of their channel
    quint64 receivedDeliveries = 0; // distinct
    quint64 outOfOrder = 0;
    quint64 duplicates = 0;
    quint64 missing = 0; // overtaken by a later line and not arrived since: lost so far
    LatencySummary latency; // since sending began
    qint64 sendingNs = 0; // how long the senders have been (or were) sending
    QStringList failures;
    bool timedOut = false;
    bool stalled = false;

    // Sent but not (yet) received. While sending these are in flight; once Finished after a
    // completed drain, anything left was lost.
    quint64 undelivered() const
    {
        return expectedDeliveries > receivedDeliveries ? expectedDeliveries - receivedDeliveries
                                                       : 0;
    }
    bool isActive() const { return phase != Phase::Idle && phase != Phase::Finished; }
};

} // namespace Load
