#include "app/headlessserver.h"

#include "serverlib/processsupervisor.h"

#include <QCoreApplication>
#include <QHostInfo>
#include <QLoggingCategory>

#include <cstdio>

namespace App {

Q_LOGGING_CATEGORY(lcHeadless, "qtchat.app")

HeadlessServer::HeadlessServer(QObject *parent) : QObject(parent)
{
    connect(&m_server, &Server::ServerController::startFailed, this, [this](const QString &reason) {
        qCCritical(lcHeadless).noquote() << tr("qtchat: cannot start the server: %1").arg(reason);
        finish(Failed);
    });
    connect(&m_server, &Server::ServerController::threadsStranded, this,
            [this] { m_threadsStranded = true; });
    connect(&m_server, &Server::ServerController::stopped, this,
            [this] { finish(m_threadsStranded ? Failed : Stopped); });
    // ClusterNode says it in the log; the report says it to the supervisor.
    // At once, not at the next tick: a link lost for less than a second is still said.
    connect(&m_server, &Server::ServerController::clusterLinkChanged, this,
            [this](bool up, const QString &, const QString &reason) {
                m_link = up ? Server::ProcessReport::Link::Up : Server::ProcessReport::Link::Lost;
                m_linkReason = up ? QString() : reason;
                if (m_reportStats)
                    report(m_lastStats);
            });
}

HeadlessServer::~HeadlessServer() = default;

void HeadlessServer::start(const Server::ServerConfig &config)
{
    if (config.processes > 0) {
        startSupervisor(config);
        return;
    }
    // Relayed lines are collected only while something listens: only when they are printed.
    if (config.protocol == Server::WireProtocol::Tutorial || lcHeadless().isDebugEnabled())
        connect(&m_server, &Server::ServerController::messagesRelayed, this,
                &HeadlessServer::logRelayed);
    if (m_reportStats)
        connect(&m_server, &Server::ServerController::statsUpdated, this, &HeadlessServer::report);
    m_link = config.cluster.enabled() ? Server::ProcessReport::Link::Linking
                                      : Server::ProcessReport::Link::None;
    m_server.start(config);
}

void HeadlessServer::startSupervisor(const Server::ServerConfig &config)
{
    Server::SupervisorConfig supervision;
    supervision.program = QCoreApplication::applicationFilePath();
    supervision.serverArguments = QCoreApplication::arguments().mid(1);
    supervision.processes = config.processes;
    supervision.port = config.port;
    supervision.clusterUrl = config.cluster.redisUrl;
    // Not ClusterConfig's default (the host and the port): the processes share the port.
    supervision.nodeName
        = config.cluster.nodeName.isEmpty() ? QHostInfo::localHostName() : config.cluster.nodeName;
    m_supervisor = std::make_unique<Server::ProcessSupervisor>(supervision);
    connect(m_supervisor.get(), &Server::ProcessSupervisor::output, this,
            [](const QString &process, qint64 pid, const QByteArray &line) {
                // One write per line, so that lines of two processes never interleave.
                const QByteArray prefixed
                    = '[' + process.toUtf8() + ' ' + QByteArray::number(pid) + "] " + line + '\n';
                std::fwrite(prefixed.constData(), 1, size_t(prefixed.size()), stderr);
            });
    connect(m_supervisor.get(), &Server::ProcessSupervisor::finished, this,
            &HeadlessServer::finish);
    m_supervisor->start();
}

void HeadlessServer::stop()
{
    if (m_supervisor)
        m_supervisor->stop();
    else
        m_server.stop();
}

void HeadlessServer::finish(int exitCode)
{
    if (m_finished)
        return;
    m_finished = true;
    Q_EMIT finished(exitCode);
}

void HeadlessServer::report(const QList<Server::ThreadStats> &threads)
{
    m_lastStats = threads;
    Server::ProcessReport report;
    for (const Server::ThreadStats &thread : threads) {
        report.clients += thread.clients;
        report.messagesPerSecond += thread.messagesPerSecond;
        report.deliveriesPerSecond += thread.deliveriesPerSecond;
    }
    report.threads = int(threads.size());
    report.link = m_link;
    report.linkReason = m_linkReason;
    // One write: the log shares the pipe (stderr), and a line this short is never split.
    const QByteArray line = report.toLine() + '\n';
    std::fwrite(line.constData(), 1, size_t(line.size()), stdout);
    std::fflush(stdout);
}

void HeadlessServer::logRelayed(const QList<Server::RelayedMessage> &messages)
{
    // Tutorial mode logs every chunk the way the tutorial prints it.
    const bool tutorial = m_server.config().protocol == Server::WireProtocol::Tutorial;
    for (const Server::RelayedMessage &message : messages) {
        if (tutorial)
            qCInfo(lcHeadless).noquote()
                << QStringLiteral("[%1]").arg(message.thread) << tr("Message received from client:")
                << message.text << QStringLiteral("(%1)").arg(message.from);
        else
            qCDebug(lcHeadless).noquote() << QStringLiteral("[%1]").arg(message.thread)
                                          << message.from << "->" << message.target << message.text;
    }
}

} // namespace App
