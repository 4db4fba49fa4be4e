// What counts as a mention of our nick, and which lines get a desktop notification: the
// decisions behind the tabs' mention flag and the tray's messages, without widgets.
#include "app/mentions.h"
#include "app/notificationpolicy.h"

#include <QTest>

using Span = App::Mentions::Span;
using Reason = App::NotificationPolicy::Reason;

Q_DECLARE_METATYPE(QList<Span>)

class TestNotificationPolicy : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void mentionsAreWholeWordsInTheServersCase_data();
    void mentionsAreWholeWordsInTheServersCase();
    void notifiesOfMentionsAndPrivateMessagesInTheBackground_data();
    void notifiesOfMentionsAndPrivateMessagesInTheBackground();
    void mutedChannelsCompareAsTheServerDoes();
};

void TestNotificationPolicy::mentionsAreWholeWordsInTheServersCase_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("nick");
    QTest::addColumn<int>("mapping");
    QTest::addColumn<QList<Span>>("spans");
    const int rfc = int(Irc::CaseMapping::Rfc1459);
    const int ascii = int(Irc::CaseMapping::Ascii);
    QTest::newRow("address") << "alice: hi"
                             << "alice" << rfc << QList<Span> {{0, 5}};
    QTest::newRow("other case") << "hi ALICE!"
                                << "alice" << rfc << QList<Span> {{3, 5}};
    QTest::newRow("after chinese")
        << QStringLiteral("你好 alice，早") << "alice" << rfc << QList<Span> {{3, 5}};
    QTest::newRow("chinese right before")
        << QStringLiteral("你好alice") << "alice" << rfc << QList<Span> {{2, 5}};
    QTest::newRow("inside a word") << "malice aforethought"
                                   << "alice" << rfc << QList<Span> {};
    QTest::newRow("longer nick") << "alice_ is away"
                                 << "alice" << rfc << QList<Span> {};
    QTest::newRow("twice") << "bob, bob!"
                           << "bob" << rfc << QList<Span> {{0, 3}, {5, 3}};
    QTest::newRow("rfc1459 brackets") << "hi {bob}"
                                      << "[BOB]" << rfc << QList<Span> {{3, 5}};
    QTest::newRow("ascii brackets") << "hi {bob}"
                                    << "[BOB]" << ascii << QList<Span> {};
    QTest::newRow("no nick yet") << "anything"
                                 << "" << rfc << QList<Span> {};
}

void TestNotificationPolicy::mentionsAreWholeWordsInTheServersCase()
{
    QFETCH(QString, text);
    QFETCH(QString, nick);
    QFETCH(int, mapping);
    QFETCH(QList<Span>, spans);
    QCOMPARE(App::Mentions::find(text, nick, Irc::CaseMapping(mapping)), spans);
    for (const Span &span : spans)
        QVERIFY(Irc::foldCase(text.mid(span.start, span.length).toUtf8(), Irc::CaseMapping(mapping))
                == Irc::foldCase(nick.toUtf8(), Irc::CaseMapping(mapping)));
}

void TestNotificationPolicy::notifiesOfMentionsAndPrivateMessagesInTheBackground_data()
{
    QTest::addColumn<bool>("enabled");
    QTest::addColumn<bool>("active");
    QTest::addColumn<QString>("conversation");
    QTest::addColumn<bool>("mention");
    QTest::addColumn<bool>("own");
    QTest::addColumn<bool>("notice");
    QTest::addColumn<int>("reason");
    const int none = int(Reason::None);
    const int mention = int(Reason::Mention);
    const int query = int(Reason::PrivateMessage);
    QTest::newRow("mention, inactive")
        << true << false << "#room" << true << false << false << mention;
    QTest::newRow("mention, active") << true << true << "#room" << true << false << false << none;
    QTest::newRow("plain line") << true << false << "#room" << false << false << false << none;
    QTest::newRow("muted channel") << true << false << "#busy" << true << false << false << none;
    QTest::newRow("private, inactive")
        << true << false << "bob" << false << false << false << query;
    QTest::newRow("private, active") << true << true << "bob" << false << false << false << none;
    QTest::newRow("private notice") << true << false << "bob" << false << false << true << none;
    QTest::newRow("own line") << true << false << "bob" << false << true << false << none;
    QTest::newRow("switched off") << false << false << "bob" << true << false << false << none;
}

void TestNotificationPolicy::notifiesOfMentionsAndPrivateMessagesInTheBackground()
{
    QFETCH(bool, enabled);
    QFETCH(bool, active);
    QFETCH(QString, conversation);
    QFETCH(bool, mention);
    QFETCH(bool, own);
    QFETCH(bool, notice);
    QFETCH(int, reason);
    App::NotificationPolicy policy;
    policy.enabled = enabled;
    policy.mutedChannels = {QStringLiteral("#busy")};
    App::NotificationPolicy::Line line;
    line.conversation = conversation;
    line.inChannel = conversation.startsWith(u'#');
    line.mentionsUs = mention;
    line.own = own;
    line.notice = notice;
    QCOMPARE(int(policy.decide(line, active)), reason);
}

void TestNotificationPolicy::mutedChannelsCompareAsTheServerDoes()
{
    App::NotificationPolicy policy;
    policy.mutedChannels = {QStringLiteral("#Busy[1]")};
    QVERIFY(!policy.isMuted(QStringLiteral("#busy{1}"))); // exact without the server's rules
    policy.sameName = [](const QString &a, const QString &b) {
        return Irc::foldCase(a.toUtf8(), Irc::CaseMapping::Rfc1459)
            == Irc::foldCase(b.toUtf8(), Irc::CaseMapping::Rfc1459);
    };
    QVERIFY(policy.isMuted(QStringLiteral("#busy{1}")));
    QVERIFY(!policy.isMuted(QStringLiteral("#busy")));
}

QTEST_MAIN(TestNotificationPolicy)
#include "tst_notificationpolicy.moc"
