// The bounded hand-off between threads, with plain threads and no Qt event loop, so that
// ThreadSanitizer can check it alone.
#include "concurrent/boundedqueue.h"

#include <QTest>

#include <atomic>
#include <thread>
#include <utility>
#include <vector>

namespace {

// The producer and its sequence number.
using Item = std::pair<int, int>;
using Queue = Concurrent::BoundedQueue<Item>;

} // namespace

class tst_BoundedQueue : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void wakesOnceWhenItStopsBeingEmpty();
    void fullQueueRefusesUntilTaken();
    void closedQueueRefusesKeepsWhatItHasAndNeverWakes();
    void producersAgainstASlowConsumerStayBoundedAndInOrder();
};

void tst_BoundedQueue::wakesOnceWhenItStopsBeingEmpty()
{
    int wakes = 0;
    Queue queue(10, [&wakes] { ++wakes; });
    QCOMPARE(queue.push({0, 0}), Queue::Push::Queued);
    QCOMPARE(queue.push({0, 1}), Queue::Push::Queued);
    QCOMPARE(wakes, 1);
    QCOMPARE(queue.take(1).size(), size_t(1));
    QCOMPARE(queue.push({0, 2}), Queue::Push::Queued);
    QCOMPARE(wakes, 1); // not empty in between: the consumer is already on its way
    QCOMPARE(queue.take(10).size(), size_t(2));
    QCOMPARE(queue.push({0, 3}), Queue::Push::Queued);
    QCOMPARE(wakes, 2);
}

void tst_BoundedQueue::fullQueueRefusesUntilTaken()
{
    Queue queue(3, [] {});
    for (int i = 0; i < 3; ++i)
        QCOMPARE(queue.push({0, i}), Queue::Push::Queued);
    QCOMPARE(queue.push({0, 3}), Queue::Push::Full);
    QCOMPARE(queue.size(), 3);
    const std::vector<Item> taken = queue.take(2);
    QCOMPARE(taken.size(), size_t(2));
    QCOMPARE(taken.front(), Item(0, 0)); // oldest first
    QCOMPARE(queue.push({0, 4}), Queue::Push::Queued);
    QCOMPARE(queue.size(), 2);
}

void tst_BoundedQueue::closedQueueRefusesKeepsWhatItHasAndNeverWakes()
{
    int wakes = 0;
    Queue queue(10, [&wakes] { ++wakes; });
    queue.push({0, 0});
    queue.close();
    QCOMPARE(queue.push({0, 1}), Queue::Push::Closed);
    QCOMPARE(wakes, 1);
    QCOMPARE(queue.take(10).size(), size_t(1)); // still there for the consumer
}

void tst_BoundedQueue::producersAgainstASlowConsumerStayBoundedAndInOrder()
{
    constexpr int Producers = 4;
    constexpr int PerProducer = 5000;
    constexpr std::ptrdiff_t Capacity = 100;
    std::atomic<int> wakes {0};
    Queue queue(Capacity, [&wakes] { ++wakes; });
    std::atomic<int> refused {0};
    std::atomic<int> running {Producers};
    std::vector<std::thread> producers;
    for (int p = 0; p < Producers; ++p) {
        producers.emplace_back([&, p] {
            for (int i = 0; i < PerProducer; ++i) {
                if (queue.push({p, i}) != Queue::Push::Queued)
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
        for (const auto &[producer, sequence] : queue.take(16)) {
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
    QVERIFY(refused.load() > 0); // the bound was reached
    QVERIFY(wakes.load() >= 1);
}

QTEST_GUILESS_MAIN(tst_BoundedQueue)
#include "tst_boundedqueue.moc"
