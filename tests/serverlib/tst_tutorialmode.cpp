// The tutorial's own Python client against the server in tutorial mode.
#include "serverlib/chatserver.h"
#include "tests/support/serversignals.h"

#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

class TestTutorialMode : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void twoTutorialClientsAreServedAtOnce_data();
    void twoTutorialClientsAreServedAtOnce();
};

void TestTutorialMode::initTestCase()
{
    if (QStandardPaths::findExecutable(QStringLiteral("python3")).isEmpty())
        QFAIL("python3 is required: the tutorial's client is Python");
}

void TestTutorialMode::twoTutorialClientsAreServedAtOnce_data()
{
    QTest::addColumn<Server::ThreadingModel>("model");
    QTest::newRow("per-connection") << Server::ThreadingModel::PerConnection;
    QTest::newRow("pool") << Server::ThreadingModel::Pool;
}

void TestTutorialMode::twoTutorialClientsAreServedAtOnce()
{
    QFETCH(Server::ThreadingModel, model);
    Server::ChatServer server;
    Server::ServerConfig config;
    config.port = 0;
    config.threading = model;
    config.protocol = Server::WireProtocol::Tutorial;
    QSignalSpy relayed(&server, &Server::ChatServer::messagesRelayed);
    QSignalSpy disconnected(&server, &Server::ChatServer::clientDisconnected);
    QVERIFY(server.start(config));

    const QStringList arguments {qEnvironmentVariable("TUTORIAL_CLIENT"),
                                 QStringLiteral("127.0.0.1"), QString::number(server.serverPort())};
    QProcess first, second;
    first.start(QStringLiteral("python3"), arguments);
    second.start(QStringLiteral("python3"), arguments);
    QVERIFY(first.waitForStarted() && second.waitForStarted());
    // Both connected before either says anything: the server serves them side by side.
    QTRY_COMPARE(server.clientCount(), 2);
    first.write(QStringLiteral("你好\nhello\n").toUtf8());
    second.write("from two\n");
    QTRY_COMPARE(relayedTexts(relayed).size(), 3);
    first.write("q\n");
    second.write("Q\n");
    QVERIFY(first.waitForFinished(10000) && second.waitForFinished(10000));
    QCOMPARE(first.exitCode(), 0);
    QCOMPARE(second.exitCode(), 0);

    const QString firstOutput = QString::fromUtf8(first.readAllStandardOutput());
    QCOMPARE(firstOutput.count(QStringLiteral("收到收到")), 2);
    QCOMPARE(QString::fromUtf8(second.readAllStandardOutput()).count(QStringLiteral("收到收到")),
             1);
    QTRY_COMPARE(disconnected.size(), 2);
    QTRY_VERIFY(relayedTexts(relayed).contains(QStringLiteral("q"))); // in a later batch
    const QStringList texts = relayedTexts(relayed);
    QVERIFY(texts.contains(QStringLiteral("你好")));
    QVERIFY(texts.contains(QStringLiteral("hello")));
    QVERIFY(texts.contains(QStringLiteral("from two")));
    QVERIFY(texts.contains(QStringLiteral("q")));
}

QTEST_GUILESS_MAIN(TestTutorialMode)
#include "tst_tutorialmode.moc"
