// A WHOIS answer as the lines a conversation shows: every part the server told, none it did
// not, and no numerics.
#include "app/whoistext.h"
#include "clientlib/queryresults.h"

#include <QTest>

class TestWhoisText : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everythingTold();
    void onlyWhatWasTold();
    void notFound();
    void durations_data();
    void durations();
};

void TestWhoisText::everythingTold()
{
    Client::WhoisInfo info;
    info.found = true;
    info.nick = QStringLiteral("小明");
    info.user = QStringLiteral("ming");
    info.host = QStringLiteral("example.com");
    info.realName = QStringLiteral("Xiao Ming");
    info.channels = {QStringLiteral("@#qt"), QStringLiteral("#lobby")};
    info.server = QStringLiteral("irc.example.com");
    info.serverInfo = QStringLiteral("QtChat");
    info.idleSeconds = 125;
    info.signOn = QDateTime(QDate(2026, 12, 1), QTime(9, 30), Qt::UTC);
    info.away = true;
    info.awayMessage = QStringLiteral("lunch");
    info.isOperator = true;
    info.account = QStringLiteral("ming-account");

    const QStringList lines = App::WhoisText::lines(info);
    QCOMPARE(lines.size(), 7);
    QCOMPARE(lines.at(0), QStringLiteral("小明 is 小明!ming@example.com (Xiao Ming)"));
    QCOMPARE(lines.at(1), QStringLiteral("Channels: @#qt #lobby"));
    QCOMPARE(lines.at(2), QStringLiteral("Server: irc.example.com (QtChat)"));
    const QString signOn = QLocale().toString(info.signOn.toLocalTime(), QLocale::ShortFormat);
    QCOMPARE(lines.at(3), QStringLiteral("Idle: 2 min 5 s, signed on %1").arg(signOn));
    QCOMPARE(lines.at(4), QStringLiteral("Away: lunch"));
    QCOMPARE(lines.at(5), QStringLiteral("Is an IRC operator."));
    QCOMPARE(lines.at(6), QStringLiteral("Logged in as ming-account."));
}

void TestWhoisText::onlyWhatWasTold()
{
    Client::WhoisInfo info;
    info.found = true;
    info.nick = QStringLiteral("bob");
    info.user = QStringLiteral("b");
    info.host = QStringLiteral("h");
    QCOMPARE(App::WhoisText::lines(info), QStringList {QStringLiteral("bob is bob!b@h")});
}

void TestWhoisText::notFound()
{
    Client::WhoisInfo info;
    info.nick = QStringLiteral("ghost");
    info.error = QStringLiteral("No such nick/channel");
    QCOMPARE(App::WhoisText::lines(info),
             QStringList {QStringLiteral("ghost: No such nick/channel")});
    info.error.clear();
    QCOMPARE(App::WhoisText::lines(info), QStringList {QStringLiteral("ghost: no such nick.")});
}

void TestWhoisText::durations_data()
{
    QTest::addColumn<qint64>("seconds");
    QTest::addColumn<QString>("text");
    QTest::newRow("seconds") << qint64(0) << "0 s";
    QTest::newRow("minutes") << qint64(59 * 60 + 59) << "59 min 59 s";
    QTest::newRow("hours") << qint64(3 * 3600 + 7 * 60 + 5) << "3 h 7 min";
    QTest::newRow("days") << qint64(2 * 86400 + 3600) << "2 d 1 h";
}

void TestWhoisText::durations()
{
    QFETCH(qint64, seconds);
    QFETCH(QString, text);
    QCOMPARE(App::WhoisText::duration(seconds), text);
}

QTEST_GUILESS_MAIN(TestWhoisText)
#include "tst_whoistext.moc"
