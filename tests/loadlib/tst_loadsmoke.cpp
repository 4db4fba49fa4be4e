#include "loadgeneratorprocess.h"
#include "serverlib/chatserver.h"
#include "tests/support/serversignals.h"

#include <QCoreApplication>
#include <QTcpServer>

#include <memory>

// Runs the real qtchat-load binary against an in-process server.
class TestLoadSmoke : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void fanoutLosesNothing_data();
    void fanoutLosesNothing();
    void unreachableServerFails();

private:
    Server::ChatServer m_server;
    std::unique_ptr<LoadGeneratorProcess> m_generator;
};

void TestLoadSmoke::init()
{
    Server::ServerConfig config;
    config.port = 0;
    config.threading = Server::ThreadingModel::Pool;
    // Flood control (2 lines/s per client) and the per-address cap would measure the limits,
    // not the relay: load tests lift them, as `qtchat --headless --no-limits` does.
    config.limits.noLimits = true;
    QVERIFY2(m_server.start(config), qPrintable(m_server.startError()));
    m_generator = std::make_unique<LoadGeneratorProcess>(20);
}

void TestLoadSmoke::cleanup()
{
    m_generator.reset();
    QVERIFY(stopAndWait(m_server));
}

void TestLoadSmoke::fanoutLosesNothing_data()
{
    QTest::addColumn<QString>("capabilities");
    QTest::newRow("no IRCv3") << QStringLiteral("none");
    // Tagged lines (server-time, msgid) and echoes, which are not deliveries.
    QTest::newRow("every IRCv3 capability") << QStringLiteral("all");
}

void TestLoadSmoke::fanoutLosesNothing()
{
    QFETCH(QString, capabilities);
    const bool started = m_generator->start({
        QStringLiteral("--caps"),
        capabilities,
        QStringLiteral("--port"),
        QString::number(m_server.serverPort()),
        QStringLiteral("--clients"),
        QStringLiteral("20"),
        QStringLiteral("--senders"),
        QStringLiteral("4"),
        QStringLiteral("--messages"),
        QStringLiteral("200"),
        QStringLiteral("--server-pid"),
        QString::number(QCoreApplication::applicationPid()),
    });
    QVERIFY2(started, qPrintable(m_generator->errorString()));
    QVERIFY(m_generator->waitForFinished());
    QVERIFY(m_generator->succeeded());

    const QJsonObject json = m_generator->report();
    QVERIFY(json.value(QStringLiteral("passed")).toBool());
    // Every line reaches the 19 other members.
    LoadGeneratorProcess::verifyLossless(json.value(QStringLiteral("traffic")).toObject(),
                                         4 * 200 * 19);
    if (QTest::currentTestFailed())
        return;
    const QJsonObject server = json.value(QStringLiteral("server")).toObject();
    QVERIFY(server.value(QStringLiteral("sampled")).toBool());
    QVERIFY(server.value(QStringLiteral("rss_kb_end")).toInteger() > 0);
}

// The exit status is what scripts rely on: a run that cannot set up must not pass.
void TestLoadSmoke::unreachableServerFails()
{
    QTcpServer placeholder;
    QVERIFY(placeholder.listen(QHostAddress::LocalHost));
    const quint16 closedPort = placeholder.serverPort();
    placeholder.close();
    QVERIFY(m_generator->start({QStringLiteral("--port"), QString::number(closedPort),
                                QStringLiteral("--clients"), QStringLiteral("3"),
                                QStringLiteral("--senders"), QStringLiteral("1")}));
    QVERIFY(m_generator->waitForFinished());
    QCOMPARE(m_generator->exitCode(), 1);
    const QJsonObject setup = m_generator->report().value(QStringLiteral("setup")).toObject();
    QCOMPARE(setup.value(QStringLiteral("failed")).toInt(), 3);
}

QTEST_GUILESS_MAIN(TestLoadSmoke)
#include "tst_loadsmoke.moc"
