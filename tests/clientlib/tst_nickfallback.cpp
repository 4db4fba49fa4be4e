#include "clientlib/nickfallback.h"

#include <QTest>

class tst_NickFallback : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void alternatives_data();
    void alternatives();
};

void tst_NickFallback::alternatives_data()
{
    QTest::addColumn<QByteArray>("wanted");
    QTest::addColumn<int>("attempt");
    QTest::addColumn<int>("maxLength");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("first") << QByteArray("alice") << 1 << 30 << QByteArray("alice_");
    QTest::newRow("second") << QByteArray("alice") << 2 << 30 << QByteArray("alice_2");
    QTest::newRow("tenth") << QByteArray("alice") << 10 << 30 << QByteArray("alice_10");
    QTest::newRow("cut to fit") << QByteArray("abcdefghi") << 1 << 9 << QByteArray("abcdefgh_");
    QTest::newRow("cut for two digits")
        << QByteArray("abcdefghi") << 12 << 9 << QByteArray("abcdef_12");
    QTest::newRow("tiny limit keeps a letter") << QByteArray("bob") << 3 << 2 << QByteArray("b_3");
}

void tst_NickFallback::alternatives()
{
    QFETCH(QByteArray, wanted);
    QFETCH(int, attempt);
    QFETCH(int, maxLength);
    QFETCH(QByteArray, expected);
    QCOMPARE(Client::alternativeNick(wanted, attempt, maxLength), expected);
}

QTEST_GUILESS_MAIN(tst_NickFallback)
#include "tst_nickfallback.moc"
