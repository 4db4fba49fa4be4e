// `qtchat --headless`, the real executable: its command line and exit statuses, and a clean
// stop on SIGTERM and SIGINT, watched through its log on stderr and a client's socket.
#include "protocol/numerics.h"
#include "tests/support/rawclient.h"

#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

namespace {

constexpr int Timeout = 15'000;

// The server's log lines on stderr, as the headless mode writes them.
void startHeadless(QProcess &process, const QStringList &arguments)
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("qtchat.*.info=true"));
    process.setProcessEnvironment(environment);
    process.start(QStringLiteral(QTCHAT_BINARY), arguments);
}

// Waits until stderr has a line matching `pattern`; returns the match (invalid if none came).
QRegularExpressionMatch awaitLogLine(QProcess &process, QByteArray &log, const QString &pattern)
{
    const QRegularExpression expression(pattern);
    QRegularExpressionMatch match;
    [[maybe_unused]] const bool ended = QTest::qWaitFor(
        [&] {
            log += process.readAllStandardError();
            match = expression.match(QString::fromUtf8(log));
            return match.hasMatch() || process.state() == QProcess::NotRunning;
        },
        Timeout);
    return match;
}

// waitForFinished() is false for a process that has already finished.
bool awaitExit(QProcess &process)
{
    return process.state() == QProcess::NotRunning || process.waitForFinished(Timeout);
}

} // namespace

class TestHeadless : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void versionExitsWithZero();
    void badCommandLineSaysWhyAndExitsNonZero_data();
    void badCommandLineSaysWhyAndExitsNonZero();
    void portInUseExitsWithOne();
    void unusableHistoryDatabaseExitsWithOne();
    void terminationSignalStopsCleanly_data();
    void terminationSignalStopsCleanly();
};

void TestHeadless::initTestCase()
{
    QVERIFY2(QFileInfo(QStringLiteral(QTCHAT_BINARY)).isExecutable(), QTCHAT_BINARY);
}

// (--help is checked against the settings schema, in tst_settingsschema.)
void TestHeadless::versionExitsWithZero()
{
    QProcess process;
    startHeadless(process, {QStringLiteral("--version")});
    QVERIFY(awaitExit(process));
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(process.exitCode(), 0);
    QVERIFY(process.readAllStandardOutput().contains(QTCHAT_VERSION));
}

void TestHeadless::badCommandLineSaysWhyAndExitsNonZero_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("message");
    const QString headless = QStringLiteral("--headless");
    QTest::newRow("unknown threading model")
        << QStringList {headless, QStringLiteral("--threading"), QStringLiteral("fast")} << 2
        << QStringLiteral("Invalid --threading 'fast'");
    QTest::newRow("stray argument") << QStringList {headless, QStringLiteral("extra")} << 2
                                    << QStringLiteral("Unexpected argument 'extra'");
    // QCommandLineParser's own check, with its own exit status.
    QTest::newRow("unknown option") << QStringList {headless, QStringLiteral("--bogus")} << 1
                                    << QStringLiteral("Unknown option 'bogus'");
}

void TestHeadless::badCommandLineSaysWhyAndExitsNonZero()
{
    QFETCH(QStringList, arguments);
    QFETCH(int, exitCode);
    QFETCH(QString, message);
    QProcess process;
    startHeadless(process, arguments);
    QVERIFY(awaitExit(process));
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(process.exitCode(), exitCode);
    const QString error = QString::fromUtf8(process.readAllStandardError());
    QVERIFY2(error.contains(message), qPrintable(error));
}

// A server told to keep history does not run without it: --no-storage is the way to do so.
void TestHeadless::unusableHistoryDatabaseExitsWithOne()
{
    QTemporaryDir dir; // a folder, not a database file
    QVERIFY(dir.isValid());
    QProcess process;
    startHeadless(process,
                  {QStringLiteral("--headless"), QStringLiteral("--port"), QStringLiteral("0"),
                   QStringLiteral("--database"), dir.path()});
    QVERIFY(awaitExit(process));
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(process.exitCode(), 1);
    const QString error = QString::fromUtf8(process.readAllStandardError());
    QVERIFY2(error.contains(QStringLiteral("cannot start the server"))
                 && error.contains(QStringLiteral("history database"))
                 && error.contains(dir.path()),
             qPrintable(error));
}

void TestHeadless::portInUseExitsWithOne()
{
    QTcpServer occupant;
    QVERIFY(occupant.listen(QHostAddress::LocalHost, 0));
    const QString port = QString::number(occupant.serverPort());
    QProcess process;
    startHeadless(process, {QStringLiteral("--headless"), QStringLiteral("--port"), port});
    QVERIFY(awaitExit(process));
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(process.exitCode(), 1);
    const QString error = QString::fromUtf8(process.readAllStandardError());
    QVERIFY2(error.contains(QStringLiteral("cannot start the server")) && error.contains(port),
             qPrintable(error));
}

void TestHeadless::terminationSignalStopsCleanly_data()
{
    QTest::addColumn<int>("signalNumber");
    QTest::addColumn<QString>("threading");
    QTest::newRow("SIGTERM, pool") << int(SIGTERM) << QStringLiteral("pool");
    QTest::newRow("SIGTERM, per-connection") << int(SIGTERM) << QStringLiteral("per-connection");
    QTest::newRow("SIGINT, single") << int(SIGINT) << QStringLiteral("single");
}

void TestHeadless::terminationSignalStopsCleanly()
{
    QFETCH(int, signalNumber);
    QFETCH(QString, threading);
    QProcess process;
    startHeadless(process,
                  {QStringLiteral("--headless"), QStringLiteral("--port"), QStringLiteral("0"),
                   QStringLiteral("--threading"), threading});
    QByteArray log;
    const QRegularExpressionMatch listening
        = awaitLogLine(process, log, QStringLiteral("listening on 127\\.0\\.0\\.1 (\\d+)"));
    QVERIFY2(listening.hasMatch(), log.constData());
    const quint16 port = listening.captured(1).toUShort();

    RawClient alice, bob;
    QVERIFY(alice.connectTo(port) && alice.registerAs("alice"));
    QVERIFY(bob.connectTo(port) && bob.registerAs("bob"));
    for (RawClient *client : {&alice, &bob}) {
        client->send("JOIN #c");
        QVERIFY(client->expect(Irc::Numeric::EndOfNames));
    }
    QVERIFY(alice.expect("JOIN")); // bob's
    alice.send("PRIVMSG #c :before the signal");
    alice.send("PING :fence"); // answered after the line was accepted
    QVERIFY(alice.expect("PONG"));

    QCOMPARE(::kill(pid_t(process.processId()), signalNumber), 0);
    const auto line = bob.expect("PRIVMSG");
    QVERIFY(line);
    QCOMPARE(line->param(1), QByteArray("before the signal"));
    const auto error = bob.expect("ERROR");
    QVERIFY(error);
    QCOMPARE(error->param(0), QByteArray("Server shutting down"));
    QVERIFY(bob.waitForDisconnected());
    QVERIFY(awaitExit(process));
    log += process.readAllStandardError();
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(process.exitCode(), 0);
    QVERIFY2(log.contains("qtchat.server: stopped"), log.constData());
}

QTEST_GUILESS_MAIN(TestHeadless)
#include "tst_headless.moc"
