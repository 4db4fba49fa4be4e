// The load generator's engine as the app's load lab drives it: runs until stopped on its own
// thread, reports progress meanwhile, drains and quits on a stop. The server accepts in this
// thread, so the test waits in the event loop (QTRY), never in a blocking call, except where
// blocking is what is tested (stop() joins; workers, not this thread, answer QUIT).
#include "loadlib/loadengine.h"
#include "serverlib/chatserver.h"
#include "tests/support/serversignals.h"
#include "tests/support/tcpproxy.h"

#include <QTcpServer>
#include <QTest>

namespace {

constexpr int Timeout = 20000;

Load::LoadOptions untilStopped(quint16 port, int clients, double rate)
{
    Load::LoadOptions options = Load::LoadOptions::preset(Load::Scenario::Latency);
    options.port = port;
    options.clients = clients;
    options.senders = clients;
    options.rate = rate;
    options.untilStopped = true;
    options.channelName = "#load";
    options.quitAtEnd = true;
    options.quiet = true;
    return options;
}

} // namespace

class TestLoadEngine : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void runsUntilStoppedThenDrainsAndQuits_data();
    void runsUntilStoppedThenDrainsAndQuits();
    void stopNowJoinsWhileBotsAreSending();
    void stopDuringSetupEndsCleanly();
    void windowWaitsForEveryThreadsReceivers();
    void badOptionsDoNotStart();
    void unreachableServerFinishesWithFailures();

private:
    Server::ChatServer m_server;
};

void TestLoadEngine::init()
{
    Server::ServerConfig config;
    config.port = 0;
    config.limits.noLimits = true; // the lab's bots come from one address and send fast
    QVERIFY2(m_server.start(config), qPrintable(m_server.startError()));
}

void TestLoadEngine::cleanup()
{
    QVERIFY(stopAndWait(m_server));
}

void TestLoadEngine::runsUntilStoppedThenDrainsAndQuits_data()
{
    QTest::addColumn<int>("threads");
    QTest::newRow("one shard") << 1;
    QTest::newRow("two shards") << 2; // the drain waits for the other shard's lines too
}

void TestLoadEngine::runsUntilStoppedThenDrainsAndQuits()
{
    QFETCH(int, threads);
    Load::LoadOptions options = untilStopped(m_server.serverPort(), 12, 50);
    options.threads = threads;
    Load::LoadEngine engine;
    QString error;
    QVERIFY2(engine.start(options, &error), qPrintable(error));
    QTRY_COMPARE_WITH_TIMEOUT(engine.progress().connected, 12, Timeout);
    QTRY_VERIFY_WITH_TIMEOUT(engine.progress().receivedDeliveries > 2000, Timeout);
    const Load::LoadProgress running = engine.progress();
    QCOMPARE(running.phase, Load::LoadProgress::Phase::Sending);
    QCOMPARE(running.missing, 0u);
    QCOMPARE(running.outOfOrder, 0u);
    QVERIFY(running.latency.p99Ns > 0);

    engine.requestStop();
    QTRY_VERIFY_WITH_TIMEOUT(engine.hasFinished(), Timeout);
    engine.join();
    QVERIFY(!engine.isRunning());
    const Load::LoadProgress done = engine.progress();
    QCOMPARE(done.phase, Load::LoadProgress::Phase::Finished);
    QVERIFY2(done.failures.isEmpty(), qPrintable(done.failures.join(u'\n')));
    QCOMPARE(done.undelivered(), 0u); // the drain waited for every line in flight
    QCOMPARE(done.duplicates, 0u);
    QCOMPARE(done.connected, 0);
    QVERIFY(done.messagesSent > running.messagesSent);
    QVERIFY(engine.report() && engine.report()->passed());
    QTRY_COMPARE_WITH_TIMEOUT(m_server.clientCount(), 0, Timeout);
}

void TestLoadEngine::stopNowJoinsWhileBotsAreSending()
{
    Load::LoadEngine engine;
    QString error;
    QVERIFY2(engine.start(untilStopped(m_server.serverPort(), 10, 100), &error), qPrintable(error));
    QTRY_VERIFY_WITH_TIMEOUT(engine.progress().receivedDeliveries > 500, Timeout);
    engine.stop(Load::LoadEngine::StopMode::Now);
    QVERIFY(!engine.isRunning());
    QCOMPARE(engine.progress().phase, Load::LoadProgress::Phase::Finished);
    QCOMPARE(engine.progress().connected, 0);
    QTRY_COMPARE_WITH_TIMEOUT(m_server.clientCount(), 0, Timeout);
}

