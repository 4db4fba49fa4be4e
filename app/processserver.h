#pragma once

#include "serverlib/processreport.h"
#include "serverlib/servercontroller.h"

#include <QMap>
#include <QObject>
#include <QProcessEnvironment>
#include <QTimer>

#include <memory>

namespace Server {
class ProcessSupervisor;
}

namespace App {

// The window's server when the panel's threading choice is "Processes": a
// Server::ProcessSupervisor running ServerConfig::processes `qtchat --headless` processes on the
// panel's port, joined through the cluster's Redis (a private redis-server unless a cluster URL
// is set). It has a ServerController's life cycle: start() and stop() return at once and signals
// follow, so the GUI thread never waits for a process. The children get the config on their
// command line, built from the settings schema (secrets in their environment), and report their
// figures once a second (--report-stats); statsUpdated() gives one row per process.
class ProcessServer : public QObject
{
    Q_OBJECT

public:
    using State = Server::ServerController::State;

    explicit ProcessServer(QObject *parent = nullptr);
    // Processes still running are killed (bounded waits): stop() first to end them in order.
    ~ProcessServer() override;

    // The qtchat executable the children run; this program by default (the tests set theirs).
    void setProgram(const QString &program) { m_program = program; }
    // Returns at once; started() once every process serves, or startFailed().
    void start(const Server::ServerConfig &config);
    // Returns at once; stopping(), then stopped() once the children and then redis-server ended.
    void stop();

    State state() const { return m_state; }
    bool isRunning() const { return m_state == State::Running; }
    const Server::ServerConfig &config() const { return m_config; }
    // The latest report of each process that runs, by its name.
    QList<Server::ProcessReport> reports() const { return m_reports.values(); }
    int clientCount() const;

    // The children's command line for `config`: every server setting that differs from its
    // default, as its option; no secrets (see secretEnvironment()).
    static QStringList serverArguments(const Server::ServerConfig &config);
    static QProcessEnvironment secretEnvironment(const Server::ServerConfig &config,
                                                 QProcessEnvironment environment);
    // The processes the panel offers when the settings name none: the cores, at least two.
    static int defaultProcessCount();

Q_SIGNALS:
    void started();
    void startFailed(const QString &reason);
    void stopping();
    void stopped();
    // A line of a child's log, its level read from it; `process` is "NAME PID".
    void logLine(const QString &process, QtMsgType type, const QString &text);
    // One row per process, once a second.
    void statsUpdated(const QList<Server::ThreadStats> &processes);
    // A process linked to Redis, lost its link or linked again (from its reports).
    void clusterLinkChanged(bool up, const QString &node, const QString &reason);

private:
    void takeReport(const Server::ProcessReport &report);
    void takeOutput(const QString &process, qint64 pid, const QByteArray &line);
    void supervisorFinished(int exitCode);
    void publishStats();

    QString m_program;
    Server::ServerConfig m_config;
    std::unique_ptr<Server::ProcessSupervisor> m_supervisor;
    QMap<QString, Server::ProcessReport> m_reports;
    QTimer m_statsTimer;
    QString m_failure;
    State m_state = State::Stopped;
};

} // namespace App
