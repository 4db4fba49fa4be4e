#include "clientlib/reconnectbackoff.h"

#include <QTest>

class tst_ReconnectBackoff : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void doublesUpToTheCap();
    void resetStartsOver();
    void limitsAreSane();
};

void tst_ReconnectBackoff::doublesUpToTheCap()
{
    Client::ReconnectBackoff backoff; // 1 s .. 30 s
    const QList<int> expected = {1000, 2000, 4000, 8000, 16000, 30000, 30000};
    QList<int> delays;
    for (int i = 0; i < expected.size(); ++i)
        delays.append(backoff.nextDelay());
    QCOMPARE(delays, expected);
    QCOMPARE(backoff.attempts(), 7);
    for (int i = 0; i < 100; ++i)
        QCOMPARE(backoff.nextDelay(), 30000); // no overflow after many attempts
}

void tst_ReconnectBackoff::resetStartsOver()
{
    Client::ReconnectBackoff backoff;
    backoff.nextDelay();
    backoff.nextDelay();
    backoff.reset();
    QCOMPARE(backoff.attempts(), 0);
    QCOMPARE(backoff.nextDelay(), 1000);
}

void tst_ReconnectBackoff::limitsAreSane()
{
    Client::ReconnectBackoff backoff(500, 100); // a maximum below the start is raised to it
    QCOMPARE(backoff.nextDelay(), 500);
    QCOMPARE(backoff.nextDelay(), 500);
    backoff.setLimits(0, 0);
    QVERIFY(backoff.initialDelay() >= 1);
}

QTEST_GUILESS_MAIN(tst_ReconnectBackoff)
#include "tst_reconnectbackoff.moc"
