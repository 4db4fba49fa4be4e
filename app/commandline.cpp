#include "commandline.h"

#include <QCoreApplication>
#include <QFile>

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("CommandLine", text);
}

struct Options
{
    QCommandLineOption headless {QStringLiteral("headless"),
                                 tr("Run the server without a window; log to stderr.")};
    QCommandLineOption bind {QStringLiteral("bind"),
                             tr("Address to listen on (default 127.0.0.1)."), tr("address"),
                             QStringLiteral("127.0.0.1")};
    QCommandLineOption port {QStringLiteral("port"), tr("TCP port to listen on (default 6667)."),
                             tr("port"), QStringLiteral("6667")};
    QCommandLineOption threading {
        QStringLiteral("threading"),
        tr("Threading model: per-connection, pool or single (default pool)."), tr("model"),
        QStringLiteral("pool")};
    QCommandLineOption workers {QStringLiteral("workers"),
                                tr("Worker threads in pool mode (default: one per core)."),
                                tr("count"), QStringLiteral("0")};
    QCommandLineOption serverName {QStringLiteral("server-name"),
                                   tr("Server name shown to clients (default qtchat.local)."),
                                   tr("name"), QStringLiteral("qtchat.local")};
    QCommandLineOption password {QStringLiteral("password"),
                                 tr("Require this password (PASS) from clients."), tr("password")};
    QCommandLineOption protocol {
        QStringLiteral("protocol"),
        tr("Wire protocol: irc, or tutorial for the tutorial's echo clients (default irc)."),
        tr("protocol"), QStringLiteral("irc")};
    QCommandLineOption motd {QStringLiteral("motd"),
                             tr("File whose lines are the message of the day."), tr("file")};
};

QString applyPort(const QString &text, ServerConfig &config)
{
    bool ok = false;
    const uint port = text.toUInt(&ok);
    if (!ok || port > 65535)
        return tr("Invalid port '%1': expected a number from 0 to 65535.").arg(text);
    config.port = quint16(port);
    return {};
}

QString applyWorkers(const QString &text, ServerConfig &config)
{
    bool ok = false;
    config.workers = text.toInt(&ok);
    return ok ? QString() : tr("Invalid worker count '%1'.").arg(text);
}

QString applyMotd(const QString &path, ServerConfig &config)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return tr("Cannot read the MOTD file '%1': %2").arg(path, file.errorString());
    config.motd = QString::fromUtf8(file.readAll()).split(u'\n');
    while (!config.motd.isEmpty() && config.motd.constLast().isEmpty())
        config.motd.removeLast();
    return {};
}

QString applyServerOptions(const QCommandLineParser &parser, const Options &o, ServerConfig &config)
{
    if (!config.bindAddress.setAddress(parser.value(o.bind)))
        return tr("Invalid bind address '%1'.").arg(parser.value(o.bind));
    if (QString problem = applyPort(parser.value(o.port), config); !problem.isEmpty())
        return problem;
    const std::optional<ThreadingModel> model = threadingModelFromName(parser.value(o.threading));
    if (!model)
        return tr("Invalid threading model '%1': use per-connection, pool or single.")
            .arg(parser.value(o.threading));
    config.threading = *model;
    if (QString problem = applyWorkers(parser.value(o.workers), config); !problem.isEmpty())
        return problem;
    const std::optional<WireProtocol> protocol = wireProtocolFromName(parser.value(o.protocol));
    if (!protocol)
        return tr("Invalid protocol '%1': use irc or tutorial.").arg(parser.value(o.protocol));
    config.protocol = *protocol;
    config.serverName = parser.value(o.serverName).toUtf8();
    config.password = parser.value(o.password).toUtf8();
    if (parser.isSet(o.motd))
        return applyMotd(parser.value(o.motd), config);
    return config.validate();
}

} // namespace

CommandLine CommandLine::parse(const QStringList &arguments)
{
    const Options options;
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("QtChat: a threaded IRC-subset chat server with a desktop client."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOptions({options.headless, options.bind, options.port, options.threading,
                       options.workers, options.serverName, options.password, options.protocol,
                       options.motd});
    CommandLine result;
    parser.process(arguments); // --help and --version exit here
    if (!parser.positionalArguments().isEmpty()) {
        result.error
            = tr("Unexpected argument '%1'.").arg(parser.positionalArguments().constFirst());
        return result;
    }
    result.headless = parser.isSet(options.headless);
    result.error = applyServerOptions(parser, options, result.server);
    return result;
}
