#include "serverlib/processsupervisor.h"

#include "clusterlib/redisurl.h"
#include "serverlib/serverconfig.h"
#include "serverlib/serverlogging.h"

#include <QDir>
#include <QFile>
#include <QTimer>

#include <algorithm>

namespace Server {

namespace {

// What each program prints once it serves: ChatServer::start()'s log line, and redis-server's
// "Ready to accept connections" (TCP) or "ready to accept connections at PATH" (a socket).
constexpr char ChildReadyLine[] = "listening on";
constexpr char RedisReadyLine[] = "ready to accept connections";
constexpr char RedisSocketName[] = "redis.sock";
// sockaddr_un's sun_path, less its terminating zero.
constexpr qsizetype MaxSocketPathBytes = 107;

QString secondsText(int milliseconds)
{
    return QString::number(milliseconds / 1000.0, 'f', 1);
}

// XDG_RUNTIME_DIR when the session has one (a tmpfs only the user can enter), else the
// temporary folder; the directory itself is made with mode 0700 (mkdtemp) either way.
QString runtimeBase()
{
    const QString runtime = qEnvironmentVariable("XDG_RUNTIME_DIR");
    return !runtime.isEmpty() && QDir(runtime).exists() ? runtime : QDir::tempPath();
}

// `arguments` without --cluster and its value (or --cluster=URL): the children find the URL
// in their environment instead, where `ps` does not show it.
QStringList withoutCluster(const QStringList &arguments)
{
    static const QString option = QStringLiteral("--cluster");
    QStringList kept;
    for (qsizetype i = 0; i < arguments.size(); ++i) {
        const QString &argument = arguments.at(i);
        if (argument == option)
            ++i; // and its value
        else if (!argument.startsWith(option + u'='))
            kept << argument;
    }
    return kept;
}

} // namespace

ProcessSupervisor::ProcessSupervisor(const SupervisorConfig &config, QObject *parent)
    : QObject(parent), m_config(config), m_clusterUrl(config.clusterUrl)
{ }

// The children (QObject children) kill what still runs, each within a bounded wait.
ProcessSupervisor::~ProcessSupervisor() = default;

void ProcessSupervisor::start()
{
    // From the event loop, so that even a failure at once reaches whoever waits in it.
    QMetaObject::invokeMethod(this, &ProcessSupervisor::begin, Qt::QueuedConnection);
}

void ProcessSupervisor::begin()
{
    if (m_state != State::Idle)
        return;
    if (m_clusterUrl.isEmpty())
        startPrivateRedis();
    else
        startChildren();
}

void ProcessSupervisor::startPrivateRedis()
{
    m_runtimeDir
        = std::make_unique<QTemporaryDir>(runtimeBase() + QStringLiteral("/qtchat-XXXXXX"));
    if (!m_runtimeDir->isValid()) {
        fail(QStringLiteral("cannot create a private runtime directory in %1: %2")
                 .arg(runtimeBase(), m_runtimeDir->errorString()));
        return;
    }
    const QString socket = m_runtimeDir->filePath(QLatin1String(RedisSocketName));
    if (QFile::encodeName(socket).size() > MaxSocketPathBytes) {
        fail(QStringLiteral("the path of Redis' socket is too long for a Unix socket: %1")
                 .arg(socket));
        return;
    }
    m_clusterUrl = QStringLiteral("unix://%1").arg(socket);
    // Nothing persisted: the cluster's state (nicks, nodes) only means something while it runs.
    m_redis = makeProcess(QStringLiteral("redis-server"), m_config.redisServer,
                          {QStringLiteral("--port"), QStringLiteral("0"),
                           QStringLiteral("--unixsocket"), socket,
                           QStringLiteral("--unixsocketperm"), QStringLiteral("700"),
                           QStringLiteral("--save"), QString(), QStringLiteral("--appendonly"),
                           QStringLiteral("no"), QStringLiteral("--dir"), m_runtimeDir->path()},
                          RedisReadyLine);
    connect(m_redis, &SupervisedProcess::ready, this, [this] {
        if (m_state == State::StartingRedis)
            startChildren();
    });
    connect(m_redis, &SupervisedProcess::ended, this, &ProcessSupervisor::onRedisEnded);
    qCInfo(lcSupervisor).noquote() << "starting a private redis-server on" << socket;
    m_state = State::StartingRedis;
    m_redis->start();
}

SupervisedProcess *ProcessSupervisor::makeProcess(const QString &name, const QString &program,
                                                  const QStringList &arguments,
                                                  const QByteArray &readyLine)
{
    auto *process = new SupervisedProcess(name, program, arguments, readyLine, this);
    connect(process, &SupervisedProcess::output, this, [this, process](const QByteArray &line) {
        if (m_config.reportStats && ProcessReport::isReport(line)) {
            if (std::optional<ProcessReport> report = ProcessReport::parse(line)) {
                report->process = process->name();
                report->pid = process->pid();
                Q_EMIT reported(*report);
            }
            return;
        }
        Q_EMIT output(process->name(), process->pid(), line);
    });
    connect(process, &SupervisedProcess::started, this, [process](qint64 pid) {
        qCInfo(lcSupervisor).noquote() << "started" << process->name() << "pid" << pid;
    });
    return process;
}

QStringList ProcessSupervisor::childArguments(int index) const
{
    // QCommandLineParser takes an option's last value: these win over the supervisor's own.
    QStringList arguments = withoutCluster(m_config.serverArguments);
    if (m_config.reportStats)
        arguments << QStringLiteral("--report-stats");
    return arguments
        + QStringList {QStringLiteral("--processes"), QStringLiteral("0"),
                       QStringLiteral("--share-port"), QStringLiteral("--node-name"),
                       QStringLiteral("%1-%2").arg(m_config.nodeName).arg(index)};
}

void ProcessSupervisor::startChildren()
{
    m_state = State::Running;
    qCInfo(lcSupervisor).noquote()
        << "starting" << m_config.processes << "server processes on port" << m_config.port
        << "in cluster" << Cluster::RedisUrl::redacted(m_clusterUrl);
    QProcessEnvironment environment = m_config.environment;
    environment.insert(QLatin1String(ClusterConfig::UrlVariable), m_clusterUrl);
    // The supervisor learns that a child serves from its "listening on" line: never filtered.
    const QString rules = environment.value(QStringLiteral("QT_LOGGING_RULES"));
    environment.insert(QStringLiteral("QT_LOGGING_RULES"),
                       rules + QStringLiteral(";qtchat.server.info=true"));
    for (int index = 1; index <= m_config.processes; ++index) {
        SupervisedProcess *child
            = makeProcess(QStringLiteral("%1-%2").arg(m_config.nodeName).arg(index),
                          m_config.program, childArguments(index), ChildReadyLine);
        child->setEnvironment(environment);
        connect(child, &SupervisedProcess::ready, this, &ProcessSupervisor::onChildReady);
        connect(child, &SupervisedProcess::ended, this, [this, child](const ProcessEnd &end) {
            Q_EMIT processEnded(child->name());
            onChildEnded(child, end);
        });
        m_children.push_back(child);
        child->start();
    }
}

void ProcessSupervisor::onChildReady()
{
    const bool all = std::all_of(m_children.begin(), m_children.end(),
                                 [](const SupervisedProcess *child) { return child->isReady(); });
    if (!all || m_state != State::Running)
        return;
    qCInfo(lcSupervisor).noquote()
        << "all" << m_children.size() << "server processes serve port" << m_config.port;
    if (!std::exchange(m_allReadyOnce, true))
        Q_EMIT allReady();
}

void ProcessSupervisor::onChildEnded(SupervisedProcess *child, const ProcessEnd &end)
{
    if (m_state == State::StoppingChildren) {
        if (end.killedAtDeadline || end.crashed || end.exitCode != 0) {
            qCWarning(lcSupervisor).noquote()
                << child->name() << "did not stop cleanly:"
                << (end.killedAtDeadline ? QStringLiteral("killed at the deadline") : end.reason);
            m_exitCode = Failed;
        }
        stopRedisOnceChildrenEnded();
        return;
    }
    if (m_state != State::Running)
        return;
    // A child that never served was refused its options, its port or its database: starting
    // it again would fail the same way.
    if (!end.wasReady && (end.failedToStart || (!end.crashed && end.exitCode != 0))) {
        fail(QStringLiteral("%1 could not start (%2)").arg(child->name(), end.reason));
        return;
    }
    restartLater(child, end);
}

void ProcessSupervisor::onRedisEnded(const ProcessEnd &end)
{
    if (m_state == State::StoppingRedis) {
        if (end.killedAtDeadline)
            qCWarning(lcSupervisor).noquote() << "redis-server was killed at the deadline";
        finish();
        return;
    }
    if (m_state == State::StartingRedis) {
        fail(QStringLiteral("redis-server could not start (%1); install the redis-server package "
                            "or give --cluster")
                 .arg(end.reason));
        return;
    }
    if (m_state == State::Running) // the children reconnect by themselves once it is back
        restartLater(m_redis, end);
}

void ProcessSupervisor::restartLater(SupervisedProcess *process, const ProcessEnd &end)
{
    int &quickDeaths = m_quickDeaths[process];
    quickDeaths = end.uptimeMs >= m_config.stableMs ? 0 : quickDeaths + 1;
    const int delayMs = quickDeaths == 0
        ? 0
        : int(std::min<qint64>(qint64(m_config.restartMinMs) << std::min(quickDeaths - 1, 16),
                               m_config.restartMaxMs));
    const QString description
        = QStringLiteral("%1 after %2 s; restarting it in %3 s")
              .arg(end.reason, secondsText(int(end.uptimeMs)), secondsText(delayMs));
    qCWarning(lcSupervisor).noquote() << process->name() << description;
    Q_EMIT restarting(process->name(), description);
    ++m_restarts;
    QTimer::singleShot(delayMs, process, [this, process] {
        if (m_state == State::Running)
            process->start();
    });
}

void ProcessSupervisor::stop()
{
    if (m_state == State::Idle || m_state == State::Done) {
        finish();
        return;
    }
    if (m_state != State::Running && m_state != State::StartingRedis)
        return; // already stopping
    qCInfo(lcSupervisor).noquote() << "stopping" << m_children.size() << "server processes";
    m_state = State::StoppingChildren;
    for (SupervisedProcess *child : m_children)
        child->stop(m_config.stopDeadlineMs);
    stopRedisOnceChildrenEnded();
}

void ProcessSupervisor::stopRedisOnceChildrenEnded()
{
    const bool childrenEnded
        = std::none_of(m_children.begin(), m_children.end(),
                       [](const SupervisedProcess *child) { return child->isRunning(); });
    if (!childrenEnded || m_state != State::StoppingChildren)
        return;
    m_state = State::StoppingRedis;
    if (!m_redis || !m_redis->isRunning()) {
        finish();
        return;
    }
    qCInfo(lcSupervisor).noquote() << "every server process has ended; stopping redis-server";
    m_redis->stop(m_config.stopDeadlineMs);
}

void ProcessSupervisor::fail(const QString &reason)
{
    qCCritical(lcSupervisor).noquote() << reason;
    Q_EMIT failed(reason);
    m_exitCode = Failed;
    stop();
}

void ProcessSupervisor::finish()
{
    if (m_state == State::Done)
        return;
    m_state = State::Done;
    qCInfo(lcSupervisor).noquote() << "stopped";
    Q_EMIT finished(m_exitCode);
}

} // namespace Server
