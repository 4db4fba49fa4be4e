// The departures a cluster node keeps for the others' resynchronisations: how a user left a
// channel, bounded in count and age.
#include "serverlib/departurelog.h"

#include <QTest>

using Server::DepartureLog;

class TestDepartureLog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void aPartIsHowItLeftTheChannel();
    void aQuitIsHowItLeftOnlyOnceItIsGone();
    void aJoinForgetsThePartThere();
    void theOldestAreForgottenPastTheCapacity();
    void departuresAreForgottenWithAge();
};

void TestDepartureLog::aPartIsHowItLeftTheChannel()
{
    DepartureLog log(16, 1000);
    log.parted("#a", "bob", ":bob!u@h PART #a :later\r\n", 0);
    QCOMPARE(log.departure("#a", "bob", false, 10), QByteArray(":bob!u@h PART #a :later\r\n"));
    QCOMPARE(log.departure("#b", "bob", false, 10), std::nullopt);
    QCOMPARE(log.departure("#a", "carol", true, 10), std::nullopt);
    // Parted, then quit elsewhere: on #a it was seen to part.
    log.quit("bob", ":bob!u@h QUIT :Quit: bye\r\n", 20);
    QCOMPARE(log.departure("#a", "bob", true, 30), QByteArray(":bob!u@h PART #a :later\r\n"));
    QCOMPARE(log.departure("#b", "bob", true, 30), QByteArray(":bob!u@h QUIT :Quit: bye\r\n"));
}

void TestDepartureLog::aQuitIsHowItLeftOnlyOnceItIsGone()
{
    DepartureLog log(16, 1000);
    log.quit("dave", ":dave!u@h QUIT :Quit: bye\r\n", 0);
    QCOMPARE(log.departure("#a", "dave", true, 10), QByteArray(":dave!u@h QUIT :Quit: bye\r\n"));
    // Another user has the nick now: the quit says nothing of it.
    QCOMPARE(log.departure("#a", "dave", false, 10), std::nullopt);
}

void TestDepartureLog::aJoinForgetsThePartThere()
{
    DepartureLog log(16, 1000);
    log.parted("#a", "bob", ":bob!u@h PART #a :later\r\n", 0);
    log.parted("#b", "bob", ":bob!u@h PART #b :later\r\n", 0);
    log.joined("#a", "bob");
    QCOMPARE(log.departure("#a", "bob", false, 10), std::nullopt);
    QVERIFY(log.departure("#b", "bob", false, 10));
    // Parted again: the new part is how it left.
    log.parted("#a", "bob", ":bob!u@h PART #a :again\r\n", 20);
    QCOMPARE(log.departure("#a", "bob", false, 30), QByteArray(":bob!u@h PART #a :again\r\n"));
}

void TestDepartureLog::theOldestAreForgottenPastTheCapacity()
{
    DepartureLog log(3, 1000);
    for (int i = 0; i < 10; ++i)
        log.parted("#a", "user" + QByteArray::number(i), "PART " + QByteArray::number(i), 0);
    QCOMPARE(log.size(), 3);
    QCOMPARE(log.departure("#a", "user6", false, 0), std::nullopt);
    QCOMPARE(log.departure("#a", "user7", false, 0), QByteArray("PART 7"));
    QCOMPARE(log.departure("#a", "user9", false, 0), QByteArray("PART 9"));
    // Written again, a key keeps its later departure when its earlier one is dropped.
    log.parted("#a", "user7", "PART 7 again", 0);
    log.parted("#a", "user10", "PART 10", 0);
    QCOMPARE(log.size(), 3);
    QCOMPARE(log.departure("#a", "user7", false, 0), QByteArray("PART 7 again"));
    QCOMPARE(log.departure("#a", "user8", false, 0), std::nullopt);
}

void TestDepartureLog::departuresAreForgottenWithAge()
{
    DepartureLog log(16, 1000);
    log.parted("#a", "bob", "PART bob", 0);
    log.quit("dave", "QUIT dave", 500);
    QVERIFY(log.departure("#a", "bob", false, 1000));
    QCOMPARE(log.departure("#a", "bob", false, 1001), std::nullopt);
    QVERIFY(log.departure("#a", "dave", true, 1500));
    QCOMPARE(log.departure("#a", "dave", true, 1501), std::nullopt);
    QCOMPARE(log.size(), 0);
}

QTEST_GUILESS_MAIN(TestDepartureLog)
#include "tst_departurelog.moc"
