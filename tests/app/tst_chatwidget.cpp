// The chat widget as a person uses it, against a real QtChat server, a ChatClient and raw IRC
// users, in offscreen widgets: the member list is a view on the client's ChannelModel (not a
// copy) that follows it row by row; tabs count unread lines and mentions; notifications,
// completion, history, pasting and the nick list's menu do what the user asked.
#include "app/appsettings.h"
#include "app/channellistdialog.h"
#include "app/channelsettingsdialog.h"
#include "app/chatinput.h"
#include "app/chatwidget.h"
#include "app/messageformatter.h"
#include "clientlib/channelmodel.h"
#include "clientlib/chatclient.h"
#include "protocol/numerics.h"
#include "serverlib/chatserver.h"
#include "serverlib/passwordhash.h"
#include "tests/support/rawclient.h"
#include "tests/support/serversignals.h"

#include <QAbstractButton>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QHeaderView>
#include <QInputMethodEvent>
#include <QLabel>
#include <QListView>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTabBar>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QTreeView>
#include <QTreeWidget>

#include <memory>

namespace Numeric = Irc::Numeric;

namespace {

constexpr int WaitMs = 5000;
const QString Room = QStringLiteral("#room");
const QByteArray OperatorName = "admin";
const QByteArray OperatorPassword = "admin-secret";

} // namespace

class TestChatWidget : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void memberListIsAViewOfTheModel();
    void joinsAndPartsAreSingleRows();
    void disconnectEmptiesTheListAndRejoinFillsIt();
    void activatingAMemberOpensAConversation();
    void doubleClickingANickOpensAConversation();
    void aPrivateMessageOpensItsTabAsUnread();
    void unreadCountAndMentionFollowTheLinesUntilTheTabIsShown();
    void notificationsOnlyInTheBackgroundAndNotFromMutedChannels();
    void missingMotdIsInformationNotAnError();
    void tabCompletesNicksChannelsAndCommands();
    void upAndDownWalkThroughTheHistory();
    void pastingManyLinesAsksFirst();
    void operatorActionsChangeWhatTheServerReports();
    void operatorActionsOnlyForOperators();
    void awayMembersAreGreyed();
    void awayAndBackChangeWhatTheServerReports();
    void whoisShowsTheServersAnswerFormatted();
    void channelListFiltersSortsAndJoins();
    void listCommandOpensTheListFiltered();
    void channelSettingsSendOnlyWhatChangedAndFollowTheServer();
    void channelSettingsBanListAddsAndRemoves();
    void channelSettingsReadOnlyForNonOperators();

private:
    Client::ClientSettings settings() const;
    QListView *memberList() const;
    std::unique_ptr<RawClient> rawUser(const QByteArray &nick, const QString &channel = Room);
    App::ChannelSettingsDialog *settingsFromTabMenu(const QString &channel);
    void activate(QWidget *window);
    void clickTab(const QString &name);
    void typeInto(const QString &text);
    void typeCommand(const QString &line);
    void answerNextMessageBox(QMessageBox::StandardButton button);

    QTemporaryDir m_dir;
    QByteArray m_operatorHash; // made once: hashing takes a while on purpose
    Server::ChatServer m_server;
    std::unique_ptr<Client::ChatClient> m_client;
    std::unique_ptr<App::ChatWidget> m_widget;
};

void TestChatWidget::initTestCase()
{
    QVERIFY(m_dir.isValid());
    App::AppSettings::setFileName(m_dir.filePath(QStringLiteral("qtchat.ini")));
    m_operatorHash = Server::PasswordHash::make(OperatorPassword);
    QVERIFY(!m_operatorHash.isEmpty());
}

void TestChatWidget::init()
{
    App::AppSettings::instance()->restoreDefaults();
    Server::ServerConfig config;
    config.port = 0;
    config.operators = {{OperatorName, m_operatorHash}};
    QVERIFY(m_server.start(config));
    m_client = std::make_unique<Client::ChatClient>();
    m_widget = std::make_unique<App::ChatWidget>(m_client.get());
    m_widget->show();
    activate(m_widget.get());
    m_client->connectToServer(settings());
    QTRY_VERIFY_WITH_TIMEOUT(m_client->channel(Room).hasMember(QStringLiteral("me")), WaitMs);
}

void TestChatWidget::cleanup()
{
    m_widget.reset();
    m_client.reset();
    QVERIFY(stopAndWait(m_server));
}

Client::ClientSettings TestChatWidget::settings() const
{
    Client::ClientSettings settings;
    settings.port = m_server.serverPort();
    settings.nick = QStringLiteral("me");
    settings.channels = {Room};
    settings.autoReconnect = false;
    settings.sendIntervalMs = 0;
    return settings;
}

QListView *TestChatWidget::memberList() const
{
    App::ConversationView *view = m_widget->conversation(Room);
    return view ? view->memberList() : nullptr;
}

std::unique_ptr<RawClient> TestChatWidget::rawUser(const QByteArray &nick, const QString &channel)
{
    auto raw = std::make_unique<RawClient>();
    if (!raw->connectTo(m_server.serverPort()) || !raw->registerAs(nick))
        return nullptr;
    raw->send("JOIN " + channel.toUtf8());
    return raw->expect(Numeric::EndOfNames) ? std::move(raw) : nullptr;
}

void TestChatWidget::activate(QWidget *window)
{
    window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(window));
}

void TestChatWidget::clickTab(const QString &name)
{
    QTabBar *bar = m_widget->tabs()->tabBar();
    const int index = m_widget->tabs()->indexOf(m_widget->conversation(name));
    QVERIFY(index >= 0);
    QTest::mouseClick(bar, Qt::LeftButton, {}, bar->tabRect(index).center());
    QCOMPARE(m_widget->currentConversation(), m_widget->conversation(name));
}

void TestChatWidget::typeInto(const QString &text)
{
    QTest::keyClicks(m_widget->input(), text);
}

void TestChatWidget::typeCommand(const QString &line)
{
    m_widget->input()->setFocus();
    typeInto(line);
    QTest::keyClick(m_widget->input(), Qt::Key_Return);
}

