// The cross-thread hand-off, with plain threads and no Qt event loop, so that
// ThreadSanitizer can check it alone.
#include "serverlib/mailbox.h"

#include <QTest>

#include <atomic>
#include <condition_variable>
#include <thread>

class TestMailbox : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void wakesOncePerBatch();
    void closedMailboxDropsAndNeverWakes();
    void manyProducersOneConsumerLoseNothingAndKeepOrder();
};

void TestMailbox::wakesOncePerBatch()
{
    int wakes = 0;
    Server::Mailbox mailbox([&wakes] { ++wakes; });
    QVERIFY(mailbox.post({"a", {1}, 0}));
    QVERIFY(mailbox.post({"b", {1}, 0}));
    QCOMPARE(wakes, 1);
    QCOMPARE(mailbox.takeAll().size(), size_t(2));
    mailbox.post({"c", {1}, 0});
    QCOMPARE(wakes, 2);
}

void TestMailbox::closedMailboxDropsAndNeverWakes()
{
    int wakes = 0;
    Server::Mailbox mailbox([&wakes] { ++wakes; });
    mailbox.close();
    QVERIFY(!mailbox.post({"a", {1}, 0}));
    QCOMPARE(wakes, 0);
    QVERIFY(mailbox.takeAll().empty());
}

void TestMailbox::manyProducersOneConsumerLoseNothingAndKeepOrder()
{
    constexpr int Producers = 4;
    constexpr int PerProducer = 5000;
    std::mutex mutex;
    std::condition_variable woken;
    bool wakePending = false;
    Server::Mailbox mailbox([&] {
        std::lock_guard lock(mutex);
        wakePending = true;
        woken.notify_one();
    });

    std::vector<std::thread> producers;
    const QByteArray shared = "shared line"; // one buffer, referenced from every thread
    for (int p = 0; p < Producers; ++p) {
        producers.emplace_back([&mailbox, &shared, p] {
            for (int i = 0; i < PerProducer; ++i)
                mailbox.post({shared, {quint32(p)}, quint32(i)});
        });
    }
    std::vector<int> next(Producers, 0);
    int received = 0;
    bool inOrder = true;
    while (received < Producers * PerProducer) {
        {
            std::unique_lock lock(mutex);
            woken.wait_for(lock, std::chrono::milliseconds(100), [&] { return wakePending; });
            wakePending = false;
        }
        for (const Server::Delivery &delivery : mailbox.takeAll()) {
            const int producer = int(delivery.recipients.constFirst());
            inOrder = inOrder && int(delivery.exclude) == next[producer];
            ++next[producer];
            ++received;
        }
    }
    for (std::thread &producer : producers)
        producer.join();
    QVERIFY(inOrder);
    QCOMPARE(received, Producers * PerProducer);
    QVERIFY(mailbox.takeAll().empty());
}

QTEST_GUILESS_MAIN(TestMailbox)
#include "tst_mailbox.moc"
