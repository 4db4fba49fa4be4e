#include "serverlib/chatserver.h"
#include "tests/support/serversignals.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

#include <memory>

namespace {

constexpr int GeneratorTimeoutS = 20;
// Longer than the generator's own timeout, so that it reports before the test gives up.
constexpr int WaitForGeneratorMs = (GeneratorTimeoutS + 10) * 1000;

} // namespace

// Runs the real qtchat-load binary against an in-process server. The server accepts in this
// thread, so the generator runs asynchronously and the test waits in the event loop (QTRY),
// never in a blocking waitForFinished() that would stop the accepts.
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
    void startGenerator(const QStringList &arguments);
    void collectOutput();
    QJsonObject report() const;

    Server::ChatServer m_server;
    QProcess m_generator;
    std::unique_ptr<QSignalSpy> m_finished;
    QByteArray m_stdout;
    QByteArray m_stderr;
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
    m_finished = std::make_unique<QSignalSpy>(&m_generator, &QProcess::finished);
}

void TestLoadSmoke::cleanup()
{
    if (m_generator.state() != QProcess::NotRunning) {
        m_generator.kill();
        m_generator.waitForFinished(); // SIGKILL: returns at once, needs no accept
    }
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
    startGenerator({
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
    QTRY_COMPARE_WITH_TIMEOUT(m_finished->count(), 1, WaitForGeneratorMs);
    collectOutput();
    if (m_generator.exitStatus() != QProcess::NormalExit || m_generator.exitCode() != 0)
        qInfo("qtchat-load says why:\n%s\n%s", m_stdout.constData(), m_stderr.constData());
    QCOMPARE(m_generator.exitStatus(), QProcess::NormalExit);
    QCOMPARE(m_generator.exitCode(), 0);

    const QJsonObject json = report();
    QVERIFY(json.value(QStringLiteral("passed")).toBool());
    const QJsonObject traffic = json.value(QStringLiteral("traffic")).toObject();
    const qint64 expected = 4 * 200 * 19; // every line reaches the 19 other members
    QCOMPARE(traffic.value(QStringLiteral("expected_deliveries")).toInteger(), expected);
    QCOMPARE(traffic.value(QStringLiteral("received_deliveries")).toInteger(), expected);
    QCOMPARE(traffic.value(QStringLiteral("loss")).toInteger(), 0);
    QCOMPARE(traffic.value(QStringLiteral("out_of_order")).toInteger(), 0);
    QCOMPARE(traffic.value(QStringLiteral("duplicates")).toInteger(), 0);
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
    startGenerator({QStringLiteral("--port"), QString::number(closedPort),
                    QStringLiteral("--clients"), QStringLiteral("3"), QStringLiteral("--senders"),
                    QStringLiteral("1")});
    QTRY_COMPARE_WITH_TIMEOUT(m_finished->count(), 1, WaitForGeneratorMs);
    collectOutput();
    QCOMPARE(m_generator.exitCode(), 1);
    const QJsonObject setup = report().value(QStringLiteral("setup")).toObject();
    QCOMPARE(setup.value(QStringLiteral("failed")).toInt(), 3);
}

void TestLoadSmoke::startGenerator(const QStringList &arguments)
{
    const QStringList common {QStringLiteral("--json"), QStringLiteral("--quiet"),
                              QStringLiteral("--timeout"), QString::number(GeneratorTimeoutS)};
    m_generator.start(QStringLiteral(QTCHAT_LOAD_BINARY), arguments + common);
    // Returns once exec() succeeded; the generator has not connected yet.
    QVERIFY2(m_generator.waitForStarted(), qPrintable(m_generator.errorString()));
}

void TestLoadSmoke::collectOutput()
{
    m_stdout = m_generator.readAllStandardOutput();
    m_stderr = m_generator.readAllStandardError();
}

QJsonObject TestLoadSmoke::report() const
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(m_stdout, &error);
    if (error.error != QJsonParseError::NoError)
        qWarning("qtchat-load printed no JSON (%s)", qPrintable(error.errorString()));
    return document.object();
}

QTEST_GUILESS_MAIN(TestLoadSmoke)
#include "tst_loadsmoke.moc"