// A modal box runs its own event loop: answer it from there, as the user would.
void TestChatWidget::answerNextMessageBox(QMessageBox::StandardButton button)
{
    QTimer::singleShot(0, this, [button] {
        auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
        QVERIFY(box);
        QCOMPARE(box->objectName(), QStringLiteral("pasteConfirmation"));
        QTest::mouseClick(box->button(button), Qt::LeftButton);
    });
}

void TestChatWidget::memberListIsAViewOfTheModel()
{
    QListView *list = memberList();
    QVERIFY(list);
    Client::ChannelModel *model = m_client->channelModel();
    QCOMPARE(list->model(), model);
    QCOMPARE(list->rootIndex(), model->channelIndex(Room));
    QCOMPARE(m_widget->conversation(Room)->members(), QStringList {QStringLiteral("@me")});
}

void TestChatWidget::joinsAndPartsAreSingleRows()
{
    QAbstractItemModel *model = memberList()->model();
    QSignalSpy inserted(model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy reset(model, &QAbstractItemModel::modelReset);

    std::unique_ptr<RawClient> bob = rawUser("bob");
    QVERIFY(bob);
    const QStringList both = {QStringLiteral("@me"), QStringLiteral("bob")};
    QTRY_COMPARE(m_widget->conversation(Room)->members(), both);
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(inserted.first().at(0).value<QModelIndex>(), memberList()->rootIndex());

    bob->send("PART " + Room.toUtf8());
    QTRY_COMPARE(m_widget->conversation(Room)->members(), QStringList {QStringLiteral("@me")});
    QCOMPARE(removed.size(), 1);
    QCOMPARE(removed.first().at(1).toInt(), 1);
    QVERIFY(reset.isEmpty());
}

void TestChatWidget::disconnectEmptiesTheListAndRejoinFillsIt()
{
    std::unique_ptr<RawClient> bob = rawUser("bob");
    QVERIFY(bob);
    QTRY_COMPARE(m_widget->conversation(Room)->members().size(), 2);

    m_client->disconnectFromServer();
    QTRY_COMPARE(m_client->state(), Client::ChatClient::State::Disconnected);
    // The tab stays, and its list shows no members -- and not the model's channel list.
    QVERIFY(m_widget->conversation(Room));
    QVERIFY(m_widget->conversation(Room)->members().isEmpty());
    QVERIFY(!memberList()->model());

    m_client->connectToServer(settings());
    const QStringList back
        = {QStringLiteral("bob"), QStringLiteral("me")}; // our operator status left with us
    QTRY_COMPARE_WITH_TIMEOUT(m_widget->conversation(Room)->members(), back, WaitMs);
    QCOMPARE(memberList()->model(), m_client->channelModel());
}

void TestChatWidget::activatingAMemberOpensAConversation()
{
    std::unique_ptr<RawClient> bob = rawUser("bob");
    QVERIFY(bob);
    QTRY_COMPARE(m_widget->conversation(Room)->members().size(), 2);
    QListView *list = memberList();
    const QModelIndex bobRow = list->model()->index(1, 0, list->rootIndex());
    QCOMPARE(bobRow.data(Client::ChannelModel::NameRole).toString(), QStringLiteral("bob"));
    list->setCurrentIndex(bobRow);
    QTest::keyClick(list, Qt::Key_Return);
    QVERIFY(m_widget->conversation(QStringLiteral("bob")));
    QCOMPARE(m_widget->currentConversation(), m_widget->conversation(QStringLiteral("bob")));
}

namespace {

QStringList actionNames(const QMenu *menu)
{
    QStringList names;
    for (const QAction *action : menu->actions()) {
        if (!action->objectName().isEmpty())
            names.append(action->objectName());
    }
    return names;
}

void trigger(QMenu *menu, const char *name)
{
    QAction *action = menu->findChild<QAction *>(QLatin1StringView(name));
    QVERIFY2(action && menu->actions().contains(action), name);
    action->trigger();
}

QStringList texts(const QList<Irc::IrcMessage> &messages)
{
    QStringList lines;
    for (const Irc::IrcMessage &message : messages)
        lines.append(QString::fromUtf8(message.param(1)));
    return lines;
}

} // namespace

void TestChatWidget::doubleClickingANickOpensAConversation()
{
    std::unique_ptr<RawClient> bob = rawUser("bob");
    QVERIFY(bob);
    QTRY_COMPARE(m_widget->conversation(Room)->members().size(), 2);
    QListView *list = memberList();
    const QModelIndex bobRow = list->model()->index(1, 0, list->rootIndex());
    QTRY_VERIFY(!list->visualRect(bobRow).isEmpty()); // laid out
    // A real double-click: press, release, double-click, release (Qt 6.4's mouseDClick sends
    // the third alone).
    const QPoint at = list->visualRect(bobRow).center();
    QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, at);
    QTest::mouseDClick(list->viewport(), Qt::LeftButton, {}, at);
    QTest::mouseRelease(list->viewport(), Qt::LeftButton, {}, at);
    QTRY_VERIFY(m_widget->conversation(QStringLiteral("bob")));
    QCOMPARE(m_widget->currentConversation(), m_widget->conversation(QStringLiteral("bob")));
}

void TestChatWidget::aPrivateMessageOpensItsTabAsUnread()
{
    std::unique_ptr<RawClient> bob = rawUser("bob");
    QVERIFY(bob);
    bob->send(QStringLiteral("PRIVMSG me :你好，在吗？").toUtf8());
    QTRY_VERIFY(m_widget->conversation(QStringLiteral("bob")));
    App::ConversationView *query = m_widget->conversation(QStringLiteral("bob"));
    QTRY_COMPARE(query->unreadCount(), 1);
    QVERIFY(query->hasUnreadMention()); // written to us: as good as a mention
    QCOMPARE(m_widget->currentConversation(), m_widget->conversation(Room)); // not stolen
    const int index = m_widget->tabs()->indexOf(query);
    QCOMPARE(m_widget->tabs()->tabText(index), QStringLiteral("bob (1)"));
    QVERIFY(m_widget->tabs()->tabBar()->tabTextColor(index).isValid());
    QCOMPARE(m_widget->decoratedTitle(QStringLiteral("QtChat")),
             QStringLiteral("(1, mentioned) QtChat"));

    clickTab(QStringLiteral("bob"));
    QCOMPARE(query->unreadCount(), 0);
    QCOMPARE(m_widget->tabs()->tabText(index), QStringLiteral("bob"));
    QVERIFY(!m_widget->tabs()->tabBar()->tabTextColor(index).isValid());
    QCOMPARE(m_widget->decoratedTitle(QStringLiteral("QtChat")), QStringLiteral("QtChat"));
}

