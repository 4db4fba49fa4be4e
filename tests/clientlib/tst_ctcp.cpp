#include "clientlib/ctcp.h"

#include <QTest>

class tst_Ctcp : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void encodeAction();
    void decode_data();
    void decode();
};

void tst_Ctcp::encodeAction()
{
    QCOMPARE(Client::Ctcp::encode("ACTION", "waves"),
             QByteArray("\x01"
                        "ACTION waves\x01"));
    QCOMPARE(Client::Ctcp::encode("VERSION", {}), QByteArray("\x01VERSION\x01"));
}

void tst_Ctcp::decode_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<bool>("isCtcp");
    QTest::addColumn<QByteArray>("command");
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("action") << QByteArray("\x01"
                                          "ACTION waves hello\x01")
                            << true << QByteArray("ACTION") << QByteArray("waves hello");
    QTest::newRow("unterminated") << QByteArray("\x01"
                                                "ACTION waves")
                                  << true << QByteArray("ACTION") << QByteArray("waves");
    QTest::newRow("lower-case query")
        << QByteArray("\x01version\x01") << true << QByteArray("VERSION") << QByteArray();
    QTest::newRow("plain text") << QByteArray("hello \x01 there") << false << QByteArray()
                                << QByteArray();
    QTest::newRow("lone delimiter") << QByteArray("\x01") << true << QByteArray() << QByteArray();
}

void tst_Ctcp::decode()
{
    QFETCH(QByteArray, text);
    QFETCH(bool, isCtcp);
    QFETCH(QByteArray, command);
    QFETCH(QByteArray, body);
    const std::optional<Client::Ctcp::Message> message = Client::Ctcp::decode(text);
    QCOMPARE(message.has_value(), isCtcp);
    if (message) {
        QCOMPARE(message->command, command);
        QCOMPARE(message->body, body);
    }
}

QTEST_GUILESS_MAIN(tst_Ctcp)
#include "tst_ctcp.moc"
