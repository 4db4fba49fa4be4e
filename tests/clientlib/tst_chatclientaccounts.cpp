// ChatClient's accounts against the real QtChat server (ServerController, its accounts in a
// real SQLite file in a temporary folder): register the nick, log in with SASL PLAIN from
// another connection, a wrong password, a login that survives the server's restart through the
// client's own reconnect; the private lines kept between two accounts, offered after a
// reconnect and read back once. No line the client sends shows a password. (The server does
// not offer account-notify, extended-join or account-tag: tst_clientsession covers those.)
#include "clientlib/chatclient.h"
#include "serverlib/servercontroller.h"
#include "tests/support/freeport.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <functional>
#include <memory>

using namespace Qt::StringLiterals;

namespace {

constexpr int Timeout = 10000;
const QString Password = u"correct horse"_s;

} // namespace

class TestChatClientAccounts : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void registerThisNickLogsIn();
    void saslLogsInWhileRegistering();
    void wrongPasswordIsReportedAndConnects();
    void reconnectLogsInAgain();
    void privateConversationIsOfferedAfterAReconnect();
    void privateHistoryIsReadInOrderAndPageByPage();
    void liveLineDuringTheFetchKeepsItsMsgid();
    void noPrivateHistoryWithoutAnAccount();

private:
    bool startServer();
    bool stopServer();
    // A client that connected (and registered) as `nick`, with `account` to log in to;
    // `beforeConnecting` sees it first (to watch what registration brings).
    std::unique_ptr<Client::ChatClient>
    connectAs(const QString &nick, const QString &account = {}, const QString &password = {},
              const std::function<void(Client::ChatClient *)> &beforeConnecting = {});
    bool registerAccount(const QString &nick);
    // Connected as `nick` and logged in to the account of that name it registered.
    std::unique_ptr<Client::ChatClient> registeredAs(const QString &nick);
    // alice says two lines to bob, bob answers one; both are logged in to their accounts.
    bool exchangePrivateLines(Client::ChatClient *alice, Client::ChatClient *bob);
    // Quits and connects again under the same nick and account.
    std::unique_ptr<Client::ChatClient>
    reconnect(std::unique_ptr<Client::ChatClient> client,
              const std::function<void(Client::ChatClient *)> &beforeConnecting = {});

    QTemporaryDir m_data;
    quint16 m_port = 0;
    std::unique_ptr<Server::ServerController> m_server;
    QList<QByteArray> m_sent; // by every client, as their raw views show them
};

void TestChatClientAccounts::init()
{
    QVERIFY(m_data.isValid());
    QFile::remove(m_data.filePath(u"history.sqlite"_s)); // every test starts without accounts
    m_port = freeLoopbackPort();
    QVERIFY(m_port);
    m_server = std::make_unique<Server::ServerController>();
    QVERIFY(startServer());
    m_sent.clear();
}

void TestChatClientAccounts::cleanup()
{
    QVERIFY(stopServer());
    m_server.reset();
    for (const QByteArray &line : std::as_const(m_sent)) {
        QVERIFY2(!line.contains(Password.toUtf8()), line.constData());
        // base64 of "\0account\0correct horse" has no stretch that survives the split anyway;
        // an AUTHENTICATE with a payload must show none.
        QVERIFY2(!line.startsWith("AUTHENTICATE ") || line == "AUTHENTICATE PLAIN"
                     || line == "AUTHENTICATE ****" || line == "AUTHENTICATE +",
                 line.constData());
    }
}

bool TestChatClientAccounts::startServer()
{
    Server::ServerConfig config;
    config.port = m_port;
    config.history.dataDir = m_data.path();
    config.accountHashCost = Server::PasswordHash::Cost::Minimal; // many accounts, quickly
    QSignalSpy started(m_server.get(), &Server::ServerController::started);
    QSignalSpy failed(m_server.get(), &Server::ServerController::startFailed);
    m_server->start(config);
    if (!QTest::qWaitFor([&] { return !started.isEmpty() || !failed.isEmpty(); }, Timeout))
        return false;
    if (!failed.isEmpty())
        qWarning() << "start failed:" << failed.first().first().toString();
    return !started.isEmpty();
}

bool TestChatClientAccounts::stopServer()
{
    if (m_server->state() == Server::ServerController::State::Stopped)
        return true;
    QSignalSpy stopped(m_server.get(), &Server::ServerController::stopped);
    m_server->stop();
    return stopped.wait(Timeout);
}

