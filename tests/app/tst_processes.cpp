// `qtchat --headless --processes N`, the real executable: the supervisor, its private
// redis-server and its server processes sharing one port. Each step is awaited on the
// supervisor's log (stderr), where every line of a child comes prefixed "[NAME PID]", and on
// the clients' sockets; the process that serves a client is the one whose log names the
// client's own port ("client 3 connected from 127.0.0.1:54012 served by worker-1").
#include "protocol/numerics.h"
#include "serverlib/processreport.h"
#include "tests/support/freeport.h"
#include "tests/support/rawclient.h"
#include "tests/support/redisprocess.h"

#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QSet>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

namespace {

constexpr int Timeout = 20'000;
// Connections are spread by a hash of their addresses: this many reach two listeners unless
// the port is not shared.
constexpr int MaxClients = 64;
const QString NodeName = QStringLiteral("node");

// One supervisor run, its log read as it comes.
class Supervisor
{
public:
    ~Supervisor()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished(Timeout);
        }
    }

    void start(const QStringList &arguments,
               const QProcessEnvironment &base = QProcessEnvironment::systemEnvironment())
    {
        QProcessEnvironment environment = base;
        environment.insert(QStringLiteral("QT_LOGGING_RULES"),
                           QStringLiteral("qtchat.*.info=true"));
        m_process.setProcessEnvironment(environment);
        m_process.start(QStringLiteral(QTCHAT_BINARY),
                        QStringList {QStringLiteral("--headless"), QStringLiteral("--node-name"),
                                     NodeName, QStringLiteral("--no-storage")}
                            + arguments);
    }

    // The next line from `m_from` on that matches `pattern` (invalid when none came in time);
    // the search goes on after it next time.
    QRegularExpressionMatch next(const QString &pattern)
    {
        const QRegularExpression expression(pattern, QRegularExpression::MultilineOption);
        QRegularExpressionMatch match;
        [[maybe_unused]] const bool found = QTest::qWaitFor(
            [&] {
                m_log += QString::fromUtf8(m_process.readAllStandardError());
                match = expression.match(m_log, m_from);
                return match.hasMatch() || m_process.state() == QProcess::NotRunning;
            },
            Timeout);
        if (match.hasMatch())
            m_from = match.capturedEnd();
        return match;
    }

    // The pid each server process was started with, from "started node-1 pid 1234".
    qint64 childPid(int index)
    {
        const QRegularExpressionMatch started
            = QRegularExpression(
                  QStringLiteral("started %1-%2 pid (\\d+)").arg(NodeName).arg(index))
                  .match(log());
        return started.hasMatch() ? started.captured(1).toLongLong() : 0;
    }

    // Which server process serves `client`: the one that logs its port.
    QString servingProcess(RawClient &client)
    {
        const QString port = QString::number(client.socket().localPort());
        const QRegularExpression served(
            QStringLiteral("^\\[(%1-\\d+) \\d+\\] .*client \\d+ connected from "
                           "127\\.0\\.0\\.1:%2 ")
                .arg(NodeName, port),
            QRegularExpression::MultilineOption);
        QRegularExpressionMatch match;
        const bool found = QTest::qWaitFor(
            [&] {
                match = served.match(log());
                return match.hasMatch();
            },
            Timeout);
        return found ? match.captured(1) : QString();
    }

    bool awaitExit()
    {
        const bool ended
            = m_process.state() == QProcess::NotRunning || m_process.waitForFinished(Timeout);
        m_log += QString::fromUtf8(m_process.readAllStandardError());
        return ended;
    }

    QString log()
    {
        m_log += QString::fromUtf8(m_process.readAllStandardError());
        return m_log;
    }

    QProcess &process() { return m_process; }

private:
    QProcess m_process;
    QString m_log;
    qsizetype m_from = 0;
};

// A running process's command line, its arguments apart.
QStringList commandLine(qint64 pid)
{
    QFile file(QStringLiteral("/proc/%1/cmdline").arg(pid));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QStringList arguments = QString::fromLocal8Bit(file.readAll()).split(QChar(0));
    arguments.removeLast(); // after the last terminating zero
    return arguments;
}

// A running process's environment, by variable.
QProcessEnvironment environmentOf(qint64 pid)
{
    QFile file(QStringLiteral("/proc/%1/environ").arg(pid));
    QProcessEnvironment environment;
    if (!file.open(QIODevice::ReadOnly))
        return environment;
    for (const QByteArray &entry : file.readAll().split('\0')) {
        const qsizetype equals = entry.indexOf('=');
        if (equals > 0)
            environment.insert(QString::fromLocal8Bit(entry.left(equals)),
                               QString::fromLocal8Bit(entry.mid(equals + 1)));
    }
    return environment;
}

