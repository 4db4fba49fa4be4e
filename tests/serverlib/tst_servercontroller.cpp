// The controller the window and `qtchat --headless` start and stop the server with: every call
// returns at once, results come as signals, and a start waits for a stop still under way.
#include "protocol/numerics.h"
#include "serverlib/servercontroller.h"
#include "tests/support/rawclient.h"
#include "tests/support/serversignals.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

namespace {

constexpr int Timeout = Server::ChatServer::StopDeadlineMs + 5000;

Server::ServerConfig testConfig(quint16 port = 0)
{
    Server::ServerConfig config;
    config.port = port;
    config.workers = 2;
    config.limits.noLimits = true;
    return config;
}

} // namespace

class TestServerController : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void startAndStopAreSignalledInOrder_data();
    void startAndStopAreSignalledInOrder();
    void startFailureSaysWhy();
    void startDuringAStopWaitsForIt();
    void stopWhileStartingEndsStopped();
    void relayedLinesComeInBatchesOnlyWhileObserved();
    void destroyingARunningControllerStopsItsServer();
};

void TestServerController::startAndStopAreSignalledInOrder_data()
{
    QTest::addColumn<Server::ThreadingModel>("model");
    QTest::newRow("per-connection") << Server::ThreadingModel::PerConnection;
    QTest::newRow("pool") << Server::ThreadingModel::Pool;
    QTest::newRow("single") << Server::ThreadingModel::Single;
}

void TestServerController::startAndStopAreSignalledInOrder()
{
    QFETCH(Server::ThreadingModel, model);
    Server::ServerController controller;
    QSignalSpy started(&controller, &Server::ServerController::started);
    QSignalSpy stopping(&controller, &Server::ServerController::stopping);
    QSignalSpy stopped(&controller, &Server::ServerController::stopped);
    QSignalSpy stats(&controller, &Server::ServerController::statsUpdated);
    controller.setStatsInterval(50);
    Server::ServerConfig config = testConfig();
    config.threading = model;
    controller.start(config);
    QCOMPARE(controller.state(), Server::ServerController::State::Starting);
    QVERIFY(started.wait(Timeout));
    QVERIFY(controller.isRunning());
    QVERIFY(controller.serverPort() != 0);
    QCOMPARE(controller.serverAddress(), QHostAddress(QHostAddress::LocalHost));

    RawClient client;
    QVERIFY(client.connectTo(controller.serverPort()));
    QVERIFY(client.registerAs("client"));
    QTRY_COMPARE(controller.clientCount(), 1); // from the stats, published in the server's thread
    QVERIFY(controller.threadCount() >= 1);

    controller.stop();
    QCOMPARE(stopping.size(), 1);
    QVERIFY(stopped.isEmpty()); // stop() returned before the threads ended
    QCOMPARE(controller.state(), Server::ServerController::State::Stopping);
    QVERIFY(stopped.wait(Timeout));
    QCOMPARE(controller.state(), Server::ServerController::State::Stopped);
    QCOMPARE(controller.serverPort(), quint16(0));
    QCOMPARE(controller.threadCount(), 0);
    const auto error = client.expect("ERROR");
    QVERIFY(error);
    QCOMPARE(error->param(0), QByteArray("Server shutting down"));
    controller.stop(); // stopping a stopped server does nothing
    QCOMPARE(stopping.size(), 1);
}

void TestServerController::startFailureSaysWhy()
{
    QTcpServer occupant;
    QVERIFY(occupant.listen(QHostAddress::LocalHost, 0));
    Server::ServerController controller;
    QSignalSpy failed(&controller, &Server::ServerController::startFailed);
    controller.start(testConfig(occupant.serverPort()));
    QVERIFY(failed.wait(Timeout));
    QVERIFY2(failed.at(0).at(0).toString().contains(QString::number(occupant.serverPort())),
             qPrintable(failed.at(0).at(0).toString()));
    QCOMPARE(controller.state(), Server::ServerController::State::Stopped);
    QSignalSpy started(&controller, &Server::ServerController::started);
    controller.start(testConfig()); // a failed start leaves nothing behind
    QVERIFY(started.wait(Timeout));
}

