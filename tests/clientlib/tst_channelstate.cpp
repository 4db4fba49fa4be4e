#include "clientlib/channelstate.h"

#include <QTest>

class tst_ChannelState : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void membersSortedByPrefixThenNick();
    void lookupsFollowCaseMapping();
    void renameKeepsPrefixes();
    void namesReplyReplacesMembers();
};

namespace {
Client::ChannelState makeChannel(Irc::CaseMapping mapping = Irc::CaseMapping::Ascii)
{
    return Client::ChannelState(QStringLiteral("#Chan"), mapping, "~&@%+");
}
} // namespace

void tst_ChannelState::membersSortedByPrefixThenNick()
{
    Client::ChannelState channel = makeChannel();
    channel.addMember(QStringLiteral("zed"));
    channel.addMember(QStringLiteral("Bob"), QStringLiteral("+"));
    channel.addMember(QStringLiteral("amy"));
    channel.addMember(QStringLiteral("op"), QStringLiteral("@"));
    channel.addMember(QStringLiteral("owner"), QStringLiteral("~@"));
    const QStringList expected
        = {QStringLiteral("owner"), QStringLiteral("op"), QStringLiteral("Bob"),
           QStringLiteral("amy"), QStringLiteral("zed")};
    QCOMPARE(channel.nicks(), expected);
    QCOMPARE(channel.memberCount(), 5);
}

void tst_ChannelState::lookupsFollowCaseMapping()
{
    Client::ChannelState ascii = makeChannel();
    ascii.addMember(QStringLiteral("Nick[1]"));
    QVERIFY(ascii.hasMember(QStringLiteral("NICK[1]")));
    QVERIFY(!ascii.hasMember(QStringLiteral("nick{1}")));

    Client::ChannelState rfc = makeChannel(Irc::CaseMapping::Rfc1459);
    rfc.addMember(QStringLiteral("Nick[1]"));
    QVERIFY(rfc.hasMember(QStringLiteral("nick{1}")));
    QVERIFY(rfc.removeMember(QStringLiteral("NICK{1}")));
    QCOMPARE(rfc.memberCount(), 0);
}

void tst_ChannelState::renameKeepsPrefixes()
{
    Client::ChannelState channel = makeChannel();
    channel.addMember(QStringLiteral("alice"), QStringLiteral("@"));
    QVERIFY(channel.renameMember(QStringLiteral("ALICE"), QStringLiteral("Alicia")));
    QCOMPARE(channel.prefixesOf(QStringLiteral("alicia")), QStringLiteral("@"));
    QCOMPARE(channel.nicks(), QStringList {QStringLiteral("Alicia")});
    QVERIFY(!channel.renameMember(QStringLiteral("ghost"), QStringLiteral("x")));
}

void tst_ChannelState::namesReplyReplacesMembers()
{
    Client::ChannelState channel = makeChannel();
    channel.addMember(QStringLiteral("left-long-ago"));
    channel.addNamesEntry(QStringLiteral("a"), QStringLiteral("@"));
    QVERIFY(channel.hasMember(QStringLiteral("left-long-ago"))); // until 366
    channel.addNamesEntry(QStringLiteral("b"), QString());
    channel.finishNames();
    const QStringList expected = {QStringLiteral("a"), QStringLiteral("b")};
    QCOMPARE(channel.nicks(), expected);
    channel.finishNames(); // a stray 366 changes nothing
    QCOMPARE(channel.nicks(), expected);
}

QTEST_GUILESS_MAIN(tst_ChannelState)
#include "tst_channelstate.moc"
