#include "protocol/linesplitter.h"

#include <QTest>

using ByteArrays = QList<QByteArray>;

namespace {

// Feeds `chunks` one after another and collects every line; "<long>" marks a too-long line.
ByteArrays splitAll(Irc::LineSplitter &splitter, const ByteArrays &chunks)
{
    ByteArrays lines;
    Irc::LineSplitter::Line line;
    for (const QByteArray &chunk : chunks) {
        splitter.append(chunk);
        while (splitter.next(&line))
            lines.append(line.tooLong ? QByteArray("<long>") : line.text);
    }
    return lines;
}

ByteArrays bytewise(const QByteArray &data)
{
    ByteArrays chunks;
    for (char c : data)
        chunks.append(QByteArray(1, c));
    return chunks;
}

} // namespace

class TestLineSplitter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void splits_data();
    void splits();
    void sameLinesWhenFedByteByByte_data() { splits_data(); }
    void sameLinesWhenFedByteByByte();
    void lineAtTheLimitPassesOneMoreIsTooLong();
    void tooLongLineDoesNotSwallowTheNextLine();
    void overflowsWithoutLineEnd();
    void memoryStaysBoundedAfterOverflow();
};

void TestLineSplitter::splits_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<ByteArrays>("lines");

    QTest::newRow("crlf") << QByteArray("A\r\nB\r\n") << ByteArrays {"A", "B"};
    QTest::newRow("lf") << QByteArray("A\nB\n") << ByteArrays {"A", "B"};
    QTest::newRow("cr") << QByteArray("A\rB\r") << ByteArrays {"A", "B"};
    QTest::newRow("mixed") << QByteArray("A\rB\nC\r\nD\n\r") << ByteArrays {"A", "B", "C", "D"};
    QTest::newRow("empty lines skipped") << QByteArray("\r\n\n\rA\r\n\r\n") << ByteArrays {"A"};
    QTest::newRow("incomplete kept") << QByteArray("A\r\nBC") << ByteArrays {"A"};
    QTest::newRow("nothing") << QByteArray() << ByteArrays {};
    QTest::newRow("NUL bytes") << QByteArray("A\0B\n", 4) << ByteArrays {QByteArray("A\0B", 3)};
}

void TestLineSplitter::splits()
{
    QFETCH(QByteArray, input);
    QFETCH(ByteArrays, lines);
    Irc::LineSplitter splitter;
    QCOMPARE(splitAll(splitter, {input}), lines);
}

void TestLineSplitter::sameLinesWhenFedByteByByte()
{
    QFETCH(QByteArray, input);
    QFETCH(ByteArrays, lines);
    Irc::LineSplitter splitter;
    QCOMPARE(splitAll(splitter, bytewise(input)), lines);
}

void TestLineSplitter::lineAtTheLimitPassesOneMoreIsTooLong()
{
    Irc::LineSplitter splitter(512);
    const QByteArray fits(510, 'x');
    const QByteArray tooLong(511, 'y');
    QCOMPARE(splitAll(splitter, {fits + "\r\n" + tooLong + "\r\n"}), (ByteArrays {fits, "<long>"}));
}

void TestLineSplitter::tooLongLineDoesNotSwallowTheNextLine()
{
    Irc::LineSplitter splitter(512, 8192);
    const ByteArrays chunks {QByteArray(3000, 'z'), QByteArray(1000, 'z') + "\nNEXT\n"};
    QCOMPARE(splitAll(splitter, chunks), (ByteArrays {"<long>", "NEXT"}));
    QVERIFY(!splitter.overflowed());
}

void TestLineSplitter::overflowsWithoutLineEnd()
{
    Irc::LineSplitter splitter(512, 4096);
    QCOMPARE(splitAll(splitter, {QByteArray(4000, 'a')}), ByteArrays {});
    QVERIFY(!splitter.overflowed());
    QCOMPARE(splitAll(splitter, {QByteArray(200, 'a')}), ByteArrays {});
    QVERIFY(splitter.overflowed());
}

void TestLineSplitter::memoryStaysBoundedAfterOverflow()
{
    Irc::LineSplitter splitter(512, 1024);
    for (int i = 0; i < 100; ++i)
        splitAll(splitter, {QByteArray(1000, 'a')});
    QVERIFY(splitter.overflowed());
    QVERIFY(splitter.bufferedBytes() <= 2048);
}

QTEST_GUILESS_MAIN(TestLineSplitter)
#include "tst_linesplitter.moc"
