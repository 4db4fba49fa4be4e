// ChannelState keeps members in display order and says where each one is or goes; the
// model (tst_channelmodel) announces changes at exactly those rows.
#include "clientlib/channelstate.h"

#include <QTest>

class tst_ChannelState : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void membersSortedByPrefixThenNick();
    void rowOfFindsEveryRank();
    void lookupsFollowCaseMapping();
    void replaceMovesToTheGivenRow();
    void assignSortsAnyOrder();
    void withPrefixKeepsPrefixOrder_data();
    void withPrefixKeepsPrefixOrder();
    void namesAreCollectedUntilTaken();
    void modesWithParameters();
    void banListFollowsCaseMappingAndStaysBounded();
    void operatorStatusIsOpOrAbove();
};

namespace {

using Member = Client::ChannelState::Member;

Client::ChannelState makeChannel(Irc::CaseMapping mapping = Irc::CaseMapping::Ascii)
{
    return Client::ChannelState(QStringLiteral("#Chan"), mapping, "~&@%+");
}

void add(Client::ChannelState &channel, const QString &nick, const QString &prefixes = QString())
{
    const Member member {nick, prefixes};
    channel.insertAt(channel.insertionRow(member), member);
}

// zed, Bob (+), amy, op (@), owner (~@), added in that order.
Client::ChannelState mixedChannel()
{
    Client::ChannelState channel = makeChannel();
    add(channel, QStringLiteral("zed"));
    add(channel, QStringLiteral("Bob"), QStringLiteral("+"));
    add(channel, QStringLiteral("amy"));
    add(channel, QStringLiteral("op"), QStringLiteral("@"));
    add(channel, QStringLiteral("owner"), QStringLiteral("~@"));
    return channel;
}

} // namespace

void tst_ChannelState::membersSortedByPrefixThenNick()
{
    const Client::ChannelState channel = mixedChannel();
    const QStringList expected
        = {QStringLiteral("owner"), QStringLiteral("op"), QStringLiteral("Bob"),
           QStringLiteral("amy"), QStringLiteral("zed")};
    QCOMPARE(channel.nicks(), expected);
    QCOMPARE(channel.memberCount(), 5);
    QCOMPARE(channel.member(0).prefixes, QStringLiteral("~@"));
}

void tst_ChannelState::rowOfFindsEveryRank()
{
    const Client::ChannelState channel = mixedChannel();
    for (int row = 0; row < channel.memberCount(); ++row)
        QCOMPARE(channel.rowOf(channel.member(row).nick), row);
    QCOMPARE(channel.rowOf(QStringLiteral("ghost")), -1);
    QCOMPARE(channel.prefixesOf(QStringLiteral("BOB")), QStringLiteral("+"));
    QCOMPARE(channel.insertionRow({QStringLiteral("b"), QString()}), 4); // between amy and zed
}

void tst_ChannelState::lookupsFollowCaseMapping()
{
    Client::ChannelState ascii = makeChannel();
    add(ascii, QStringLiteral("Nick[1]"));
    QVERIFY(ascii.hasMember(QStringLiteral("NICK[1]")));
    QVERIFY(!ascii.hasMember(QStringLiteral("nick{1}")));

    Client::ChannelState rfc = makeChannel(Irc::CaseMapping::Rfc1459);
    add(rfc, QStringLiteral("Nick[1]"));
    QVERIFY(rfc.hasMember(QStringLiteral("nick{1}")));
    QCOMPARE(rfc.rowOf(QStringLiteral("NICK{1}")), 0);
}

void tst_ChannelState::replaceMovesToTheGivenRow()
{
    Client::ChannelState channel = mixedChannel();
    // zed (row 4) becomes an operator: it sorts after op, at row 2.
    const Member promoted {QStringLiteral("zed"), QStringLiteral("@")};
    QCOMPARE(channel.insertionRow(promoted), 2);
    channel.replace(4, 2, promoted);
    const QStringList expected
        = {QStringLiteral("owner"), QStringLiteral("op"), QStringLiteral("zed"),
           QStringLiteral("Bob"), QStringLiteral("amy")};
    QCOMPARE(channel.nicks(), expected);
    QCOMPARE(channel.rowOf(QStringLiteral("zed")), 2);
    QCOMPARE(channel.rowOf(QStringLiteral("amy")), 4);
}

void tst_ChannelState::assignSortsAnyOrder()
{
    Client::ChannelState channel = makeChannel();
    channel.assign({{QStringLiteral("c"), QString()},
                    {QStringLiteral("a"), QStringLiteral("+")},
                    {QStringLiteral("B"), QString()},
                    {QStringLiteral("d"), QStringLiteral("@")}});
    const QStringList expected
        = {QStringLiteral("d"), QStringLiteral("a"), QStringLiteral("B"), QStringLiteral("c")};
    QCOMPARE(channel.nicks(), expected);
    QCOMPARE(channel.rowOf(QStringLiteral("c")), 3);
}

