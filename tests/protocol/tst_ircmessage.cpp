#include "protocol/ircmessage.h"
#include "protocol/textsplit.h"

#include <QTest>

using ByteArrays = QList<QByteArray>;
Q_DECLARE_METATYPE(Irc::IrcMessage)

class TestIrcMessage : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parse_data();
    void parse();
    void parseRejectsLinesWithoutCommand_data();
    void parseRejectsLinesWithoutCommand();
    void serialise_data();
    void serialise();
    void roundTrip_data();
    void roundTrip();
    void serialiseCutsToLineLimitOnUtf8Boundary();
    void nickOfSource_data();
    void nickOfSource();
    void splitText_data();
    void splitText();
};

void TestIrcMessage::parse_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QByteArray>("source");
    QTest::addColumn<QByteArray>("command");
    QTest::addColumn<ByteArrays>("params");

    QTest::newRow("bare command") << QByteArray("QUIT") << QByteArray() << QByteArray("QUIT")
                                  << ByteArrays {};
    QTest::newRow("lower-case command")
        << QByteArray("nick bob") << QByteArray() << QByteArray("NICK") << ByteArrays {"bob"};
    QTest::newRow("trailing with spaces")
        << QByteArray("PRIVMSG #a :hello there  world") << QByteArray() << QByteArray("PRIVMSG")
        << ByteArrays {"#a", "hello there  world"};
    QTest::newRow("source") << QByteArray(":n!u@h JOIN #a") << QByteArray("n!u@h")
                            << QByteArray("JOIN") << ByteArrays {"#a"};
    QTest::newRow("numeric") << QByteArray(":srv 001 bob :Welcome") << QByteArray("srv")
                             << QByteArray("001") << ByteArrays {"bob", "Welcome"};
    QTest::newRow("runs of spaces")
        << QByteArray("  USER   u  0 *   :Real Name") << QByteArray() << QByteArray("USER")
        << ByteArrays {"u", "0", "*", "Real Name"};
    QTest::newRow("empty trailing")
        << QByteArray("TOPIC #a :") << QByteArray() << QByteArray("TOPIC") << ByteArrays {"#a", ""};
    QTest::newRow("trailing colon kept") << QByteArray("PRIVMSG #a ::-)") << QByteArray()
                                         << QByteArray("PRIVMSG") << ByteArrays {"#a", ":-)"};
    QTest::newRow("CAP LS 302") << QByteArray("CAP LS 302") << QByteArray() << QByteArray("CAP")
                                << ByteArrays {"LS", "302"};
    QTest::newRow("irssi dummy join")
        << QByteArray("JOIN :") << QByteArray() << QByteArray("JOIN") << ByteArrays {""};
    QTest::newRow("tags ignored") << QByteArray("@time=x :s PING :t") << QByteArray("s")
                                  << QByteArray("PING") << ByteArrays {"t"};
    QTest::newRow("trailing spaces")
        << QByteArray("PING tok   ") << QByteArray() << QByteArray("PING") << ByteArrays {"tok"};
    QTest::newRow("binary body") << QByteArray("PRIVMSG #a :\xff\xfe\x01", 15) << QByteArray()
                                 << QByteArray("PRIVMSG")
                                 << ByteArrays {"#a", QByteArray("\xff\xfe\x01", 3)};
    QTest::newRow("NUL inside") << QByteArray("NICK a\0b", 8) << QByteArray() << QByteArray("NICK")
                                << ByteArrays {QByteArray("a\0b", 3)};
}

void TestIrcMessage::parse()
{
    QFETCH(QByteArray, line);
    QFETCH(QByteArray, source);
    QFETCH(QByteArray, command);
    QFETCH(ByteArrays, params);

    const std::optional<Irc::IrcMessage> message = Irc::IrcMessage::parse(line);
    QVERIFY(message.has_value());
    QCOMPARE(message->source, source);
    QCOMPARE(message->command, command);
    QCOMPARE(message->params, params);
}

void TestIrcMessage::parseRejectsLinesWithoutCommand_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("spaces") << QByteArray("    ");
    QTest::newRow("source only") << QByteArray(":nick!u@h");
    QTest::newRow("source and spaces") << QByteArray(":nick   ");
    QTest::newRow("tags only") << QByteArray("@a=b");
}

void TestIrcMessage::parseRejectsLinesWithoutCommand()
{
    QFETCH(QByteArray, line);
    QVERIFY(!Irc::IrcMessage::parse(line).has_value());
}