void TestChatWidget::unreadCountAndMentionFollowTheLinesUntilTheTabIsShown()
{
    const QString other = QStringLiteral("#other");
    m_client->join(other);
    QTRY_VERIFY(m_widget->conversation(other));
    std::unique_ptr<RawClient> bob = rawUser("bob", other);
    QVERIFY(bob);
    clickTab(Room);
    App::ConversationView *view = m_widget->conversation(other);
    const int index = m_widget->tabs()->indexOf(view);

    bob->send("PRIVMSG #other :hello");
    QTRY_COMPARE(view->unreadCount(), 1);
    QVERIFY(!view->hasUnreadMention());
    QCOMPARE(m_widget->tabs()->tabText(index), QStringLiteral("#other (1)"));
    bob->send("PRIVMSG #other :memento mori, meme"); // "me" inside words names no one
    QTRY_COMPARE(view->unreadCount(), 2);
    QVERIFY(!view->hasUnreadMention());
    bob->send("PRIVMSG #other :ME, look");
    QTRY_COMPARE(view->unreadCount(), 3);
    QVERIFY(view->hasUnreadMention());
    QCOMPARE(m_widget->unreadCount(), 3);
    QCOMPARE(m_widget->decoratedTitle(QStringLiteral("QtChat")),
             QStringLiteral("(3, mentioned) QtChat"));
    QVERIFY(view->firstUnreadLine().endsWith(QStringLiteral("<bob> hello")));
    // Joins and parts are not lines to read.
    std::unique_ptr<RawClient> carol = rawUser("carol", other);
    QVERIFY(carol);
    QTRY_VERIFY(view->transcript().contains(QStringLiteral("carol joined")));
    QCOMPARE(view->unreadCount(), 3);

    clickTab(other);
    QCOMPARE(view->unreadCount(), 0);
    QVERIFY(!view->hasUnreadMention());
    QCOMPARE(m_widget->tabs()->tabText(index), other);
    QCOMPARE(m_widget->unreadCount(), 0);
    // The marker stays where reading started; what arrives while the tab is shown is read.
    QVERIFY(view->firstUnreadLine().endsWith(QStringLiteral("<bob> hello")));
    bob->send("PRIVMSG #other :seen at once");
    QTRY_VERIFY(view->transcript().contains(QStringLiteral("seen at once")));
    QCOMPARE(view->unreadCount(), 0);

    clickTab(Room);
    bob->send("PRIVMSG #other :later");
    QTRY_COMPARE(view->unreadCount(), 1);
    QVERIFY(view->firstUnreadLine().endsWith(QStringLiteral("<bob> later")));
    QCOMPARE(view->transcript().count(QStringLiteral("New messages")), 1);
}

void TestChatWidget::notificationsOnlyInTheBackgroundAndNotFromMutedChannels()
{
    QSignalSpy notified(m_widget.get(), &App::ChatWidget::notificationRequested);
    std::unique_ptr<RawClient> bob = rawUser("bob");
    QVERIFY(bob);
    bob->send("PRIVMSG me :while you look");
    QTRY_VERIFY(m_widget->conversation(QStringLiteral("bob")));
    QTRY_VERIFY(m_widget->conversation(QStringLiteral("bob"))
                    ->transcript()
                    .contains(QStringLiteral("while you look")));
    QCOMPARE(notified.size(), 0);

    QWidget elsewhere;
    elsewhere.show();
    activate(&elsewhere);
    QTRY_VERIFY(!m_widget->isActiveWindow());
    bob->send("PRIVMSG me :psst");
    QTRY_COMPARE(notified.size(), 1);
    QCOMPARE(notified.at(0).at(0).toString(), QStringLiteral("bob wrote to you"));
    QCOMPARE(notified.at(0).at(1).toString(), QStringLiteral("psst"));
    bob->send("PRIVMSG #room :no one in particular");
    bob->send("PRIVMSG #room :me: ping");
    QTRY_COMPARE(notified.size(), 2);
    QCOMPARE(notified.at(1).at(0).toString(), QStringLiteral("bob mentioned you in #room"));
    QCOMPARE(notified.at(1).at(1).toString(), QStringLiteral("me: ping"));

    // Muted from the tab's menu, as the user does it: the setting follows.
    std::unique_ptr<QMenu> menu(
        m_widget->tabMenu(m_widget->tabs()->indexOf(m_widget->conversation(Room))));
    trigger(menu.get(), "mute");
    QCOMPARE(App::AppSettings::instance()->mutedChannels(), QStringList {Room});
    bob->send("PRIVMSG #room :me: again");
    QTRY_VERIFY(m_widget->conversation(Room)->transcript().contains(QStringLiteral("again")));
    bob->send("PRIVMSG me :still private");
    QTRY_COMPARE(notified.size(), 3); // muting a channel leaves private messages alone
    QCOMPARE(notified.at(2).at(1).toString(), QStringLiteral("still private"));

    App::AppSettings::instance()->setNotifications(false);
    bob->send("PRIVMSG me :switched off");
    QTRY_VERIFY(m_widget->conversation(QStringLiteral("bob"))
                    ->transcript()
                    .contains(QStringLiteral("switched off")));
    QCOMPARE(notified.size(), 3);

    // In the background even the current tab gathers unread lines; coming back reads them.
    QCOMPARE(m_widget->conversation(Room)->unreadCount(), 3);
    activate(m_widget.get());
    QTRY_COMPARE(m_widget->conversation(Room)->unreadCount(), 0);
}

void TestChatWidget::missingMotdIsInformationNotAnError()
{
    // The server has no MOTD: 422 is its normal answer to every registration.
    QTRY_VERIFY(
        m_widget->statusView()->transcript().contains(QStringLiteral("MOTD File is missing")));
    QVERIFY(!m_widget->statusView()->transcript().contains(QStringLiteral("Error")));
    QVERIFY(!m_widget->conversation(Room)->transcript().contains(QStringLiteral("MOTD")));
}

