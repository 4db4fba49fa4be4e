#include "loadlib/latencyhistogram.h"
#include "loadlib/payload.h"
#include "loadlib/sequencechecker.h"

#include <QTest>

#include <cmath>

using Verdict = Load::SequenceChecker::Verdict;

class TestLoadChecks : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void inOrderLinesPass();
    void gapAndLateLineAreOutOfOrder();
    void repeatedLineIsDuplicate();
    void sendersAreCheckedSeparately();
    void skippedLinesCountAsMissingUntilTheyArrive();
    void payloadRoundTrips();
    void payloadRejectsForeignText_data();
    void payloadRejectsForeignText();
    void percentilesStayWithinOnePercent();
    void mergedHistogramsAddUp();
};

void TestLoadChecks::inOrderLinesPass()
{
    Load::SequenceChecker checker;
    for (quint32 sequence = 0; sequence < 1000; ++sequence)
        QCOMPARE(checker.record(7, sequence), Verdict::InOrder);
    QCOMPARE(checker.uniqueFrom(7), 1000u);
}

void TestLoadChecks::gapAndLateLineAreOutOfOrder()
{
    Load::SequenceChecker checker;
    QCOMPARE(checker.record(1, 0), Verdict::InOrder);
    QCOMPARE(checker.record(1, 2), Verdict::OutOfOrder); // 1 skipped
    QCOMPARE(checker.record(1, 1), Verdict::OutOfOrder); // 1 arrives late
    QCOMPARE(checker.record(1, 3), Verdict::InOrder);
    QCOMPARE(checker.uniqueFrom(1), 4u);
}

void TestLoadChecks::repeatedLineIsDuplicate()
{
    Load::SequenceChecker checker;
    QCOMPARE(checker.record(1, 0), Verdict::InOrder);
    QCOMPARE(checker.record(1, 1), Verdict::InOrder);
    QCOMPARE(checker.record(1, 0), Verdict::Duplicate);
    QCOMPARE(checker.record(1, 1), Verdict::Duplicate);
    QCOMPARE(checker.uniqueFrom(1), 2u);
}

void TestLoadChecks::sendersAreCheckedSeparately()
{
    Load::SequenceChecker checker;
    QCOMPARE(checker.record(1, 0), Verdict::InOrder);
    QCOMPARE(checker.record(2, 0), Verdict::InOrder);
    QCOMPARE(checker.record(2, 1), Verdict::InOrder);
    QCOMPARE(checker.record(1, 1), Verdict::InOrder);
    QCOMPARE(checker.uniqueFrom(3), 0u);
}

// The live "lost so far" of the app's load lab: lines a later line overtook.
void TestLoadChecks::skippedLinesCountAsMissingUntilTheyArrive()
{
    Load::SequenceChecker checker;
    QCOMPARE(checker.record(1, 0), Verdict::InOrder);
    QCOMPARE(checker.record(1, 5), Verdict::OutOfOrder); // 1..4 skipped
    QCOMPARE(checker.record(2, 3), Verdict::OutOfOrder); // 0..2 of sender 2 skipped
    QCOMPARE(checker.missing(), 7u);
    QCOMPARE(checker.record(1, 3), Verdict::OutOfOrder); // splits the hole 1..4
    QCOMPARE(checker.record(1, 3), Verdict::Duplicate);
    QCOMPARE(checker.record(1, 1), Verdict::OutOfOrder);
    QCOMPARE(checker.record(1, 4), Verdict::OutOfOrder);
    QCOMPARE(checker.record(1, 5), Verdict::Duplicate);
    QCOMPARE(checker.missing(), 4u); // 2 of sender 1, 0..2 of sender 2
    QCOMPARE(checker.record(1, 2), Verdict::OutOfOrder);
    QCOMPARE(checker.record(1, 0), Verdict::Duplicate);
    QCOMPARE(checker.uniqueFrom(1), 6u);
    QCOMPARE(checker.missing(), 3u);
}

void TestLoadChecks::payloadRoundTrips()
{
    const Load::Payload sent {42, 1999, 123456789012345};
    const std::optional<Load::Payload> received = Load::Payload::fromText(sent.toText());
    QVERIFY(received);
    QCOMPARE(received->sender, sent.sender);
    QCOMPARE(received->sequence, sent.sequence);
    QCOMPARE(received->sentNs, sent.sentNs);
}

void TestLoadChecks::payloadRejectsForeignText_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::newRow("chat") << QByteArray("hello there");
    QTest::newRow("no numbers") << QByteArray("load ");
    QTest::newRow("missing time") << QByteArray("load 1 2");
    QTest::newRow("trailing text") << QByteArray("load 1 2 3 extra");
    QTest::newRow("letters") << QByteArray("load 1 x 3");
    QTest::newRow("overlong number") << QByteArray("load 1 2 12345678901234567890123");
}

void TestLoadChecks::payloadRejectsForeignText()
{
    QFETCH(QByteArray, text);
    QVERIFY(!Load::Payload::fromText(text));
}

void TestLoadChecks::percentilesStayWithinOnePercent()
{
    Load::LatencyHistogram histogram;
    for (qint64 value = 1; value <= 100'000; ++value)
        histogram.record(value * 1000); // 1 us .. 100 ms, evenly
    QCOMPARE(histogram.count(), 100'000u);
    for (double percent : {50.0, 99.0, 99.9}) {
        const double exact = percent * 1000.0 * 1000.0;
        const double measured = double(histogram.percentile(percent));
        QVERIFY2(std::abs(measured - exact) / exact < 0.01,
                 qPrintable(QStringLiteral("p%1: %2 vs %3").arg(percent).arg(measured).arg(exact)));
    }
    QCOMPARE(histogram.summary().maxNs, 100'000'000);
}

void TestLoadChecks::mergedHistogramsAddUp()
{
    Load::LatencyHistogram low;
    Load::LatencyHistogram high;
    for (int i = 0; i < 900; ++i)
        low.record(1000);
    for (int i = 0; i < 100; ++i)
        high.record(1'000'000);
    low.merge(high);
    QCOMPARE(low.count(), 1000u);
    QVERIFY(std::abs(low.percentile(50) - 1000) <= 10);
    QVERIFY(std::abs(low.percentile(99) - 1'000'000) <= 10'000);
    QCOMPARE(low.summary().maxNs, 1'000'000);
}

QTEST_GUILESS_MAIN(TestLoadChecks)
#include "tst_loadchecks.moc"
