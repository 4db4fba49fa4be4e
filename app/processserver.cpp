#include "app/processserver.h"

#include "app/commandline.h"
#include "app/settingsschema.h"
#include "serverlib/processsupervisor.h"

#include <QCoreApplication>
#include <QHostInfo>
#include <QThread>

#include <utility>

namespace App {

namespace {

constexpr int StatsIntervalMs = 1000;
// The children's log lines start with their level, so that the window can show it.
constexpr char ChildMessagePattern[] = "%{type} %{category}: %{message}";

struct LevelWord
{
    QByteArrayView word;
    QtMsgType type;
};
constexpr LevelWord LevelWords[] = {{"debug ", QtDebugMsg},
                                    {"info ", QtInfoMsg},
                                    {"warning ", QtWarningMsg},
                                    {"critical ", QtCriticalMsg},
                                    {"fatal ", QtFatalMsg}};

// A child's line without its level word, and the level (redis-server's lines have none).
std::pair<QtMsgType, QByteArray> splitLevel(const QByteArray &line)
{
    for (const LevelWord &level : LevelWords) {
        if (line.startsWith(level.word))
            return {level.type, line.mid(level.word.size())};
    }
    return {QtInfoMsg, line};
}

bool isSettingOption(const SettingSpec &spec)
{
    // The supervisor gives each child its own --processes and --node-name, and the cluster's
    // URL in its environment.
    const SettingKey key = SettingsSchema::keyOf(spec);
    return spec.onCommandLine() && spec.inServerConfig() && key != SettingKey::Processes
        && key != SettingKey::NodeName && key != SettingKey::Cluster;
}

} // namespace

ProcessServer::ProcessServer(QObject *parent) : QObject(parent), m_statsTimer(this)
{
    m_statsTimer.setInterval(StatsIntervalMs);
    connect(&m_statsTimer, &QTimer::timeout, this, &ProcessServer::publishStats);
}

ProcessServer::~ProcessServer() = default;

QStringList ProcessServer::serverArguments(const Server::ServerConfig &config)
{
    QStringList arguments {QStringLiteral("--headless")};
    for (const SettingSpec &spec : SettingsSchema::all()) {
        if (!isSettingOption(spec) || spec.input == SettingInput::Secret)
            continue;
        const QVariant value = spec.config.get(config);
        if (value == SettingsSchema::defaultValue(spec))
            continue;
        const QString option = u"--" + QString::fromLatin1(spec.option);
        if (!spec.valueName) { // a flag: its default is off
            if (value.toBool())
                arguments << option;
            continue;
        }
        arguments << option << value.toString();
    }
    return arguments;
}

QProcessEnvironment ProcessServer::secretEnvironment(const Server::ServerConfig &config,
                                                     QProcessEnvironment environment)
{
    for (const SettingSpec &spec : SettingsSchema::all()) {
        if (!isSettingOption(spec) || spec.input != SettingInput::Secret)
            continue;
        const QString variable = QString::fromLatin1(CommandLine::secretVariable(spec));
        const QString value = spec.config.get(config).toString();
        if (value.isEmpty())
            environment.remove(variable);
        else
            environment.insert(variable, value);
    }
    return environment;
}

int ProcessServer::defaultProcessCount()
{
    return std::max(2, QThread::idealThreadCount());
}

void ProcessServer::start(const Server::ServerConfig &config)
{
    if (m_state != State::Stopped) {
        Q_EMIT startFailed(tr("The server is already running."));
        return;
    }
    m_config = config;
    m_failure.clear();
    m_reports.clear();
    Server::SupervisorConfig supervision;
    supervision.program = m_program.isEmpty() ? QCoreApplication::applicationFilePath() : m_program;
    supervision.serverArguments = serverArguments(config)
        << QStringLiteral("--secrets-from-environment");
    supervision.processes = config.processes;
    supervision.port = config.port;
    supervision.clusterUrl = config.cluster.redisUrl;
    supervision.nodeName
        = config.cluster.nodeName.isEmpty() ? QHostInfo::localHostName() : config.cluster.nodeName;
    supervision.environment = secretEnvironment(config, QProcessEnvironment::systemEnvironment());
    supervision.environment.insert(QStringLiteral("QT_MESSAGE_PATTERN"),
                                   QLatin1String(ChildMessagePattern));
    // Who connects, and where, is what the window's log is for.
    supervision.environment.insert(QStringLiteral("QT_LOGGING_RULES"),
                                   QStringLiteral("qtchat.*.info=true"));
    supervision.reportStats = true;
    // Within the window's close bound: a child stops within the server's own deadline.
    supervision.stopDeadlineMs = Server::ChatServer::StopDeadlineMs + 1000;
    m_supervisor = std::make_unique<Server::ProcessSupervisor>(supervision);
    connect(m_supervisor.get(), &Server::ProcessSupervisor::output, this,
            &ProcessServer::takeOutput);
    connect(m_supervisor.get(), &Server::ProcessSupervisor::reported, this,
            &ProcessServer::takeReport);
    connect(m_supervisor.get(), &Server::ProcessSupervisor::processEnded, this,
            [this](const QString &process) { m_reports.remove(process); });
    connect(m_supervisor.get(), &Server::ProcessSupervisor::restarting, this,
            [this](const QString &process, const QString &description) {
                Q_EMIT logLine(process, QtWarningMsg, description);
            });
    connect(m_supervisor.get(), &Server::ProcessSupervisor::failed, this,
            [this](const QString &reason) { m_failure = reason; });
    connect(m_supervisor.get(), &Server::ProcessSupervisor::allReady, this, [this] {
        if (m_state != State::Starting)
            return;
        m_state = State::Running;
        m_statsTimer.start();
        Q_EMIT started();
    });
    connect(m_supervisor.get(), &Server::ProcessSupervisor::finished, this,
            &ProcessServer::supervisorFinished);
    m_state = State::Starting;
    m_supervisor->start();
}

void ProcessServer::stop()
{
    if (m_state != State::Starting && m_state != State::Running)
        return;
    m_state = State::Stopping;
    m_statsTimer.stop();
    Q_EMIT stopping();
    m_supervisor->stop();
}

void ProcessServer::supervisorFinished(int exitCode)
{
    const State was = std::exchange(m_state, State::Stopped);
    m_statsTimer.stop();
    m_reports.clear();
    // Not from inside its own signal.
    m_supervisor.release()->deleteLater();
    if (was == State::Starting) {
        Q_EMIT startFailed(m_failure.isEmpty() ? tr("The server processes did not start.")
                                               : m_failure);
        return;
    }
    if (!m_failure.isEmpty() || exitCode != Server::ProcessSupervisor::Stopped)
        Q_EMIT logLine(tr("supervisor"), QtCriticalMsg,
                       m_failure.isEmpty() ? tr("A process did not stop cleanly.") : m_failure);
    Q_EMIT stopped();
}

void ProcessServer::takeReport(const Server::ProcessReport &report)
{
    const Server::ProcessReport before = m_reports.value(report.process);
    m_reports.insert(report.process, report);
    using Link = Server::ProcessReport::Link;
    const bool changed = report.link != before.link || report.linkReason != before.linkReason;
    if (!changed || (report.link != Link::Up && report.link != Link::Lost))
        return;
    Q_EMIT clusterLinkChanged(report.link == Link::Up, report.process, report.linkReason);
}

void ProcessServer::takeOutput(const QString &process, qint64 pid, const QByteArray &line)
{
    const auto [type, text] = splitLevel(line);
    Q_EMIT logLine(QStringLiteral("%1 %2").arg(process).arg(pid), type, QString::fromUtf8(text));
}

int ProcessServer::clientCount() const
{
    int clients = 0;
    for (const Server::ProcessReport &report : m_reports)
        clients += report.clients;
    return clients;
}

void ProcessServer::publishStats()
{
    QList<Server::ThreadStats> rows;
    for (const Server::ProcessReport &report : std::as_const(m_reports)) {
        Server::ThreadStats row;
        row.name = tr("%1 (pid %2)").arg(report.process).arg(report.pid);
        row.clients = report.clients;
        row.messagesPerSecond = report.messagesPerSecond;
        row.deliveriesPerSecond = report.deliveriesPerSecond;
        rows.append(row);
    }
    Q_EMIT statsUpdated(rows);
}

} // namespace App
