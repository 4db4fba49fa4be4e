// The connection caps, alone and under concurrent admit/release from plain threads (no Qt event
// loop), so that ThreadSanitizer can check it like the Mailbox and the Registry.
#include "serverlib/connectionlimiter.h"

#include <QTest>

#include <atomic>
#include <thread>

class TestConnectionLimiter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void capsTotalAndPerAddress();
    void zeroMeansNoCap();
    void concurrentAdmitAndReleaseKeepCountsRight();
};

void TestConnectionLimiter::capsTotalAndPerAddress()
{
    Server::ConnectionLimiter limiter(3, 2);
    const QHostAddress a(QStringLiteral("10.0.0.1")), b(QStringLiteral("10.0.0.2"));
    QVERIFY(limiter.admit(a).isEmpty());
    QVERIFY(limiter.admit(a).isEmpty());
    QCOMPARE(limiter.admit(a), QByteArray("Too many connections from your address"));
    QVERIFY(limiter.admit(b).isEmpty());
    QCOMPARE(limiter.admit(b), QByteArray("Server is full"));
    QCOMPARE(limiter.total(), 3);
    limiter.release(a);
    QVERIFY(limiter.admit(b).isEmpty());
    limiter.release(QHostAddress(QStringLiteral("10.9.9.9"))); // never admitted: ignored
    QCOMPARE(limiter.total(), 3);
}

void TestConnectionLimiter::zeroMeansNoCap()
{
    Server::ConnectionLimiter limiter(0, 0);
    for (int i = 0; i < 1000; ++i)
        QVERIFY(limiter.admit(QHostAddress::LocalHost).isEmpty());
    QCOMPARE(limiter.total(), 1000);
}

void TestConnectionLimiter::concurrentAdmitAndReleaseKeepCountsRight()
{
    constexpr int Threads = 8;
    constexpr int Rounds = 2000;
    constexpr int PerAddress = 4;
    Server::ConnectionLimiter limiter(0, PerAddress);
    std::atomic<int> refused {0};
    std::vector<std::thread> threads;
    for (int t = 0; t < Threads; ++t) {
        threads.emplace_back([&limiter, &refused, t] {
            // Two threads share each address, so that they compete for its slots.
            const QHostAddress address(quint32(0x0a000000 + t / 2));
            for (int i = 0; i < Rounds; ++i) {
                if (limiter.admit(address).isEmpty())
                    limiter.release(address);
                else
                    refused.fetch_add(1);
            }
            for (int i = 0; i < PerAddress / 2; ++i) { // half the slots each, at the end
                if (!limiter.admit(address).isEmpty())
                    refused.fetch_add(1);
            }
        });
    }
    for (std::thread &thread : threads)
        thread.join();
    // Two threads share 4 slots and never hold more than 2 each: nobody is ever refused.
    QCOMPARE(refused.load(), 0);
    QCOMPARE(limiter.total(), Threads * PerAddress / 2);
    QCOMPARE(limiter.admit(QHostAddress(quint32(0x0a000000))),
             QByteArray("Too many connections from your address"));
}

QTEST_GUILESS_MAIN(TestConnectionLimiter)
#include "tst_connectionlimiter.moc"
