#include "protocol/isupport.h"
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
