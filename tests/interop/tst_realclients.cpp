// irssi, WeeChat and HexChat, the real programs, chatting through a QtChat server in two
// threading models, and through a real ngircd to show that the test itself is right; irssi and
// WeeChat logging in to accounts with SASL, and chatting from two QtChat servers that form one
// network through a real redis-server.
#include "clientlib/chatclient.h"
#include "protocol/messagetags.h"
#include "serverlib/chatserver.h"
#include "serverlib/servercontroller.h"
#include "tests/support/ngircdprocess.h"
#include "tests/support/rawclient.h"
#include "tests/support/redisprocess.h"

#include <QProcess>
#include <QSet>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

namespace {

const QString Channel = QStringLiteral("#demo");
const QString ReplyText = QStringLiteral("hello back from QtChat 你好");

QString script(const QString &name)
{
    return qEnvironmentVariable("QTCHAT_REAL_CLIENTS") + u'/' + name;
}

// The server the real clients use: QtChat in a threading model, or ngircd.
class ServerUnderTest
{
public:
    bool start(const QString &kind)
    {
        if (kind == u"ngircd") {
            m_ngircd = std::make_unique<NgircdProcess>();
            return m_ngircd->start();
        }
        Server::ServerConfig config;
        config.port = 0;
        config.threading = kind == u"pool" ? Server::ThreadingModel::Pool
                                           : Server::ThreadingModel::PerConnection;
        return m_qtchat.start(config);
    }
    quint16 port() const { return m_ngircd ? m_ngircd->port() : m_qtchat.serverPort(); }
    QString errorString() const { return m_ngircd ? m_ngircd->errorString() : QString(); }

private:
    Server::ChatServer m_qtchat;
    std::unique_ptr<NgircdProcess> m_ngircd;
};

void addServerRows(const QString &prefix, const std::function<void(QTestData &)> &fill)
{
    for (const char *server : {"pool", "per-connection", "ngircd"}) {
        QTestData &row = QTest::newRow(qPrintable(prefix + QLatin1StringView(server)))
            << QString::fromLatin1(server);
        fill(row);
    }
}

} // namespace

class TestRealClients : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void irssiAndWeechatChatThroughTheServer_data();
    void irssiAndWeechatChatThroughTheServer();
    void irssiAndWeechatChatAcrossClusterNodes();
    void realClientAndChatClientTalk_data();
    void realClientAndChatClientTalk();
    void moderationSeenByIrssiAndWeechat();
    void saslLoginFromIrssiAndWeechat_data();
    void saslLoginFromIrssiAndWeechat();

private:
    static void expectExchange(quint16 weechatPort, quint16 irssiPort);
    static QProcess *startDriver(const QString &driver, quint16 port, const QString &nick,
                                 const QString &logFile, const QString &expect);
};

// A missing client or plugin fails here at once, naming the package, instead of each case
// timing out later. Each driver knows what it needs (--check).
void TestRealClients::initTestCase()
{
    QVERIFY2(NgircdProcess::isAvailable(), qPrintable(NgircdProcess::unavailableReason()));
    for (const char *driver : {"weechat_send.sh", "irssi_chat.sh", "hexchat_chat.sh"}) {
        QProcess check;
        check.setProcessChannelMode(QProcess::MergedChannels);
        check.start(QStringLiteral("bash"),
                    {script(QLatin1StringView(driver)), QStringLiteral("--check")});
        QVERIFY(check.waitForFinished(10000));
        QVERIFY2(check.exitCode() == 0, check.readAll().constData());
    }
}

void TestRealClients::irssiAndWeechatChatThroughTheServer_data()
{
    QTest::addColumn<QString>("server");
    addServerRows({}, [](QTestData &) {});
}

void TestRealClients::irssiAndWeechatChatThroughTheServer()
{
    QFETCH(QString, server);
    ServerUnderTest under;
    QVERIFY2(under.start(server), qPrintable(under.errorString()));
    expectExchange(under.port(), under.port());
}

// WeeChat on one node, irssi on another: each sees the other join and reads the other's line.
void TestRealClients::irssiAndWeechatChatAcrossClusterNodes()
{
    RedisProcess redis;
    QVERIFY2(redis.start(), qPrintable(redis.errorString()));
    Server::ChatServer nodes[2];
    for (int i = 0; i < 2; ++i) {
        Server::ServerConfig config;
        config.port = 0;
        config.history.enabled = false;
        config.cluster.redisUrl = redis.url();
        config.cluster.nodeName = QStringLiteral("node-%1").arg(i + 1);
        QVERIFY2(nodes[i].start(config), qPrintable(nodes[i].startError()));
    }
    expectExchange(nodes[0].serverPort(), nodes[1].serverPort());
    for (Server::ChatServer &node : nodes) {
        QSignalSpy stopped(&node, &Server::ChatServer::stopped);
        node.stop();
        QVERIFY(stopped.count() > 0 || stopped.wait(10000));
    }
}

