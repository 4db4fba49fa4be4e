#pragma once

#include "serverlib/processreport.h"
#include "serverlib/servercontroller.h"

#include <QObject>

#include <memory>

namespace Server {
class ProcessSupervisor;
}

namespace App {

// `qtchat --headless`: the server behind the same ServerController the window uses, its events
// on stderr, and a clean stop on request (SIGINT/SIGTERM in main()). With --processes N, a
// ProcessSupervisor instead, which runs N such servers as processes of their own; their log
// lines come out here, each after "[NAME PID] ".
class HeadlessServer : public QObject
{
    Q_OBJECT

public:
    // The process's exit status, as finished() reports it.
    enum ExitCode { Stopped = 0, Failed = 1 };

    explicit HeadlessServer(QObject *parent = nullptr);
    ~HeadlessServer() override;

    // Returns at once. If the server cannot start, the reason goes to stderr and finished()
    // follows with Failed.
    void start(const Server::ServerConfig &config);
    // As a supervisor's server process (--report-stats): a Server::ProcessReport line on stdout
    // with each stats update. Before start().
    void setReportStats(bool report) { m_reportStats = report; }
    // Returns at once; finished() follows once the server has stopped: Stopped, or Failed when
    // some thread did not end in time.
    void stop();

Q_SIGNALS:
    void finished(int exitCode); // emitted once

private:
    void startSupervisor(const Server::ServerConfig &config);
    void logRelayed(const QList<Server::RelayedMessage> &messages);
    void report(const QList<Server::ThreadStats> &threads);
    void finish(int exitCode);

    Server::ServerController m_server;
    std::unique_ptr<Server::ProcessSupervisor> m_supervisor; // with --processes only
    Server::ProcessReport::Link m_link = Server::ProcessReport::Link::None;
    QString m_linkReason; // while the link is lost
    bool m_reportStats = false;
    QList<Server::ThreadStats> m_lastStats; // for a report between two ticks
    bool m_threadsStranded = false;
    bool m_finished = false;
};

} // namespace App