// A single server process (no supervisor), started with `arguments` and awaited on its
// "listening on" log line.
bool startServer(QProcess &server, const QStringList &arguments,
                 QProcessEnvironment environment = QProcessEnvironment::systemEnvironment())
{
    environment.insert(QStringLiteral("QT_LOGGING_RULES"),
                       QStringLiteral("qtchat.server.info=true"));
    server.setProcessEnvironment(environment);
    server.start(QStringLiteral(QTCHAT_BINARY),
                 QStringList {QStringLiteral("--headless")} + arguments);
    QByteArray log;
    return QTest::qWaitFor(
               [&] {
                   log += server.readAllStandardError();
                   return log.contains("listening on") || server.state() == QProcess::NotRunning;
               },
               Timeout)
        && server.state() == QProcess::Running;
}

bool processExists(qint64 pid)
{
    return pid > 0 && QFileInfo::exists(QStringLiteral("/proc/%1").arg(pid));
}

} // namespace

class TestProcesses : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void clientsAreServedByEveryProcess();
    void killedProcessIsRestartedAndThePortKeepsServing();
    void terminationStopsTheProcessesThenRedis();
    void processThatCannotStartEndsTheSupervisor();
    void unusableRuntimeDirectoryEndsTheSupervisor();
    void reportLinesAreReadBackOrRefused();
    void serverProcessReportsItsFiguresOnStdout();
    void secretsComeFromTheEnvironmentNotTheCommandLine();
    void clusterUrlStaysOffTheChildrensCommandLine_data();
    void clusterUrlStaysOffTheChildrensCommandLine();

private:
    // Registers clients until `count` different processes serve them.
    QSet<QString> clientsOnProcesses(Supervisor &supervisor, int count,
                                     std::vector<std::unique_ptr<RawClient>> &clients);

    quint16 m_port = 0;
};

void TestProcesses::initTestCase()
{
    QVERIFY2(QFileInfo(QStringLiteral(QTCHAT_BINARY)).isExecutable(), QTCHAT_BINARY);
}

void TestProcesses::init()
{
    m_port = freeLoopbackPort();
    QVERIFY(m_port != 0);
}

QSet<QString> TestProcesses::clientsOnProcesses(Supervisor &supervisor, int count,
                                                std::vector<std::unique_ptr<RawClient>> &clients)
{
    QSet<QString> processes;
    for (int i = 0; i < MaxClients && processes.size() < count; ++i) {
        auto client = std::make_unique<RawClient>();
        if (!client->connectTo(m_port)
            || !client->registerAs("c" + QByteArray::number(clients.size())))
            break;
        processes.insert(supervisor.servingProcess(*client));
        clients.push_back(std::move(client));
    }
    return processes;
}

void TestProcesses::clientsAreServedByEveryProcess()
{
    Supervisor supervisor;
    supervisor.start({QStringLiteral("--processes"), QStringLiteral("2"), QStringLiteral("--port"),
                      QString::number(m_port)});
    QVERIFY2(supervisor.next(QStringLiteral("all 2 server processes serve port %1").arg(m_port))
                 .hasMatch(),
             qPrintable(supervisor.log()));
    QVERIFY(supervisor.childPid(1) != supervisor.childPid(2));
    // Each is a node of the cluster on the private Redis, under a name of its own, and shares
    // the port; the supervisor's own options come before, and are overridden by, its own.
    const QRegularExpressionMatch redis
        = QRegularExpression(QStringLiteral("starting a private redis-server on (\\S+)"))
              .match(supervisor.log());
    QVERIFY2(redis.hasMatch(), qPrintable(supervisor.log()));
    for (int index : {1, 2}) {
        const QStringList arguments = commandLine(supervisor.childPid(index));
        QCOMPARE(arguments.mid(arguments.size() - 5),
                 (QStringList {QStringLiteral("--processes"), QStringLiteral("0"),
                               QStringLiteral("--share-port"), QStringLiteral("--node-name"),
                               QStringLiteral("%1-%2").arg(NodeName).arg(index)}));
        QCOMPARE(
            environmentOf(supervisor.childPid(index)).value(QStringLiteral("QTCHAT_CLUSTER_URL")),
            QStringLiteral("unix://") + redis.captured(1));
    }
    std::vector<std::unique_ptr<RawClient>> clients;
    const QSet<QString> processes = clientsOnProcesses(supervisor, 2, clients);
    QCOMPARE(processes,
             (QSet<QString> {NodeName + QStringLiteral("-1"), NodeName + QStringLiteral("-2")}));
}

