// irssi, WeeChat and HexChat, the real programs, chatting through a QtChat server in two
// threading models, and through a real ngircd to show that the test itself is right.
#include "clientlib/chatclient.h"
#include "serverlib/chatserver.h"
#include "tests/support/ngircdprocess.h"

#include <QProcess>
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
    void realClientAndChatClientTalk_data();
    void realClientAndChatClientTalk();
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

    // QtChat accepts in this thread: the script runs asynchronously while we wait.
    QProcess exchange;
    exchange.setProcessChannelMode(QProcess::MergedChannels);
    exchange.start(QStringLiteral("bash"),
                   {script(QStringLiteral("exchange.sh")), QStringLiteral("127.0.0.1"),
                    QString::number(under.port())});
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

QTEST_GUILESS_MAIN(TestRealClients)
#include "tst_realclients.moc"
