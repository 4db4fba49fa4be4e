// What the queue into the storage thread adds to Concurrent::BoundedQueue (tested in
// tests/concurrent): every refused line is counted as not stored. Plain threads and no Qt event
// loop, so that ThreadSanitizer can check it alone.
#include "storagelib/writequeue.h"

#include <QTest>

#include <thread>
#include <vector>

using Storage::HistoryMessage;
using Storage::WriteQueue;

namespace {

HistoryMessage line(int producer, int sequence)
{
    HistoryMessage message;
    message.msgid = QByteArray::number(producer) + '-' + QByteArray::number(sequence);
    return message;
}

} // namespace

class tst_WriteQueue : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void fullAndClosedRefusalsAreCountedAsNotStored();
    void producersOverflowingTheQueueAccountForEveryLine();
};

void tst_WriteQueue::fullAndClosedRefusalsAreCountedAsNotStored()
{
    WriteQueue queue(2, [] {});
    QCOMPARE(queue.push(line(0, 0)), WriteQueue::Push::Queued);
    QCOMPARE(queue.push(line(0, 1)), WriteQueue::Push::Queued);
    QCOMPARE(queue.notStored(), quint64(0));
    QCOMPARE(queue.push(line(0, 2)), WriteQueue::Push::Full);
    QCOMPARE(queue.notStored(), quint64(1));
    queue.close();
    QCOMPARE(queue.push(line(0, 3)), WriteQueue::Push::Closed);
    QCOMPARE(queue.notStored(), quint64(2));
    queue.addNotStored(7); // a batch the database refused
    QCOMPARE(queue.notStored(), quint64(9));
    QCOMPARE(queue.take(10).size(), size_t(2)); // still written at shutdown
}

void tst_WriteQueue::producersOverflowingTheQueueAccountForEveryLine()
{
    constexpr int Producers = 4;
    constexpr int PerProducer = 2000;
    constexpr qsizetype Capacity = 100;
    WriteQueue queue(Capacity, [] {});
    std::vector<std::thread> producers;
    for (int p = 0; p < Producers; ++p) {
        producers.emplace_back([&queue, p] {
            for (int i = 0; i < PerProducer; ++i)
                queue.push(line(p, i));
        });
    }
    for (std::thread &producer : producers)
        producer.join();
    QCOMPARE(queue.size(), Capacity); // nobody took any
    QCOMPARE(queue.notStored(), quint64(Producers * PerProducer - Capacity));
}

QTEST_GUILESS_MAIN(tst_WriteQueue)
#include "tst_writequeue.moc"