void TestIrcMessage::serialise_data()
{
    QTest::addColumn<QByteArray>("source");
    QTest::addColumn<QByteArray>("command");
    QTest::addColumn<ByteArrays>("params");
    QTest::addColumn<QByteArray>("line");

    QTest::newRow("no params") << QByteArray() << QByteArray("QUIT") << ByteArrays {}
                               << QByteArray("QUIT\r\n");
    QTest::newRow("plain last param") << QByteArray("n!u@h") << QByteArray("JOIN")
                                      << ByteArrays {"#a"} << QByteArray(":n!u@h JOIN #a\r\n");
    QTest::newRow("last with space")
        << QByteArray() << QByteArray("PRIVMSG") << ByteArrays {"#a", "hi there"}
        << QByteArray("PRIVMSG #a :hi there\r\n");
    QTest::newRow("empty last") << QByteArray("srv") << QByteArray("CAP")
                                << ByteArrays {"*", "LS", ""} << QByteArray(":srv CAP * LS :\r\n");
    QTest::newRow("last starts with colon")
        << QByteArray() << QByteArray("PRIVMSG") << ByteArrays {"#a", ":)"}
        << QByteArray("PRIVMSG #a ::)\r\n");
}

void TestIrcMessage::serialise()
{
    QFETCH(QByteArray, source);
    QFETCH(QByteArray, command);
    QFETCH(ByteArrays, params);
    QFETCH(QByteArray, line);

    QCOMPARE((Irc::IrcMessage {source, command, params}.toLine()), line);
}

void TestIrcMessage::roundTrip_data()
{
    QTest::addColumn<Irc::IrcMessage>("message");
    QTest::newRow("privmsg") << Irc::IrcMessage {"a!b@c", "PRIVMSG", {"#x", "hello : world"}};
    QTest::newRow("numeric") << Irc::IrcMessage {"srv", "353", {"me", "=", "#x", "@me you"}};
    QTest::newRow("empty last") << Irc::IrcMessage {{}, "TOPIC", {"#x", ""}};
}

void TestIrcMessage::roundTrip()
{
    QFETCH(Irc::IrcMessage, message);
    QByteArray line = message.toLine();
    line.chop(2);
    const std::optional<Irc::IrcMessage> parsed = Irc::IrcMessage::parse(line);
    QVERIFY(parsed.has_value());
    QCOMPARE(*parsed, message);
}

void TestIrcMessage::serialiseCutsToLineLimitOnUtf8Boundary()
{
    const QByteArray text = QString(300, QChar(0x4E2D)).toUtf8(); // 900 bytes of 中
    const QByteArray line = Irc::makeLine("nick!user@host", "PRIVMSG", {"#lobby", text});
    QVERIFY(line.size() <= Irc::IrcMessage::MaxLineBytes);
    QVERIFY(line.endsWith("\r\n"));
    const QByteArray body = Irc::IrcMessage::parse(line.chopped(2))->param(1);
    QCOMPARE(QString::fromUtf8(body).toUtf8(), body); // no broken sequence at the cut
    QVERIFY(body.size() > 400);
}

void TestIrcMessage::nickOfSource_data()
{
    QTest::addColumn<QByteArray>("source");
    QTest::addColumn<QByteArray>("nick");
    QTest::newRow("full") << QByteArray("bob!u@h") << QByteArray("bob");
    QTest::newRow("server") << QByteArray("irc.example") << QByteArray("irc.example");
    QTest::newRow("empty") << QByteArray() << QByteArray();
}

void TestIrcMessage::nickOfSource()
{
    QFETCH(QByteArray, source);
    QFETCH(QByteArray, nick);
    QCOMPARE(Irc::nickOf(source).toByteArray(), nick);
}

void TestIrcMessage::splitText_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<int>("maxBytes");
    QTest::addColumn<ByteArrays>("pieces");
    QTest::newRow("fits") << QByteArray("hello") << 10 << ByteArrays {"hello"};
    QTest::newRow("at space") << QByteArray("hello world again") << 12
                              << ByteArrays {"hello world", "again"};
    QTest::newRow("no space") << QByteArray("abcdefghij") << 4 << ByteArrays {"abcd", "efgh", "ij"};
    QTest::newRow("utf8 boundary") << QString(3, QChar(0x4E2D)).toUtf8() << 4
                                   << ByteArrays {"\xe4\xb8\xad", "\xe4\xb8\xad", "\xe4\xb8\xad"};
    QTest::newRow("empty") << QByteArray() << 4 << ByteArrays {};
}

void TestIrcMessage::splitText()
{
    QFETCH(QByteArray, text);
    QFETCH(int, maxBytes);
    QFETCH(ByteArrays, pieces);
    QCOMPARE(Irc::splitText(text, maxBytes), pieces);
}

QTEST_GUILESS_MAIN(TestIrcMessage)
#include "tst_ircmessage.moc"
