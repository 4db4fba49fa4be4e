#include "protocol/modes.h"

#include <QElapsedTimer>
#include <QTest>

using ByteArrays = QList<QByteArray>;
using Changes = QList<Irc::ModeChange>;

class TestModes : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parse_data();
    void parse();
    void hundredsOfChangesAreCapped();
    void format_data();
    void format();
    void normalizedMask_data();
    void normalizedMask();
    void maskMatches_data();
    void maskMatches();
    void hostileMasksMatchQuickly_data();
    void hostileMasksMatchQuickly();
};

void TestModes::parse_data()
{
    QTest::addColumn<QByteArray>("modes");
    QTest::addColumn<ByteArrays>("args");
    QTest::addColumn<Changes>("changes");
    QTest::addColumn<QByteArray>("unknown");
    QTest::addColumn<QByteArray>("listQueries");

    QTest::newRow("flags") << QByteArray("+im-n") << ByteArrays {}
                           << Changes {{true, 'i', {}}, {true, 'm', {}}, {false, 'n', {}}}
                           << QByteArray() << QByteArray();
    QTest::newRow("params in order")
        << QByteArray("+ok-v") << ByteArrays {"bob", "key", "alice"}
        << Changes {{true, 'o', "bob"}, {true, 'k', "key"}, {false, 'v', "alice"}} << QByteArray()
        << QByteArray();
    QTest::newRow("limit only when set")
        << QByteArray("-l+l") << ByteArrays {"5"} << Changes {{false, 'l', {}}, {true, 'l', "5"}}
        << QByteArray() << QByteArray();
    QTest::newRow("no sign means add") << QByteArray("t") << ByteArrays {}
                                       << Changes {{true, 't', {}}} << QByteArray() << QByteArray();
    QTest::newRow("ban without mask is a query")
        << QByteArray("+b") << ByteArrays {} << Changes {} << QByteArray() << QByteArray("b");
    QTest::newRow("missing parameter drops the change")
        << QByteArray("+ov") << ByteArrays {"bob"} << Changes {{true, 'o', "bob"}} << QByteArray()
        << QByteArray();
    QTest::newRow("unknown letters once")
        << QByteArray("+zqz") << ByteArrays {} << Changes {} << QByteArray("zq") << QByteArray();
    QTest::newRow("only signs") << QByteArray("+-+") << ByteArrays {} << Changes {} << QByteArray()
                                << QByteArray();
}

void TestModes::parse()
{
    QFETCH(QByteArray, modes);
    QFETCH(ByteArrays, args);
    QFETCH(Changes, changes);
    QFETCH(QByteArray, unknown);
    QFETCH(QByteArray, listQueries);
    const Irc::ParsedModes parsed = Irc::parseModeChanges(modes, args);
    QCOMPARE(parsed.changes, changes);
    QCOMPARE(parsed.unknown, unknown);
    QCOMPARE(parsed.listQueries, listQueries);
}

void TestModes::hundredsOfChangesAreCapped()
{
    const QByteArray modes = "+" + QByteArray(500, 'v') + QByteArray(300, 'z');
    const ByteArrays args(500, QByteArray("nick"));
    const Irc::ParsedModes parsed = Irc::parseModeChanges(modes, args);
    QCOMPARE(parsed.changes.size(), Irc::MaxModeChangesPerLine);
    QCOMPARE(parsed.unknown, QByteArray());
}

void TestModes::format_data()
{
    QTest::addColumn<Changes>("changes");
    QTest::addColumn<ByteArrays>("params");
    QTest::newRow("signs only when they change")
        << Changes {{true, 'o', "bob"}, {true, 'k', "key"}, {false, 'v', "alice"}}
        << ByteArrays {"+ok-v", "bob", "key", "alice"};
    QTest::newRow("flags") << Changes {{false, 'i', {}}, {true, 'm', {}}} << ByteArrays {"-i+m"};
    QTest::newRow("nothing") << Changes {} << ByteArrays {""};
}

void TestModes::format()
{
    QFETCH(Changes, changes);
    QFETCH(ByteArrays, params);
    QCOMPARE(Irc::formatModeChanges(changes), params);
}

void TestModes::normalizedMask_data()
{
    QTest::addColumn<QByteArray>("mask");
    QTest::addColumn<QByteArray>("normalized");
    QTest::newRow("nick") << QByteArray("bob") << QByteArray("bob!*@*");
    QTest::newRow("user at host") << QByteArray("b@h") << QByteArray("*!b@h");
    QTest::newRow("nick and user") << QByteArray("n!u") << QByteArray("n!u@*");
    QTest::newRow("full") << QByteArray("n!u@h") << QByteArray("n!u@h");
    QTest::newRow("overlong is cut")
        << QByteArray(300, 'x') << QByteArray(Irc::MaxMaskLength, 'x') + "!*@*";
}

void TestModes::normalizedMask()
{
    QFETCH(QByteArray, mask);
    QFETCH(QByteArray, normalized);
    QCOMPARE(Irc::normalizedMask(mask), normalized);
}

void TestModes::maskMatches_data()
{
    QTest::addColumn<QByteArray>("mask");
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<bool>("matches");
    QTest::newRow("exact") << QByteArray("a!b@c") << QByteArray("a!b@c") << true;
    QTest::newRow("case") << QByteArray("BOB!*@*") << QByteArray("bob!u@h") << true;
    QTest::newRow("star") << QByteArray("*!*@*.lan") << QByteArray("x!y@pc.lan") << true;
    QTest::newRow("star empty run") << QByteArray("a*b") << QByteArray("ab") << true;
    QTest::newRow("question") << QByteArray("b?b!*@*") << QByteArray("bob!u@h") << true;
    QTest::newRow("question needs one") << QByteArray("b?b") << QByteArray("bb") << false;
    QTest::newRow("suffix differs") << QByteArray("*.lan") << QByteArray("pc.lab") << false;
    QTest::newRow("backtracks") << QByteArray("*ab*ac") << QByteArray("abxabac") << true;
    QTest::newRow("empty mask") << QByteArray() << QByteArray("x") << false;
    QTest::newRow("empty both") << QByteArray() << QByteArray() << true;
    QTest::newRow("only stars") << QByteArray("***") << QByteArray() << true;
}

void TestModes::maskMatches()
{
    QFETCH(QByteArray, mask);
    QFETCH(QByteArray, text);
    QFETCH(bool, matches);
    QCOMPARE(Irc::maskMatches(mask, text), matches);
}

void TestModes::hostileMasksMatchQuickly_data()
{
    QTest::addColumn<QByteArray>("mask");
    QTest::addColumn<QByteArray>("text");
    // A backtracking matcher tries every way to split the text among the stars.
    QByteArray manyStars;
    for (int i = 0; i < 40; ++i)
        manyStars += "*a";
    QTest::newRow("stars and a missing end") << manyStars + "b" << QByteArray(500, 'a');
    QTest::newRow("questions and stars")
        << QByteArray("*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*b") << QByteArray(500, 'a');
}

void TestModes::hostileMasksMatchQuickly()
{
    QFETCH(QByteArray, mask);
    QFETCH(QByteArray, text);
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < 1000; ++i)
        QVERIFY(!Irc::maskMatches(mask, text));
    // Exponential matching takes years here; a quadratic one well under a second.
    QVERIFY2(timer.elapsed() < 2000, qPrintable(QString::number(timer.elapsed())));
}

QTEST_GUILESS_MAIN(TestModes)
#include "tst_modes.moc"
