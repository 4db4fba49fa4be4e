// The hand-off into the Redis link thread, with plain threads and no Qt event loop, so that
// ThreadSanitizer can check it alone.
#include "clusterlib/commandqueue.h"

#include <QTest>

#include <atomic>
#include <thread>
#include <vector>

using Cluster::CommandQueue;
using Cluster::QueuedCommand;

namespace {

// The producer and its sequence number travel as the arguments.
QueuedCommand command(int producer, int sequence)
{
    return {{"PUBLISH", QByteArray::number(producer), QByteArray::number(sequence)}, {}};
}

} // namespace

class tst_CommandQueue : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void wakesOnceWhenItStopsBeingEmpty();
    void fullQueueRefuses();
    void closedQueueRefusesKeepsWhatItHasAndNeverWakes();
    void producersAgainstASlowConsumerStayBoundedAndInOrder();
};

void tst_CommandQueue::wakesOnceWhenItStopsBeingEmpty()
{
    int wakes = 0;
    CommandQueue queue(10, [&wakes] { ++wakes; });
    QCOMPARE(queue.push(command(0, 0)), CommandQueue::Push::Queued);
    QCOMPARE(queue.push(command(0, 1)), CommandQueue::Push::Queued);
    QCOMPARE(wakes, 1);
    QCOMPARE(queue.take(1).size(), size_t(1));
    QCOMPARE(queue.push(command(0, 2)), CommandQueue::Push::Queued);
    QCOMPARE(wakes, 1); // not empty in between: the link thread is already on its way
    QCOMPARE(queue.take(10).size(), size_t(2));
    QCOMPARE(queue.push(command(0, 3)), CommandQueue::Push::Queued);
    QCOMPARE(wakes, 2);
}

void tst_CommandQueue::fullQueueRefuses()
{
    CommandQueue queue(3, [] {});
    for (int i = 0; i < 3; ++i)
        QCOMPARE(queue.push(command(0, i)), CommandQueue::Push::Queued);
    QCOMPARE(queue.push(command(0, 3)), CommandQueue::Push::Full);
    QCOMPARE(queue.size(), 3);
    const std::vector<QueuedCommand> taken = queue.take(2);
    QCOMPARE(taken.size(), size_t(2));
    QCOMPARE(taken.front().argv.at(2), QByteArray("0")); // oldest first
    QCOMPARE(queue.push(command(0, 4)), CommandQueue::Push::Queued);
}

void tst_CommandQueue::closedQueueRefusesKeepsWhatItHasAndNeverWakes()
{
    int wakes = 0;
    CommandQueue queue(10, [&wakes] { ++wakes; });
    queue.push(command(0, 0));
    queue.close();
    QCOMPARE(queue.push(command(0, 1)), CommandQueue::Push::Closed);
    QCOMPARE(wakes, 1);
    QCOMPARE(queue.take(10).size(), size_t(1)); // still failed by the link thread
}

void tst_CommandQueue::producersAgainstASlowConsumerStayBoundedAndInOrder()
{
    constexpr int Producers = 4;
    constexpr int PerProducer = 5000;
    constexpr qsizetype Capacity = 100;
    std::atomic<int> wakes {0};
    CommandQueue queue(Capacity, [&wakes] { ++wakes; });
    std::atomic<int> refused {0};
    std::atomic<int> running {Producers};
    std::vector<std::thread> producers;
    for (int p = 0; p < Producers; ++p) {
        producers.emplace_back([&, p] {
            for (int i = 0; i < PerProducer; ++i) {
                if (queue.push(command(p, i)) != CommandQueue::Push::Queued)
                    ++refused;
            }
            --running;
        });
    }
    std::vector<int> last(Producers, -1);
    int taken = 0;
    bool inOrder = true;
    bool bounded = true;
    while (running > 0 || queue.size() > 0) {
        bounded = bounded && queue.size() <= Capacity;
        for (const QueuedCommand &queued : queue.take(16)) {
            const int producer = queued.argv.at(1).toInt();
            const int sequence = queued.argv.at(2).toInt();
            inOrder = inOrder && sequence > last[producer];
            last[producer] = sequence;
            ++taken;
        }
        std::this_thread::yield(); // a slow consumer: the queue fills up
    }
    for (std::thread &producer : producers)
        producer.join();
    QVERIFY(bounded);
    QVERIFY(inOrder);
    QCOMPARE(taken + refused.load(), Producers * PerProducer);
    QVERIFY(wakes.load() >= 1);
}

QTEST_GUILESS_MAIN(tst_CommandQueue)
#include "tst_commandqueue.moc"
