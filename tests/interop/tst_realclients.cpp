// irssi and WeeChat, the real programs, chatting through a QtChat server.
#include "chatserver.h"

#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

class TestRealClients : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void irssiAndWeechatChatThroughQtChat_data();
    void irssiAndWeechatChatThroughQtChat();

private:
    QString script(const char *name) const;
};

QString TestRealClients::script(const char *name) const
{
    return qEnvironmentVariable("QTCHAT_REAL_CLIENTS") + u'/' + QLatin1StringView(name);
}

void TestRealClients::initTestCase()
{
    for (const char *program : {"irssi", "weechat-headless", "tmux"}) {
        if (QStandardPaths::findExecutable(QLatin1StringView(program)).isEmpty())
            QFAIL(qPrintable(QStringLiteral("%1 is required; scripts/test installs it")
                                 .arg(QLatin1StringView(program))));
    }
}

void TestRealClients::irssiAndWeechatChatThroughQtChat_data()
{
    QTest::addColumn<ThreadingModel>("model");
    QTest::newRow("pool") << ThreadingModel::Pool;
    QTest::newRow("per-connection") << ThreadingModel::PerConnection;
}

void TestRealClients::irssiAndWeechatChatThroughQtChat()
{
    QFETCH(ThreadingModel, model);
    ChatServer server;
    ServerConfig config;
    config.port = 0;
    config.threading = model;
    QVERIFY(server.start(config));

    // The server accepts in this thread: the script runs asynchronously while we wait.
    QProcess exchange;
    exchange.setProcessChannelMode(QProcess::MergedChannels);
    exchange.start(QStringLiteral("bash"),
                   {script("exchange.sh"), QStringLiteral("127.0.0.1"),
                    QString::number(server.serverPort())});
    QTRY_VERIFY_WITH_TIMEOUT(exchange.state() == QProcess::NotRunning, 60000);
    const QByteArray output = exchange.readAll();
    QVERIFY2(exchange.exitStatus() == QProcess::NormalExit && exchange.exitCode() == 0,
             output.constData());
    QVERIFY(output.contains("weechat saw irssi's line: ok"));
    QVERIFY(output.contains("irssi saw weechat's line: ok"));
}

QTEST_GUILESS_MAIN(TestRealClients)
#include "tst_realclients.moc"