void TestRealClients::expectExchange(quint16 weechatPort, quint16 irssiPort)
{
    // QtChat accepts in this thread: the script runs asynchronously while we wait.
    QProcess exchange;
    exchange.setProcessChannelMode(QProcess::MergedChannels);
    exchange.start(QStringLiteral("bash"),
                   {script(QStringLiteral("exchange.sh")), QStringLiteral("127.0.0.1"),
                    QString::number(weechatPort), QString::number(irssiPort)});
    QTRY_VERIFY_WITH_TIMEOUT(exchange.state() == QProcess::NotRunning, 60000);
    const QByteArray output = exchange.readAll();
    QVERIFY2(exchange.exitStatus() == QProcess::NormalExit && exchange.exitCode() == 0,
             output.constData());
    QVERIFY(output.contains("weechat saw irssi's line: ok"));
    QVERIFY(output.contains("irssi saw weechat's line: ok"));
}

void TestRealClients::realClientAndChatClientTalk_data()
{
    QTest::addColumn<QString>("server");
    QTest::addColumn<QString>("script");
    QTest::addColumn<QString>("nick");
    const struct
    {
        const char *name, *script, *nick;
    } clients[] = {{"weechat", "weechat_send.sh", "wcA"},
                   {"irssi", "irssi_chat.sh", "irB"},
                   {"hexchat", "hexchat_chat.sh", "hexC"}};
    for (const auto &client : clients) {
        addServerRows(QLatin1StringView(client.name) + u'/', [&client](QTestData &row) {
            row << QString::fromLatin1(client.script) << QString::fromLatin1(client.nick);
        });
    }
}

// The real client says a line once it sees us in the channel, and quits once its channel
// log shows our answer; both lines carry Chinese.
void TestRealClients::realClientAndChatClientTalk()
{
    QFETCH(QString, server);
    QFETCH(QString, script);
    QFETCH(QString, nick);
    ServerUnderTest under;
    QVERIFY2(under.start(server), qPrintable(under.errorString()));

    Client::ChatClient client;
    QList<Client::ChatMessage> heard;
    connect(&client, &Client::ChatClient::messageReceived, this,
            [&heard](const Client::ChatMessage &message) {
                if (!message.own && !message.fromServer)
                    heard.append(message);
            });
    Client::ClientSettings settings;
    settings.port = under.port();
    settings.nick = QStringLiteral("qtc");
    settings.channels = {Channel};
    client.connectToServer(settings);
    QTRY_VERIFY_WITH_TIMEOUT(client.isJoined(Channel), 10000);

    QTemporaryDir dir;
    const QString logFile = dir.filePath(QStringLiteral("channel.log"));
    const QString text = QStringLiteral("hello from %1 你好").arg(nick);
    QProcess real;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("PEER"), settings.nick);
    environment.insert(QStringLiteral("EXPECT"), ReplyText);
    real.setProcessEnvironment(environment);
    real.start(QStringLiteral("bash"),
               {::script(script), QStringLiteral("127.0.0.1"), QString::number(under.port()), nick,
                Channel, text, logFile});
    QTRY_VERIFY_WITH_TIMEOUT(!heard.isEmpty() || real.state() == QProcess::NotRunning, 30000);
    QVERIFY2(!heard.isEmpty(), real.readAllStandardError().constData());
    QCOMPARE(heard.constFirst().from, nick);
    QCOMPARE(heard.constFirst().text, text);
    client.sendMessage(Channel, ReplyText);

    QTRY_VERIFY_WITH_TIMEOUT(real.state() == QProcess::NotRunning, 30000);
    QVERIFY2(real.exitCode() == 0, real.readAllStandardError().constData());
    QFile log(logFile);
    QVERIFY(log.open(QIODevice::ReadOnly));
    const QString seen = QString::fromUtf8(log.readAll());
    QVERIFY2(seen.contains(ReplyText), qPrintable(seen));
}

QProcess *TestRealClients::startDriver(const QString &driver, quint16 port, const QString &nick,
                                       const QString &logFile, const QString &expect)
{
    auto *process = new QProcess;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("PEER"), QStringLiteral("op"));
    environment.insert(QStringLiteral("EXPECT"), expect);
    process->setProcessEnvironment(environment);
    process->start(QStringLiteral("bash"),
                   {script(driver), QStringLiteral("127.0.0.1"), QString::number(port), nick,
                    QStringLiteral("#mod"), QStringLiteral("%1 is here").arg(nick), logFile});
    return process;
}