std::unique_ptr<Client::ChatClient>
TestChatClientAccounts::connectAs(const QString &nick, const QString &account,
                                  const QString &password,
                                  const std::function<void(Client::ChatClient *)> &beforeConnecting)
{
    auto client = std::make_unique<Client::ChatClient>();
    if (beforeConnecting)
        beforeConnecting(client.get());
    connect(client.get(), &Client::ChatClient::lineSent, this,
            [this](const QByteArray &line) { m_sent.append(line); });
    client->setReconnectDelays(100, 200);
    Client::ClientSettings settings;
    settings.port = m_port;
    settings.nick = nick;
    settings.account = account;
    settings.accountPassword = password;
    settings.sendIntervalMs = 0;
    QSignalSpy registered(client.get(), &Client::ChatClient::registered);
    client->connectToServer(settings);
    if (!registered.wait(Timeout))
        return nullptr;
    return client;
}

bool TestChatClientAccounts::registerAccount(const QString &nick)
{
    return registeredAs(nick) != nullptr;
}

std::unique_ptr<Client::ChatClient> TestChatClientAccounts::registeredAs(const QString &nick)
{
    std::unique_ptr<Client::ChatClient> client = connectAs(nick);
    if (!client || !client->canRegisterAccount())
        return nullptr;
    QSignalSpy registered(client.get(), &Client::ChatClient::accountRegistered);
    client->registerAccount(Password);
    if (!registered.wait(Timeout) || client->account() != nick)
        return nullptr;
    return client;
}

void TestChatClientAccounts::registerThisNickLogsIn()
{
    std::unique_ptr<Client::ChatClient> alice = connectAs(u"alice"_s);
    QVERIFY(alice);
    QVERIFY(alice->canRegisterAccount());
    QVERIFY(alice->account().isEmpty());
    QSignalSpy registered(alice.get(), &Client::ChatClient::accountRegistered);
    QSignalSpy loggedIn(alice.get(), &Client::ChatClient::loggedIn);
    QSignalSpy failed(alice.get(), &Client::ChatClient::accountRegistrationFailed);
    // The server's reason for a refusal is what the user reads (FAIL REGISTER WEAK_PASSWORD).
    alice->registerAccount(u"short"_s);
    QVERIFY(failed.wait(Timeout));
    QVERIFY2(!failed.first().first().toString().isEmpty(), "no reason");
    QVERIFY(alice->account().isEmpty());
    alice->registerAccount(Password);
    QVERIFY(registered.wait(Timeout));
    QCOMPARE(registered.first().first().toString(), u"alice"_s);
    QTRY_COMPARE_WITH_TIMEOUT(alice->account(), u"alice"_s, Timeout);
    QCOMPARE(loggedIn.size(), 1);

    // Once logged in, a second registration is refused before it is sent.
    alice->registerAccount(Password);
    QCOMPARE(failed.size(), 2);
}

void TestChatClientAccounts::saslLogsInWhileRegistering()
{
    QVERIFY(registerAccount(u"carol"_s));
    auto client = std::make_unique<Client::ChatClient>();
    connect(client.get(), &Client::ChatClient::lineSent, this,
            [this](const QByteArray &line) { m_sent.append(line); });
    QSignalSpy loggedIn(client.get(), &Client::ChatClient::loggedIn);
    QSignalSpy registered(client.get(), &Client::ChatClient::registered);
    QSignalSpy failed(client.get(), &Client::ChatClient::loginFailed);
    Client::ClientSettings settings;
    settings.port = m_port;
    settings.nick = u"carol-laptop"_s;
    settings.account = u"carol"_s;
    settings.accountPassword = Password;
    client->connectToServer(settings);
    QVERIFY(registered.wait(Timeout));
    // Logged in before the registration ended: CAP END waited for the verdict.
    QCOMPARE(loggedIn.size(), 1);
    QCOMPARE(loggedIn.first().first().toString(), u"carol"_s);
    QCOMPARE(client->account(), u"carol"_s);
    QVERIFY(failed.isEmpty());
    QVERIFY(client->hasCapability(u"sasl"_s));
    QVERIFY(m_sent.contains("AUTHENTICATE ****"));
}

void TestChatClientAccounts::wrongPasswordIsReportedAndConnects()
{
    QVERIFY(registerAccount(u"dave"_s));
    auto client = std::make_unique<Client::ChatClient>();
    QSignalSpy failed(client.get(), &Client::ChatClient::loginFailed);
    QSignalSpy registered(client.get(), &Client::ChatClient::registered);
    Client::ClientSettings settings;
    settings.port = m_port;
    settings.nick = u"intruder"_s;
    settings.account = u"dave"_s;
    settings.accountPassword = u"not the password"_s;
    client->connectToServer(settings);
    QVERIFY(registered.wait(Timeout)); // the connection goes on without an account
    QCOMPARE(failed.size(), 1);
    QVERIFY2(failed.first().first().toString().contains(u"dave"_s),
             qPrintable(failed.first().first().toString()));
    QVERIFY(!failed.first().first().toString().contains(u"not the password"_s));
    QVERIFY(client->account().isEmpty());
}

