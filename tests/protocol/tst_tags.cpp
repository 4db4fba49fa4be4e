// IRCv3 message tags and capability lists: parsing, escaping, serialising, hostile input.
#include "protocol/capabilities.h"
#include "protocol/messagetags.h"

#include <QElapsedTimer>
#include <QTest>

using ByteArrays = QList<QByteArray>;
using Tags = Irc::MessageTags;

class TestTags : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void splitTags_data();
    void splitTags();
    void parseTags_data();
    void parseTags();
    void escaping_data();
    void escaping();
    void unescapeOddInput_data();
    void unescapeOddInput();
    void serializeParsesBack();
    void tagKeys_data();
    void tagKeys();
    void maximumSizeTagsParseQuickly();
    void thousandsOfRepeatedKeysKeepTheLast();
    void serverTime_data();
    void serverTime();
    void capabilityRequest_data();
    void capabilityRequest();
    void fiveHundredRequestItems();
    void capabilityChunksFit();
    void capabilityNamesAreKnown();
};

void TestTags::splitTags_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QByteArray>("tagData");
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("no tags") << QByteArray("PRIVMSG #a :hi") << QByteArray()
                             << QByteArray("PRIVMSG #a :hi");
    QTest::newRow("tags") << QByteArray("@a=b;c PRIVMSG #a :hi") << QByteArray("a=b;c")
                          << QByteArray("PRIVMSG #a :hi");
    QTest::newRow("spaces after tags")
        << QByteArray("@a   :n!u@h TAGMSG #a") << QByteArray("a") << QByteArray(":n!u@h TAGMSG #a");
    QTest::newRow("only tags") << QByteArray("@a=b") << QByteArray("a=b") << QByteArray();
    QTest::newRow("only @") << QByteArray("@") << QByteArray() << QByteArray();
}

void TestTags::splitTags()
{
    QFETCH(QByteArray, line);
    QFETCH(QByteArray, tagData);
    QFETCH(QByteArray, body);
    const Irc::TaggedLine split = Irc::splitTags(line);
    QCOMPARE(split.tagData.toByteArray(), tagData);
    QCOMPARE(split.body.toByteArray(), body);
}

void TestTags::parseTags_data()
{
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<Tags>("tags");
    QTest::newRow("empty") << QByteArray() << Tags {};
    QTest::newRow("key only") << QByteArray("flag") << Tags {{"flag", {}}};
    QTest::newRow("empty value is no value") << QByteArray("a=") << Tags {{"a", {}}};
    QTest::newRow("several") << QByteArray("time=2026-01-01T00:00:00.000Z;msgid=x1;+draft/react=1")
                             << Tags {{"time", "2026-01-01T00:00:00.000Z"},
                                      {"msgid", "x1"},
                                      {"+draft/react", "1"}};
    QTest::newRow("escaped value") << QByteArray("+a=one\\stwo\\:three\\\\four\\r\\n")
                                   << Tags {{"+a", "one two;three\\four\r\n"}};
    QTest::newRow("value with =") << QByteArray("a=b=c") << Tags {{"a", "b=c"}};
    QTest::newRow("empty items skipped") << QByteArray(";;a;;b;") << Tags {{"a", {}}, {"b", {}}};
    QTest::newRow("repeated key: last wins")
        << QByteArray("a=1;b;a=2") << Tags {{"a", "2"}, {"b", {}}};
    QTest::newRow("invalid keys dropped")
        << QByteArray("=x;+=y;/n=1;ven dor/x;ok=1;a b=2;é=3;v/=4") << Tags {{"ok", "1"}};
    QTest::newRow("vendor key") << QByteArray("+example.com/x-y=1")
                                << Tags {{"+example.com/x-y", "1"}};
}

void TestTags::parseTags()
{
    QFETCH(QByteArray, data);
    QFETCH(Tags, tags);
    QCOMPARE(Irc::parseTags(data), tags);
}

void TestTags::escaping_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<QByteArray>("escaped");
    QTest::newRow("plain") << QByteArray("abc") << QByteArray("abc");
    QTest::newRow("semicolon") << QByteArray("a;b") << QByteArray("a\\:b");
    QTest::newRow("space") << QByteArray("a b") << QByteArray("a\\sb");
    QTest::newRow("backslash") << QByteArray("a\\b") << QByteArray("a\\\\b");
    QTest::newRow("cr lf") << QByteArray("a\r\nb") << QByteArray("a\\r\\nb");
    QTest::newRow("utf-8") << QByteArray("日本") << QByteArray("日本");
}

