#include "app/commandline.h"

#include <QCoreApplication>
#include <QFile>

namespace App {

namespace {

struct Options
{
    QCommandLineOption start {
        QStringLiteral("start"),
        CommandLine::tr("Desktop: start the server as soon as the window opens.")};
    QCommandLineOption nick {QStringLiteral("nick"),
                             CommandLine::tr("Desktop: the chat pane's nickname."),
                             CommandLine::tr("name")};
    QCommandLineOption config {
        QStringLiteral("config"),
        CommandLine::tr("Read and write settings in this file instead of the default."),
        CommandLine::tr("file")};
    QCommandLineOption headless {
        QStringLiteral("headless"),
        CommandLine::tr("Run the server without a window; log to stderr.")};
    QCommandLineOption bind {QStringLiteral("bind"),
                             CommandLine::tr("Address to listen on (default 127.0.0.1)."),
                             CommandLine::tr("address"), QStringLiteral("127.0.0.1")};
    QCommandLineOption port {QStringLiteral("port"),
                             CommandLine::tr("TCP port to listen on (default 6667)."),
                             CommandLine::tr("port"), QStringLiteral("6667")};
    QCommandLineOption threading {
        QStringLiteral("threading"),
        CommandLine::tr("Threading model: per-connection, pool or single (default pool)."),
        CommandLine::tr("model"), QStringLiteral("pool")};
    QCommandLineOption workers {
        QStringLiteral("workers"),
        CommandLine::tr("Worker threads in pool mode (default: one per core)."),
        CommandLine::tr("count"), QStringLiteral("0")};
    QCommandLineOption serverName {
        QStringLiteral("server-name"),
        CommandLine::tr("Server name shown to clients (default qtchat.local)."),
        CommandLine::tr("name"), QStringLiteral("qtchat.local")};
    QCommandLineOption password {QStringLiteral("password"),
                                 CommandLine::tr("Require this password (PASS) from clients."),
                                 CommandLine::tr("password")};
    QCommandLineOption protocol {
        QStringLiteral("protocol"),
        CommandLine::tr(
            "Wire protocol: irc, or tutorial for the tutorial's echo clients (default irc)."),
        CommandLine::tr("protocol"), QStringLiteral("irc")};
    QCommandLineOption motd {QStringLiteral("motd"),
                             CommandLine::tr("File whose lines are the message of the day."),
                             CommandLine::tr("file")};
    QCommandLineOption tlsCert {
        QStringLiteral("tls-cert"),
        CommandLine::tr("Speak TLS only, with this PEM certificate (chain); needs "
                        "--tls-key."),
        CommandLine::tr("file")};
    QCommandLineOption tlsKey {QStringLiteral("tls-key"),
                               CommandLine::tr("The PEM private key for --tls-cert (unencrypted)."),
                               CommandLine::tr("file")};
};

// ServerLimits in the units a user thinks in: seconds, lines per second. The defaults shown are
// ServerLimits' own.
struct LimitOptions
{
    const Server::ServerLimits defaults;
    QCommandLineOption maxClients {
        QStringLiteral("max-clients"),
        CommandLine::tr(
            "Most clients at once; 0: as many as the open-file limit allows (default %1).")
            .arg(defaults.maxClients),
        CommandLine::tr("count")};
    QCommandLineOption maxClientsPerIp {
        QStringLiteral("max-clients-per-ip"),
        CommandLine::tr("Most clients from one address; 0: no cap (default %1).")
            .arg(defaults.maxClientsPerIp),
        CommandLine::tr("count")};
    QCommandLineOption maxChannels {
        QStringLiteral("max-channels"),
        CommandLine::tr("Most channels one client may join; 0: no cap (default "
                        "%1).")
            .arg(defaults.maxChannelsPerClient),
        CommandLine::tr("count")};
    QCommandLineOption sendQueue {
        QStringLiteral("sendq-bytes"),
        CommandLine::tr("Output queued for a client that does not read before it is "
                        "disconnected (SendQ exceeded); 0: no cap (default %1).")
            .arg(defaults.sendQueueBytes),
        CommandLine::tr("bytes")};
    QCommandLineOption registrationTimeout {
        QStringLiteral("registration-timeout"),
        CommandLine::tr("Seconds a client may take to register; 0: forever (default %1).")
            .arg(defaults.registrationTimeoutMs / 1000),
        CommandLine::tr("seconds")};
    QCommandLineOption pingInterval {
        QStringLiteral("ping-interval"),
        CommandLine::tr("Seconds of silence before the server sends PING; 0: never (default %1).")
            .arg(defaults.pingIntervalMs / 1000),
        CommandLine::tr("seconds")};
    QCommandLineOption pingTimeout {
        QStringLiteral("ping-timeout"),
        CommandLine::tr("Seconds a client has to answer PING (default %1).")
            .arg(defaults.pingTimeoutMs / 1000),
        CommandLine::tr("seconds")};
    QCommandLineOption floodBurst {
        QStringLiteral("flood-burst"),
        CommandLine::tr(
            "Lines a client may send at once before flood control slows it (default %1).")
            .arg(defaults.floodBurstLines),
        CommandLine::tr("lines")};
    QCommandLineOption floodRate {
        QStringLiteral("flood-rate"),
        CommandLine::tr("Lines per second a client may send after its burst; sustained excess is "
                        "disconnected (Excess Flood); 0: no flood control (default %1).")
            .arg(defaults.floodLinesPerSecond),
        CommandLine::tr("lines")};
    QCommandLineOption noLimits {
        QStringLiteral("no-limits"),
        CommandLine::tr(
            "For benchmarks and load tests: no flood control, no caps on clients, clients per "
            "address and channels. Line, buffer and send-queue limits and timeouts stay.")};

