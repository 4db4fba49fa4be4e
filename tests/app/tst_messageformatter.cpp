// Chat lines become HTML that shows network text as text, never as markup.
#include "app/messageformatter.h"
#include "clientlib/chatmessage.h"

#include <QTest>
#include <QTextBlock>
#include <QTextDocument>

class TestMessageFormatter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void networkTextIsNeverMarkup_data();
    void networkTextIsNeverMarkup();
    void onlyWebUrlsBecomeLinks_data();
    void onlyWebUrlsBecomeLinks();
    void nickColoursAreStable();
    void actionsAndNoticesAreMarked();
    void mentionsAreHighlightedOutsideLinks();
};

void TestMessageFormatter::networkTextIsNeverMarkup_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("bold tag") << QStringLiteral("<b>bold</b>");
    QTest::newRow("image") << QStringLiteral("<img src=\"file:///etc/passwd\">");
    QTest::newRow("link tag") << QStringLiteral("<a href=\"http://evil\">click</a>");
    QTest::newRow("entities") << QStringLiteral("&lt;not a tag&gt; &amp;");
    QTest::newRow("chinese") << QStringLiteral("你好 <i>世界</i>");
}

void TestMessageFormatter::networkTextIsNeverMarkup()
{
    QFETCH(QString, text);
    Client::ChatMessage message;
    message.from = QStringLiteral("<script>");
    message.text = text;
    message.timestamp = QDateTime::currentDateTime();
    QTextDocument document;
    document.setHtml(App::MessageFormatter::messageHtml(message));
    const QString shown = document.toPlainText();
    QVERIFY2(shown.contains(text), qPrintable(shown)); // the literal text is what one sees
    QVERIFY(shown.contains(QStringLiteral("<script>")));
}

void TestMessageFormatter::onlyWebUrlsBecomeLinks_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("href"); // empty: no link
    QTest::newRow("https") << QStringLiteral("see https://qt.io/x?a=1&b=2 now")
                           << QStringLiteral("https://qt.io/x?a=1&b=2");
    QTest::newRow("http") << QStringLiteral("http://example.org")
                          << QStringLiteral("http://example.org");
    QTest::newRow("javascript") << QStringLiteral("javascript:alert(1)") << QString();
    QTest::newRow("file") << QStringLiteral("file:///etc/passwd") << QString();
    QTest::newRow("quote breaks out")
        << QStringLiteral("http://x\"onclick=\"y") << QStringLiteral("http://x");
}

void TestMessageFormatter::onlyWebUrlsBecomeLinks()
{
    QFETCH(QString, text);
    QFETCH(QString, href);
    QTextDocument document;
    document.setHtml(App::MessageFormatter::linkified(text));
    QStringList anchors;
    for (QTextBlock block = document.begin(); block.isValid(); block = block.next()) {
        for (auto it = block.begin(); !it.atEnd(); ++it) {
            if (it.fragment().charFormat().isAnchor())
                anchors.append(it.fragment().charFormat().anchorHref());
        }
    }
    QCOMPARE(document.toPlainText(), text);
    QCOMPARE(anchors, href.isEmpty() ? QStringList() : QStringList {href});
}

void TestMessageFormatter::nickColoursAreStable()
{
    // Fixed values: a colour must not change between runs or machines.
    QCOMPARE(App::MessageFormatter::nickColor(QStringLiteral("alice")),
             App::MessageFormatter::nickColor(QStringLiteral("ALICE")));
    QSet<QRgb> colours;
    for (const char *nick : {"alice", "bob", "carol", "dave", "erin", "frank", "小明"})
        colours.insert(App::MessageFormatter::nickColor(QString::fromUtf8(nick)).rgb());
    QVERIFY(colours.size() >= 4); // different people look different
}

void TestMessageFormatter::actionsAndNoticesAreMarked()
{
    Client::ChatMessage message;
    message.from = QStringLiteral("bob");
    message.text = QStringLiteral("waves");
    message.timestamp = QDateTime::currentDateTime();
    message.action = true;
    QTextDocument document;
    document.setHtml(App::MessageFormatter::messageHtml(message));
    QVERIFY(document.toPlainText().endsWith(QStringLiteral("* bob waves")));
    message.action = false;
    message.notice = true;
    document.setHtml(App::MessageFormatter::messageHtml(message));
    QVERIFY(document.toPlainText().endsWith(QStringLiteral("-bob- waves")));
}

void TestMessageFormatter::mentionsAreHighlightedOutsideLinks()
{
    const QString text = QStringLiteral("<b>alice</b>: see https://x.org/alice");
    const QList<App::Mentions::Span> spans
        = App::Mentions::find(text, QStringLiteral("alice"), Irc::CaseMapping::Rfc1459);
    QCOMPARE(spans.size(), 2);
    QTextDocument document;
    document.setHtml(App::MessageFormatter::linkified(text, spans));
    QCOMPARE(document.toPlainText(), text);
    QStringList bold;
    for (auto it = document.begin().begin(); !it.atEnd(); ++it) {
        if (it.fragment().charFormat().fontWeight() == QFont::Bold)
            bold.append(it.fragment().text());
    }
    // The one in the text, not the one in the URL (which stays a working link).
    QCOMPARE(bold, QStringList {QStringLiteral("alice")});
}

QTEST_MAIN(TestMessageFormatter)
#include "tst_messageformatter.moc"
