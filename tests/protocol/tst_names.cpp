#include "protocol/isupport.h"
#include "protocol/modes.h"
#include "protocol/names.h"

#include <QTest>

class TestNames : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void nickValidity_data();
    void nickValidity();
    void channelValidity_data();
    void channelValidity();
    void foldCase_data();
    void foldCase();
    void isupportTokens();
    void isupportChannelModes_data();
    void isupportChannelModes();
    void isupportRoundTrip();
    void qtChatSupportFollowsTheNameRules();
    void stripPrefixes_data();
    void stripPrefixes();
};

void TestNames::nickValidity_data()
{
    QTest::addColumn<QByteArray>("nick");
    QTest::addColumn<bool>("valid");
    QTest::newRow("letters") << QByteArray("alice") << true;
    QTest::newRow("digits and dash after first") << QByteArray("a-1") << true;
    QTest::newRow("special first") << QByteArray("[x]`_^{|}\\") << true;
    QTest::newRow("30 chars") << QByteArray(30, 'n') << true;
    QTest::newRow("31 chars") << QByteArray(31, 'n') << false;
    QTest::newRow("empty") << QByteArray() << false;
    QTest::newRow("digit first") << QByteArray("1abc") << false;
    QTest::newRow("dash first") << QByteArray("-abc") << false;
    QTest::newRow("space") << QByteArray("a b") << false;
    QTest::newRow("bang") << QByteArray("a!b") << false;
    QTest::newRow("hash") << QByteArray("#a") << false;
    QTest::newRow("utf8") << QByteArray("\xe4\xb8\xad") << false;
}

void TestNames::nickValidity()
{
    QFETCH(QByteArray, nick);
    QFETCH(bool, valid);
    QCOMPARE(Irc::isValidNick(nick), valid);
}

void TestNames::channelValidity_data()
{
    QTest::addColumn<QByteArray>("name");
    QTest::addColumn<bool>("valid");
    QTest::newRow("simple") << QByteArray("#lobby") << true;
    QTest::newRow("utf8") << QByteArray("#\xe4\xb8\xad") << true;
    QTest::newRow("50 chars") << ("#" + QByteArray(49, 'c')) << true;
    QTest::newRow("51 chars") << ("#" + QByteArray(50, 'c')) << false;
    QTest::newRow("hash only") << QByteArray("#") << false;
    QTest::newRow("no hash") << QByteArray("lobby") << false;
    QTest::newRow("ampersand") << QByteArray("&lobby") << false;
    QTest::newRow("space") << QByteArray("#a b") << false;
    QTest::newRow("comma") << QByteArray("#a,b") << false;
    QTest::newRow("bell") << QByteArray("#a\ab") << false;
    QTest::newRow("colon") << QByteArray("#a:b") << false;
}

void TestNames::channelValidity()
{
    QFETCH(QByteArray, name);
    QFETCH(bool, valid);
    QCOMPARE(Irc::isValidChannelName(name), valid);
}

void TestNames::foldCase_data()
{
    QTest::addColumn<QByteArray>("name");
    QTest::addColumn<int>("mapping");
    QTest::addColumn<QByteArray>("folded");
    const int ascii = int(Irc::CaseMapping::Ascii);
    const int rfc = int(Irc::CaseMapping::Rfc1459);
    const int strict = int(Irc::CaseMapping::StrictRfc1459);
    QTest::newRow("ascii letters") << QByteArray("AbC") << ascii << QByteArray("abc");
    QTest::newRow("ascii keeps brackets") << QByteArray("[A]\\~") << ascii << QByteArray("[a]\\~");
    QTest::newRow("rfc1459 brackets") << QByteArray("[A]\\~") << rfc << QByteArray("{a}|^");
    QTest::newRow("strict keeps tilde") << QByteArray("[A]\\~") << strict << QByteArray("{a}|~");
    QTest::newRow("utf8 untouched") << QByteArray("#\xc3\x84") << ascii << QByteArray("#\xc3\x84");
}

void TestNames::foldCase()
{
    QFETCH(QByteArray, name);
    QFETCH(int, mapping);
    QFETCH(QByteArray, folded);
    QCOMPARE(Irc::foldCase(name, Irc::CaseMapping(mapping)), folded);
}

void TestNames::isupportTokens()
{
    Irc::ISupport support;
    QCOMPARE(support.caseMapping, Irc::CaseMapping::Rfc1459);
    support.apply({"CASEMAPPING=ascii", "CHANTYPES=#", "PREFIX=(qov)~@+", "NICKLEN=30",
                   "NETWORK=QtChat", "BOGUS", "PREFIX=(o)"});
    QCOMPARE(support.caseMapping, Irc::CaseMapping::Ascii);
    QCOMPARE(support.channelTypes, QByteArray("#"));
    QCOMPARE(support.prefixModes, QByteArray("qov"));
    QCOMPARE(support.prefixSymbols, QByteArray("~@+"));
    QCOMPARE(support.nickLength, 30);
    QCOMPARE(support.network, QByteArray("QtChat"));
    QVERIFY(support.isChannel("#x"));
    QVERIFY(!support.isChannel("&x"));
}