void TestChatWidget::tabCompletesNicksChannelsAndCommands()
{
    std::unique_ptr<RawClient> bob = rawUser("bob");
    std::unique_ptr<RawClient> bert = rawUser("bert");
    QVERIFY(bob && bert);
    QTRY_COMPARE(m_widget->conversation(Room)->members().size(), 3);
    QLineEdit *input = m_widget->input();
    input->setFocus();
    typeInto(QStringLiteral("b"));
    QTest::keyClick(input, Qt::Key_Tab);
    QCOMPARE(input->text(), QStringLiteral("bert: "));
    QTest::keyClick(input, Qt::Key_Tab);
    QCOMPARE(input->text(), QStringLiteral("bob: "));
    QTest::keyClick(input, Qt::Key_Tab);
    QCOMPARE(input->text(), QStringLiteral("bert: "));
    QVERIFY(input->hasFocus()); // Tab completed instead of moving on
    typeInto(QStringLiteral("and bo"));
    QTest::keyClick(input, Qt::Key_Tab);
    QCOMPARE(input->text(), QStringLiteral("bert: and bob "));

    input->clear();
    typeInto(QStringLiteral("m")); // our own nick is not offered
    QTest::keyClick(input, Qt::Key_Tab);
    QCOMPARE(input->text(), QStringLiteral("m"));

    input->clear();
    typeInto(QStringLiteral("/jo"));
    QTest::keyClick(input, Qt::Key_Tab);
    QCOMPARE(input->text(), QStringLiteral("/join "));
    typeInto(QStringLiteral("#r"));
    QTest::keyClick(input, Qt::Key_Tab);
    QCOMPARE(input->text(), QStringLiteral("/join #room "));
}

void TestChatWidget::upAndDownWalkThroughTheHistory()
{
    std::unique_ptr<RawClient> bob = rawUser("bob");
    QVERIFY(bob);
    QLineEdit *input = m_widget->input();
    input->setFocus();
    typeInto(QStringLiteral("first"));
    QTest::keyClick(input, Qt::Key_Return);
    typeInto(QStringLiteral("second"));
    QTest::keyClick(input, Qt::Key_Return);
    QCOMPARE(texts(bob->collect("PRIVMSG", 2)),
             (QStringList {QStringLiteral("first"), QStringLiteral("second")}));

    typeInto(QStringLiteral("draft"));
    QTest::keyClick(input, Qt::Key_Up);
    QCOMPARE(input->text(), QStringLiteral("second"));
    QTest::keyClick(input, Qt::Key_Up);
    QCOMPARE(input->text(), QStringLiteral("first"));
    QTest::keyClick(input, Qt::Key_Up);
    QCOMPARE(input->text(), QStringLiteral("first"));
    QTest::keyClick(input, Qt::Key_Down);
    QCOMPARE(input->text(), QStringLiteral("second"));
    QTest::keyClick(input, Qt::Key_Down);
    QCOMPARE(input->text(), QStringLiteral("draft"));
}

void TestChatWidget::pastingManyLinesAsksFirst()
{
    std::unique_ptr<RawClient> bob = rawUser("bob");
    QVERIFY(bob);
    QLineEdit *input = m_widget->input();
    input->setFocus();
    QApplication::clipboard()->setText(QStringLiteral("one\r\ntwo\n"));
    QTest::keyClick(input, Qt::Key_V, Qt::ControlModifier);
    QCOMPARE(texts(bob->collect("PRIVMSG", 2)),
             (QStringList {QStringLiteral("one"), QStringLiteral("two")}));

    const QStringList five = {QStringLiteral("l1"), QStringLiteral("/quit is text here"),
                              QStringLiteral("l3"), QStringLiteral("l4"), QStringLiteral("l5")};
    QApplication::clipboard()->setText(five.join(u'\n'));
    answerNextMessageBox(QMessageBox::No);
    QTest::keyClick(input, Qt::Key_V, Qt::ControlModifier);
    typeInto(QStringLiteral("sentinel"));
    QTest::keyClick(input, Qt::Key_Return);
    QCOMPARE(texts(bob->collect("PRIVMSG", 1)), QStringList {QStringLiteral("sentinel")});

    answerNextMessageBox(QMessageBox::Yes);
    QTest::keyClick(input, Qt::Key_V, Qt::ControlModifier);
    QCOMPARE(texts(bob->collect("PRIVMSG", 5)), five);
    QVERIFY(input->text().isEmpty());
    QCOMPARE(m_client->state(), Client::ChatClient::State::Connected);
}

void TestChatWidget::operatorActionsChangeWhatTheServerReports()
{
    std::unique_ptr<RawClient> bob = rawUser("bob");
    QVERIFY(bob);
    QTRY_COMPARE(m_widget->conversation(Room)->members().size(), 2);
    const QString nick = QStringLiteral("bob");

    std::unique_ptr<QMenu> menu(m_widget->memberMenu(Room, nick));
    trigger(menu.get(), "op");
    QVERIFY(bob->expectMatch([](const Irc::IrcMessage &m) {
        return m.command == "MODE" && m.param(1) == "+o" && m.param(2) == "bob";
    }));
    QTRY_COMPARE(m_client->channel(Room).prefixesOf(nick), QStringLiteral("@"));
    menu.reset(m_widget->memberMenu(Room, nick));
    QVERIFY(actionNames(menu.get()).contains(QStringLiteral("deop")));
    trigger(menu.get(), "voice");
    QVERIFY(bob->expectMatch([](const Irc::IrcMessage &m) {
        return m.command == "MODE" && m.param(1) == "+v" && m.param(2) == "bob";
    }));
    menu.reset(m_widget->memberMenu(Room, nick));
    trigger(menu.get(), "deop");
    // Without multi-prefix the client sees the highest status only: the voice shows now.
    QTRY_COMPARE(m_client->channel(Room).prefixesOf(nick), QStringLiteral("+"));

    trigger(menu.get(), "whois");
    QTRY_VERIFY(
        m_widget->currentConversation()->transcript().contains(QStringLiteral("bob is bob!")));

    trigger(menu.get(), "kickBan");
    QVERIFY(bob->expect("KICK"));
    QTRY_COMPARE(m_widget->conversation(Room)->members(), QStringList {QStringLiteral("@me")});
    bob->send("JOIN " + Room.toUtf8());
    QVERIFY(bob->expect(Numeric::BannedFromChan)); // the ban came first and holds
}