void TestProcesses::killedProcessIsRestartedAndThePortKeepsServing()
{
    Supervisor supervisor;
    supervisor.start({QStringLiteral("--processes"), QStringLiteral("2"), QStringLiteral("--port"),
                      QString::number(m_port)});
    const QString allServe = QStringLiteral("all 2 server processes serve port %1").arg(m_port);
    QVERIFY2(supervisor.next(allServe).hasMatch(), qPrintable(supervisor.log()));
    const qint64 first = supervisor.childPid(1);
    QVERIFY(processExists(first));

    QCOMPARE(::kill(pid_t(first), SIGKILL), 0);
    QVERIFY2(supervisor
                 .next(QStringLiteral("%1-1 killed by signal 9 after [0-9.]+ s; restarting "
                                      "it in [0-9.]+ s")
                           .arg(NodeName))
                 .hasMatch(),
             qPrintable(supervisor.log()));
    // Meanwhile the other process serves every new client on the port.
    RawClient during;
    QVERIFY(during.connectTo(m_port));
    QVERIFY(during.registerAs("during"));

    const QRegularExpressionMatch restarted
        = supervisor.next(QStringLiteral("started %1-1 pid (\\d+)").arg(NodeName));
    QVERIFY2(restarted.hasMatch(), qPrintable(supervisor.log()));
    QVERIFY(restarted.captured(1).toLongLong() != first);
    QVERIFY2(supervisor.next(allServe).hasMatch(), qPrintable(supervisor.log()));
    std::vector<std::unique_ptr<RawClient>> clients;
    QCOMPARE(clientsOnProcesses(supervisor, 2, clients).size(), 2);
}

void TestProcesses::terminationStopsTheProcessesThenRedis()
{
    Supervisor supervisor;
    supervisor.start({QStringLiteral("--processes"), QStringLiteral("2"), QStringLiteral("--port"),
                      QString::number(m_port)});
    const QRegularExpressionMatch socket
        = supervisor.next(QStringLiteral("starting a private redis-server on (\\S+)"));
    QVERIFY2(socket.hasMatch(), qPrintable(supervisor.log()));
    const QString runtimeDir = QFileInfo(socket.captured(1)).path();
    // Only its user may enter the directory of Redis' socket.
    QCOMPARE(QFileInfo(runtimeDir).permissions()
                 & ~(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner | QFile::ReadUser
                     | QFile::WriteUser | QFile::ExeUser),
             QFile::Permissions());
    const QRegularExpressionMatch redis
        = supervisor.next(QStringLiteral("started redis-server pid (\\d+)"));
    QVERIFY2(redis.hasMatch(), qPrintable(supervisor.log()));
    QVERIFY2(supervisor.next(QStringLiteral("all 2 server processes serve port %1").arg(m_port))
                 .hasMatch(),
             qPrintable(supervisor.log()));
    const QList<qint64> pids
        = {supervisor.childPid(1), supervisor.childPid(2), redis.captured(1).toLongLong()};
    RawClient client;
    QVERIFY(client.connectTo(m_port) && client.registerAs("stays"));

    QCOMPARE(::kill(pid_t(supervisor.process().processId()), SIGTERM), 0);
    const auto error = client.expect("ERROR");
    QVERIFY(error);
    QCOMPARE(error->param(0), QByteArray("Server shutting down"));
    QVERIFY(supervisor.awaitExit());
    QCOMPARE(supervisor.process().exitStatus(), QProcess::NormalExit);
    QCOMPARE(supervisor.process().exitCode(), 0);
    for (qint64 pid : pids)
        QVERIFY2(!processExists(pid), qPrintable(QString::number(pid)));
    QVERIFY(!QFileInfo::exists(runtimeDir));
    // In order: both server processes have stopped before redis-server is asked to.
    const QString log = supervisor.log();
    const qsizetype redisStop = log.indexOf(QStringLiteral("stopping redis-server"));
    QVERIFY2(redisStop > 0, qPrintable(log));
    for (int index : {1, 2}) {
        const QRegularExpression childStopped(
            QStringLiteral("^\\[%1-%2 \\d+\\] .*qtchat\\.server: stopped$")
                .arg(NodeName)
                .arg(index),
            QRegularExpression::MultilineOption);
        const QRegularExpressionMatch match = childStopped.match(log);
        QVERIFY2(match.hasMatch() && match.capturedStart() < redisStop, qPrintable(log));
    }
    QVERIFY2(log.indexOf(QStringLiteral("ready to exit")) > redisStop, qPrintable(log));
}