void tst_ChannelState::withPrefixKeepsPrefixOrder_data()
{
    QTest::addColumn<QString>("prefixes");
    QTest::addColumn<QChar>("symbol");
    QTest::addColumn<bool>("add");
    QTest::addColumn<QString>("expected");
    QTest::newRow("give voice") << QString() << QChar(u'+') << true << QStringLiteral("+");
    QTest::newRow("op before voice")
        << QStringLiteral("+") << QChar(u'@') << true << QStringLiteral("@+");
    QTest::newRow("take op") << QStringLiteral("~@+") << QChar(u'@') << false
                             << QStringLiteral("~+");
    QTest::newRow("already there")
        << QStringLiteral("@") << QChar(u'@') << true << QStringLiteral("@");
    QTest::newRow("unknown symbol")
        << QStringLiteral("@") << QChar(u'!') << true << QStringLiteral("@");
}

void tst_ChannelState::withPrefixKeepsPrefixOrder()
{
    QFETCH(QString, prefixes);
    QFETCH(QChar, symbol);
    QFETCH(bool, add);
    QFETCH(QString, expected);
    QCOMPARE(makeChannel().withPrefix(prefixes, symbol, add), expected);
}

void tst_ChannelState::namesAreCollectedUntilTaken()
{
    Client::ChannelState channel = makeChannel();
    QVERIFY(!channel.hasPendingNames());
    channel.addNamesEntry(QStringLiteral("a"), QStringLiteral("@"));
    channel.addNamesEntry(QStringLiteral("A"), QStringLiteral("@")); // the same nick twice
    channel.addNamesEntry(QStringLiteral("b"), QString());
    QVERIFY(channel.hasPendingNames());
    QCOMPARE(channel.memberCount(), 0); // nothing changes until the model takes them
    QCOMPARE(channel.takeNames().size(), 2);
    QVERIFY(!channel.hasPendingNames());
    QVERIFY(channel.takeNames().isEmpty());
}

void tst_ChannelState::modesWithParameters()
{
    Client::ChannelState channel = makeChannel();
    QVERIFY(channel.modes().isEmpty());
    QVERIFY(channel.setMode('t', true));
    QVERIFY(channel.setMode('k', true, QStringLiteral("sesame")));
    QVERIFY(channel.setMode('l', true, QStringLiteral("10")));
    QVERIFY(!channel.setMode('t', true)); // already set
    QCOMPARE(channel.modes(), QStringLiteral("+klt"));
    QCOMPARE(channel.key(), QStringLiteral("sesame"));
    QCOMPARE(channel.limit(), 10);
    QVERIFY(channel.setMode('k', true, QStringLiteral("other"))); // a new key is a change
    QVERIFY(channel.setMode('l', false));
    QVERIFY(!channel.setMode('m', false));
    QCOMPARE(channel.modes(), QStringLiteral("+kt"));
    QCOMPARE(channel.limit(), 0);
    channel.clearModes();
    QVERIFY(channel.modes().isEmpty());
}

void tst_ChannelState::banListFollowsCaseMappingAndStaysBounded()
{
    Client::ChannelState channel = makeChannel(Irc::CaseMapping::Rfc1459);
    QVERIFY(!channel.isBanListKnown());
    QVERIFY(channel.addBan({QStringLiteral("Troll[1]!*@*"), QStringLiteral("op"), {}}));
    QVERIFY(!channel.addBan({QStringLiteral("troll{1}!*@*"), {}, {}})); // the same mask
    QVERIFY(channel.removeBan(QStringLiteral("TROLL{1}!*@*")));
    QVERIFY(channel.bans().isEmpty());

    // A listing replaces the list at its end, and keeps at most MaxBans.
    channel.addBan({QStringLiteral("old!*@*"), {}, {}});
    for (int i = 0; i < Client::ChannelState::MaxBans + 50; ++i)
        channel.addBanListEntry({QStringLiteral("n%1!*@*").arg(i), {}, {}});
    QCOMPARE(channel.bans().size(), 1);
    channel.finishBanList();
    QVERIFY(channel.isBanListKnown());
    QCOMPARE(channel.bans().size(), Client::ChannelState::MaxBans);
    QCOMPARE(channel.bans().first().mask, QStringLiteral("n0!*@*"));
    QVERIFY(!channel.addBan({QStringLiteral("one-more!*@*"), {}, {}}));
}

void tst_ChannelState::operatorStatusIsOpOrAbove()
{
    Client::ChannelState channel = mixedChannel();
    add(channel, QStringLiteral("admin"), QStringLiteral("&"));
    add(channel, QStringLiteral("halfop"), QStringLiteral("%"));
    QVERIFY(channel.hasOperatorStatus(QStringLiteral("OWNER")));
    QVERIFY(channel.hasOperatorStatus(QStringLiteral("admin")));
    QVERIFY(channel.hasOperatorStatus(QStringLiteral("op")));
    QVERIFY(!channel.hasOperatorStatus(QStringLiteral("halfop")));
    QVERIFY(!channel.hasOperatorStatus(QStringLiteral("Bob")));
    QVERIFY(!channel.hasOperatorStatus(QStringLiteral("zed")));
    QVERIFY(!channel.hasOperatorStatus(QStringLiteral("nobody")));

    // A server without `@` has no operators to recognise.
    Client::ChannelState odd(QStringLiteral("#odd"), Irc::CaseMapping::Ascii, "+");
    odd.insertAt(0, {QStringLiteral("v"), QStringLiteral("+")});
    QVERIFY(!odd.hasOperatorStatus(QStringLiteral("v")));
}

QTEST_GUILESS_MAIN(tst_ChannelState)
#include "tst_channelstate.moc"