void TestTags::escaping()
{
    QFETCH(QByteArray, value);
    QFETCH(QByteArray, escaped);
    QCOMPARE(Irc::escapeTagValue(value), escaped);
    QCOMPARE(Irc::unescapeTagValue(escaped), value);
}

void TestTags::unescapeOddInput_data()
{
    QTest::addColumn<QByteArray>("escaped");
    QTest::addColumn<QByteArray>("value");
    QTest::newRow("unknown escape is the character") << QByteArray("a\\bc") << QByteArray("abc");
    QTest::newRow("lone trailing backslash dropped") << QByteArray("ab\\") << QByteArray("ab");
    QTest::newRow("only a backslash") << QByteArray("\\") << QByteArray();
    QTest::newRow("escaped zero") << QByteArray("\\0") << QByteArray("0");
}

void TestTags::unescapeOddInput()
{
    QFETCH(QByteArray, escaped);
    QFETCH(QByteArray, value);
    QCOMPARE(Irc::unescapeTagValue(escaped), value);
}

void TestTags::serializeParsesBack()
{
    const Tags tags {{"time", "2026-01-01T00:00:00.000Z"},
                     {"+a", "x y;z\\\r\n"},
                     {"flag", {}},
                     {"+example.com/b", "日本"}};
    const QByteArray data = Irc::serializeTags(tags);
    QCOMPARE(data,
             QByteArray("time=2026-01-01T00:00:00.000Z;+a=x\\sy\\:z\\\\\\r\\n;flag;"
                        "+example.com/b=日本"));
    QVERIFY(!data.contains(' ') && !data.contains('\r') && !data.contains('\n'));
    QCOMPARE(Irc::parseTags(data), tags);
}

void TestTags::tagKeys_data()
{
    QTest::addColumn<QByteArray>("key");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<bool>("clientOnly");
    QTest::newRow("plain") << QByteArray("msgid") << true << false;
    QTest::newRow("client") << QByteArray("+typing") << true << true;
    QTest::newRow("vendor") << QByteArray("+draft/reply") << true << true;
    QTest::newRow("empty") << QByteArray() << false << false;
    QTest::newRow("plus only") << QByteArray("+") << false << true;
    QTest::newRow("vendor only") << QByteArray("vendor/") << false << false;
    QTest::newRow("slash first") << QByteArray("/x") << false << false;
    QTest::newRow("underscore") << QByteArray("a_b") << false << false;
    QTest::newRow("dot in name") << QByteArray("a.b") << false << false;
}

void TestTags::tagKeys()
{
    QFETCH(QByteArray, key);
    QFETCH(bool, valid);
    QFETCH(bool, clientOnly);
    QCOMPARE(Irc::isValidTagKey(key), valid);
    QCOMPARE(Irc::isClientOnlyTag(key), clientOnly);
}

void TestTags::maximumSizeTagsParseQuickly()
{
    // The most a client may send: one value of that size, then the most tiny tags.
    const QByteArray big = "+big=" + QByteArray(Irc::MaxClientTagDataBytes - 5, '\\');
    QCOMPARE(big.size(), Irc::MaxClientTagDataBytes);
    QByteArray tiny;
    for (int i = 0; tiny.size() + 4 <= Irc::MaxClientTagDataBytes; ++i)
        tiny += (tiny.isEmpty() ? "" : ";") + QByteArray::number(i % 1000);
    QElapsedTimer timer;
    timer.start();
    const Tags one = Irc::parseTags(big);
    const Tags many = Irc::parseTags(tiny);
    QVERIFY2(timer.elapsed() < 200, "tag parsing should be linear");
    QCOMPARE(one.size(), 1);
    QCOMPARE(one.first().value.size(), (Irc::MaxClientTagDataBytes - 5) / 2);
    QCOMPARE(many.size(), 1000); // numbers repeat past 999
    QVERIFY(Irc::serializeTags(one).size() <= Irc::MaxClientTagDataBytes);
}

void TestTags::thousandsOfRepeatedKeysKeepTheLast()
{
    QByteArray data;
    for (int i = 0; i < 1000; ++i)
        data += "k=" + QByteArray::number(i) + ';';
    const Tags tags = Irc::parseTags(data);
    QCOMPARE(tags, (Tags {{"k", "999"}}));
}