// A port held by a program that does not share it: no child can listen, and starting them
// again would fail the same way, so the supervisor gives up with 1 and leaves nothing behind.
void TestProcesses::processThatCannotStartEndsTheSupervisor()
{
    QTcpServer occupant;
    QVERIFY(occupant.listen(QHostAddress::LocalHost, m_port));
    Supervisor supervisor;
    supervisor.start({QStringLiteral("--processes"), QStringLiteral("2"), QStringLiteral("--port"),
                      QString::number(m_port)});
    QVERIFY(supervisor.awaitExit());
    QCOMPARE(supervisor.process().exitStatus(), QProcess::NormalExit);
    QCOMPARE(supervisor.process().exitCode(), 1);
    const QString log = supervisor.log();
    QVERIFY2(log.contains(QStringLiteral("could not start"))
                 && log.contains(QString::number(m_port)),
             qPrintable(log));
    const QRegularExpressionMatch redis
        = QRegularExpression(QStringLiteral("started redis-server pid (\\d+)")).match(log);
    QVERIFY2(redis.hasMatch(), qPrintable(log));
    QVERIFY(!processExists(redis.captured(1).toLongLong()));
}

// Redis' socket would not fit a socket address (107 bytes): a failure before anything runs,
// said and ended with 1 rather than a supervisor left waiting.
void TestProcesses::unusableRuntimeDirectoryEndsTheSupervisor()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString deep = dir.filePath(QString(120, u'd'));
    QVERIFY(QDir().mkpath(deep));
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("XDG_RUNTIME_DIR"), deep);
    Supervisor supervisor;
    supervisor.start({QStringLiteral("--processes"), QStringLiteral("1"), QStringLiteral("--port"),
                      QString::number(m_port)},
                     environment);
    QVERIFY(supervisor.awaitExit());
    QCOMPARE(supervisor.process().exitStatus(), QProcess::NormalExit);
    QCOMPARE(supervisor.process().exitCode(), 1);
    QVERIFY2(supervisor.log().contains(QStringLiteral("too long for a Unix socket")),
             qPrintable(supervisor.log()));
}

// What a child writes is what the supervisor reads; anything else on the pipe is log, not a
// report, and a malformed report is dropped rather than shown as figures.
void TestProcesses::reportLinesAreReadBackOrRefused()
{
    Server::ProcessReport report;
    report.clients = 12;
    report.messagesPerSecond = 2.5;
    report.deliveriesPerSecond = 30;
    report.threads = 3;
    report.link = Server::ProcessReport::Link::Lost;
    // Why, in any words: spaces, '=' and '%' do not break the line's fields.
    report.linkReason = QStringLiteral("Redis refused the password (WRONGPASS a=b 100% 拒绝)");
    const std::optional<Server::ProcessReport> back = Server::ProcessReport::parse(report.toLine());
    QVERIFY(back);
    QCOMPARE(back->clients, 12);
    QCOMPARE(back->messagesPerSecond, 2.5);
    QCOMPARE(back->deliveriesPerSecond, 30.0);
    QCOMPARE(back->threads, 3);
    QCOMPARE(back->link, Server::ProcessReport::Link::Lost);
    QCOMPARE(back->linkReason, report.linkReason);
    report.linkReason = QString(1000, u'x'); // bounded
    QCOMPARE(Server::ProcessReport::parse(report.toLine())->linkReason.size(),
             Server::ProcessReport::MaxLinkReasonChars);
    // A newer child may say more.
    QVERIFY(Server::ProcessReport::parse("qtchat-stats clients=1 sessions=4"));
    for (const QByteArray &line :
         {QByteArray("12:00:00.000 qtchat.server: listening on"),
          QByteArray("qtchat-stats clients=many"), QByteArray("qtchat-stats clients=-1"),
          QByteArray("qtchat-stats link=sideways"), QByteArray("qtchat-stats clients")})
        QVERIFY2(!Server::ProcessReport::parse(line), line.constData());
}