void TestLoadEngine::stopDuringSetupEndsCleanly()
{
    Load::LoadEngine engine;
    QString error;
    QVERIFY2(engine.start(untilStopped(m_server.serverPort(), 200, 1), &error), qPrintable(error));
    engine.requestStop();
    QTRY_VERIFY_WITH_TIMEOUT(engine.hasFinished(), Timeout);
    engine.join();
    QCOMPARE(engine.progress().messagesSent, 0u);
    QTRY_COMPARE_WITH_TIMEOUT(m_server.clientCount(), 0, Timeout);
    // The engine runs again after a stop.
    QVERIFY2(engine.start(untilStopped(m_server.serverPort(), 3, 10), &error), qPrintable(error));
    QTRY_VERIFY_WITH_TIMEOUT(engine.progress().receivedDeliveries > 0, Timeout);
    QCOMPARE(engine.progress().phase, Load::LoadProgress::Phase::Sending);
}

// A sender's window counts from the slowest generator thread's probe, not its own thread's
// only: otherwise another thread's receivers could fall behind without bound and the run would
// measure the generator's backlog. Here the one sender's own thread reads its lines at once,
// and the other thread's probe sits behind a proxy that stops passing them on.
void TestLoadEngine::windowWaitsForEveryThreadsReceivers()
{
    TcpProxy stalled(m_server.serverPort());
    QVERIFY(stalled.start());
    stalled.holdRepliesFrom("PRIVMSG #load :load ");
    Load::LoadOptions options = Load::LoadOptions::preset(Load::Scenario::Fanout);
    options.threads = 2;
    // Client i connects to servers[(i / 2) % 3]: of the members the probes are chosen from
    // (the last ones), 10 (thread 0) is direct and 9 (thread 1) behind the proxy.
    options.servers = {{"127.0.0.1", m_server.serverPort()},
                       {"127.0.0.1", stalled.port()},
                       {"127.0.0.1", m_server.serverPort()}};
    options.clients = 11;
    options.senders = 1;
    options.messages = 200;
    options.window = 5;
    options.channelName = "#load";
    options.quitAtEnd = true;
    options.quiet = true;
    Load::LoadEngine engine;
    QString error;
    QVERIFY2(engine.start(options, &error), qPrintable(error));
    QTRY_VERIFY_WITH_TIMEOUT(engine.progress().sendingNs > 500'000'000, Timeout);
    QCOMPARE(engine.progress().messagesSent, quint64(options.window));

    stalled.releaseReplies();
    QTRY_COMPARE_WITH_TIMEOUT(engine.progress().phase, Load::LoadProgress::Phase::Finished,
                              Timeout);
    const Load::LoadProgress done = engine.progress();
    QCOMPARE(done.messagesSent, quint64(options.messages));
    QCOMPARE(done.undelivered(), 0u);
    QVERIFY(engine.report() && engine.report()->passed());
}

void TestLoadEngine::badOptionsDoNotStart()
{
    Load::LoadEngine engine;
    QString error;
    Load::LoadOptions options = untilStopped(m_server.serverPort(), 5, 5);
    options.channelName = "no-hash";
    QVERIFY(!engine.start(options, &error));
    QVERIFY(!error.isEmpty());
    QVERIFY(!engine.isRunning());
    options = untilStopped(m_server.serverPort(), 5, 5);
    QVERIFY2(engine.start(options, &error), qPrintable(error));
    QVERIFY(!engine.start(options, &error)); // one run at a time
    QVERIFY(!error.isEmpty());
}

void TestLoadEngine::unreachableServerFinishesWithFailures()
{
    QTcpServer placeholder;
    QVERIFY(placeholder.listen(QHostAddress::LocalHost));
    const quint16 closedPort = placeholder.serverPort();
    placeholder.close();
    Load::LoadEngine engine;
    QString error;
    QVERIFY2(engine.start(untilStopped(closedPort, 3, 5), &error), qPrintable(error));
    QTRY_VERIFY_WITH_TIMEOUT(engine.hasFinished(), Timeout);
    const Load::LoadProgress done = engine.progress();
    QCOMPARE(done.failed, 3);
    QVERIFY(!done.failures.isEmpty());
    QVERIFY(engine.report() && !engine.report()->passed());
}

QTEST_GUILESS_MAIN(TestLoadEngine)
#include "tst_loadengine.moc"