void TestChatWidget::operatorActionsOnlyForOperators()
{
    const QString theirs = QStringLiteral("#bobs");
    std::unique_ptr<RawClient> bob = rawUser("bob", theirs); // bob made it: bob is its operator
    QVERIFY(bob);
    m_client->join(theirs);
    QTRY_COMPARE(m_client->channel(theirs).memberCount(), 2);
    std::unique_ptr<QMenu> menu(m_widget->memberMenu(theirs, QStringLiteral("bob")));
    QCOMPARE(actionNames(menu.get()),
             (QStringList {QStringLiteral("query"), QStringLiteral("whois")}));

    trigger(menu.get(), "query");
    QVERIFY(m_widget->conversation(QStringLiteral("bob")));
    QCOMPARE(m_widget->currentConversation(), m_widget->conversation(QStringLiteral("bob")));
}

namespace {

// What `asker` learns from WHOIS `nick`: the 301 (away) text, or nullopt when not away.
std::optional<QByteArray> awayInWhois(RawClient &asker, const QByteArray &nick)
{
    asker.send("WHOIS " + nick);
    std::optional<QByteArray> away;
    const auto end = asker.expectMatch([&](const Irc::IrcMessage &m) {
        if (m.command == Numeric::Away)
            away = m.param(2);
        return m.command == Numeric::EndOfWhois;
    });
    return end ? away : std::optional<QByteArray>(QByteArray("(no end of WHOIS)"));
}

} // namespace

void TestChatWidget::awayMembersAreGreyed()
{
    std::unique_ptr<RawClient> bob = rawUser("bob");
    QVERIFY(bob);
    QTRY_COMPARE(m_widget->conversation(Room)->members().size(), 2);
    QListView *list = memberList();
    const QModelIndex bobRow = list->model()->index(1, 0, list->rootIndex());
    const QColor grey = list->palette().color(QPalette::Disabled, QPalette::Text);
    QCOMPARE(App::ConversationView::memberColor(bobRow, list->palette()),
             App::MessageFormatter::nickColor(QStringLiteral("bob")));

    bob->send("AWAY :out for lunch"); // away-notify tells the client
    QTRY_VERIFY(bobRow.data(Client::ChannelModel::AwayRole).toBool());
    QCOMPARE(App::ConversationView::memberColor(bobRow, list->palette()), grey);
    QVERIFY(grey != App::MessageFormatter::nickColor(QStringLiteral("bob")));

    bob->send("AWAY");
    QTRY_VERIFY(!bobRow.data(Client::ChannelModel::AwayRole).toBool());
    QCOMPARE(App::ConversationView::memberColor(bobRow, list->palette()),
             App::MessageFormatter::nickColor(QStringLiteral("bob")));
}

void TestChatWidget::awayAndBackChangeWhatTheServerReports()
{
    std::unique_ptr<RawClient> bob = rawUser("bob");
    QVERIFY(bob);
    QLabel *indicator = m_widget->awayIndicator();
    QVERIFY(!indicator->isVisible());

    m_widget->input()->setFocus();
    typeInto(QStringLiteral("/away "));
    QInputMethodEvent composed; // what an input method hands over once a word is chosen
    composed.setCommitString(QStringLiteral("开会中"));
    QApplication::sendEvent(m_widget->input(), &composed);
    typeInto(QStringLiteral(", back at 3"));
    QTest::keyClick(m_widget->input(), Qt::Key_Return);
    QTRY_VERIFY(indicator->isVisible());
    QCOMPARE(indicator->text(), QStringLiteral("Away: 开会中, back at 3"));
    QCOMPARE(awayInWhois(*bob, "me"), QStringLiteral("开会中, back at 3").toUtf8());
    const QModelIndex meRow = memberList()->model()->index(0, 0, memberList()->rootIndex());
    QCOMPARE(meRow.data(Client::ChannelModel::NameRole).toString(), QStringLiteral("me"));
    QVERIFY(meRow.data(Client::ChannelModel::AwayRole).toBool()); // greyed like anyone else
    QVERIFY(m_widget->conversation(Room)->transcript().contains(
        QStringLiteral("You are marked as away.")));

    typeCommand(QStringLiteral("/back"));
    QTRY_VERIFY(!indicator->isVisible());
    QCOMPARE(awayInWhois(*bob, "me"), std::nullopt);
    QVERIFY(m_widget->conversation(Room)->transcript().contains(QStringLiteral("You are back.")));

    typeCommand(QStringLiteral("/away brb"));
    QTRY_VERIFY(indicator->isVisible());
    QCOMPARE(awayInWhois(*bob, "me"), QByteArray("brb"));
    typeCommand(QStringLiteral("/away")); // without text: back, as in every IRC client
    QTRY_VERIFY(!indicator->isVisible());
    QCOMPARE(awayInWhois(*bob, "me"), std::nullopt);
}