void TestNames::isupportChannelModes_data()
{
    QTest::addColumn<QByteArray>("token");
    QTest::addColumn<char>("mode");
    QTest::addColumn<bool>("whenSet");
    QTest::addColumn<bool>("whenUnset");
    const QByteArray ngircd = "CHANMODES=beI,k,l,imMnOPQRstVz";
    QTest::newRow("list") << ngircd << 'b' << true << true;
    QTest::newRow("key") << ngircd << 'k' << true << true;
    QTest::newRow("limit") << ngircd << 'l' << true << false;
    QTest::newRow("flag") << ngircd << 'm' << false << false;
    QTest::newRow("status") << ngircd << 'o' << true << true;
    QTest::newRow("unknown") << ngircd << 'y' << false << false;
    QTest::newRow("none at all") << QByteArray("CHANMODES=,,,") << 'b' << false << false;
    QTest::newRow("extra group ignored")
        << QByteArray("CHANMODES=b,k,l,m,X") << 'X' << false << false;
}

void TestNames::isupportChannelModes()
{
    QFETCH(QByteArray, token);
    QFETCH(char, mode);
    QFETCH(bool, whenSet);
    QFETCH(bool, whenUnset);
    Irc::ISupport support;
    support.apply({token});
    QCOMPARE(support.takesParameter(mode, true), whenSet);
    QCOMPARE(support.takesParameter(mode, false), whenUnset);
}

void TestNames::isupportRoundTrip()
{
    Irc::ISupport sent;
    sent.prefixModes = "qov";
    sent.prefixSymbols = "~@+";
    sent.channelModes = {"beI", "k", "l", "imnst"};
    sent.channelTypes = "#&";
    sent.caseMapping = Irc::CaseMapping::StrictRfc1459;
    sent.nickLength = 16;
    sent.channelLength = 64;
    sent.topicLength = 300;
    sent.network = "Example";
    Irc::ISupport received;
    received.apply(sent.tokens());
    QCOMPARE(received.tokens(), sent.tokens());
    QCOMPARE(received.prefixSymbolFor('q'), '~');
    QCOMPARE(received.prefixSymbolFor('v'), '+');
    QCOMPARE(received.prefixSymbolFor('b'), '\0');
}

void TestNames::qtChatSupportFollowsTheNameRules()
{
    const Irc::ISupport support = Irc::qtChatSupport();
    QCOMPARE(support.nickLength, Irc::MaxNickLength);
    QCOMPARE(support.channelLength, Irc::MaxChannelLength);
    QVERIFY(Irc::isValidNick(QByteArray(support.nickLength, 'n')));
    QVERIFY(!Irc::isValidNick(QByteArray(support.nickLength + 1, 'n')));
    const QByteArray longest
        = QByteArray(support.channelTypes + QByteArray(support.channelLength - 1, 'c'));
    QVERIFY(Irc::isValidChannelName(longest));
    QVERIFY(!Irc::isValidChannelName(QByteArray(longest + 'c')));
    QCOMPARE(Irc::foldCase("[A]", support.caseMapping), Irc::foldCase("[A]"));
    // The modes the server parses are the ones it announces.
    const Irc::ChannelModeTypes modes;
    for (char mode : modes.allModes()) {
        for (bool adding : {true, false}) {
            const Irc::ParsedModes parsed = Irc::parseModeChanges(
                QByteArray(QByteArray(adding ? "+" : "-") + mode), {"param"});
            const bool consumed = !parsed.changes.isEmpty() && !parsed.changes[0].param.isEmpty();
            QCOMPARE(support.takesParameter(mode, adding), consumed);
        }
    }
    QCOMPARE(support.prefixSymbolFor(Irc::OperatorMode), Irc::OperatorPrefix);
    QCOMPARE(support.prefixSymbolFor('v'), Irc::VoicePrefix);
}

void TestNames::stripPrefixes_data()
{
    QTest::addColumn<QByteArray>("entry");
    QTest::addColumn<QByteArray>("symbols");
    QTest::addColumn<QByteArray>("nick");
    QTest::newRow("op") << QByteArray("@bob") << QByteArray("@") << QByteArray("bob");
    QTest::newRow("two") << QByteArray("@+bob") << QByteArray("@+") << QByteArray("bob");
    QTest::newRow("none") << QByteArray("bob") << QByteArray() << QByteArray("bob");
}

void TestNames::stripPrefixes()
{
    QFETCH(QByteArray, entry);
    QFETCH(QByteArray, symbols);
    QFETCH(QByteArray, nick);
    Irc::ISupport support;
    QByteArray found;
    QCOMPARE(support.stripPrefixes(entry, &found).toByteArray(), nick);
    QCOMPARE(found, symbols);
}

QTEST_GUILESS_MAIN(TestNames)
#include "tst_names.moc"
