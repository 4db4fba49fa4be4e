#pragma once

#include "serverlib/processreport.h"
#include "serverlib/supervisedprocess.h"

#include <QHash>
#include <QObject>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>
#include <vector>

namespace Server {

// What `qtchat --headless --processes N` runs.
struct SupervisorConfig
{
    QString program; // the qtchat executable
    // The children's command line, before what the supervisor adds to it (--processes 0,
    // --share-port, --node-name): the options the supervisor itself was given. A --cluster in
    // it is left out: the children get the URL in their environment (ClusterConfig::UrlVariable),
    // where `ps` does not show a password in it.
    QStringList serverArguments;
    int processes = 1;
    quint16 port = 0;
    QString clusterUrl; // empty: a private redis-server on a Unix socket; may hold a password
    QString nodeName; // the children are <nodeName>-1 ... <nodeName>-N
    QString redisServer = QStringLiteral("redis-server");
    // The children's environment (the supervisor adds what it needs to read their log).
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    // The children report their figures (--report-stats): reported() instead of output().
    bool reportStats = false;

    // A child that runs this long before it dies is restarted at once; one that dies sooner is
    // restarted after a delay that doubles each time, from restartMinMs up to restartMaxMs.
    int stableMs = 10'000;
    int restartMinMs = 500;
    int restartMaxMs = 30'000;
    // A child (and then redis-server) has this long to end after SIGTERM, then gets SIGKILL:
    // beyond a child's own stop bound (ChatServer::StopDeadlineMs).
    int stopDeadlineMs = 15'000;
};

// The lesson's second model, a process per share of the clients: N qtchat server processes
// on one port (SO_REUSEPORT), joined as one network through Redis. Unless a cluster URL is
// given, the supervisor starts a private redis-server first (no persistence, a Unix socket in a
// directory only this user can enter) and stops it last. A child that dies is restarted, with a
// bounded backoff. stop() ends the children (SIGTERM, a deadline, then SIGKILL), then
// redis-server, then emits finished(). It never blocks: every wait is on a process' signal.
// See docs/architecture.md, "Processes".
class ProcessSupervisor : public QObject
{
    Q_OBJECT

public:
    enum ExitCode { Stopped = 0, Failed = 1 };

    explicit ProcessSupervisor(const SupervisorConfig &config, QObject *parent = nullptr);
    ~ProcessSupervisor() override;

    // Returns at once; allReady() once every child listens, or finished(Failed) when the
    // cluster cannot be set up or a child cannot start at all (never from inside start()).
    void start();
    // Returns at once; finished() follows once every process has ended.
    void stop();

    // The URL the children are given (the private redis-server's unix:// one by default), with
    // its password: not for the log.
    QString clusterUrl() const { return m_clusterUrl; }
    int restartCount() const { return m_restarts; }

Q_SIGNALS:
    // A line of a child's (or redis-server's) output, for the supervisor's log.
    void output(const QString &process, qint64 pid, const QByteArray &line);
    void allReady();
    // A child's figures, once a second each (SupervisorConfig::reportStats).
    void reported(const Server::ProcessReport &report);
    // A child (not redis-server) ended; it may be restarted.
    void processEnded(const QString &process);
    // A child or redis-server ended and is started again: `description` says how it ended and
    // when it restarts, as the log does.
    void restarting(const QString &process, const QString &description);
    // Why the supervisor gives up (finished(Failed) follows), as its log says it.
    void failed(const QString &reason);
    void finished(int exitCode); // emitted once

private:
    enum class State { Idle, StartingRedis, Running, StoppingChildren, StoppingRedis, Done };

    void begin();
    void startPrivateRedis();
    void startChildren();
    SupervisedProcess *makeProcess(const QString &name, const QString &program,
                                   const QStringList &arguments, const QByteArray &readyLine);
    QStringList childArguments(int index) const;
    void onRedisEnded(const ProcessEnd &end);
    void onChildEnded(SupervisedProcess *child, const ProcessEnd &end);
    void restartLater(SupervisedProcess *process, const ProcessEnd &end);
    void onChildReady();
    void stopRedisOnceChildrenEnded();
    void fail(const QString &reason);
    void finish();

    const SupervisorConfig m_config;
    QString m_clusterUrl;
    std::unique_ptr<QTemporaryDir> m_runtimeDir;
    SupervisedProcess *m_redis = nullptr; // a child; null with --cluster
    std::vector<SupervisedProcess *> m_children; // children of this object
    QHash<SupervisedProcess *, int> m_quickDeaths; // for the backoff
    State m_state = State::Idle;
    int m_exitCode = Stopped;
    int m_restarts = 0;
    bool m_allReadyOnce = false;
};

} // namespace Server