void TestChatWidget::whoisShowsTheServersAnswerFormatted()
{
    std::unique_ptr<RawClient> bob = rawUser("bob");
    std::unique_ptr<RawClient> carol = rawUser("carol");
    QVERIFY(bob && carol);
    bob->send("AWAY :gone fishing");
    QVERIFY(bob->expect(Numeric::NowAway));
    bob->send("OPER " + OperatorName + ' ' + OperatorPassword);
    QVERIFY(bob->expect(Numeric::YoureOper));
    // What the server says about bob, asked by someone else.
    carol->send("WHOIS bob");
    const std::optional<Irc::IrcMessage> user = carol->expect(Numeric::WhoisUser);
    QVERIFY(user);
    const QString address
        = QString::fromUtf8(user->param(1) + '!' + user->param(2) + '@' + user->param(3));

    typeCommand(QStringLiteral("/whois bob"));
    App::ConversationView *view = m_widget->conversation(Room);
    // The answer is shown whole once the server ended it.
    QTRY_VERIFY(view->transcript().contains(QStringLiteral("Is an IRC operator.")));
    const QString shown = view->transcript();
    QVERIFY2(shown.contains(QStringLiteral("bob is %1 (Test bob)").arg(address)),
             qPrintable(shown));
    QVERIFY(shown.contains(QStringLiteral("Channels: #room")));
    QVERIFY(shown.contains(QStringLiteral("Server: qtchat.local (QtChat)")));
    QVERIFY(shown.contains(QStringLiteral("Idle: ")));
    QVERIFY(shown.contains(QStringLiteral(", signed on ")));
    QVERIFY(shown.contains(QStringLiteral("Away: gone fishing")));
    // The structured answer, not the server's numerics, here or in the status tab.
    QVERIFY(!shown.contains(QStringLiteral("End of /WHOIS")));
    QVERIFY(!m_widget->statusView()->transcript().contains(QStringLiteral("End of /WHOIS")));

    typeCommand(QStringLiteral("/whois nobody"));
    QTRY_VERIFY(view->transcript().contains(QStringLiteral("nobody: No such nick/channel")));
}

namespace {

QStringList channelColumn(const QTreeView *view)
{
    QStringList channels;
    for (int row = 0; row < view->model()->rowCount(); ++row)
        channels.append(view->model()->index(row, 0).data().toString());
    return channels;
}

void clickHeader(QTreeView *view, int column)
{
    QHeaderView *header = view->header();
    const QPoint at(header->sectionViewportPosition(column) + header->sectionSize(column) / 2,
                    header->height() / 2);
    QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, at);
}

// A real double-click: press, release, double-click, release (Qt 6.4's mouseDClick sends the
// third alone).
void doubleClick(QAbstractItemView *view, const QModelIndex &index)
{
    const QPoint at = view->visualRect(index).center();
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, at);
    QTest::mouseDClick(view->viewport(), Qt::LeftButton, {}, at);
    QTest::mouseRelease(view->viewport(), Qt::LeftButton, {}, at);
}

bool isJoinOf(const Irc::IrcMessage &m, const QByteArray &nick, const QByteArray &channel)
{
    return m.command == "JOIN" && m.sourceNick() == nick && m.param(0) == channel;
}

// 1366x768 at QT_SCALE_FACTOR=2, in the window's own pixels.
const QSize ScaledLaptopScreen(683, 384);

} // namespace

void TestChatWidget::channelListFiltersSortsAndJoins()
{
    // #qt-dev has 3 users, #linux 2 and #room 1 (us).
    std::unique_ptr<RawClient> bob = rawUser("bob", QStringLiteral("#qt-dev"));
    std::unique_ptr<RawClient> carol = rawUser("carol", QStringLiteral("#qt-dev"));
    std::unique_ptr<RawClient> dave = rawUser("dave", QStringLiteral("#qt-dev"));
    std::unique_ptr<RawClient> erin = rawUser("erin", QStringLiteral("#linux"));
    QVERIFY(bob && carol && dave && erin);
    dave->send("JOIN #linux");
    QVERIFY(dave->expect(Numeric::EndOfNames));
    erin->send("TOPIC #linux :kernels, and QML too");
    QVERIFY(erin->expect("TOPIC"));

    QVERIFY(m_widget->chatMenu()->actions().contains(m_widget->channelListAction()));
    m_widget->channelListAction()->trigger();
    auto *dialog = m_widget->findChild<App::ChannelListDialog *>();
    QVERIFY(dialog);
    QVERIFY(QTest::qWaitForWindowExposed(dialog));
    const QSize minimum = dialog->minimumSizeHint();
    QVERIFY(minimum.width() <= ScaledLaptopScreen.width()
            && minimum.height() <= ScaledLaptopScreen.height());
    QTreeView *view = dialog->view();
    QTRY_COMPARE(view->model()->rowCount(), 3);
    // Biggest first, as the server counted.
    const QStringList bySize
        = {QStringLiteral("#qt-dev"), QStringLiteral("#linux"), QStringLiteral("#room")};
    QCOMPARE(channelColumn(view), bySize);
    QCOMPARE(view->model()->index(0, 1).data().toInt(), 3);
    QCOMPARE(view->model()->index(1, 2).data().toString(), QStringLiteral("kernels, and QML too"));

    clickHeader(view, 0);
    const QStringList byName
        = {QStringLiteral("#linux"), QStringLiteral("#qt-dev"), QStringLiteral("#room")};
    QCOMPARE(channelColumn(view), byName);
    clickHeader(view, 0);
    QCOMPARE(channelColumn(view), QStringList(byName.crbegin(), byName.crend()));
    clickHeader(view, 1);
    QCOMPARE(channelColumn(view), bySize);

    QTest::keyClicks(dialog->filterEdit(), QStringLiteral("qml")); // in #linux's topic
    QCOMPARE(channelColumn(view), QStringList {QStringLiteral("#linux")});
    QCOMPARE(dialog->summary()->text(), QStringLiteral("Channels shown: 1 of 3"));
    dialog->filterEdit()->clear();
    QTest::keyClick(dialog->minimumUsersBox(), Qt::Key_Up);
    QTest::keyClick(dialog->minimumUsersBox(), Qt::Key_Up);
    QCOMPARE(channelColumn(view),
             (QStringList {QStringLiteral("#qt-dev"), QStringLiteral("#linux")}));

    const QModelIndex linuxRow = view->model()->index(1, 0);
    QTRY_VERIFY(!view->visualRect(linuxRow).isEmpty()); // laid out
    doubleClick(view, linuxRow);
    QVERIFY(
        erin->expectMatch([](const Irc::IrcMessage &m) { return isJoinOf(m, "me", "#linux"); }));
    QTRY_VERIFY(m_client->isJoined(QStringLiteral("#linux")));

    const QModelIndex qtDev = view->model()->index(0, 0);
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, view->visualRect(qtDev).center());
    QVERIFY(dialog->joinButton()->isEnabled());
    QTest::mouseClick(dialog->joinButton(), Qt::LeftButton);
    QVERIFY(
        bob->expectMatch([](const Irc::IrcMessage &m) { return isJoinOf(m, "me", "#qt-dev"); }));
    QTRY_VERIFY(m_widget->conversation(QStringLiteral("#qt-dev")));
}