void TestServerController::startDuringAStopWaitsForIt()
{
    Server::ServerController controller;
    QSignalSpy started(&controller, &Server::ServerController::started);
    QSignalSpy stopped(&controller, &Server::ServerController::stopped);
    controller.start(testConfig());
    QVERIFY(started.wait(Timeout));
    const quint16 port = controller.serverPort();
    RawClient client;
    QVERIFY(client.connectTo(port));
    QVERIFY(client.registerAs("client"));

    QList<QByteArray> order;
    connect(&controller, &Server::ServerController::stopped, this,
            [&] { order.append("stopped"); });
    connect(&controller, &Server::ServerController::started, this,
            [&] { order.append("started"); });
    controller.stop();
    controller.start(testConfig(port)); // the same port: free only once the stop is done
    QTRY_COMPARE_WITH_TIMEOUT(started.size(), 2, Timeout);
    QCOMPARE(order, (QList<QByteArray> {"stopped", "started"}));
    QVERIFY(controller.isRunning());
    QCOMPARE(controller.serverPort(), port);
    RawClient again;
    QVERIFY(again.connectTo(port));
    QVERIFY(again.registerAs("client")); // a new registry
}

void TestServerController::stopWhileStartingEndsStopped()
{
    Server::ServerController controller;
    QSignalSpy started(&controller, &Server::ServerController::started);
    QSignalSpy stopped(&controller, &Server::ServerController::stopped);
    controller.start(testConfig());
    controller.stop();
    QCOMPARE(controller.state(), Server::ServerController::State::Stopping);
    QVERIFY(stopped.wait(Timeout));
    QVERIFY(started.isEmpty());
    QCOMPARE(controller.state(), Server::ServerController::State::Stopped);
}

void TestServerController::relayedLinesComeInBatchesOnlyWhileObserved()
{
    Server::ServerController controller;
    QSignalSpy started(&controller, &Server::ServerController::started);
    controller.start(testConfig());
    QVERIFY(started.wait(Timeout));
    QVERIFY(!controller.isCollectingRelays());
    RawClient talker, listener;
    QVERIFY(talker.connectTo(controller.serverPort()) && talker.registerAs("talker"));
    QVERIFY(listener.connectTo(controller.serverPort()) && listener.registerAs("listener"));
    for (RawClient *client : {&talker, &listener}) {
        client->send("JOIN #b");
        QVERIFY(client->expect(Irc::Numeric::EndOfNames));
    }

    constexpr int Lines = 50;
    {
        QSignalSpy relayed(&controller, &Server::ServerController::messagesRelayed);
        QVERIFY(controller.isCollectingRelays());
        for (int i = 0; i < Lines; ++i)
            talker.send("PRIVMSG #b :" + QByteArray::number(i));
        QTRY_COMPARE(relayedTexts(relayed).size(), Lines);
        QCOMPARE(relayedTexts(relayed).constFirst(), QStringLiteral("0"));
        QCOMPARE(relayedTexts(relayed).constLast(), QString::number(Lines - 1));
        QVERIFY2(relayed.size() < Lines, "a queued signal per line rather than per batch");
    }
    QVERIFY(!controller.isCollectingRelays());
}

void TestServerController::destroyingARunningControllerStopsItsServer()
{
    RawClient client;
    {
        Server::ServerController controller;
        QSignalSpy started(&controller, &Server::ServerController::started);
        controller.start(testConfig());
        QVERIFY(started.wait(Timeout));
        QVERIFY(client.connectTo(controller.serverPort()));
        QVERIFY(client.registerAs("client"));
    }
    auto error = client.expect("ERROR");
    QVERIFY(error);
    QCOMPARE(error->param(0), QByteArray("Server shutting down"));
    QVERIFY(client.waitForDisconnected());
}

QTEST_GUILESS_MAIN(TestServerController)
#include "tst_servercontroller.moc"
