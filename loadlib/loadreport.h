#pragma once

#include "loadlib/latencyhistogram.h"
#include "loadlib/loadoptions.h"
#include "loadlib/processstats.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace Load {

// What a run measured, and whether it passed. Printed for people (toText) or tools (toJson).
struct LoadReport
{
    enum ExitCode { Passed = 0, Failed = 1, Usage = 2, TimedOut = 3 };

    struct Setup
    {
        int clients = 0;
        int ready = 0;
        int failed = 0;
        qint64 durationNs = 0; // first connect to last client in all its channels
        LatencySummary perClient; // connect to ready, per client
    };

    struct Traffic
    {
        bool ran = false;
        quint64 messagesPlanned = 0;
        quint64 messagesSent = 0;
        quint64 expectedDeliveries = 0;
        quint64 receivedDeliveries = 0; // distinct
        quint64 outOfOrder = 0;
        quint64 duplicates = 0;
        quint64 foreignLines = 0; // PRIVMSGs without a load payload
        qint64 durationNs = 0; // first send to last delivery
        LatencySummary latency;
        // Several servers: deliveries whose sender is on another server than the receiver.
        LatencySummary crossServerLatency;
        quint64 loss() const;
        double deliveriesPerSecond() const;
    };

    struct Churn
    {
        bool ran = false;
        double targetRate = 0;
        quint64 planned = 0;
        quint64 started = 0;
        quint64 completed = 0;
        quint64 failed = 0;
        quint64 skipped = 0; // due while too many cycles were still running
        qint64 durationNs = 0;
        LatencySummary cycle; // connect to the server closing after QUIT
        quint64 joinsExpected = 0; // JOINs of churners the residents should see
        quint64 joinsSeen = 0;
        quint64 quitsExpected = 0;
        quint64 quitsSeen = 0;
    };

    struct Cpu
    {
        qint64 generatorTotalNs = 0;
        qint64 generatorTrafficNs = 0; // the traffic phase, or the churn phase
        QList<qint64> serverPids; // summed
        ProcessSample serverStart; // before the first connect
        ProcessSample serverAfterSetup;
        ProcessSample serverEnd; // after the last delivery or cycle
    };

    LoadOptions options;
    Setup setup;
    Traffic traffic;
    Churn churn;
    Cpu cpu;
    QStringList failures;
    bool timedOut = false;
    bool stalled = false;

    bool passed() const;
    int exitCode() const;
    QJsonObject toJson() const;
    QString toText() const;

private:
    QJsonObject parametersJson() const;
    QJsonObject setupJson() const;
    QJsonObject trafficJson() const;
    QJsonObject churnJson() const;
    QJsonObject generatorJson() const;
    QJsonObject serverJson() const;
    QJsonArray serversJson() const;
    QString setupText() const;
    QString trafficText() const;
    QString churnText() const;
    QString cpuText() const;
    quint64 measuredDeliveries() const;
    double rssPerConnectionKb() const;
    double generatorCoresBusy() const;
};

} // namespace Load