void TestChatWidget::listCommandOpensTheListFiltered()
{
    std::unique_ptr<RawClient> bob = rawUser("bob", QStringLiteral("#qt"));
    QVERIFY(bob);
    typeCommand(QStringLiteral("/list QT"));
    auto *dialog = m_widget->findChild<App::ChannelListDialog *>();
    QVERIFY(dialog);
    QCOMPARE(dialog->filterEdit()->text(), QStringLiteral("QT"));
    QTRY_COMPARE(dialog->view()->model()->rowCount(), 1); // of #qt and #room
    QCOMPARE(channelColumn(dialog->view()), QStringList {QStringLiteral("#qt")});

    // Asking again reuses the one dialog, with the list as the server has it now.
    std::unique_ptr<RawClient> carol = rawUser("carol", QStringLiteral("#qt-help"));
    QVERIFY(carol);
    typeCommand(QStringLiteral("/list"));
    QCOMPARE(m_widget->findChildren<App::ChannelListDialog *>().size(), 1);
    QTRY_COMPARE(dialog->view()->model()->rowCount(), 3);
}

namespace {

// Replaces what a line edit or spin box holds, as typing over a selection does.
void typeOver(QWidget *field, const QString &text)
{
    field->setFocus();
    QTest::keyClick(field, Qt::Key_A, Qt::ControlModifier);
    if (text.isEmpty())
        QTest::keyClick(field, Qt::Key_Delete);
    else
        QTest::keyClicks(field, text);
}

QStringList linesStartingWith(const QSignalSpy &sent, const QByteArray &start)
{
    QStringList lines;
    for (const QList<QVariant> &arguments : sent) {
        const QByteArray line = arguments.at(0).toByteArray().trimmed();
        if (line.startsWith(start))
            lines.append(QString::fromUtf8(line));
    }
    return lines;
}

// The server's ban list of `channel`, as `asker` gets it.
QStringList serverBans(RawClient &asker, const QByteArray &channel)
{
    asker.send("MODE " + channel + " +b");
    QStringList masks;
    asker.expectMatch([&](const Irc::IrcMessage &m) {
        if (m.command == Numeric::BanList)
            masks.append(QString::fromUtf8(m.param(2)));
        return m.command == Numeric::EndOfBanList;
    });
    return masks;
}

// 324 as `asker` gets it: the mode string and its parameters.
QList<QByteArray> serverModes(RawClient &asker, const QByteArray &channel)
{
    asker.send("MODE " + channel);
    const std::optional<Irc::IrcMessage> reply = asker.expect(Numeric::ChannelModeIs);
    return reply ? reply->params.mid(2) : QList<QByteArray> {"(no 324)"};
}

void clickTabOf(QTabWidget *tabs, int index)
{
    QTest::mouseClick(tabs->tabBar(), Qt::LeftButton, {}, tabs->tabBar()->tabRect(index).center());
    QCOMPARE(tabs->currentIndex(), index);
}

} // namespace

App::ChannelSettingsDialog *TestChatWidget::settingsFromTabMenu(const QString &channel)
{
    std::unique_ptr<QMenu> menu(
        m_widget->tabMenu(m_widget->tabs()->indexOf(m_widget->conversation(channel))));
    [&] {
        trigger(menu.get(), "settings");
    }();
    for (auto *dialog : m_widget->findChildren<App::ChannelSettingsDialog *>()) {
        if (dialog->channel() == channel && QTest::qWaitForWindowExposed(dialog))
            return dialog;
    }
    return nullptr;
}

void TestChatWidget::channelSettingsSendOnlyWhatChangedAndFollowTheServer()
{
    std::unique_ptr<RawClient> bob = rawUser("bob");
    QVERIFY(bob);
    App::ChannelSettingsDialog *dialog = settingsFromTabMenu(Room);
    QVERIFY(dialog);
    const QSize minimum = dialog->minimumSizeHint();
    QVERIFY(minimum.width() <= ScaledLaptopScreen.width()
            && minimum.height() <= ScaledLaptopScreen.height());
    QVERIFY(!dialog->notice()->isVisible()); // we made the channel: we are its operator
    // QtChat's new channels are +nt (known once the client's MODE query after joining is
    // answered).
    QTRY_VERIFY(dialog->flagBox('n')->isChecked() && dialog->flagBox('t')->isChecked());
    QVERIFY(!dialog->flagBox('i')->isChecked() && !dialog->flagBox('m')->isChecked());
    QCOMPARE(dialog->limitBox()->value(), 0);

    QSignalSpy sent(m_client.get(), &Client::ChatClient::lineSent);
    typeOver(dialog->topicEdit(), QStringLiteral("Qt 6 only"));
    typeOver(dialog->keyEdit(), QStringLiteral("sesame"));
    typeOver(dialog->limitBox(), QStringLiteral("5"));
    QTest::mouseClick(dialog->flagBox('m'), Qt::LeftButton);
    QTest::mouseClick(dialog->flagBox('t'), Qt::LeftButton);
    QTest::mouseClick(dialog->applyButton(), Qt::LeftButton);

    // Everyone in the channel sees one MODE line with exactly the changes, and the topic.
    const std::optional<Irc::IrcMessage> mode = bob->expect("MODE");
    QVERIFY(mode);
    QCOMPARE(mode->params, (QList<QByteArray> {"#room", "+m-t+kl", "sesame", "5"}));
    const std::optional<Irc::IrcMessage> topic = bob->expect("TOPIC");
    QVERIFY(topic);
    QCOMPARE(topic->param(1), QByteArray("Qt 6 only"));
    QCOMPARE(serverModes(*bob, "#room"), (QList<QByteArray> {"+mnkl", "sesame", "5"}));
    QCOMPARE(linesStartingWith(sent, "MODE #room").size(), 1);
    QCOMPARE(linesStartingWith(sent, "TOPIC").size(), 1);

    // Applying again sends nothing: nothing changed since the server confirmed.
    QTRY_COMPARE(m_client->channel(Room).key(), QStringLiteral("sesame"));
    QTRY_COMPARE(m_client->channel(Room).topic(), QStringLiteral("Qt 6 only"));
    sent.clear();
    QTest::mouseClick(dialog->applyButton(), Qt::LeftButton);
    m_client->sendRaw("PING :sentinel");
    QTRY_COMPARE(linesStartingWith(sent, "PING").size(), 1);
    QCOMPARE(sent.size(), 1);

    // A change by someone else shows; an edit not yet applied stays where the server changed
    // nothing.
    std::unique_ptr<QMenu> menu(m_widget->memberMenu(Room, QStringLiteral("bob")));
    trigger(menu.get(), "op");
    QVERIFY(bob->expect("MODE"));
    typeOver(dialog->topicEdit(), QStringLiteral("draft"));
    bob->send("MODE #room +s-k sesame");
    QTRY_VERIFY(dialog->flagBox('s')->isChecked());
    QTRY_VERIFY(dialog->keyEdit()->text().isEmpty());
    QCOMPARE(dialog->topicEdit()->text(), QStringLiteral("draft"));
}

