// irssi and WeeChat, the real programs, chatting through a QtChat server.
#include "clientlib/chatclient.h"
#include "serverlib/chatserver.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

class TestRealClients : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void irssiAndWeechatChatThroughQtChat_data();
    void irssiAndWeechatChatThroughQtChat();
    void realClientAndChatClientTalk_data();
    void realClientAndChatClientTalk();

private:
    QString script(const char *name) const;
};

QString TestRealClients::script(const char *name) const
{
    return qEnvironmentVariable("QTCHAT_REAL_CLIENTS") + u'/' + QLatin1StringView(name);
}

// A missing client or plugin fails here at once, naming the package, instead of each case
// timing out later. Each driver knows what it needs (--check).
void TestRealClients::initTestCase()
{
    for (const char *driver : {"weechat_send.sh", "irssi_chat.sh"}) {
        QProcess check;
        check.setProcessChannelMode(QProcess::MergedChannels);
        check.start(QStringLiteral("bash"), {script(driver), QStringLiteral("--check")});
        QVERIFY(check.waitForFinished(10000));
        QVERIFY2(check.exitCode() == 0, check.readAll().constData());
    }
}

void TestRealClients::irssiAndWeechatChatThroughQtChat_data()
{
    QTest::addColumn<Server::ThreadingModel>("model");
    QTest::newRow("pool") << Server::ThreadingModel::Pool;
    QTest::newRow("per-connection") << Server::ThreadingModel::PerConnection;
}

void TestRealClients::irssiAndWeechatChatThroughQtChat()
{
    QFETCH(Server::ThreadingModel, model);
    Server::ChatServer server;
    Server::ServerConfig config;
    config.port = 0;
    config.threading = model;
    QVERIFY(server.start(config));

    // The server accepts in this thread: the script runs asynchronously while we wait.
    QProcess exchange;
    exchange.setProcessChannelMode(QProcess::MergedChannels);
    exchange.start(
        QStringLiteral("bash"),
        {script("exchange.sh"), QStringLiteral("127.0.0.1"), QString::number(server.serverPort())});
    QTRY_VERIFY_WITH_TIMEOUT(exchange.state() == QProcess::NotRunning, 60000);
    const QByteArray output = exchange.readAll();
    QVERIFY2(exchange.exitStatus() == QProcess::NormalExit && exchange.exitCode() == 0,
             output.constData());
    QVERIFY(output.contains("weechat saw irssi's line: ok"));
    QVERIFY(output.contains("irssi saw weechat's line: ok"));
}

void TestRealClients::realClientAndChatClientTalk_data()
{
    QTest::addColumn<QString>("script");
    QTest::addColumn<QString>("nick");
    QTest::newRow("weechat") << QStringLiteral("weechat_send.sh") << QStringLiteral("wcA");
    QTest::newRow("irssi") << QStringLiteral("irssi_chat.sh") << QStringLiteral("irB");
}

void TestRealClients::realClientAndChatClientTalk()
{
    QFETCH(QString, script);
    QFETCH(QString, nick);
    Server::ChatServer server;
    Server::ServerConfig config;
    config.port = 0;
    QVERIFY(server.start(config));

    Client::ChatClient client;
    QList<Client::ChatMessage> heard;
    connect(&client, &Client::ChatClient::messageReceived, this,
            [&heard](const Client::ChatMessage &message) {
                if (!message.own)
                    heard.append(message);
            });
    Client::ClientSettings settings;
    settings.port = server.serverPort();
    settings.nick = QStringLiteral("qtc");
    settings.channels = {QStringLiteral("#demo")};
    client.connectToServer(settings);
    QTRY_VERIFY_WITH_TIMEOUT(client.isJoined(QStringLiteral("#demo")), 10000);

    // The real client speaks once it sees us in the channel, and quits once its channel log
    // shows our answer.
    QTemporaryDir dir;
    const QString logFile = dir.filePath(QStringLiteral("channel.log"));
    QProcess real;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("PEER"), QStringLiteral("qtc"));
    environment.insert(QStringLiteral("EXPECT"), QStringLiteral("hello back from QtChat 你好"));
    real.setProcessEnvironment(environment);
    real.start(QStringLiteral("bash"),
               {qEnvironmentVariable("QTCHAT_REAL_CLIENTS") + u'/' + script,
                QStringLiteral("127.0.0.1"), QString::number(server.serverPort()), nick,
                QStringLiteral("#demo"), QStringLiteral("hello from a real client"), logFile});
    QTRY_VERIFY_WITH_TIMEOUT(!heard.isEmpty(), 20000);
    QCOMPARE(heard.constFirst().from, nick);
    QCOMPARE(heard.constFirst().text, QStringLiteral("hello from a real client"));
    client.sendMessage(QStringLiteral("#demo"), QStringLiteral("hello back from QtChat 你好"));

    QTRY_VERIFY_WITH_TIMEOUT(real.state() == QProcess::NotRunning, 30000);
    QCOMPARE(real.exitCode(), 0);
    QFile log(logFile);
    QVERIFY(log.open(QIODevice::ReadOnly));
    const QString seen = QString::fromUtf8(log.readAll());
    QVERIFY2(seen.contains(QStringLiteral("hello back from QtChat 你好")), qPrintable(seen));
}

QTEST_GUILESS_MAIN(TestRealClients)
#include "tst_realclients.moc"
