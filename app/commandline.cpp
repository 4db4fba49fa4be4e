#include "app/commandline.h"

#include "app/settingsschema.h"

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
    QCommandLineOption protocol {
        QStringLiteral("protocol"),
        CommandLine::tr(
            "Wire protocol: irc, or tutorial for the tutorial's echo clients (default irc)."),
        CommandLine::tr("protocol"), QStringLiteral("irc")};
    QCommandLineOption hashPassword {
        QStringLiteral("hash-password"),
        CommandLine::tr("Read a password from standard input and print its hash, for --oper.")};
    QCommandLineOption motd {QStringLiteral("motd"),
                             CommandLine::tr("File whose lines are the message of the day."),
                             CommandLine::tr("file")};
    // What the supervisor of --processes asks of its children (ServerConfig::sharePort); not
    // for users, so neither in --help nor translated.
    QCommandLineOption sharePort = hidden(QCommandLineOption(QStringLiteral("share-port")));
    // Also the supervisor's: a line of figures a second on stdout (Server::ProcessReport).
    QCommandLineOption reportStats = hidden(QCommandLineOption(QStringLiteral("report-stats")));
    // The window's supervisor passes passwords in the environment, not where `ps` shows them:
    // each secret setting's option not given is read from QTCHAT_SECRET_<OPTION>.
    QCommandLineOption secretsFromEnvironment
        = hidden(QCommandLineOption(QStringLiteral("secrets-from-environment")));

    static QCommandLineOption hidden(QCommandLineOption option)
    {
        option.setFlags(QCommandLineOption::HiddenFromHelp);
        return option;
    }
};

// The option of a setting that has one: its help is the setting's, with its values and default.
QCommandLineOption settingOption(const SettingSpec &spec)
{
    const QString name = QString::fromLatin1(spec.option);
    QString help = SettingsSchema::help(spec);
    if (!spec.valueName)
        return QCommandLineOption(name, help);
    QStringList codes;
    for (const SettingChoice &choice : spec.choices)
        codes << QString::fromLatin1(choice.code);
    if (!codes.isEmpty())
        help = CommandLine::tr("%1 Values: %2.").arg(help, codes.join(u", "));
    const QString fallback = SettingsSchema::defaultValue(spec).toString();
    if (!fallback.isEmpty())
        help = CommandLine::tr("%1 Default: %2.").arg(help, fallback);
    if (SettingsSchema::keyOf(spec) == SettingKey::Cluster)
        help = CommandLine::tr("%1 Headless, %2 in the environment is read when this is not "
                               "given: a password in it stays out of the process list.")
                   .arg(help, QLatin1String(Server::ClusterConfig::UrlVariable));
    return QCommandLineOption(name, help, SettingsSchema::tr(spec.valueName));
}

std::optional<QString> environmentValue(const QByteArray &variable)
{
    if (!qEnvironmentVariableIsSet(variable.constData()))
        return std::nullopt;
    return qEnvironmentVariable(variable.constData());
}

// Where the value of an option not given comes from: the environment, for a secret setting
// with --secrets-from-environment and for the cluster's URL when headless
// (Server::ClusterConfig::UrlVariable).
struct EnvironmentSources
{
    bool secrets = false;
    bool clusterUrl = false;

    std::optional<QString> valueFor(const SettingSpec &spec) const
    {
        if (secrets && spec.input == SettingInput::Secret)
            return environmentValue(CommandLine::secretVariable(spec));
        if (clusterUrl && SettingsSchema::keyOf(spec) == SettingKey::Cluster)
            return environmentValue(Server::ClusterConfig::UrlVariable);
        return std::nullopt;
    }
};

QString applySetting(const QCommandLineParser &parser, const SettingSpec &spec,
                     const EnvironmentSources &environment, Server::ServerConfig &config)
{
    const QString name = QString::fromLatin1(spec.option);
    const std::optional<QString> fromEnvironment = environment.valueFor(spec);
    if (!parser.isSet(name) && !fromEnvironment)
        return {};
    const QString text = !parser.isSet(name) ? *fromEnvironment
        : !spec.valueName                    ? QStringLiteral("true")
        : spec.repeatable                    ? parser.values(name).join(u' ')
                                             : parser.value(name);
    const QString reason
        = SettingsSchema::problem(spec, text, SettingsSchema::Context::CommandLine);
    // A secret is not repeated: stderr is the headless server's log. The cluster's URL may
    // hold a password: its reason shows it with the password masked.
    const bool carriesSecret
        = spec.input == SettingInput::Secret || SettingsSchema::keyOf(spec) == SettingKey::Cluster;
    if (!reason.isEmpty() && (carriesSecret || spec.repeatable))
        return CommandLine::tr("Invalid --%1. %2").arg(name, reason);
    if (!reason.isEmpty())
        return CommandLine::tr("Invalid --%1 '%2'. %3").arg(name, text, reason);
    spec.config.set(config, *SettingsSchema::typed(spec, text));
    return {};
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
                           Server::ServerConfig &config)
{
    const EnvironmentSources environment {parser.isSet(o.secretsFromEnvironment),
                                          parser.isSet(o.headless)};
    for (const SettingSpec &spec : SettingsSchema::all()) {
        if (!spec.onCommandLine())
            continue;
        if (QString problem = applySetting(parser, spec, environment, config); !problem.isEmpty())
            return problem;
    }
    const std::optional<Server::WireProtocol> protocol
        = Server::wireProtocolFromName(parser.value(o.protocol));
    if (!protocol)
        return CommandLine::tr("Invalid protocol '%1': use irc or tutorial.")
            .arg(parser.value(o.protocol));
    config.protocol = *protocol;
    config.sharePort = parser.isSet(o.sharePort);
    if (parser.isSet(o.motd)) {
        if (QString problem = applyMotd(parser.value(o.motd), config); !problem.isEmpty())
            return problem;
    }
    return config.validate();
}

} // namespace

QByteArray CommandLine::secretVariable(const SettingSpec &spec)
{
    return "QTCHAT_SECRET_" + QByteArray(spec.option).toUpper().replace('-', '_');
}

CommandLine CommandLine::parse(const QStringList &arguments)
{
    const Options options;
    QCommandLineParser parser;
    parser.setApplicationDescription(
        CommandLine::tr("QtChat: a threaded IRC-subset chat server with a desktop client."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOptions({options.start, options.nick, options.config});
    parser.addOptions({options.headless, options.hashPassword, options.protocol, options.motd,
                       options.sharePort, options.reportStats, options.secretsFromEnvironment});
    for (const SettingSpec &spec : SettingsSchema::all()) {
        if (spec.onCommandLine())
            parser.addOption(settingOption(spec));
    }
    CommandLine result;
    parser.process(arguments); // --help and --version exit here
    if (!parser.positionalArguments().isEmpty()) {
        result.error = CommandLine::tr("Unexpected argument '%1'.")
                           .arg(parser.positionalArguments().constFirst());
        return result;
    }
    result.headless = parser.isSet(options.headless);
    result.hashPassword = parser.isSet(options.hashPassword);
    result.startServer = parser.isSet(options.start);
    result.reportStats = parser.isSet(options.reportStats);
    result.nick = parser.value(options.nick);
    result.configFile = parser.value(options.config);
    result.error = applyServerOptions(parser, options, result.server);
    return result;
}

} // namespace App
