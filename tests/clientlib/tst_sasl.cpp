// SASL PLAIN's message and its AUTHENTICATE lines (IRCv3 sasl-3.1), and what the client's log
// and raw view show of lines that carry a secret.
#include "clientlib/sasl.h"
#include "clientlib/secrets.h"

#include <QTest>

using namespace Qt::StringLiterals;

class tst_Sasl : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void plainMessageHasNoAuthorizationIdentity();
    void linesAreChunkedAt400Bytes_data();
    void linesAreChunkedAt400Bytes();
    void chunksJoinToTheMessage();
    void offersPlain_data();
    void offersPlain();
    void secretsAreHidden_data();
    void secretsAreHidden();
};

void tst_Sasl::plainMessageHasNoAuthorizationIdentity()
{
    QCOMPARE(Client::Sasl::plainMessage(u"alice"_s, u"sesame"_s),
             QByteArray("\0alice\0sesame", 13));
    // UTF-8, as the password is typed.
    QCOMPARE(Client::Sasl::plainMessage(u"bob"_s, u"pässwort"_s),
             QByteArray("\0bob\0", 5) + u"pässwort"_s.toUtf8());
    QCOMPARE(Client::Sasl::authenticateLines(Client::Sasl::plainMessage(u"alice"_s, u"sesame"_s)),
             QList<QByteArray> {"AUTHENTICATE AGFsaWNlAHNlc2FtZQ==\r\n"});
}

void tst_Sasl::linesAreChunkedAt400Bytes_data()
{
    // Raw bytes in; base64 is 4 bytes per 3, so 300 raw bytes are exactly 400 of base64.
    QTest::addColumn<int>("rawBytes");
    QTest::addColumn<QList<int>>("pieceSizes"); // 1: the closing `+`
    QTest::newRow("empty") << 0 << QList<int> {1};
    QTest::newRow("short") << 10 << QList<int> {16};
    QTest::newRow("just under 400") << 297 << QList<int> {396};
    QTest::newRow("exactly 400") << 300 << QList<int> {400, 1};
    QTest::newRow("just over 400") << 301 << QList<int> {400, 4};
    QTest::newRow("exactly 800") << 600 << QList<int> {400, 400, 1};
    QTest::newRow("two and a bit") << 650 << QList<int> {400, 400, 68};
}

void tst_Sasl::linesAreChunkedAt400Bytes()
{
    QFETCH(int, rawBytes);
    QFETCH(QList<int>, pieceSizes);
    const QList<QByteArray> lines = Client::Sasl::authenticateLines(QByteArray(rawBytes, 'x'));
    QList<int> sizes;
    for (const QByteArray &line : lines) {
        QVERIFY(line.startsWith("AUTHENTICATE "));
        QVERIFY(line.endsWith("\r\n"));
        QVERIFY(line.size() <= 512);
        sizes.append(int(line.size() - qstrlen("AUTHENTICATE \r\n")));
    }
    QCOMPARE(sizes, pieceSizes);
    if (pieceSizes.last() == 1)
        QCOMPARE(lines.last(), QByteArray("AUTHENTICATE +\r\n"));
}

void tst_Sasl::chunksJoinToTheMessage()
{
    QByteArray message;
    for (int i = 0; i < 1000; ++i)
        message += char(i % 251);
    QByteArray encoded;
    for (const QByteArray &line : Client::Sasl::authenticateLines(message)) {
        const QByteArray piece = line.mid(13).chopped(2);
        if (piece != "+")
            encoded += piece;
    }
    QCOMPARE(QByteArray::fromBase64(encoded), message);
}

void tst_Sasl::offersPlain_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<bool>("plain");
    QTest::newRow("no value (3.1)") << QByteArray() << true;
    QTest::newRow("PLAIN only") << QByteArray("PLAIN") << true;
    QTest::newRow("among others") << QByteArray("EXTERNAL,PLAIN,SCRAM-SHA-256") << true;
    QTest::newRow("lower case") << QByteArray("plain") << true;
    QTest::newRow("EXTERNAL only") << QByteArray("EXTERNAL") << false;
    QTest::newRow("a longer name") << QByteArray("PLAINER") << false;
}

void tst_Sasl::offersPlain()
{
    QFETCH(QByteArray, value);
    QFETCH(bool, plain);
    QCOMPARE(Client::Sasl::offersPlain(value), plain);
}

void tst_Sasl::secretsAreHidden_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QByteArray>("shown");
    QTest::newRow("PASS") << QByteArray("PASS sesame") << QByteArray("PASS ****");
    QTest::newRow("OPER") << QByteArray("OPER admin :open sesame") << QByteArray("OPER admin ****");
    QTest::newRow("AUTHENTICATE payload")
        << QByteArray("AUTHENTICATE AGFsaWNlAHNlc2FtZQ==") << QByteArray("AUTHENTICATE ****");
    QTest::newRow("AUTHENTICATE PLAIN")
        << QByteArray("AUTHENTICATE PLAIN") << QByteArray("AUTHENTICATE PLAIN");
    QTest::newRow("AUTHENTICATE +") << QByteArray("AUTHENTICATE +") << QByteArray("AUTHENTICATE +");
    QTest::newRow("AUTHENTICATE abort")
        << QByteArray("AUTHENTICATE *") << QByteArray("AUTHENTICATE *");
    QTest::newRow("REGISTER") << QByteArray("REGISTER alice * :two words")
                              << QByteArray("REGISTER alice * ****");
    QTest::newRow("lower case") << QByteArray("pass sesame") << QByteArray("PASS ****");
    QTest::newRow("tagged") << QByteArray("@label=x REGISTER alice * pw")
                            << QByteArray("REGISTER alice * ****");
    QTest::newRow("chat") << QByteArray("PRIVMSG #a :PASS sesame")
                          << QByteArray("PRIVMSG #a :PASS sesame");
    QTest::newRow("no parameter") << QByteArray("PASS") << QByteArray("PASS");
}

void tst_Sasl::secretsAreHidden()
{
    QFETCH(QByteArray, line);
    QFETCH(QByteArray, shown);
    QCOMPARE(Client::withoutSecrets(line), shown);
}

QTEST_GUILESS_MAIN(tst_Sasl)
#include "tst_sasl.moc"