void TestChatClientAccounts::reconnectLogsInAgain()
{
    std::unique_ptr<Client::ChatClient> erin = connectAs(u"erin"_s);
    QVERIFY(erin);
    QSignalSpy registered(erin.get(), &Client::ChatClient::accountRegistered);
    erin->registerAccount(Password);
    QVERIFY(registered.wait(Timeout));
    QTRY_COMPARE_WITH_TIMEOUT(erin->account(), u"erin"_s, Timeout);

    // The server goes away and comes back with the same database; the client reconnects on
    // its own and logs in to the account it registered.
    QVERIFY(stopServer());
    QTRY_VERIFY_WITH_TIMEOUT(erin->state() == Client::ChatClient::State::Disconnected, Timeout);
    QVERIFY(erin->account().isEmpty());
    QSignalSpy loggedIn(erin.get(), &Client::ChatClient::loggedIn);
    QVERIFY(startServer());
    QVERIFY(loggedIn.wait(Timeout * 2));
    QCOMPARE(erin->account(), u"erin"_s);
    QTRY_VERIFY_WITH_TIMEOUT(erin->isRegistered(), Timeout);
}

namespace {

QStringList textsOf(const QList<Client::ChatMessage> &messages)
{
    QStringList texts;
    for (const Client::ChatMessage &message : messages)
        texts.append(message.text);
    return texts;
}

QList<Client::ChatMessage> messagesOf(const QSignalSpy &spy, int argument = 0)
{
    QList<Client::ChatMessage> messages;
    for (const QList<QVariant> &emitted : spy)
        messages.append(emitted.at(argument).value<Client::ChatMessage>());
    return messages;
}

} // namespace

bool TestChatClientAccounts::exchangePrivateLines(Client::ChatClient *alice,
                                                  Client::ChatClient *bob)
{
    QSignalSpy bobHeard(bob, &Client::ChatClient::messageReceived);
    QSignalSpy aliceHeard(alice, &Client::ChatClient::messageReceived);
    alice->sendMessage(u"bob"_s, u"first from alice"_s);
    alice->sendMessage(u"bob"_s, u"second from alice"_s);
    if (!QTest::qWaitFor(
            [&] { return textsOf(messagesOf(bobHeard)).contains(u"second from alice"_s); },
            Timeout))
        return false;
    bob->sendMessage(u"alice"_s, u"answer from bob"_s);
    return QTest::qWaitFor(
        [&] { return textsOf(messagesOf(aliceHeard)).contains(u"answer from bob"_s); }, Timeout);
}

std::unique_ptr<Client::ChatClient>
TestChatClientAccounts::reconnect(std::unique_ptr<Client::ChatClient> client,
                                  const std::function<void(Client::ChatClient *)> &beforeConnecting)
{
    const Client::ClientSettings settings = client->settings();
    client->disconnectFromServer();
    // The server has let the nick go once it closed the connection.
    if (!QTest::qWaitFor([&] { return client->state() == Client::ChatClient::State::Disconnected; },
                         Timeout))
        return nullptr;
    return connectAs(settings.nick, settings.account, settings.accountPassword, beforeConnecting);
}

void TestChatClientAccounts::privateConversationIsOfferedAfterAReconnect()
{
    std::unique_ptr<Client::ChatClient> alice = registeredAs(u"alice"_s);
    std::unique_ptr<Client::ChatClient> bob = registeredAs(u"bob"_s);
    QVERIFY(alice && bob);
    QVERIFY(exchangePrivateLines(alice.get(), bob.get()));

    std::unique_ptr<QSignalSpy> offered;
    alice = reconnect(std::move(alice), [&](Client::ChatClient *client) {
        offered = std::make_unique<QSignalSpy>(client,
                                               &Client::ChatClient::recentConversationsReceived);
    });
    QVERIFY(alice);
    QCOMPARE(alice->nick(), u"alice"_s);
    QCOMPARE(alice->account(), u"alice"_s);
    QTRY_COMPARE_WITH_TIMEOUT(offered->size(), 1, Timeout);
    const auto conversations = offered->first().first().value<QList<Client::RecentConversation>>();
    QCOMPARE(conversations.size(), 1);
    QCOMPARE(conversations.first().nick, u"bob"_s);
    const qint64 age = conversations.first().latest.secsTo(QDateTime::currentDateTimeUtc());
    QVERIFY2(age >= -5 && age < 60, qPrintable(conversations.first().latest.toString()));
}