    QList<QCommandLineOption> all() const
    {
        return {maxClients,   maxClientsPerIp, maxChannels, sendQueue, registrationTimeout,
                pingInterval, pingTimeout,     floodBurst,  floodRate, noLimits};
    }
};

// Reads a whole number from 0 to `max` into `target`, times `scale`, if the option was given.
template<typename T>
QString applyCount(const QCommandLineParser &parser, const QCommandLineOption &option, qint64 max,
                   T &target, int scale = 1)
{
    if (!parser.isSet(option))
        return {};
    bool ok = false;
    const qint64 value = parser.value(option).toLongLong(&ok);
    if (!ok || value < 0 || value > max)
        return CommandLine::tr("Invalid --%1 '%2': expected a whole number from 0 to %3.")
            .arg(option.names().constFirst(), parser.value(option))
            .arg(max);
    target = T(value * scale);
    return {};
}

QString applyRate(const QCommandLineParser &parser, const QCommandLineOption &option,
                  double &target)
{
    if (!parser.isSet(option))
        return {};
    bool ok = false;
    const double value = parser.value(option).toDouble(&ok);
    if (!ok || value < 0 || value > Server::ServerLimits::MaxCount)
        return CommandLine::tr(
                   "Invalid --%1 '%2': expected a number of lines per second, 0 or more.")
            .arg(option.names().constFirst(), parser.value(option));
    target = value;
    return {};
}

QString applyLimitOptions(const QCommandLineParser &parser, const LimitOptions &o,
                          Server::ServerLimits &limits)
{
    constexpr int MsPerSecond = 1000;
    const QString problems[] = {
        applyCount(parser, o.maxClients, Server::ServerLimits::MaxCount, limits.maxClients),
        applyCount(parser, o.maxClientsPerIp, Server::ServerLimits::MaxCount,
                   limits.maxClientsPerIp),
        applyCount(parser, o.maxChannels, Server::ServerLimits::MaxCount,
                   limits.maxChannelsPerClient),
        applyCount(parser, o.sendQueue, Server::ServerLimits::MaxSendQueueBytes,
                   limits.sendQueueBytes),
        applyCount(parser, o.registrationTimeout, Server::ServerLimits::MaxSeconds,
                   limits.registrationTimeoutMs, MsPerSecond),
        applyCount(parser, o.pingInterval, Server::ServerLimits::MaxSeconds, limits.pingIntervalMs,
                   MsPerSecond),
        applyCount(parser, o.pingTimeout, Server::ServerLimits::MaxSeconds, limits.pingTimeoutMs,
                   MsPerSecond),
        applyCount(parser, o.floodBurst, Server::ServerLimits::MaxCount, limits.floodBurstLines),
        applyRate(parser, o.floodRate, limits.floodLinesPerSecond),
    };
    limits.noLimits = parser.isSet(o.noLimits);
    for (const QString &problem : problems) {
        if (!problem.isEmpty())
            return problem;
    }
    return {};
}

QString applyPort(const QString &text, Server::ServerConfig &config)
{
    bool ok = false;
    const uint port = text.toUInt(&ok);
    if (!ok || port > 65535)
        return CommandLine::tr("Invalid port '%1': expected a number from 0 to 65535.").arg(text);
    config.port = quint16(port);
    return {};
}

QString applyWorkers(const QString &text, Server::ServerConfig &config)
{
    bool ok = false;
    config.workers = text.toInt(&ok);
    return ok ? QString() : CommandLine::tr("Invalid worker count '%1'.").arg(text);
}

QString applyMotd(const QString &path, Server::ServerConfig &config)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return CommandLine::tr("Cannot read the MOTD file '%1': %2").arg(path, file.errorString());
    config.motd = QString::fromUtf8(file.readAll()).split(u'\n');
    while (!config.motd.isEmpty() && config.motd.constLast().isEmpty())
        config.motd.removeLast();
    return {};
}

QString applyServerOptions(const QCommandLineParser &parser, const Options &o,
                           const LimitOptions &limitOptions, Server::ServerConfig &config)
{
    if (!config.bindAddress.setAddress(parser.value(o.bind)))
        return CommandLine::tr("Invalid bind address '%1'.").arg(parser.value(o.bind));
    if (QString problem = applyPort(parser.value(o.port), config); !problem.isEmpty())
        return problem;
    const std::optional<Server::ThreadingModel> model
        = Server::threadingModelFromName(parser.value(o.threading));
    if (!model)
        return CommandLine::tr("Invalid threading model '%1': use per-connection, pool or single.")
            .arg(parser.value(o.threading));
    config.threading = *model;
    if (QString problem = applyWorkers(parser.value(o.workers), config); !problem.isEmpty())
        return problem;
    const std::optional<Server::WireProtocol> protocol
        = Server::wireProtocolFromName(parser.value(o.protocol));
    if (!protocol)
        return CommandLine::tr("Invalid protocol '%1': use irc or tutorial.")
            .arg(parser.value(o.protocol));
    config.protocol = *protocol;
    config.serverName = parser.value(o.serverName).toUtf8();
    config.password = parser.value(o.password).toUtf8();
    config.tlsCertificatePath = parser.value(o.tlsCert);
    config.tlsKeyPath = parser.value(o.tlsKey);
    if (QString problem = applyLimitOptions(parser, limitOptions, config.limits);
        !problem.isEmpty())
        return problem;
    if (parser.isSet(o.motd)) {
        if (QString problem = applyMotd(parser.value(o.motd), config); !problem.isEmpty())
            return problem;
    }
    return config.validate();
}

} // namespace

CommandLine CommandLine::parse(const QStringList &arguments)
{
    const Options options;
    const LimitOptions limitOptions;
    QCommandLineParser parser;
    parser.setApplicationDescription(
        CommandLine::tr("QtChat: a threaded IRC-subset chat server with a desktop client."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOptions({options.start, options.nick, options.config});
    parser.addOptions({options.headless, options.bind, options.port, options.threading,
                       options.workers, options.serverName, options.password, options.protocol,
                       options.motd, options.tlsCert, options.tlsKey});
    parser.addOptions(limitOptions.all());
    CommandLine result;
    parser.process(arguments); // --help and --version exit here
    if (!parser.positionalArguments().isEmpty()) {
        result.error = CommandLine::tr("Unexpected argument '%1'.")
                           .arg(parser.positionalArguments().constFirst());
        return result;
    }
    result.headless = parser.isSet(options.headless);
    result.startServer = parser.isSet(options.start);
    result.nick = parser.value(options.nick);
    result.configFile = parser.value(options.config);
    result.error = applyServerOptions(parser, options, limitOptions, result.server);
    return result;
}

} // namespace App