// A channel operator (a raw client) unlocks and locks the topic, bans irssi's user, sets the
// topic and kicks both; what each real client logged shows it understood every step. Each
// client quits once its log shows its own kick, so nothing waits a fixed time.
void TestRealClients::moderationSeenByIrssiAndWeechat()
{
    Server::ChatServer server;
    Server::ServerConfig config;
    config.port = 0;
    QVERIFY(server.start(config));
    RawClient op;
    QVERIFY(op.connectTo(server.serverPort()) && op.registerAs("op"));
    op.send("JOIN #mod");
    QVERIFY(op.expect("366"));

    QTemporaryDir dir;
    const QString weechatLog = dir.filePath(QStringLiteral("weechat.log"));
    const QString irssiLog = dir.filePath(QStringLiteral("irssi.log"));
    const std::unique_ptr<QProcess> weechat(startDriver(QStringLiteral("weechat_send.sh"),
                                                        server.serverPort(), QStringLiteral("wcM"),
                                                        weechatLog, QStringLiteral("out-wc")));
    const std::unique_ptr<QProcess> irssi(startDriver(QStringLiteral("irssi_chat.sh"),
                                                      server.serverPort(), QStringLiteral("irM"),
                                                      irssiLog, QStringLiteral("out-ir")));
    // Both have joined once both have spoken.
    QSet<QByteArray> spoken;
    const auto bothSpoke = [&spoken](const Irc::IrcMessage &m) {
        if (m.command == "PRIVMSG")
            spoken.insert(m.source.left(m.source.indexOf('!')));
        return spoken.contains("wcM") && spoken.contains("irM");
    };
    QVERIFY2(op.expectMatch(bothSpoke, 30000), spoken.values().join(' ').constData());
    // A new channel is +nt: unlock it, then lock the topic and ban in one line.
    op.send("MODE #mod -t");
    op.send("MODE #mod +tb irM!*@*");
    op.send("TOPIC #mod :locked by op");
    op.send("KICK #mod wcM :out-wc");
    op.send("KICK #mod irM :out-ir");

    QTRY_VERIFY_WITH_TIMEOUT(
        weechat->state() == QProcess::NotRunning && irssi->state() == QProcess::NotRunning, 30000);
    QVERIFY2(weechat->exitCode() == 0, weechat->readAllStandardError().constData());
    QVERIFY2(irssi->exitCode() == 0, irssi->readAllStandardError().constData());
    QFile weechatFile(weechatLog), irssiFile(irssiLog);
    QVERIFY(weechatFile.open(QIODevice::ReadOnly) && irssiFile.open(QIODevice::ReadOnly));
    const QString seenByWeechat = QString::fromUtf8(weechatFile.readAll());
    const QString seenByIrssi = QString::fromUtf8(irssiFile.readAll());
    const QStringList weechatLines
        = {QStringLiteral("Mode #mod [-t] by op"), QStringLiteral("Mode #mod [+tb irM!*@*] by op"),
           QStringLiteral("op has changed topic for #mod to \"locked by op\""),
           QStringLiteral("op has kicked wcM (out-wc)")};
    for (const QString &line : weechatLines)
        QVERIFY2(seenByWeechat.contains(line), qPrintable(line + u'\n' + seenByWeechat));
    const QStringList irssiLines
        = {QStringLiteral("mode/#mod [-t] by op"), QStringLiteral("mode/#mod [+tb irM!*@*] by op"),
           QStringLiteral("op changed the topic of #mod to: locked by op"),
           QStringLiteral("wcM was kicked from #mod by op [out-wc]"),
           QStringLiteral("irM was kicked from #mod by op [out-ir]")};
    for (const QString &line : irssiLines)
        QVERIFY2(seenByIrssi.contains(line), qPrintable(line + u'\n' + seenByIrssi));
}

void TestRealClients::saslLoginFromIrssiAndWeechat_data()
{
    QTest::addColumn<QString>("script");
    QTest::addColumn<QString>("nick");
    QTest::addColumn<QByteArray>("password");
    QTest::addColumn<bool>("loggedIn");
    QTest::newRow("weechat") << QStringLiteral("weechat_send.sh") << QStringLiteral("wcS")
                             << QByteArray("interop-secret") << true;
    QTest::newRow("weechat/wrong password")
        << QStringLiteral("weechat_send.sh") << QStringLiteral("wcS") << QByteArray("wrong-one")
        << false;
    QTest::newRow("irssi") << QStringLiteral("irssi_chat.sh") << QStringLiteral("irS")
                           << QByteArray("interop-secret") << true;
    QTest::newRow("irssi/wrong password")
        << QStringLiteral("irssi_chat.sh") << QStringLiteral("irS") << QByteArray("wrong-one")
        << false;
}

