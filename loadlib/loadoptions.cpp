#include "loadlib/loadoptions.h"

#include "protocol/names.h"

namespace Load {

QString scenarioName(Scenario scenario)
{
    switch (scenario) {
    case Scenario::Fanout:
        return QStringLiteral("fanout");
    case Scenario::Latency:
        return QStringLiteral("latency");
    case Scenario::Connections:
        return QStringLiteral("connections");
    case Scenario::Churn:
        return QStringLiteral("churn");
    }
    return {};
}

std::optional<Scenario> scenarioFromName(QStringView name)
{
    for (Scenario scenario :
         {Scenario::Fanout, Scenario::Latency, Scenario::Connections, Scenario::Churn}) {
        if (name == scenarioName(scenario))
            return scenario;
    }
    return std::nullopt;
}

LoadOptions LoadOptions::preset(Scenario scenario)
{
    LoadOptions options;
    options.scenario = scenario;
    switch (scenario) {
    case Scenario::Fanout:
        break; // the defaults are the acceptance bar: 100 clients, 10 senders x 2,000 lines
    case Scenario::Latency:
        options.clients = 200;
        options.senders = 20;
        options.rate = 20;
        options.durationS = 10;
        options.messages = 200;
        break;
    case Scenario::Connections:
        options.clients = 2000;
        options.channels = 100;
        // One sender per channel proves every channel carries traffic after set-up.
        options.senders = 100;
        options.messages = 10;
        break;
    case Scenario::Churn:
        options.clients = 20; // residents who watch the churners JOIN and QUIT
        options.senders = 0;
        options.messages = 0;
        options.rate = 50;
        options.durationS = 10;
        break;
    }
    return options;
}

QList<ServerAddress> LoadOptions::serverAddresses() const
{
    return servers.isEmpty() ? QList<ServerAddress> {{host, port}} : servers;
}

// Within a generator thread (clients shard, shard + threads, ...) consecutive clients alternate
// between the servers, so that every thread has senders, receivers and window probes on each.
int LoadOptions::serverOf(int client) const
{
    const int count = int(servers.size());
    return count > 1 ? (client / qMax(1, threads)) % count : 0;
}

QString LoadOptions::validate() const
{
    if (clients < 1 || channels < 1)
        return QStringLiteral("--clients and --channels must be at least 1");
    if (joinsPerClient < 1 || joinsPerClient > channels)
        return QStringLiteral("--joins must be between 1 and --channels");
    if (senders < 0 || senders > clients)
        return QStringLiteral("--senders must be between 0 and --clients");
    if (sourceAddresses < 1 || sourceAddresses > 254)
        return QStringLiteral("--source-addresses must be between 1 and 254");
    if (setupConcurrency < 1)
        return QStringLiteral("--setup-concurrency must be at least 1");
    if (threads < 1 || threads > 64)
        return QStringLiteral("--threads must be between 1 and 64");
    if (rate < 0 || durationS < 0 || timeoutS <= 0 || idleTimeoutS <= 0)
        return QStringLiteral("--rate and --duration must not be negative, timeouts positive");
    if (scenario == Scenario::Churn && (rate <= 0 || durationS <= 0))
        return QStringLiteral("churn needs --rate (cycles per second) and --duration");
    if (scenario == Scenario::Churn && untilStopped)
        return QStringLiteral("churn runs for --duration, not until stopped");
    if (!channelName.isEmpty() && !Irc::isValidChannelName(channelName))
        return QStringLiteral("the channel name must start with # and contain no spaces or commas");
    return {};
}

} // namespace Load