void TestChatWidget::channelSettingsBanListAddsAndRemoves()
{
    std::unique_ptr<RawClient> bob = rawUser("bob");
    QVERIFY(bob);
    clickTab(Room);
    QVERIFY(m_widget->channelSettingsAction()->isEnabled());
    QVERIFY(m_widget->chatMenu()->actions().contains(m_widget->channelSettingsAction()));
    m_widget->channelSettingsAction()->trigger();
    auto *dialog = m_widget->findChild<App::ChannelSettingsDialog *>();
    QVERIFY(dialog);
    QVERIFY(QTest::qWaitForWindowExposed(dialog));
    clickTabOf(dialog->findChild<QTabWidget *>(), 1);

    QTest::keyClicks(dialog->banMaskEdit(), QStringLiteral("troll"));
    QTest::mouseClick(dialog->addBanButton(), Qt::LeftButton);
    QVERIFY(bob->expectMatch([](const Irc::IrcMessage &m) {
        return m.command == "MODE" && m.param(1) == "+b" && m.param(2) == "troll!*@*";
    }));
    QTest::keyClicks(dialog->banMaskEdit(), QStringLiteral("*!*@spam.example"));
    QTest::keyClick(dialog->banMaskEdit(), Qt::Key_Return);
    QVERIFY(bob->expect("MODE"));
    QCOMPARE(serverBans(*bob, "#room"),
             (QStringList {QStringLiteral("troll!*@*"), QStringLiteral("*!*@spam.example")}));
    QTreeWidget *list = dialog->banList();
    QTRY_COMPARE(list->topLevelItemCount(), 2);
    QCOMPARE(list->topLevelItem(0)->text(0), QStringLiteral("troll!*@*")); // as the server has it
    QCOMPARE(list->topLevelItem(0)->text(1), QStringLiteral("me"));

    QTest::keyClicks(dialog->banMaskEdit(), QStringLiteral("two words"));
    QTest::mouseClick(dialog->addBanButton(), Qt::LeftButton);
    QVERIFY(dialog->error()->isVisible());
    dialog->banMaskEdit()->clear();

    QVERIFY(!dialog->removeBanButton()->isEnabled()); // nothing selected
    const QRect first = list->visualItemRect(list->topLevelItem(0));
    const QRect second = list->visualItemRect(list->topLevelItem(1));
    QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, first.center());
    QTest::mouseClick(list->viewport(), Qt::LeftButton, Qt::ControlModifier, second.center());
    QCOMPARE(list->selectedItems().size(), 2);
    QTest::mouseClick(dialog->removeBanButton(), Qt::LeftButton);
    const std::optional<Irc::IrcMessage> removal = bob->expect("MODE");
    QVERIFY(removal);
    QCOMPARE(removal->param(1), QByteArray("-bb")); // both in one line
    QVERIFY(serverBans(*bob, "#room").isEmpty());
    QTRY_COMPARE(list->topLevelItemCount(), 0);
}

void TestChatWidget::channelSettingsReadOnlyForNonOperators()
{
    const QString theirs = QStringLiteral("#bobs");
    std::unique_ptr<RawClient> bob = rawUser("bob", theirs); // bob made it: bob is its operator
    QVERIFY(bob);
    bob->send("TOPIC #bobs :bob's place");
    QVERIFY(bob->expect("TOPIC"));
    m_client->join(theirs);
    QTRY_COMPARE(m_client->channel(theirs).memberCount(), 2);
    App::ChannelSettingsDialog *dialog = settingsFromTabMenu(theirs);
    QVERIFY(dialog);
    QCOMPARE(dialog->topicEdit()->text(), QStringLiteral("bob's place"));
    QVERIFY(dialog->notice()->isVisible());
    QVERIFY(dialog->notice()->text().contains(QStringLiteral("not an operator of #bobs")));
    // The topic too, once the channel's modes (+t) are known: the client asks after joining.
    QTRY_VERIFY(dialog->topicEdit()->isReadOnly());
    QVERIFY(dialog->keyEdit()->isReadOnly() && dialog->limitBox()->isReadOnly());
    QVERIFY(!dialog->flagBox('i')->isEnabled() && !dialog->addBanButton()->isEnabled());
    QVERIFY(!dialog->applyButton()->isEnabled());

    // Without +t anyone may set the topic; the modes stay the operators'.
    bob->send("MODE #bobs -t");
    QTRY_VERIFY(!dialog->topicEdit()->isReadOnly());
    QVERIFY(dialog->keyEdit()->isReadOnly());
    QVERIFY(dialog->applyButton()->isEnabled());
    typeOver(dialog->topicEdit(), QStringLiteral("everyone's place"));
    QTest::mouseClick(dialog->applyButton(), Qt::LeftButton);
    const std::optional<Irc::IrcMessage> topic = bob->expect("TOPIC");
    QVERIFY(topic);
    QCOMPARE(topic->param(1), QByteArray("everyone's place"));

    bob->send("MODE #bobs +o me");
    QTRY_VERIFY(!dialog->keyEdit()->isReadOnly());
    QVERIFY(!dialog->notice()->isVisible());
    QVERIFY(dialog->flagBox('i')->isEnabled());
}

QTEST_MAIN(TestChatWidget)
#include "tst_chatwidget.moc"
