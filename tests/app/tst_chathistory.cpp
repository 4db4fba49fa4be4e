// A channel's history in the client window, as a person sees it: the app's own server keeps
// what an outside client said (a real SQLite file in a temporary folder); a client window that
// joins later shows it above a divider, without counting it as unread, and scrolling to the top
// brings the older lines, each once, until there are no more. Private lines between two
// accounts: an incoming one opens the conversation, which shows what the server kept once; after
// a reconnect the conversation is offered in the background and shows its lines when opened.
#include "app/appsettings.h"
#include "app/chatwidget.h"
#include "app/clientwindow.h"
#include "app/conversationview.h"
#include "app/mainwindow.h"
#include "clientlib/chatclient.h"
#include "tests/support/freeport.h"
#include "tests/support/rawclient.h"

#include <QMenu>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>

#include <algorithm>
#include <memory>

namespace {

constexpr int Timeout = 10000;
const QByteArray Password = "correct horse";
const QString Divider = QStringLiteral("Earlier, from the history");

// Each of `lines` is in `transcript` once, in this order.
bool showsOnceInOrder(const QString &transcript, const QStringList &lines)
{
    qsizetype previous = -1;
    for (const QString &line : lines) {
        const qsizetype at = transcript.indexOf(line);
        if (at <= previous || transcript.count(line) != 1)
            return false;
        previous = at;
    }
    return true;
}

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
    void anIncomingPrivateLineOpensTheConversationWithItsHistoryOnce();
    void aRecentConversationIsOfferedInTheBackground();

private:
    // A client window logged in to the account of its nick.
    App::ClientWindow *loggedInWindow();
    // bob, logged in to his account, says `lines` to `nick`.
    bool sayPrivatelyAsBob(RawClient &bob, const QString &nick, const QList<QByteArray> &lines);
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
    QVERIFY2(showsOnceInOrder(view->transcript(),
                              {QStringLiteral("first words"), QStringLiteral("second words"),
                               QStringLiteral("third words"), Divider,
                               QStringLiteral("You joined #past")}),
             qPrintable(view->transcript()));
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

namespace {

// As its tab's Close does.
void closeConversation(App::ChatWidget *chat, const QString &name)
{
    std::unique_ptr<QMenu> menu(chat->tabMenu(chat->tabs()->indexOf(chat->conversation(name))));
    menu->findChild<QAction *>(QStringLiteral("close"))->trigger();
}

// historyReceived() answers for `target`: a client window's channels have theirs too.
qsizetype answersFor(const QSignalSpy &history, const QString &target)
{
    return std::count_if(history.cbegin(), history.cend(), [&](const QList<QVariant> &answer) {
        return answer.first().toString() == target;
    });
}

} // namespace

App::ClientWindow *TestChatHistory::loggedInWindow()
{
    App::ClientWindow *window = m_window->openClientWindow();
    Client::ChatClient *client = window->client();
    if (!QTest::qWaitFor([&] { return client->isRegistered(); }, Timeout))
        return nullptr;
    client->registerAccount(QString::fromUtf8(Password));
    if (!QTest::qWaitFor([&] { return !client->account().isEmpty(); }, Timeout))
        return nullptr;
    return window;
}

bool TestChatHistory::sayPrivatelyAsBob(RawClient &bob, const QString &nick,
                                        const QList<QByteArray> &lines)
{
    if (!bob.isConnected()) {
        if (!bob.connectTo(m_window->server()->serverPort()) || !bob.registerAs("bob"))
            return false;
        bob.send("REGISTER * * :" + Password);
        if (!bob.expectMatch([](const Irc::IrcMessage &m) {
                return m.command == "REGISTER" && m.param(0) == "SUCCESS";
            }))
            return false;
    }
    for (const QByteArray &line : lines)
        bob.send("PRIVMSG " + nick.toUtf8() + " :" + line);
    bob.send("PING :done"); // answered once the lines are relayed, and handed to the store
    return bool(bob.expect("PONG"));
}

// The first line opens the conversation, which asks for its history while the others arrive;
// the history has some or all of them too, and each is shown once, in order.
void TestChatHistory::anIncomingPrivateLineOpensTheConversationWithItsHistoryOnce()
{
    App::ClientWindow *window = loggedInWindow();
    QVERIFY(window);
    QSignalSpy history(window->client(), &Client::ChatClient::historyReceived);
    RawClient bob;
    QVERIFY(sayPrivatelyAsBob(bob, window->client()->nick(), {"pm one", "pm two", "pm three"}));
    QTRY_COMPARE_WITH_TIMEOUT(answersFor(history, QStringLiteral("bob")), 1, Timeout);
    App::ConversationView *view = window->chat()->conversation(QStringLiteral("bob"));
    QVERIFY(view);
    QTRY_VERIFY_WITH_TIMEOUT(view->transcript().contains(QStringLiteral("pm three")), Timeout);
    const QStringList pms {QStringLiteral("pm one"), QStringLiteral("pm two"),
                           QStringLiteral("pm three")};
    QVERIFY2(showsOnceInOrder(view->transcript(), pms), qPrintable(view->transcript()));

    // Closed, then opened again with /query: the new tab asks for the lines once more.
    closeConversation(window->chat(), QStringLiteral("bob"));
    window->chat()->submit(QStringLiteral("/query bob"));
    view = window->chat()->conversation(QStringLiteral("bob"));
    QVERIFY(view);
    QCOMPARE(window->chat()->currentConversation(), view);
    QTRY_COMPARE_WITH_TIMEOUT(answersFor(history, QStringLiteral("bob")), 2, Timeout);
    QTRY_VERIFY_WITH_TIMEOUT(view->transcript().contains(QStringLiteral("pm three")), Timeout);
    QVERIFY2(showsOnceInOrder(view->transcript(), pms), qPrintable(view->transcript()));
}

void TestChatHistory::aRecentConversationIsOfferedInTheBackground()
{
    App::ClientWindow *window = loggedInWindow();
    QVERIFY(window);
    App::ChatWidget *chat = window->chat();
    Client::ChatClient *client = window->client();
    RawClient bob;
    QVERIFY(sayPrivatelyAsBob(bob, client->nick(), {"said yesterday", "said last night"}));
    QTRY_VERIFY_WITH_TIMEOUT(chat->conversation(QStringLiteral("bob")), Timeout);
    closeConversation(chat, QStringLiteral("bob"));

    // Back the next day: the conversation is there, not current, nothing unread, no fanfare.
    const Client::ClientSettings settings = client->settings();
    client->disconnectFromServer();
    QTRY_VERIFY_WITH_TIMEOUT(client->state() == Client::ChatClient::State::Disconnected, Timeout);
    QSignalSpy offered(client, &Client::ChatClient::recentConversationsReceived);
    QSignalSpy notified(chat, &App::ChatWidget::notificationRequested);
    QSignalSpy history(client, &Client::ChatClient::historyReceived);
    client->connectToServer(settings);
    QVERIFY(offered.wait(Timeout));
    App::ConversationView *view = chat->conversation(QStringLiteral("bob"));
    QVERIFY(view);
    QVERIFY(chat->currentConversation() != view);
    QCOMPARE(view->unreadCount(), 0);
    QCOMPARE(chat->unreadCount(), 0);
    QVERIFY(notified.isEmpty());
    QVERIFY(!chat->tabs()->tabToolTip(chat->tabs()->indexOf(view)).isEmpty());
    const auto bobsHistory = [&history] {
        return answersFor(history, QStringLiteral("bob"));
    };
    QCOMPARE(bobsHistory(), 0); // nothing fetched for a conversation not opened

    chat->tabs()->setCurrentWidget(view);
    QTRY_COMPARE_WITH_TIMEOUT(bobsHistory(), 1, Timeout);
    QTRY_VERIFY_WITH_TIMEOUT(view->transcript().contains(QStringLiteral("said last night")),
                             Timeout);
    QVERIFY(sayPrivatelyAsBob(bob, client->nick(), {"said today"}));
    QTRY_VERIFY_WITH_TIMEOUT(view->transcript().contains(QStringLiteral("said today")), Timeout);
    QVERIFY2(showsOnceInOrder(view->transcript(),
                              {QStringLiteral("said yesterday"), QStringLiteral("said last night"),
                               Divider, QStringLiteral("said today")}),
             qPrintable(view->transcript()));
    QCOMPARE(bobsHistory(), 1); // once per connection
}

QTEST_MAIN(TestChatHistory)
#include "tst_chathistory.moc"