// The account `realacct` is registered first (REGISTER from a raw client); the real client,
// configured for SASL PLAIN with its own nick, joins and speaks. An operator's raw client sees
// the account on its JOIN (extended-join), on its line (account-tag) and in WHOIS (330) — or
// none of them after a wrong password, which the client's own log shows refused (904).
void TestRealClients::saslLoginFromIrssiAndWeechat()
{
    QFETCH(QString, script);
    QFETCH(QString, nick);
    QFETCH(QByteArray, password);
    QFETCH(bool, loggedIn);
    const QByteArray account = "realacct";
    const QByteArray nickBytes = nick.toLatin1();
    QTemporaryDir dir;
    Server::ServerController controller;
    Server::ServerConfig config;
    config.port = 0;
    config.history.database = dir.filePath(QStringLiteral("history.sqlite"));
    config.accountHashCost = Server::PasswordHash::Cost::Minimal;
    QSignalSpy started(&controller, &Server::ServerController::started);
    controller.start(config);
    QVERIFY(started.wait(30000));

    RawClient registrar;
    QVERIFY(registrar.connectTo(controller.serverPort()) && registrar.registerAs(account));
    registrar.send("REGISTER * * :interop-secret");
    QCOMPARE(registrar.expect("REGISTER", 30000)->param(0), QByteArray("SUCCESS"));
    registrar.send("QUIT");
    RawClient op;
    QVERIFY(op.connectTo(controller.serverPort())
            && op.registerWithCapabilities("op", "account-tag extended-join"));
    op.send("JOIN #sasl");
    QVERIFY(op.expect("366"));

    const QString logFile = dir.filePath(QStringLiteral("channel.log"));
    const QString statusLog = dir.filePath(QStringLiteral("status.log"));
    QProcess real;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("PEER"), QStringLiteral("op"));
    environment.insert(QStringLiteral("EXPECT"), ReplyText);
    environment.insert(QStringLiteral("SASL_USER"), QString::fromLatin1(account));
    environment.insert(QStringLiteral("SASL_PASSWORD"), QString::fromLatin1(password));
    environment.insert(QStringLiteral("STATUS_LOG"), statusLog);
    real.setProcessEnvironment(environment);
    real.start(QStringLiteral("bash"),
               {::script(script), QStringLiteral("127.0.0.1"),
                QString::number(controller.serverPort()), nick, QStringLiteral("#sasl"),
                QStringLiteral("%1 is here").arg(nick), logFile});

    const QByteArray shown = loggedIn ? account : QByteArray("*");
    const std::optional<Irc::IrcMessage> join = op.expectMatch(
        [&](const Irc::IrcMessage &m) {
            return m.command == "JOIN" && m.sourceNick() == nickBytes;
        },
        30000);
    QVERIFY2(join, real.readAllStandardError().constData());
    QCOMPARE(join->param(1), shown); // extended-join
    const std::optional<QByteArray> said = op.expectLine("PRIVMSG", nickBytes + '!', 30000);
    QVERIFY(said);
    const Irc::MessageTags tags = Irc::parseTags(Irc::splitTags(*said).tagData);
    QCOMPARE(Irc::tagValue(tags, "account").value_or("*"), shown); // account-tag
    op.send("WHOIS " + nickBytes);
    std::optional<QByteArray> whoisAccount;
    QVERIFY(op.expectMatch([&](const Irc::IrcMessage &m) {
        if (m.command == "330")
            whoisAccount = m.param(2);
        return m.command == "318";
    }));
    QCOMPARE(whoisAccount.value_or("*"), shown);
    op.send("PRIVMSG #sasl :" + ReplyText.toUtf8());

    QTRY_VERIFY_WITH_TIMEOUT(real.state() == QProcess::NotRunning, 30000);
    QVERIFY2(real.exitCode() == 0, real.readAllStandardError().constData());
    QFile status(statusLog);
    QVERIFY(status.open(QIODevice::ReadOnly));
    const QString seen = QString::fromUtf8(status.readAll());
    // irssi says "succeeded", WeeChat "successful"; both show 904's text as it came.
    const QString outcome = loggedIn ? QStringLiteral("SASL authentication succe")
                                     : QStringLiteral("SASL authentication failed");
    QVERIFY2(seen.contains(outcome), qPrintable(seen));
    QCOMPARE(seen.contains(QStringLiteral("You are now logged in as realacct")), loggedIn);
    QSignalSpy stopped(&controller, &Server::ServerController::stopped);
    controller.stop();
    QVERIFY(stopped.wait(30000));
}

QTEST_GUILESS_MAIN(TestRealClients)
#include "tst_realclients.moc"