// --report-stats: a line of figures a second on stdout, the log staying on stderr.
void TestProcesses::serverProcessReportsItsFiguresOnStdout()
{
    QProcess server;
    const auto stop = qScopeGuard([&server] {
        server.terminate();
        server.waitForFinished(Timeout);
    });
    QVERIFY(startServer(server,
                        {QStringLiteral("--report-stats"), QStringLiteral("--no-storage"),
                         QStringLiteral("--port"), QString::number(m_port)}));
    RawClient client;
    QVERIFY(client.connectTo(m_port));
    QVERIFY(client.registerAs("counted"));
    std::optional<Server::ProcessReport> report;
    QByteArray out;
    QTRY_VERIFY2_WITH_TIMEOUT(
        [&] {
            out += server.readAllStandardOutput();
            for (const QByteArray &line : out.split('\n')) {
                report = Server::ProcessReport::parse(line);
                if (report && report->clients == 1)
                    return true;
            }
            return false;
        }(),
        out.constData(), Timeout);
    QCOMPARE(report->link, Server::ProcessReport::Link::None); // no cluster
    QVERIFY(report->threads >= 1);
    QVERIFY(!server.readAllStandardError().contains(Server::ProcessReport::Prefix));
}

// The window passes a server password to its processes in their environment: `ps` shows
// every user the command line, not the environment.
void TestProcesses::secretsComeFromTheEnvironmentNotTheCommandLine()
{
    const QByteArray password = "environment-secret";
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("QTCHAT_SECRET_PASSWORD"), QString::fromLatin1(password));
    QProcess server;
    const auto stop = qScopeGuard([&server] {
        server.terminate();
        server.waitForFinished(Timeout);
    });
    QVERIFY(
        startServer(server,
                    {QStringLiteral("--secrets-from-environment"), QStringLiteral("--no-storage"),
                     QStringLiteral("--port"), QString::number(m_port)},
                    environment));
    RawClient without;
    QVERIFY(without.connectTo(m_port));
    without.send("NICK nopass");
    without.send("USER nopass 0 * :No Pass");
    QVERIFY(without.expect(Irc::Numeric::PasswordMismatch));
    RawClient with;
    QVERIFY(with.connectTo(m_port));
    with.send("PASS " + password);
    QVERIFY(with.registerAs("haspass"));
    QVERIFY(!commandLine(server.processId()).join(u' ').contains(QString::fromLatin1(password)));
}

void TestProcesses::clusterUrlStaysOffTheChildrensCommandLine_data()
{
    QTest::addColumn<bool>("asOption");
    QTest::newRow("QTCHAT_CLUSTER_URL") << false;
    QTest::newRow("--cluster") << true;
}

// The supervisor takes the URL, with a password, from its environment or from --cluster; its
// children get it in their environment, where `ps` does not show it, and link through it. The
// supervisor's log shows **** for the password.
void TestProcesses::clusterUrlStaysOffTheChildrensCommandLine()
{
    QFETCH(bool, asOption);
    const QString password = QStringLiteral("s3cret-of-the-processes");
    RedisProcess redis;
    redis.setExtraArguments({QStringLiteral("--requirepass"), password});
    QVERIFY2(redis.start(), qPrintable(redis.errorString()));
    const QString url = QStringLiteral("redis://:%1@127.0.0.1:%2").arg(password).arg(redis.port());
    QStringList arguments {QStringLiteral("--processes"), QStringLiteral("2"),
                           QStringLiteral("--port"), QString::number(m_port)};
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    if (asOption)
        arguments << QStringLiteral("--cluster") << url;
    else
        environment.insert(QStringLiteral("QTCHAT_CLUSTER_URL"), url);
    Supervisor supervisor;
    supervisor.start(arguments, environment);
    QVERIFY2(supervisor.next(QStringLiteral("all 2 server processes serve port %1").arg(m_port))
                 .hasMatch(),
             qPrintable(supervisor.log()));
    for (int index : {1, 2}) {
        const QRegularExpression linked(
            QStringLiteral("^\\[%1-%2 \\d+\\] .*cluster: linked to Redis").arg(NodeName).arg(index),
            QRegularExpression::MultilineOption);
        QTRY_VERIFY2_WITH_TIMEOUT(linked.match(supervisor.log()).hasMatch(),
                                  qPrintable(supervisor.log()), Timeout);
        const qint64 pid = supervisor.childPid(index);
        const QString arguments = commandLine(pid).join(u' ');
        QVERIFY2(!arguments.contains(password) && !arguments.contains(QLatin1String("redis://")),
                 qPrintable(arguments));
        QCOMPARE(environmentOf(pid).value(QStringLiteral("QTCHAT_CLUSTER_URL")), url);
    }
    const QString log = supervisor.log();
    QVERIFY2(
        log.contains(QStringLiteral("in cluster redis://:****@127.0.0.1:%1").arg(redis.port())),
        qPrintable(log));
    QVERIFY(!log.contains(QLatin1String("private redis-server")));
    QVERIFY(!log.contains(password));
}

QTEST_GUILESS_MAIN(TestProcesses)
#include "tst_processes.moc"
