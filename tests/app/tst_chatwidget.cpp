// The chat widget's member list is a view on the client's ChannelModel, not a copy: the
// list shows the channel's row of the model as its root and follows it row by row. A real
// QtChat server, a ChatClient and raw IRC users; offscreen widgets.
#include "app/chatwidget.h"
#include "clientlib/channelmodel.h"
#include "clientlib/chatclient.h"
#include "protocol/numerics.h"
#include "serverlib/chatserver.h"
#include "tests/support/rawclient.h"
#include "tests/support/serversignals.h"

#include <QListView>
#include <QSignalSpy>
#include <QTest>

#include <memory>

namespace Numeric = Irc::Numeric;

namespace {

constexpr int WaitMs = 5000;
const QString Room = QStringLiteral("#room");

} // namespace

class TestChatWidget : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void memberListIsAViewOfTheModel();
    void joinsAndPartsAreSingleRows();
    void disconnectEmptiesTheListAndRejoinFillsIt();
    void activatingAMemberOpensAConversation();

private:
    Client::ClientSettings settings() const;
    QListView *memberList() const;
    std::unique_ptr<RawClient> rawUser(const QByteArray &nick);

    Server::ChatServer m_server;
    std::unique_ptr<Client::ChatClient> m_client;
    std::unique_ptr<App::ChatWidget> m_widget;
};

void TestChatWidget::init()
{
    Server::ServerConfig config;
    config.port = 0;
    QVERIFY(m_server.start(config));
    m_client = std::make_unique<Client::ChatClient>();
    m_widget = std::make_unique<App::ChatWidget>(m_client.get());
    m_widget->show();
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

std::unique_ptr<RawClient> TestChatWidget::rawUser(const QByteArray &nick)
{
    auto raw = std::make_unique<RawClient>();
    if (!raw->connectTo(m_server.serverPort()) || !raw->registerAs(nick))
        return nullptr;
    raw->send("JOIN " + Room.toUtf8());
    return raw->expect(Numeric::EndOfNames) ? std::move(raw) : nullptr;
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

QTEST_MAIN(TestChatWidget)
#include "tst_chatwidget.moc"