void TestTags::serverTime_data()
{
    QTest::addColumn<qint64>("msecs");
    QTest::addColumn<QByteArray>("text");
    QTest::newRow("epoch") << qint64(0) << QByteArray("1970-01-01T00:00:00.000Z");
    QTest::newRow("leap day") << qint64(951782400123) << QByteArray("2000-02-29T00:00:00.123Z");
    QTest::newRow("end of a year")
        << qint64(1798761599999) << QByteArray("2026-12-31T23:59:59.999Z");
    QTest::newRow("before the epoch") << qint64(-1) << QByteArray("1969-12-31T23:59:59.999Z");
}

void TestTags::serverTime()
{
    QFETCH(qint64, msecs);
    QFETCH(QByteArray, text);
    QCOMPARE(Irc::formatServerTime(msecs), text);
    const QDateTime parsed = QDateTime::fromString(QString::fromLatin1(text), Qt::ISODateWithMs);
    QCOMPARE(parsed.toMSecsSinceEpoch(), msecs);
}

void TestTags::capabilityRequest_data()
{
    using Irc::Capability;
    QTest::addColumn<QByteArray>("list");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<Irc::Capabilities>("enable");
    QTest::addColumn<Irc::Capabilities>("disable");
    QTest::newRow("one") << QByteArray("multi-prefix") << true
                         << Irc::Capabilities(Capability::MultiPrefix) << Irc::Capabilities();
    QTest::newRow("several and a removal") << QByteArray(" server-time  -echo-message batch ")
                                           << true << (Capability::ServerTime | Capability::Batch)
                                           << Irc::Capabilities(Capability::EchoMessage);
    QTest::newRow("one unknown spoils all")
        << QByteArray("server-time chghost") << false << Irc::Capabilities() << Irc::Capabilities();
    QTest::newRow("a value is not a name")
        << QByteArray("server-time=1") << false << Irc::Capabilities() << Irc::Capabilities();
    QTest::newRow("empty") << QByteArray("") << false << Irc::Capabilities() << Irc::Capabilities();
    QTest::newRow("minus alone") << QByteArray("-") << false << Irc::Capabilities()
                                 << Irc::Capabilities();
}

void TestTags::capabilityRequest()
{
    QFETCH(QByteArray, list);
    QFETCH(bool, valid);
    QFETCH(Irc::Capabilities, enable);
    QFETCH(Irc::Capabilities, disable);
    const Irc::CapabilityRequest request = Irc::parseCapabilityRequest(list);
    QCOMPARE(request.valid, valid);
    QCOMPARE(request.enable, enable);
    QCOMPARE(request.disable, disable);
}

void TestTags::fiveHundredRequestItems()
{
    QByteArray known, unknown;
    for (int i = 0; i < 500; ++i) {
        known += Irc::capabilityName(Irc::Capability::ServerTime) + ' ';
        unknown += "x" + QByteArray::number(i) + ' ';
    }
    QVERIFY(Irc::parseCapabilityRequest(known).valid);
    QVERIFY(!Irc::parseCapabilityRequest(unknown).valid);
}

void TestTags::capabilityChunksFit()
{
    ByteArrays tokens;
    for (int i = 0; i < 100; ++i)
        tokens.append("capability-" + QByteArray::number(i));
    const ByteArrays chunks = Irc::capabilityChunks(tokens, 100);
    QVERIFY(chunks.size() > 1);
    for (const QByteArray &chunk : chunks)
        QVERIFY(chunk.size() <= 100);
    QCOMPARE(chunks.join(' ').split(' '), tokens);
    QCOMPARE(Irc::capabilityChunks({}, 100), ByteArrays {QByteArray()});
}

void TestTags::capabilityNamesAreKnown()
{
    const ByteArrays tokens = Irc::capabilityTokens(false);
    QCOMPARE(tokens.size(), Irc::offeredCapabilities().size());
    for (const QByteArray &token : tokens)
        QVERIFY(Irc::capabilityFromName(token));
    QCOMPARE(Irc::capabilityNames(Irc::allCapabilities()), tokens.join(' '));
    QVERIFY(!Irc::capabilityFromName("chghost"));
    // CAP LS 302 gives the values: SASL 3.2's mechanisms, account-registration's flags.
    const ByteArrays withValues = Irc::capabilityTokens(true);
    QVERIFY(withValues.contains("sasl=PLAIN"));
    QVERIFY(withValues.contains("draft/account-registration=before-connect"));
    QVERIFY(!Irc::capabilityFromName("sasl=PLAIN"));
}

QTEST_APPLESS_MAIN(TestTags)
#include "tst_tags.moc"
