// What the chat input line does with what people type.
#include "app/inputcommand.h"

#include <QTest>

Q_DECLARE_METATYPE(App::InputCommand::Kind)

class TestInputCommand : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parse_data();
    void parse();
};

void TestInputCommand::parse_data()
{
    using Kind = App::InputCommand::Kind;
    QTest::addColumn<QString>("line");
    QTest::addColumn<QString>("conversation");
    QTest::addColumn<Kind>("kind");
    QTest::addColumn<QString>("target");
    QTest::addColumn<QString>("text");

    const QString lobby = QStringLiteral("#lobby");
    QTest::newRow("plain text") << "hello all" << lobby << Kind::Message << lobby << "hello all";
    QTest::newRow("chinese") << "你好" << lobby << Kind::Message << lobby << "你好";
    QTest::newRow("double slash") << "//etc/passwd is a path" << lobby << Kind::Message << lobby
                                  << "/etc/passwd is a path";
    QTest::newRow("empty") << "   " << lobby << Kind::None << QString() << QString();
    QTest::newRow("me") << "/me waves" << lobby << Kind::Action << lobby << "waves";
    QTest::newRow("join") << "/join #qt" << lobby << Kind::Join << "#qt" << QString();
    QTest::newRow("join adds hash") << "/j qt" << lobby << Kind::Join << "#qt" << QString();
    QTest::newRow("part current") << "/part bye now" << lobby << Kind::Part << lobby << "bye now";
    QTest::newRow("part named") << "/PART #qt later" << lobby << Kind::Part << "#qt"
                                << "later";
    QTest::newRow("nick") << "/nick 小明" << lobby << Kind::Nick << "小明" << QString();
    QTest::newRow("msg") << "/msg bob hi there" << lobby << Kind::PrivateMessage << "bob"
                         << "hi there";
    QTest::newRow("topic set") << "/topic Qt threads" << lobby << Kind::Topic << lobby
                               << "Qt threads";
    QTest::newRow("topic query") << "/topic" << lobby << Kind::Topic << lobby << QString();
    QTest::newRow("whois") << "/whois  bob " << lobby << Kind::Whois << "bob" << QString();
    QTest::newRow("whois without nick")
        << "/whois" << lobby << Kind::Error << QString() << QString();
    QTest::newRow("list") << "/list" << QString() << Kind::List << QString() << QString();
    QTest::newRow("list filtered") << "/list qt " << lobby << Kind::List << QString() << "qt";
    QTest::newRow("away") << "/away  at lunch " << lobby << Kind::Away << QString() << "at lunch";
    QTest::newRow("away without text is back")
        << "/away" << lobby << Kind::Away << QString() << QString();
    QTest::newRow("back") << "/BACK" << QString() << Kind::Away << QString() << QString();
    QTest::newRow("quote") << "/quote LIST" << lobby << Kind::Raw << QString() << "LIST";
    QTest::newRow("text in status tab")
        << "hello" << QString() << Kind::Error << QString() << QString();
    QTest::newRow("part outside channel") << "/part"
                                          << "bob" << Kind::Error << QString() << QString();
    QTest::newRow("msg without text")
        << "/msg bob" << lobby << Kind::Error << QString() << QString();
    QTest::newRow("query opens") << "/query bob" << lobby << Kind::PrivateMessage << "bob"
                                 << QString();
    QTest::newRow("query without nick")
        << "/query" << lobby << Kind::Error << QString() << QString();
    QTest::newRow("nick without name") << "/nick" << lobby << Kind::Error << QString() << QString();
    QTest::newRow("unknown") << "/frobnicate" << lobby << Kind::Error << QString() << QString();
}

void TestInputCommand::parse()
{
    QFETCH(QString, line);
    QFETCH(QString, conversation);
    QFETCH(App::InputCommand::Kind, kind);
    QFETCH(QString, target);
    QFETCH(QString, text);

    const App::InputCommand command = App::InputCommand::parse(line, conversation);
    QCOMPARE(command.kind, kind);
    QCOMPARE(command.error.isEmpty(), kind != App::InputCommand::Kind::Error);
    if (kind == App::InputCommand::Kind::Error || kind == App::InputCommand::Kind::None)
        return;
    QCOMPARE(command.target, target);
    QCOMPARE(command.text, text);
}

QTEST_GUILESS_MAIN(TestInputCommand)
#include "tst_inputcommand.moc"
