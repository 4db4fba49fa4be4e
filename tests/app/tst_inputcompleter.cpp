// Tab completion as irssi and HexChat do it: "nick: " at the start of a line, "nick "
// elsewhere, channels and commands, and repeated Tabs cycling through the matches.
#include "app/inputcompleter.h"

#include <QTest>

class TestInputCompleter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void completes_data();
    void completes();
    void repeatedTabsCycle();
    void editingStartsAfresh();

private:
    static App::InputCompleter::Candidates candidates();
};

App::InputCompleter::Candidates TestInputCompleter::candidates()
{
    App::InputCompleter::Candidates candidates;
    candidates.nicks = {QStringLiteral("bob"), QStringLiteral("Bert"), QStringLiteral("alice"),
                        QStringLiteral("[away]")};
    candidates.channels = {QStringLiteral("#lobby"), QStringLiteral("#load")};
    candidates.commands = {QStringLiteral("/join"), QStringLiteral("/part")};
    return candidates;
}

void TestInputCompleter::completes_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("cursor");
    QTest::addColumn<QString>("completed");
    QTest::addColumn<int>("cursorAfter");
    QTest::newRow("nick at line start") << "al" << 2 << "alice: " << 7;
    QTest::newRow("nick mid-line") << "hi al" << 5 << "hi alice " << 9;
    QTest::newRow("case folded") << "AL" << 2 << "alice: " << 7;
    QTest::newRow("rfc1459 folding") << "{aw" << 3 << "[away]: " << 8;
    QTest::newRow("before more text") << "al thanks" << 2 << "alice: thanks" << 6;
    QTest::newRow("channel") << "see #lob" << 8 << "see #lobby " << 11;
    QTest::newRow("command") << "/jo" << 3 << "/join " << 6;
    QTest::newRow("command mid-line is no command") << "say /jo" << 7 << "say /jo" << 7;
    QTest::newRow("no match") << "zed" << 3 << "zed" << 3;
    QTest::newRow("empty word") << "hi " << 3 << "hi " << 3;
}

void TestInputCompleter::completes()
{
    QFETCH(QString, text);
    QFETCH(int, cursor);
    QFETCH(QString, completed);
    QFETCH(int, cursorAfter);
    const QString before = text;
    App::InputCompleter completer;
    QCOMPARE(completer.complete(text, cursor, candidates()), completed != before);
    QCOMPARE(text, completed);
    QCOMPARE(cursor, cursorAfter);
}

void TestInputCompleter::repeatedTabsCycle()
{
    App::InputCompleter completer;
    QString text = QStringLiteral("b");
    int cursor = 1;
    QVERIFY(completer.complete(text, cursor, candidates()));
    QCOMPARE(text, QStringLiteral("Bert: ")); // sorted as the server compares names
    QVERIFY(completer.complete(text, cursor, candidates()));
    QCOMPARE(text, QStringLiteral("bob: "));
    QVERIFY(completer.complete(text, cursor, candidates()));
    QCOMPARE(text, QStringLiteral("Bert: "));
    QCOMPARE(cursor, 6);
}

void TestInputCompleter::editingStartsAfresh()
{
    App::InputCompleter completer;
    QString text = QStringLiteral("#lo");
    int cursor = 3;
    QVERIFY(completer.complete(text, cursor, candidates()));
    QCOMPARE(text, QStringLiteral("#load "));
    text += QStringLiteral("and b");
    cursor = int(text.size());
    QVERIFY(completer.complete(text, cursor, candidates()));
    QCOMPARE(text, QStringLiteral("#load and Bert "));
}

QTEST_MAIN(TestInputCompleter)
#include "tst_inputcompleter.moc"
