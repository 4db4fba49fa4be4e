// The hand-off into the storage thread, with plain threads and no Qt event loop, so that
// ThreadSanitizer can check it alone.
#include "storagelib/writequeue.h"

#include <QTest>

#include <atomic>
#include <thread>
#include <vector>

using Storage::HistoryMessage;
using Storage::WriteQueue;

namespace {

HistoryMessage line(int producer, int sequence)
{
    HistoryMessage message;
    message.msgid = QByteArray::number(producer) + '-' + QByteArray::number(sequence);
    message.timeMs = producer; // carries the producer back to the consumer
    message.id = sequence;
    return message;
}

} // namespace

class tst_WriteQueue : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void wakesOnceWhenItStopsBeingEmpty();
    void fullQueueRefusesAndCounts();
    void closedQueueRefusesKeepsWhatItHasAndNeverWakes();
    void producersAgainstASlowConsumerStayBoundedAndAccountForEveryLine();
};

void tst_WriteQueue::wakesOnceWhenItStopsBeingEmpty()
{
    int wakes = 0;
    WriteQueue queue(10, [&wakes] { ++wakes; });
    QCOMPARE(queue.push(line(0, 0)), WriteQueue::Push::Queued);
    QCOMPARE(queue.push(line(0, 1)), WriteQueue::Push::Queued);
    QCOMPARE(wakes, 1);
    QCOMPARE(queue.take(1).size(), size_t(1));
    QCOMPARE(queue.push(line(0, 2)), WriteQueue::Push::Queued);
    QCOMPARE(wakes, 1); // not empty in between: the owner is already on its way
    QCOMPARE(queue.take(10).size(), size_t(2));
    QCOMPARE(queue.push(line(0, 3)), WriteQueue::Push::Queued);
    QCOMPARE(wakes, 2);
}

void tst_WriteQueue::fullQueueRefusesAndCounts()
{
    WriteQueue queue(3, [] {});
    for (int i = 0; i < 3; ++i)
        QCOMPARE(queue.push(line(0, i)), WriteQueue::Push::Queued);
    QCOMPARE(queue.push(line(0, 3)), WriteQueue::Push::Full);
    QCOMPARE(queue.push(line(0, 4)), WriteQueue::Push::Full);
    QCOMPARE(queue.notStored(), quint64(2));
    QCOMPARE(queue.size(), 3);
    const std::vector<HistoryMessage> taken = queue.take(2);
    QCOMPARE(taken.size(), size_t(2));
    QCOMPARE(taken.front().msgid, QByteArray("0-0")); // oldest first
    QCOMPARE(queue.push(line(0, 5)), WriteQueue::Push::Queued);
    queue.addNotStored(7); // a batch the database refused
    QCOMPARE(queue.notStored(), quint64(9));
}

void tst_WriteQueue::closedQueueRefusesKeepsWhatItHasAndNeverWakes()
{
    int wakes = 0;
    WriteQueue queue(10, [&wakes] { ++wakes; });
    queue.push(line(0, 0));
    queue.close();
    QCOMPARE(queue.push(line(0, 1)), WriteQueue::Push::Closed);
    QCOMPARE(queue.notStored(), quint64(1));
    QCOMPARE(wakes, 1);
    QCOMPARE(queue.take(10).size(), size_t(1)); // still written at shutdown
}

void tst_WriteQueue::producersAgainstASlowConsumerStayBoundedAndAccountForEveryLine()
{
    constexpr int Producers = 4;
    constexpr int PerProducer = 5000;
    constexpr qsizetype Capacity = 100;
    std::atomic<int> wakes {0};
    WriteQueue queue(Capacity, [&wakes] { ++wakes; });
    std::atomic<int> refused {0};
    std::atomic<int> running {Producers};
    std::vector<std::thread> producers;
    for (int p = 0; p < Producers; ++p) {
        producers.emplace_back([&, p] {
            for (int i = 0; i < PerProducer; ++i) {
                if (queue.push(line(p, i)) != WriteQueue::Push::Queued)
                    ++refused;
            }
            --running;
        });
    }
    std::vector<qint64> last(Producers, -1);
    int taken = 0;
    bool inOrder = true;
    bool bounded = true;
    while (running > 0 || queue.size() > 0) {
        bounded = bounded && queue.size() <= Capacity;
        for (const HistoryMessage &message : queue.take(16)) {
            inOrder = inOrder && message.id > last[message.timeMs];
            last[message.timeMs] = message.id;
            ++taken;
        }
        std::this_thread::yield(); // a slow consumer: the queue fills up
    }
    for (std::thread &producer : producers)
        producer.join();
    QVERIFY(bounded);
    QVERIFY(inOrder);
    QCOMPARE(taken + refused.load(), Producers * PerProducer);
    QCOMPARE(queue.notStored(), quint64(refused.load()));
    QVERIFY(wakes.load() >= 1);
}

QTEST_GUILESS_MAIN(tst_WriteQueue)
#include "tst_writequeue.moc"