void TestChatClientAccounts::privateHistoryIsReadInOrderAndPageByPage()
{
    std::unique_ptr<Client::ChatClient> alice = registeredAs(u"alice"_s);
    std::unique_ptr<Client::ChatClient> bob = registeredAs(u"bob"_s);
    QVERIFY(alice && bob);
    QVERIFY(exchangePrivateLines(alice.get(), bob.get()));
    alice = reconnect(std::move(alice));
    QVERIFY(alice);

    QSignalSpy history(alice.get(), &Client::ChatClient::historyReceived);
    QVERIFY(alice->requestConversationHistory(u"bob"_s));
    QVERIFY(history.wait(Timeout));
    QCOMPARE(history.first().at(0).toString(), u"bob"_s);
    const auto messages = history.first().at(1).value<QList<Client::ChatMessage>>();
    QCOMPARE(textsOf(messages),
             QStringList({u"first from alice"_s, u"second from alice"_s, u"answer from bob"_s}));
    QSet<QString> ids;
    for (const Client::ChatMessage &message : messages) {
        QCOMPARE(message.conversation, u"bob"_s);
        QCOMPARE(message.own, message.from == u"alice"_s);
        QVERIFY(!message.id.isEmpty());
        ids.insert(message.id);
    }
    QCOMPARE(ids.size(), messages.size());

    // Scrolling up: the lines before the oldest one shown.
    QVERIFY(alice->requestOlderHistory(u"bob"_s, messages.last().id));
    QVERIFY(history.wait(Timeout));
    QCOMPARE(history.last().at(0).toString(), u"bob"_s);
    QCOMPARE(textsOf(history.last().at(1).value<QList<Client::ChatMessage>>()),
             QStringList({u"first from alice"_s, u"second from alice"_s}));
}

// The line that opens a conversation, and one said while its history is on the way, arrive
// live and may be in the history too: with the same msgid, so that a view shows each once.
void TestChatClientAccounts::liveLineDuringTheFetchKeepsItsMsgid()
{
    std::unique_ptr<Client::ChatClient> alice = registeredAs(u"alice"_s);
    std::unique_ptr<Client::ChatClient> bob = registeredAs(u"bob"_s);
    QVERIFY(alice && bob);
    QSignalSpy live(alice.get(), &Client::ChatClient::messageReceived);
    QSignalSpy history(alice.get(), &Client::ChatClient::historyReceived);
    bob->sendMessage(u"alice"_s, u"opening line"_s);
    QTRY_VERIFY_WITH_TIMEOUT(textsOf(messagesOf(live)).contains(u"opening line"_s), Timeout);
    QVERIFY(alice->requestConversationHistory(u"bob"_s));
    bob->sendMessage(u"alice"_s, u"during the fetch"_s);
    QVERIFY(history.wait(Timeout));
    QTRY_VERIFY_WITH_TIMEOUT(textsOf(messagesOf(live)).contains(u"during the fetch"_s), Timeout);

    QHash<QString, QString> textById;
    const auto fetched = history.first().at(1).value<QList<Client::ChatMessage>>();
    QVERIFY(textsOf(fetched).contains(u"opening line"_s));
    for (const Client::ChatMessage &message : messagesOf(live) + fetched) {
        QVERIFY(!message.id.isEmpty());
        QCOMPARE(message.conversation, u"bob"_s);
        textById.insert(message.id, message.text);
    }
    QStringList shown = textById.values();
    shown.sort();
    QCOMPARE(shown, QStringList({u"during the fetch"_s, u"opening line"_s}));
}

void TestChatClientAccounts::noPrivateHistoryWithoutAnAccount()
{
    std::unique_ptr<Client::ChatClient> guest = connectAs(u"guest"_s);
    QVERIFY(guest);
    QVERIFY(guest->hasHistory());
    QVERIFY(!guest->requestConversationHistory(u"bob"_s));
    std::unique_ptr<Client::ChatClient> alice = registeredAs(u"alice"_s);
    QVERIFY(alice);
    QVERIFY(!alice->requestConversationHistory(u"#channel"_s));
    QVERIFY(!alice->requestConversationHistory(u"two words"_s));
}

QTEST_GUILESS_MAIN(TestChatClientAccounts)
#include "tst_chatclientaccounts.moc"
