// qtchat-load: drives an IRC server with many clients from one epoll thread and reports
// throughput, loss, ordering and latency. Run with --help for the options.
#include "bench/loadcommandline.h"
#include "loadlib/churnrun.h"
#include "loadlib/endpoints.h"
#include "loadlib/trafficrun.h"

#include <QJsonDocument>

#include <csignal>
#include <cstdio>

#include <sys/resource.h>

namespace {

// Each client is a descriptor; the soft limit (often 1024) would cap a run long before the
// server does.
void raiseDescriptorLimit()
{
    rlimit limit {};
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
    }
}

Load::LoadReport runScenario(const Load::LoadOptions &options, const Load::Endpoints &endpoints)
{
    if (options.scenario == Load::Scenario::Churn)
        return Load::ChurnRun(options, endpoints).run();
    return Load::TrafficRun(options, endpoints).run();
}

void printReport(const Load::LoadReport &report)
{
    if (report.options.json)
        std::fputs(QJsonDocument(report.toJson()).toJson(QJsonDocument::Indented), stdout);
    else
        std::fputs(qPrintable(report.toText()), stdout);
}

} // namespace

int main(int argc, char *argv[])
{
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments.append(QString::fromLocal8Bit(argv[i]));
    LoadCommandLine commandLine;
    const LoadCommandLine::Result parsed = commandLine.parse(arguments);
    if (parsed != LoadCommandLine::Result::Ok) {
        const bool help = parsed == LoadCommandLine::Result::Help;
        std::fprintf(help ? stdout : stderr, "%s\n", qPrintable(commandLine.message()));
        return help ? Load::LoadReport::Passed : Load::LoadReport::Usage;
    }
    QString error;
    const std::optional<Load::Endpoints> endpoints
        = Load::Endpoints::resolve(commandLine.options(), &error);
    if (!endpoints) {
        std::fprintf(stderr, "qtchat-load: %s\n", qPrintable(error));
        return Load::LoadReport::Usage;
    }
    std::signal(SIGPIPE, SIG_IGN); // a closed peer is a reported failure, not a crash
    raiseDescriptorLimit();
    const Load::LoadReport report = runScenario(commandLine.options(), *endpoints);
    printReport(report);
    return report.exitCode();
}
