// A channel's history in the client window, as a person sees it: the app's own server keeps
// what an outside client said (a real SQLite file in a temporary folder); a client window that
// joins later shows it above a divider, without counting it as unread, and scrolling to the top
// brings the older lines, each once, until there are no more.
#include "app/appsettings.h"
#include "app/chatwidget.h"
#include "app/clientwindow.h"
#include "app/conversationview.h"
#include "app/mainwindow.h"
#include "clientlib/chatclient.h"
#include "tests/support/freeport.h"
#include "tests/support/rawclient.h"

#include <QScrollBar>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>

#include <memory>

namespace {

constexpr int Timeout = 10000;

} // namespace

class TestChatHistory : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void joiningShowsWhatWasSaidAboveADivider();
    void scrollingToTheTopBringsOlderLinesUntilNoneAreLeft();

private:
    // An outside client says `lines` in `channel` and leaves once the server has them all.
    bool sayAsOutsider(const QByteArray &channel, const QList<QByteArray> &lines);
    App::ConversationView *joinFromAWindow(const QString &channel);

    QTemporaryDir m_dir;
    std::unique_ptr<QTemporaryDir> m_data;
    std::unique_ptr<App::MainWindow> m_window;
};

void TestChatHistory::initTestCase()
{
    QVERIFY(m_dir.isValid());
    App::AppSettings::setFileName(m_dir.filePath(QStringLiteral("qtchat.ini")));
    App::AppSettings::instance()->setLanguage(QStringLiteral("en"));
}

void TestChatHistory::init()
{
    m_data = std::make_unique<QTemporaryDir>();
    QVERIFY(m_data->isValid());
    App::AppSettings::instance()->setDataDir(m_data->path()); // a new, empty history
    App::AppSettings::instance()->setPort(freeLoopbackPort());
    App::AppSettings::instance()->setLiftLimits(true); // the outsider says 120 lines at once
    m_window = std::make_unique<App::MainWindow>(QStringLiteral("tester"));
    m_window->show();
    m_window->startServer();
    QTRY_VERIFY_WITH_TIMEOUT(m_window->server()->isRunning(), Timeout);
}

void TestChatHistory::cleanup()
{
    m_window.reset();
    m_data.reset();
}

bool TestChatHistory::sayAsOutsider(const QByteArray &channel, const QList<QByteArray> &lines)
{
    RawClient bob;
    if (!bob.connectTo(m_window->server()->serverPort()) || !bob.registerAs("bob"))
        return false;
    bob.send("JOIN " + channel);
    for (const QByteArray &line : lines)
        bob.send("PRIVMSG " + channel + " :" + line);
    // PING's answer comes after every line before it has been relayed, and so handed to the
    // storage thread, which answers queries only after writing what was handed to it before.
    bob.send("PING :done");
    return bool(bob.expect("PONG"));
}

App::ConversationView *TestChatHistory::joinFromAWindow(const QString &channel)
{
    App::ClientWindow *window = m_window->openClientWindow();
    if (!QTest::qWaitFor([&] { return window->client()->isRegistered(); }, Timeout))
        return nullptr;
    window->chat()->submit(QStringLiteral("/join ") + channel);
    if (!QTest::qWaitFor([&] { return window->chat()->conversation(channel); }, Timeout))
        return nullptr;
    return window->chat()->conversation(channel);
}

void TestChatHistory::joiningShowsWhatWasSaidAboveADivider()
{
    QVERIFY(sayAsOutsider("#past", {"first words", "second words", "third words"}));
    App::ConversationView *view = joinFromAWindow(QStringLiteral("#past"));
    QVERIFY(view);
    QTRY_VERIFY_WITH_TIMEOUT(view->transcript().contains(QStringLiteral("third words")), Timeout);
    const QString transcript = view->transcript();
    const qsizetype first = transcript.indexOf(QStringLiteral("first words"));
    const qsizetype third = transcript.indexOf(QStringLiteral("third words"));
    const qsizetype divider = transcript.indexOf(QStringLiteral("Earlier, from the history"));
    const qsizetype joined = transcript.indexOf(QStringLiteral("You joined #past"));
    QVERIFY2(first >= 0 && first < third && third < divider && divider < joined,
             qPrintable(transcript));
    QCOMPARE(transcript.count(QStringLiteral("second words")), 1);
    QCOMPARE(view->unreadCount(), 0);
    QVERIFY(!view->hasUnreadMention());
}

void TestChatHistory::scrollingToTheTopBringsOlderLinesUntilNoneAreLeft()
{
    QList<QByteArray> lines;
    for (int i = 0; i < 120; ++i)
        lines.append("numbered line " + QByteArray::number(i) + ".");
    QVERIFY(sayAsOutsider("#long", lines));
    App::ConversationView *view = joinFromAWindow(QStringLiteral("#long"));
    QVERIFY(view);
    // The latest page: the last 50 lines.
    QTRY_VERIFY_WITH_TIMEOUT(view->transcript().contains(QStringLiteral("numbered line 119.")),
                             Timeout);
    QVERIFY(view->transcript().contains(QStringLiteral("numbered line 70.")));
    QVERIFY(!view->transcript().contains(QStringLiteral("numbered line 69.")));

    QScrollBar *scrollBar = view->findChild<QTextBrowser *>()->verticalScrollBar();
    for (int page = 0; page < 4; ++page) {
        QTRY_VERIFY_WITH_TIMEOUT(!view->isWaitingForHistory(), Timeout);
        scrollBar->setValue(scrollBar->maximum()); // away from the top, then back to it
        scrollBar->setValue(scrollBar->minimum());
    }
    QTRY_VERIFY_WITH_TIMEOUT(view->transcript().contains(QStringLiteral("numbered line 0.")),
                             Timeout);
    const QString transcript = view->transcript();
    for (int i = 0; i < 120; ++i) {
        const QString line = QStringLiteral("numbered line %1.").arg(i);
        QVERIFY2(transcript.count(line) == 1, qPrintable(line));
    }
    QVERIFY(transcript.indexOf(QStringLiteral("numbered line 0."))
            < transcript.indexOf(QStringLiteral("numbered line 119.")));
}

QTEST_MAIN(TestChatHistory)
#include "tst_chathistory.moc"
