#include "clientlib/sendqueue.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

class tst_SendQueue : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void unpacedSendsAtOnce();
    void burstThenOnePerInterval();
    void sendNowSkipsTheQueue();
    void backgroundLinesWaitForTheOthers();
    void clearDropsQueuedLines();
};

void tst_SendQueue::unpacedSendsAtOnce()
{
    Client::SendQueue queue;
    queue.setPacing(5, 0);
    QSignalSpy ready(&queue, &Client::SendQueue::lineReady);
    for (int i = 0; i < 20; ++i)
        queue.enqueue(QByteArray::number(i));
    QCOMPARE(ready.size(), 20);
}

void tst_SendQueue::burstThenOnePerInterval()
{
    Client::SendQueue queue;
    queue.setPacing(2, 100);
    QSignalSpy ready(&queue, &Client::SendQueue::lineReady);
    QElapsedTimer clock;
    clock.start();
    for (int i = 0; i < 5; ++i)
        queue.enqueue(QByteArray::number(i));
    QCOMPARE(ready.size(), 2); // the burst
    QCOMPARE(queue.queuedLines(), 3);
    QTRY_COMPARE(ready.size(), 5);
    QVERIFY2(clock.elapsed() >= 250, qPrintable(QString::number(clock.elapsed())));
    for (int i = 0; i < 5; ++i)
        QCOMPARE(ready.at(i).first().toByteArray(), QByteArray::number(i)); // in order
}

void tst_SendQueue::sendNowSkipsTheQueue()
{
    Client::SendQueue queue;
    queue.setPacing(1, 10'000);
    QSignalSpy ready(&queue, &Client::SendQueue::lineReady);
    queue.enqueue("first");
    queue.enqueue("waits");
    queue.sendNow("PONG");
    QCOMPARE(ready.size(), 2);
    QCOMPARE(ready.at(1).first().toByteArray(), QByteArray("PONG"));
}

void tst_SendQueue::backgroundLinesWaitForTheOthers()
{
    Client::SendQueue queue;
    queue.setPacing(1, 50);
    QSignalSpy ready(&queue, &Client::SendQueue::lineReady);
    queue.enqueue("first");
    queue.enqueueBackground("MODE #a");
    queue.enqueueBackground("MODE #b");
    queue.enqueue("typed later");
    QCOMPARE(queue.queuedLines(), 3);
    QTRY_COMPARE(ready.size(), 4);
    QList<QByteArray> order;
    for (const QList<QVariant> &line : std::as_const(ready))
        order.append(line.first().toByteArray());
    QCOMPARE(order, (QList<QByteArray> {"first", "typed later", "MODE #a", "MODE #b"}));
}

void tst_SendQueue::clearDropsQueuedLines()
{
    Client::SendQueue queue;
    queue.setPacing(1, 10'000);
    QSignalSpy ready(&queue, &Client::SendQueue::lineReady);
    queue.enqueue("a");
    queue.enqueue("b");
    queue.enqueueBackground("c");
    queue.clear();
    QCOMPARE(queue.queuedLines(), 0);
    queue.enqueue("d"); // the bucket is full again after a clear
    QCOMPARE(ready.size(), 2);
}

QTEST_GUILESS_MAIN(tst_SendQueue)
#include "tst_sendqueue.moc"
