#include "loadlib/loadreport.h"

#include "loadlib/monotonicclock.h"

namespace Load {

namespace {

double seconds(qint64 ns)
{
    return double(ns) / NsPerSecond;
}

double micros(qint64 ns)
{
    return double(ns) / 1000.0;
}

QJsonObject latencyJson(const LatencySummary &summary)
{
    return {{QStringLiteral("count"), qint64(summary.count)},
            {QStringLiteral("p50_us"), micros(summary.p50Ns)},
            {QStringLiteral("p99_us"), micros(summary.p99Ns)},
            {QStringLiteral("p999_us"), micros(summary.p999Ns)},
            {QStringLiteral("max_us"), micros(summary.maxNs)},
            {QStringLiteral("mean_us"), summary.meanNs / 1000.0}};
}

QString latencyText(const LatencySummary &summary)
{
    return QStringLiteral("p50 %1 us, p99 %2 us, p99.9 %3 us, max %4 us")
        .arg(micros(summary.p50Ns), 0, 'f', 0)
        .arg(micros(summary.p99Ns), 0, 'f', 0)
        .arg(micros(summary.p999Ns), 0, 'f', 0)
        .arg(micros(summary.maxNs), 0, 'f', 0);
}

// CPU microseconds per delivery, or 0 when nothing was delivered.
double perDeliveryUs(qint64 cpuNs, quint64 deliveries)
{
    return deliveries ? micros(cpuNs) / double(deliveries) : 0.0;
}

} // namespace

quint64 LoadReport::Traffic::loss() const
{
    return expectedDeliveries > receivedDeliveries ? expectedDeliveries - receivedDeliveries : 0;
}

double LoadReport::Traffic::deliveriesPerSecond() const
{
    return durationNs > 0 ? double(receivedDeliveries) / seconds(durationNs) : 0.0;
}

bool LoadReport::passed() const
{
    const bool trafficOk = !traffic.ran
        || (traffic.loss() == 0 && traffic.outOfOrder == 0 && traffic.duplicates == 0
            && traffic.messagesSent == traffic.messagesPlanned);
    const bool churnOk = !churn.ran
        || (churn.failed == 0 && churn.skipped == 0 && churn.completed == churn.planned
            && churn.joinsSeen == churn.joinsExpected && churn.quitsSeen == churn.quitsExpected);
    return !timedOut && !stalled && failures.isEmpty() && setup.failed == 0 && trafficOk && churnOk;
}

int LoadReport::exitCode() const
{
    if (timedOut)
        return TimedOut;
    return passed() ? Passed : Failed;
}

quint64 LoadReport::measuredDeliveries() const
{
    return traffic.receivedDeliveries;
}

// What the server's resident memory grew by during set-up, per client that got ready.
double LoadReport::rssPerConnectionKb() const
{
    if (setup.ready == 0)
        return 0.0;
    return double(cpu.serverAfterSetup.rssKb - cpu.serverStart.rssKb) / setup.ready;
}

QJsonObject LoadReport::toJson() const
{
    QJsonObject json {{QStringLiteral("scenario"), scenarioName(options.scenario)},
                      {QStringLiteral("parameters"), parametersJson()},
                      {QStringLiteral("setup"), setupJson()},
                      {QStringLiteral("generator"), generatorJson()},
                      {QStringLiteral("passed"), passed()},
                      {QStringLiteral("timed_out"), timedOut},
                      {QStringLiteral("stalled"), stalled},
                      {QStringLiteral("exit_code"), exitCode()},
                      {QStringLiteral("failures"), QJsonArray::fromStringList(failures)}};
    if (traffic.ran)
        json.insert(QStringLiteral("traffic"), trafficJson());
    if (churn.ran)
        json.insert(QStringLiteral("churn"), churnJson());
    if (!cpu.serverPids.isEmpty())
        json.insert(QStringLiteral("server"), serverJson());
    return json;
}

QJsonObject LoadReport::parametersJson() const
{
    return {{QStringLiteral("host"), QString::fromUtf8(options.host)},
            {QStringLiteral("port"), options.port},
            {QStringLiteral("servers"), serversJson()},
            {QStringLiteral("clients"), options.clients},
            {QStringLiteral("channels"), options.channels},
            {QStringLiteral("joins"), options.joinsPerClient},
            {QStringLiteral("senders"), options.senders},
            {QStringLiteral("messages"), qint64(options.messages)},
            {QStringLiteral("rate"), options.rate},
            {QStringLiteral("duration_s"), options.durationS},
            {QStringLiteral("window"), qint64(options.window)},
            {QStringLiteral("source_addresses"), options.sourceAddresses},
            {QStringLiteral("threads"), options.scenario == Scenario::Churn ? 1 : options.threads},
            {QStringLiteral("timeout_s"), options.timeoutS}};
}

QJsonArray LoadReport::serversJson() const
{
    QJsonArray servers;
    for (const ServerAddress &address : options.serverAddresses())
        servers.append(
            QStringLiteral("%1:%2").arg(QString::fromUtf8(address.host)).arg(address.port));
    return servers;
}

QJsonObject LoadReport::setupJson() const
{
    return {{QStringLiteral("clients"), setup.clients},
            {QStringLiteral("ready"), setup.ready},
            {QStringLiteral("failed"), setup.failed},
            {QStringLiteral("seconds"), seconds(setup.durationNs)},
            {QStringLiteral("per_client"), latencyJson(setup.perClient)}};
}

QJsonObject LoadReport::trafficJson() const
{
    QJsonObject json {{QStringLiteral("messages_planned"), qint64(traffic.messagesPlanned)},
                      {QStringLiteral("messages_sent"), qint64(traffic.messagesSent)},
                      {QStringLiteral("expected_deliveries"), qint64(traffic.expectedDeliveries)},
                      {QStringLiteral("received_deliveries"), qint64(traffic.receivedDeliveries)},
                      {QStringLiteral("loss"), qint64(traffic.loss())},
                      {QStringLiteral("out_of_order"), qint64(traffic.outOfOrder)},
                      {QStringLiteral("duplicates"), qint64(traffic.duplicates)},
                      {QStringLiteral("foreign_lines"), qint64(traffic.foreignLines)},
                      {QStringLiteral("seconds"), seconds(traffic.durationNs)},
                      {QStringLiteral("deliveries_per_second"), traffic.deliveriesPerSecond()},
                      {QStringLiteral("latency"), latencyJson(traffic.latency)}};
    if (options.serverAddresses().size() > 1)
        json.insert(QStringLiteral("cross_server_latency"),
                    latencyJson(traffic.crossServerLatency));
    return json;
}

QJsonObject LoadReport::churnJson() const
{
    return {{QStringLiteral("target_rate"), churn.targetRate},
            {QStringLiteral("planned"), qint64(churn.planned)},
            {QStringLiteral("started"), qint64(churn.started)},
            {QStringLiteral("completed"), qint64(churn.completed)},
            {QStringLiteral("failed"), qint64(churn.failed)},
            {QStringLiteral("skipped"), qint64(churn.skipped)},
            {QStringLiteral("seconds"), seconds(churn.durationNs)},
            {QStringLiteral("cycles_per_second"),
             churn.durationNs > 0 ? double(churn.completed) / seconds(churn.durationNs) : 0.0},
            {QStringLiteral("cycle"), latencyJson(churn.cycle)},
            {QStringLiteral("joins_expected"), qint64(churn.joinsExpected)},
            {QStringLiteral("joins_seen"), qint64(churn.joinsSeen)},
            {QStringLiteral("quits_expected"), qint64(churn.quitsExpected)},
            {QStringLiteral("quits_seen"), qint64(churn.quitsSeen)}};
}

QJsonObject LoadReport::generatorJson() const
{
    return {{QStringLiteral("cpu_seconds_total"), seconds(cpu.generatorTotalNs)},
            {QStringLiteral("cpu_seconds_traffic"), seconds(cpu.generatorTrafficNs)},
            {QStringLiteral("cpu_us_per_delivery"),
             perDeliveryUs(cpu.generatorTrafficNs, measuredDeliveries())},
            {QStringLiteral("cores_busy"), generatorCoresBusy()}};
}

// The generator's CPU time over the wall time of the traffic or churn phase: cores kept busy.
// Near the thread count, the generator is saturated and measures itself, not the server.
double LoadReport::generatorCoresBusy() const
{
    const qint64 wallNs = churn.ran ? churn.durationNs : traffic.durationNs;
    return wallNs > 0 ? double(cpu.generatorTrafficNs) / double(wallNs) : 0.0;
}

QJsonObject LoadReport::serverJson() const
{
    const ProcessSample &start = cpu.serverStart;
    const ProcessSample &setupEnd = cpu.serverAfterSetup;
    const ProcessSample &end = cpu.serverEnd;
    const bool valid = start.valid && setupEnd.valid && end.valid;
    const qint64 trafficCpu = end.cpuNs - setupEnd.cpuNs;
    QJsonArray pids;
    for (qint64 pid : cpu.serverPids)
        pids.append(pid);
    return {
        {QStringLiteral("pid"), cpu.serverPids.constFirst()},
        {QStringLiteral("pids"), pids},
        {QStringLiteral("sampled"), valid},
        {QStringLiteral("rss_kb_start"), start.rssKb},
        {QStringLiteral("rss_kb_after_setup"), setupEnd.rssKb},
        {QStringLiteral("rss_kb_end"), end.rssKb},
        {QStringLiteral("peak_rss_kb"), end.peakRssKb},
        {QStringLiteral("rss_kb_per_connection"), rssPerConnectionKb()},
        {QStringLiteral("cpu_seconds_setup"), seconds(setupEnd.cpuNs - start.cpuNs)},
        {QStringLiteral("cpu_seconds_traffic"), seconds(trafficCpu)},
        {QStringLiteral("cpu_us_per_delivery"), perDeliveryUs(trafficCpu, measuredDeliveries())}};
}

QString LoadReport::toText() const
{
    QString text = QStringLiteral("qtchat-load %1: %2\n")
                       .arg(scenarioName(options.scenario),
                            passed() ? QStringLiteral("PASSED") : QStringLiteral("FAILED"));
    text += setupText();
    if (traffic.ran)
        text += trafficText();
    if (churn.ran)
        text += churnText();
    text += cpuText();
    if (timedOut)
        text += QStringLiteral("  timed out after %1 s\n").arg(options.timeoutS);
    if (stalled)
        text += QStringLiteral("  stalled: nothing moved for %1 s\n").arg(options.idleTimeoutS);
    for (const QString &failure : failures)
        text += QStringLiteral("  failure: ") + failure + u'\n';
    return text;
}

QString LoadReport::setupText() const
{
    return QStringLiteral("  set-up: %1/%2 clients ready (%3 failed) in %4 s; per client %5\n")
        .arg(setup.ready)
        .arg(setup.clients)
        .arg(setup.failed)
        .arg(seconds(setup.durationNs), 0, 'f', 3)
        .arg(latencyText(setup.perClient));
}

QString LoadReport::trafficText() const
{
    QString text
        = QStringLiteral("  traffic: %1/%2 lines sent, deliveries %3 expected, %4 received, "
                         "loss %5, out of order %6, duplicates %7\n"
                         "  throughput: %8 deliveries/s over %9 s\n"
                         "  latency: %10\n")
              .arg(traffic.messagesSent)
              .arg(traffic.messagesPlanned)
              .arg(traffic.expectedDeliveries)
              .arg(traffic.receivedDeliveries)
              .arg(traffic.loss())
              .arg(traffic.outOfOrder)
              .arg(traffic.duplicates)
              .arg(traffic.deliveriesPerSecond(), 0, 'f', 0)
              .arg(seconds(traffic.durationNs), 0, 'f', 3)
              .arg(latencyText(traffic.latency));
    if (options.serverAddresses().size() > 1)
        text += QStringLiteral("  across servers: %1 deliveries, %2\n")
                    .arg(traffic.crossServerLatency.count)
                    .arg(latencyText(traffic.crossServerLatency));
    return text;
}

QString LoadReport::churnText() const
{
    return QStringLiteral("  churn: %1/%2 cycles completed (%3 failed, %4 skipped) in %5 s at "
                          "target %6/s; cycle %7\n"
                          "  residents saw %8/%9 JOINs and %10/%11 QUITs of churners\n")
        .arg(churn.completed)
        .arg(churn.planned)
        .arg(churn.failed)
        .arg(churn.skipped)
        .arg(seconds(churn.durationNs), 0, 'f', 3)
        .arg(churn.targetRate)
        .arg(latencyText(churn.cycle))
        .arg(churn.joinsSeen)
        .arg(churn.joinsExpected)
        .arg(churn.quitsSeen)
        .arg(churn.quitsExpected);
}

QString LoadReport::cpuText() const
{
    // Per-delivery costs only mean something when lines were delivered.
    const QString phase = churn.ran ? QStringLiteral("churn") : QStringLiteral("traffic");
    const auto perDelivery = [this](qint64 cpuNs) {
        return traffic.ran ? QStringLiteral(" (%1 us per delivery)")
                                 .arg(perDeliveryUs(cpuNs, measuredDeliveries()), 0, 'f', 2)
                           : QString();
    };
    QString text = QStringLiteral("  generator CPU: %1 s total, %2 s during %3%4, %5 % of a core\n")
                       .arg(seconds(cpu.generatorTotalNs), 0, 'f', 3)
                       .arg(seconds(cpu.generatorTrafficNs), 0, 'f', 3)
                       .arg(phase, perDelivery(cpu.generatorTrafficNs))
                       .arg(100.0 * generatorCoresBusy(), 0, 'f', 0);
    if (cpu.serverPids.isEmpty())
        return text;
    const ProcessSample &start = cpu.serverStart;
    const ProcessSample &setupEnd = cpu.serverAfterSetup;
    const ProcessSample &end = cpu.serverEnd;
    QStringList pids;
    for (qint64 pid : cpu.serverPids)
        pids.append(QString::number(pid));
    text += QStringLiteral("  server %1: RSS %2 KiB at start, %3 KiB after set-up (%4 KiB per "
                           "connection), %5 KiB at end, peak %6 KiB\n"
                           "  server CPU: %7 s set-up, %8 s %9%10\n")
                .arg(pids.join(u'+'))
                .arg(start.rssKb)
                .arg(setupEnd.rssKb)
                .arg(rssPerConnectionKb(), 0, 'f', 1)
                .arg(end.rssKb)
                .arg(end.peakRssKb)
                .arg(seconds(setupEnd.cpuNs - start.cpuNs), 0, 'f', 3)
                .arg(seconds(end.cpuNs - setupEnd.cpuNs), 0, 'f', 3)
                .arg(phase, perDelivery(end.cpuNs - setupEnd.cpuNs));
    if (!(start.valid && setupEnd.valid && end.valid))
        text += QStringLiteral("  (could not read /proc/%1: numbers are incomplete)\n")
                    .arg(pids.join(u','));
    return text;
}

} // namespace Load
