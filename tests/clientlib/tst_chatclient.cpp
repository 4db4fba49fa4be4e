// ChatClient against real servers over real sockets. Every data-driven test runs once per
// backend row (a real ngircd, and the in-process QtChat server in each threading model).
// A few tests need a server to do something on demand that no real server does (send a
// PING now, drop the connection now): those use ScriptedPeer, which is clearly not a server.

#include "clientlib/chatclient.h"
#include "protocol/ircmessage.h"
#include "protocol/linesplitter.h"
#include "protocol/messagetags.h"
#include "protocol/numerics.h"
#include "tests/support/rawclient.h"
#include "tests/support/testbackend.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <functional>
#include <memory>
#include <vector>

using namespace std::chrono_literals;
namespace Numeric = Irc::Numeric;

namespace {

constexpr int WaitMs = 5000;

// --- a client and everything it reported ---

QStringList entry(std::initializer_list<QAnyStringView> parts)
{
    QStringList list;
    for (QAnyStringView part : parts)
        list.append(part.toString());
    return list;
}

QString yesNo(bool self)
{
    return self ? QStringLiteral("self") : QStringLiteral("other");
}

class TestUser
{
public:
    TestUser() { record(); }

    Client::ChatClient client;
    QList<Client::ChatMessage> messages; // from others
    QList<Client::ChatMessage> ownMessages;
    QList<QStringList> events;
    QStringList errors;
    QList<Client::ChatClient::State> states;

    bool hasEvent(const QStringList &wanted) const { return events.contains(wanted); }
    bool hasEventMatching(const std::function<bool(const QStringList &)> &match) const
    {
        return std::any_of(events.cbegin(), events.cend(), match);
    }
    // The channel is joined and its NAMES reply, which lists ourselves, has arrived.
    bool isIn(const QString &channel) const
    {
        return client.isJoined(channel) && client.channel(channel).hasMember(client.nick());
    }
    std::optional<Client::ChatMessage> messageWithText(const QString &text) const
    {
        for (const Client::ChatMessage &message : messages) {
            if (message.text == text)
                return message;
        }
        return std::nullopt;
    }

private:
    void record()
    {
        QObject::connect(
            &client, &Client::ChatClient::messageReceived, &client,
            [this](const Client::ChatMessage &m) { (m.own ? ownMessages : messages) << m; });
        QObject::connect(&client, &Client::ChatClient::stateChanged, &client,
                         [this](Client::ChatClient::State s) { states << s; });
        QObject::connect(&client, &Client::ChatClient::errorOccurred, &client,
                         [this](const QString &e) { errors << e; });
        QObject::connect(&client, &Client::ChatClient::joined, &client,
                         [this](const QString &c, const QString &n, bool self) {
                             events << entry({QStringLiteral("joined"), c, n, yesNo(self)});
                         });
        QObject::connect(&client, &Client::ChatClient::parted, &client,
                         [this](const QString &c, const QString &n, const QString &r, bool self) {
                             events << entry({QStringLiteral("parted"), c, n, r, yesNo(self)});
                         });
        QObject::connect(&client, &Client::ChatClient::kicked, &client,
                         [this](const QString &c, const QString &n, const QString &by,
                                const QString &r, bool self) {
                             events << entry({QStringLiteral("kicked"), c, n, by, r, yesNo(self)});
                         });
        QObject::connect(&client, &Client::ChatClient::userQuit, &client,
                         [this](const QString &n, const QString &r, const QStringList &c) {
                             events << entry({QStringLiteral("quit"), n, r, c.join(u',')});
                         });
        QObject::connect(&client, &Client::ChatClient::nickChanged, &client,
                         [this](const QString &from, const QString &to, bool self) {
                             events << entry({QStringLiteral("nick"), from, to, yesNo(self)});
                         });
        QObject::connect(&client, &Client::ChatClient::topicChanged, &client,
                         [this](const QString &c, const QString &t, const QString &by) {
                             events << entry({QStringLiteral("topic"), c, t, by});
                         });
        QObject::connect(
            &client, &Client::ChatClient::serverError, &client,
            [this](int code, const QString &text) {
                events << entry({QStringLiteral("error"), QString::number(code), text});
            });
    }
};

// --- the scripted peer ---

// NOT an IRC server: a bare listener that plays lines a test dictates, for the few things
// no real server does on demand (PING now, drop the connection now).
class ScriptedPeer
{
public:
    ScriptedPeer()
    {
        QObject::connect(&m_server, &QTcpServer::newConnection, &m_server, [this] { accept(); });
    }
    bool listen() { return m_server.listen(QHostAddress::LocalHost, 0); }
    quint16 port() const { return m_server.serverPort(); }
    int connections() const { return m_connections; }

    bool waitForConnections(int count, int timeoutMs = WaitMs)
    {
        return QTest::qWaitFor([&] { return m_connections >= count; }, timeoutMs);
    }
    // Consumes received messages up to and including the first with `command`.
    std::optional<Irc::IrcMessage> expect(QByteArrayView command)
    {
        std::optional<Irc::IrcMessage> found;
        static_cast<void>(
            QTest::qWaitFor([&] { return (found = take(command)).has_value(); }, WaitMs));
        return found;
    }
    void send(const QByteArray &line)
    {
        if (m_socket)
            m_socket->write(line + "\r\n");
    }
    void sendFromPeer(QByteArrayView command, std::initializer_list<QByteArrayView> params)
    {
        if (m_socket)
            m_socket->write(Irc::makeLine("scripted.peer", command, params));
    }
    // The replies a client needs to register: CAP LS, then the welcome and MOTD end.
    bool registerClient()
    {
        if (!expect("CAP"))
            return false;
        send(":scripted.peer CAP * LS :");
        const std::optional<Irc::IrcMessage> nick = expect("NICK");
        if (!nick || !expect("USER"))
            return false;
        m_nick = nick->param(0);
        sendFromPeer(Numeric::Welcome, {m_nick, "Welcome"});
        sendFromPeer(Numeric::EndOfMotd, {m_nick, "End of MOTD"});
        return true;
    }
    QByteArray nick() const { return m_nick; }
    void drop()
    {
        if (m_socket)
            m_socket->abort();
    }

private:
    void accept()
    {
        while (QTcpSocket *socket = m_server.nextPendingConnection()) {
            ++m_connections;
            socket->setParent(nullptr); // owned by m_socket, not by the server
            m_socket.reset(socket);
            m_splitter.clear();
            m_received.clear();
            QObject::connect(socket, &QTcpSocket::readyRead, socket, [this, socket] {
                m_splitter.append(socket->readAll());
                Irc::LineSplitter::Line line;
                while (m_splitter.next(&line)) {
                    if (auto message = Irc::IrcMessage::parse(line.text))
                        m_received.append(*message);
                }
            });
        }
    }
    std::optional<Irc::IrcMessage> take(QByteArrayView command)
    {
        for (qsizetype i = 0; i < m_received.size(); ++i) {
            if (m_received.at(i).command == command) {
                const Irc::IrcMessage message = m_received.at(i);
                m_received.remove(0, i + 1);
                return message;
            }
        }
        return std::nullopt;
    }

    QList<Irc::IrcMessage> m_received;
    Irc::LineSplitter m_splitter;
    QByteArray m_nick;
    int m_connections = 0;
    std::unique_ptr<QTcpSocket> m_socket; // after the containers its signals reach
    QTcpServer m_server;
};

Client::ClientSettings settingsFor(quint16 port, const QString &nick,
                                   const QStringList &channels = {})
{
    Client::ClientSettings settings;
    settings.host = QStringLiteral("127.0.0.1");
    settings.port = port;
    settings.nick = nick;
    settings.userName = QStringLiteral("qtchat");
    settings.realName = QStringLiteral("QtChat test");
    settings.channels = channels;
    settings.autoReconnect = false;
    settings.sendIntervalMs = 0; // pacing has its own test; here it would only slow things down
    return settings;
}

// Whether `nick` is a member of `channel` marked away, as `user` sees it.
bool seenAway(const TestUser *user, const QString &channel, const QString &nick)
{
    const Client::ChannelState state = user->client.channel(channel);
    const int row = state.rowOf(nick);
    return row >= 0 && state.member(row).away;
}

// Text of about 1,700 bytes with 3-byte characters and no spaces, so that pieces must be
// cut inside the text and only a cut inside a character could damage it.
QString longText()
{
    QString text;
    for (int i = 0; text.toUtf8().size() < 1700; ++i)
        text += QStringLiteral("第%1段：你好，世界-hello-").arg(i);
    return text;
}

} // namespace

class tst_ChatClient : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void registers_data() { TestBackend::addRows(); }
    void registrationLeavesThePacingToTheChannels_data() { TestBackend::addRows(); }
    void registrationLeavesThePacingToTheChannels();
    void registers();
    void joinTracksNames_data() { TestBackend::addRows(); }
    void joinTracksNames();
    void messagesBothWays_data() { TestBackend::addRows(); }
    void messagesBothWays();
    void privateMessage_data() { TestBackend::addRows(); }
    void privateMessage();
    void action_data() { TestBackend::addRows(); }
    void action();
    void notice_data() { TestBackend::addRows(); }
    void notice();
    void nickChangeSeenByOthers_data() { TestBackend::addRows(); }
    void nickChangeSeenByOthers();
    void nickInUseRetriesWithSuffix_data() { TestBackend::addRows(); }
    void nickInUseRetriesWithSuffix();
    void erroneousNickFails_data() { TestBackend::addRows(); }
    void erroneousNickFails();
    void topicSetAndSeen_data() { TestBackend::addRows(); }
    void topicSetAndSeen();
    void partAndQuitSeenWithReasons_data() { TestBackend::addRows(); }
    void partAndQuitSeenWithReasons();
    void kickSeen_data() { TestBackend::addRows(); }
    void kickSeen();
    void modeChangeUpdatesPrefixes_data() { TestBackend::addRows(); }
    void modeChangeUpdatesPrefixes();
    void longMessageArrivesWhole_data() { TestBackend::addRows(); }
    void longMessageArrivesWhole();
    void invalidUtf8IsReplaced_data() { TestBackend::addRows(); }
    void invalidUtf8IsReplaced();
    void password_data() { TestBackend::addRows(); }
    void password();
    void autoJoinAfterRegistration_data() { TestBackend::addRows(); }
    void autoJoinAfterRegistration();
    void disconnectSendsQuit_data() { TestBackend::addRows(); }
    void disconnectSendsQuit();
    void capabilitiesNegotiated_data() { TestBackend::addRows(); }
    void capabilitiesNegotiated();
    void channelModesTracked_data() { TestBackend::addRows(); }
    void channelModesTracked();
    void banListTracked_data() { TestBackend::addRows(); }
    void banListTracked();
    void awayStatesTracked_data() { TestBackend::addRows(); }
    void awayStatesTracked();
    void whoisStructured_data() { TestBackend::addRows(); }
    void whoisStructured();
    void channelListStructured_data() { TestBackend::addRows(); }
    void channelListStructured();
    void serverTimeAndMessageIds_data() { TestBackend::addRows(); }
    void serverTimeAndMessageIds();
    void realNameChange_data() { TestBackend::addRows(); }
    void realNameChange();

    // Scripted peer: things a real server will not do on demand.
    void pingAnswered();
    void reconnectsWithBackoffAndRejoins();
    void connectionRefusedBacksOff();

private:
    TestUser *addUser(const QString &nick, const QStringList &channels = {});
    TestUser *registeredUser(const QString &nick);
    bool joinAll(const QString &channel, std::initializer_list<TestUser *> users);

    std::unique_ptr<TestBackend> m_backend;
    std::vector<std::unique_ptr<TestUser>> m_users;
};

void tst_ChatClient::init()
{
    const char *row = QTest::currentDataTag();
    if (!row)
        return; // a scripted-peer test
    m_backend = TestBackend::make(row);
    QVERIFY2(m_backend, row);
    QString error;
    QVERIFY2(m_backend->start({}, &error), qPrintable(error));
}

void tst_ChatClient::cleanup()
{
    m_users.clear(); // clients first: they talk to the server while they go
    m_backend.reset();
}

TestUser *tst_ChatClient::addUser(const QString &nick, const QStringList &channels)
{
    m_users.push_back(std::make_unique<TestUser>());
    TestUser *user = m_users.back().get();
    user->client.connectToServer(settingsFor(m_backend->port(), nick, channels));
    return user;
}

TestUser *tst_ChatClient::registeredUser(const QString &nick)
{
    TestUser *user = addUser(nick);
    if (!QTest::qWaitFor([&] { return user->client.isRegistered(); }, WaitMs))
        return nullptr;
    return user;
}

bool tst_ChatClient::joinAll(const QString &channel, std::initializer_list<TestUser *> users)
{
    // One after the other, so that the first is the channel's operator.
    for (TestUser *user : users) {
        user->client.join(channel);
        if (!QTest::qWaitFor([&] { return user->isIn(channel); }, WaitMs))
            return false;
    }
    return true;
}

void tst_ChatClient::registers()
{
    TestUser *alice = addUser(QStringLiteral("alice"));
    QSignalSpy registered(&alice->client, &Client::ChatClient::registered);
    QVERIFY(registered.wait(WaitMs));
    QCOMPARE(registered.first().first().toString(), QStringLiteral("alice"));
    QCOMPARE(alice->client.nick(), QStringLiteral("alice"));
    QCOMPARE(alice->client.state(), Client::ChatClient::State::Connected);
    QVERIFY(!alice->client.serverName().isEmpty());
    const QList<Client::ChatClient::State> expected
        = {Client::ChatClient::State::Connecting, Client::ChatClient::State::Registering,
           Client::ChatClient::State::Connected};
    QCOMPARE(alice->states, expected);
    QCOMPARE(alice->client.serverSupport().nickLength, 30);
    QVERIFY(alice->errors.isEmpty());
}

// Paced with the default burst but an interval nobody waits for: registration (CAP, NICK,
// USER) must not use up the burst, or the channels' JOIN would wait for the next interval.
void tst_ChatClient::registrationLeavesThePacingToTheChannels()
{
    m_users.push_back(std::make_unique<TestUser>());
    TestUser *alice = m_users.back().get();
    Client::ClientSettings settings
        = settingsFor(m_backend->port(), QStringLiteral("alice"), {QStringLiteral("#paced")});
    settings.sendIntervalMs = 3'600'000;
    alice->client.connectToServer(settings);
    QTRY_VERIFY_WITH_TIMEOUT(alice->client.isJoined(QStringLiteral("#paced")), WaitMs);
}

void tst_ChatClient::joinTracksNames()
{
    TestUser *alice = registeredUser(QStringLiteral("alice"));
    TestUser *bob = registeredUser(QStringLiteral("bob"));
    QVERIFY(alice && bob);
    QVERIFY(joinAll(QStringLiteral("#names"), {alice, bob}));

    QTRY_VERIFY(alice->hasEvent(entry({"joined", "#names", "bob", "other"})));
    QVERIFY(alice->hasEvent(entry({"joined", "#names", "alice", "self"})));
    const QStringList both = {QStringLiteral("alice"), QStringLiteral("bob")};
    QCOMPARE(alice->client.channel(QStringLiteral("#names")).nicks(), both);
    QCOMPARE(bob->client.channel(QStringLiteral("#names")).nicks(), both);
    // The first to join is operator; lookups ignore case as CASEMAPPING=ascii says.
    const Client::ChannelState seenByBob = bob->client.channel(QStringLiteral("#NAMES"));
    QCOMPARE(seenByBob.name(), QStringLiteral("#names"));
    QCOMPARE(seenByBob.prefixesOf(QStringLiteral("ALICE")), QStringLiteral("@"));
    QCOMPARE(seenByBob.prefixesOf(QStringLiteral("bob")), QString());
    QCOMPARE(alice->client.channels(), QStringList {QStringLiteral("#names")});
}

void tst_ChatClient::messagesBothWays()
{
    TestUser *alice = registeredUser(QStringLiteral("alice"));
    TestUser *bob = registeredUser(QStringLiteral("bob"));
    QVERIFY(alice && bob);
    QVERIFY(joinAll(QStringLiteral("#chat"), {alice, bob}));

    const QString hello = QStringLiteral("hello from alice: *bold* :colon start");
    const QString chinese = QStringLiteral("你好，世界");
    alice->client.sendMessage(QStringLiteral("#chat"), hello);
    bob->client.sendMessage(QStringLiteral("#chat"), chinese);

    QTRY_COMPARE(bob->messages.size(), 1);
    QTRY_COMPARE(alice->messages.size(), 1);
    const Client::ChatMessage atBob = bob->messages.first();
    QCOMPARE(atBob.text, hello);
    QCOMPARE(atBob.from, QStringLiteral("alice"));
    QCOMPARE(atBob.target, QStringLiteral("#chat"));
    QCOMPARE(atBob.conversation, QStringLiteral("#chat"));
    QVERIFY(!atBob.own && !atBob.notice && !atBob.action);
    QVERIFY(atBob.timestamp.isValid());
    QCOMPARE(alice->messages.first().text, chinese);
    QCOMPARE(alice->messages.first().from, QStringLiteral("bob"));

    // Our own line is shown once, locally; the server does not echo it.
    QCOMPARE(alice->ownMessages.size(), 1);
    QCOMPARE(alice->ownMessages.first().text, hello);
    QCOMPARE(alice->ownMessages.first().from, QStringLiteral("alice"));
    QCOMPARE(bob->ownMessages.first().text, chinese);
}

void tst_ChatClient::privateMessage()
{
    TestUser *alice = registeredUser(QStringLiteral("alice"));
    TestUser *bob = registeredUser(QStringLiteral("bob"));
    QVERIFY(alice && bob);
    alice->client.sendMessage(QStringLiteral("bob"), QStringLiteral("psst, bob"));
    QTRY_COMPARE(bob->messages.size(), 1);
    const Client::ChatMessage message = bob->messages.first();
    QCOMPARE(message.text, QStringLiteral("psst, bob"));
    QCOMPARE(message.target, QStringLiteral("bob"));
    QCOMPARE(message.conversation, QStringLiteral("alice")); // shown in a query with alice
    QCOMPARE(alice->ownMessages.first().conversation, QStringLiteral("bob"));
}

void tst_ChatClient::action()
{
    TestUser *alice = registeredUser(QStringLiteral("alice"));
    TestUser *bob = registeredUser(QStringLiteral("bob"));
    QVERIFY(alice && bob);
    QVERIFY(joinAll(QStringLiteral("#act"), {alice, bob}));
    alice->client.sendAction(QStringLiteral("#act"), QStringLiteral("waves 👋"));
    QTRY_COMPARE(bob->messages.size(), 1);
    QCOMPARE(bob->messages.first().text, QStringLiteral("waves 👋"));
    QVERIFY(bob->messages.first().action);
    QVERIFY(!bob->messages.first().notice);
    QVERIFY(alice->ownMessages.first().action);
}

void tst_ChatClient::notice()
{
    TestUser *alice = registeredUser(QStringLiteral("alice"));
    TestUser *bob = registeredUser(QStringLiteral("bob"));
    QVERIFY(alice && bob);
    QVERIFY(joinAll(QStringLiteral("#note"), {alice, bob}));
    alice->client.sendNotice(QStringLiteral("#note"), QStringLiteral("channel notice"));
    alice->client.sendNotice(QStringLiteral("bob"), QStringLiteral("private notice"));
    QTRY_VERIFY(bob->messageWithText(QStringLiteral("private notice")));
    const auto inChannel = bob->messageWithText(QStringLiteral("channel notice"));
    QVERIFY(inChannel);
    QVERIFY(inChannel->notice);
    QCOMPARE(inChannel->conversation, QStringLiteral("#note"));
    const auto direct = bob->messageWithText(QStringLiteral("private notice"));
    QVERIFY(direct->notice);
    QCOMPARE(direct->conversation, QStringLiteral("alice"));
    QVERIFY(!direct->fromServer);
}

void tst_ChatClient::nickChangeSeenByOthers()
{
    TestUser *alice = registeredUser(QStringLiteral("alice"));
    TestUser *bob = registeredUser(QStringLiteral("bob"));
    QVERIFY(alice && bob);
    QVERIFY(joinAll(QStringLiteral("#nicks"), {alice, bob}));
    QSignalSpy namesChanged(&bob->client, &Client::ChatClient::namesChanged);
    alice->client.changeNick(QStringLiteral("alicia"));

    QTRY_VERIFY(bob->hasEvent(entry({"nick", "alice", "alicia", "other"})));
    QTRY_VERIFY(alice->hasEvent(entry({"nick", "alice", "alicia", "self"})));
    QCOMPARE(alice->client.nick(), QStringLiteral("alicia"));
    QCOMPARE(namesChanged.size(), 1);
    const Client::ChannelState channel = bob->client.channel(QStringLiteral("#nicks"));
    QVERIFY(channel.hasMember(QStringLiteral("alicia")));
    QVERIFY(!channel.hasMember(QStringLiteral("alice")));
    QCOMPARE(channel.prefixesOf(QStringLiteral("alicia")), QStringLiteral("@"));

    // Messages now come from the new nick.
    alice->client.sendMessage(QStringLiteral("#nicks"), QStringLiteral("renamed"));
    QTRY_COMPARE(bob->messages.size(), 1);
    QCOMPARE(bob->messages.first().from, QStringLiteral("alicia"));
}

void tst_ChatClient::nickInUseRetriesWithSuffix()
{
    TestUser *first = registeredUser(QStringLiteral("dup"));
    QVERIFY(first);
    TestUser *second = registeredUser(QStringLiteral("dup"));
    QVERIFY(second);
    QCOMPARE(second->client.nick(), QStringLiteral("dup_"));
    TestUser *third = registeredUser(QStringLiteral("DUP"));
    QVERIFY(third);
    QCOMPARE(third->client.nick(), QStringLiteral("DUP_2"));

    // After registration a taken nick is an error for the UI, not a silent retry.
    second->client.changeNick(QStringLiteral("dup"));
    QTRY_VERIFY(second->hasEventMatching([](const QStringList &e) {
        return e.value(0) == QLatin1String("error")
            && e.value(1) == QLatin1String(Numeric::NicknameInUse);
    }));
    QCOMPARE(second->client.nick(), QStringLiteral("dup_"));
}

void tst_ChatClient::erroneousNickFails()
{
    TestUser *user = addUser(QStringLiteral("1-bad"));
    QTRY_VERIFY(!user->errors.isEmpty());
    QTRY_COMPARE(user->client.state(), Client::ChatClient::State::Disconnected);
    QVERIFY(user->errors.first().contains(QLatin1String("1-bad")));
    QVERIFY(user->hasEventMatching([](const QStringList &e) {
        return e.value(1) == QLatin1String(Numeric::ErroneousNickname);
    }));
    QVERIFY(!user->client.isReconnectPending());
}

void tst_ChatClient::topicSetAndSeen()
{
    TestUser *alice = registeredUser(QStringLiteral("alice"));
    TestUser *bob = registeredUser(QStringLiteral("bob"));
    QVERIFY(alice && bob);
    QVERIFY(joinAll(QStringLiteral("#topic"), {alice, bob}));
    const QString topic = QStringLiteral("话题: release on Friday");
    alice->client.setTopic(QStringLiteral("#topic"), topic);
    QTRY_VERIFY(bob->hasEvent(entry({"topic", "#topic", topic, "alice"})));
    QTRY_VERIFY(alice->hasEvent(entry({"topic", "#topic", topic, "alice"})));
    QCOMPARE(bob->client.channel(QStringLiteral("#topic")).topic(), topic);
    QCOMPARE(bob->client.channel(QStringLiteral("#topic")).topicSetBy(), QStringLiteral("alice"));

    // A later joiner learns it from 332.
    TestUser *carol = registeredUser(QStringLiteral("carol"));
    QVERIFY(carol);
    QVERIFY(joinAll(QStringLiteral("#topic"), {carol}));
    QTRY_COMPARE(carol->client.channel(QStringLiteral("#topic")).topic(), topic);
}

void tst_ChatClient::partAndQuitSeenWithReasons()
{
    TestUser *alice = registeredUser(QStringLiteral("alice"));
    TestUser *bob = registeredUser(QStringLiteral("bob"));
    TestUser *carol = registeredUser(QStringLiteral("carol"));
    QVERIFY(alice && bob && carol);
    QVERIFY(joinAll(QStringLiteral("#bye"), {alice, bob, carol}));

    bob->client.part(QStringLiteral("#bye"), QStringLiteral("see you later"));
    QTRY_VERIFY(alice->hasEvent(entry({"parted", "#bye", "bob", "see you later", "other"})));
    QTRY_VERIFY(bob->hasEvent(entry({"parted", "#bye", "bob", "see you later", "self"})));
    QVERIFY(!bob->client.isJoined(QStringLiteral("#bye")));
    QVERIFY(!alice->client.channel(QStringLiteral("#bye")).hasMember(QStringLiteral("bob")));

    carol->client.disconnectFromServer(QStringLiteral("bye all"));
    QTRY_VERIFY(alice->hasEventMatching([](const QStringList &e) {
        return e.value(0) == QLatin1String("quit") && e.value(1) == QLatin1String("carol")
            && e.value(2).contains(QLatin1String("bye all")) && e.value(3) == QLatin1String("#bye");
    }));
    QCOMPARE(alice->client.channel(QStringLiteral("#bye")).nicks(),
             QStringList {QStringLiteral("alice")});
    QTRY_COMPARE(carol->client.state(), Client::ChatClient::State::Disconnected);
    QVERIFY(carol->errors.isEmpty());
}

void tst_ChatClient::kickSeen()
{
    TestUser *alice = registeredUser(QStringLiteral("alice"));
    TestUser *bob = registeredUser(QStringLiteral("bob"));
    QVERIFY(alice && bob);
    QVERIFY(joinAll(QStringLiteral("#kick"), {alice, bob}));
    alice->client.sendRaw("KICK #kick bob :behave");
    QTRY_VERIFY(bob->hasEvent(entry({"kicked", "#kick", "bob", "alice", "behave", "self"})));
    QTRY_VERIFY(alice->hasEvent(entry({"kicked", "#kick", "bob", "alice", "behave", "other"})));
    QVERIFY(!bob->client.isJoined(QStringLiteral("#kick")));
    QCOMPARE(alice->client.channel(QStringLiteral("#kick")).nicks(),
             QStringList {QStringLiteral("alice")});
}

void tst_ChatClient::modeChangeUpdatesPrefixes()
{
    TestUser *alice = registeredUser(QStringLiteral("alice"));
    TestUser *bob = registeredUser(QStringLiteral("bob"));
    QVERIFY(alice && bob);
    QVERIFY(joinAll(QStringLiteral("#modes"), {alice, bob}));
    alice->client.sendRaw("MODE #modes +v bob");
    QTRY_COMPARE(bob->client.channel(QStringLiteral("#modes")).prefixesOf(QStringLiteral("bob")),
                 QStringLiteral("+"));
    QTRY_COMPARE(alice->client.channel(QStringLiteral("#modes")).prefixesOf(QStringLiteral("bob")),
                 QStringLiteral("+"));
    const QStringList ordered = {QStringLiteral("alice"), QStringLiteral("bob")};
    QCOMPARE(alice->client.channel(QStringLiteral("#modes")).nicks(), ordered);
}

void tst_ChatClient::longMessageArrivesWhole()
{
    TestUser *alice = registeredUser(QStringLiteral("alice_with_a_long_nick"));
    TestUser *bob = registeredUser(QStringLiteral("bob"));
    QVERIFY(alice && bob);
    QVERIFY(joinAll(QStringLiteral("#long"), {alice, bob}));
    const QString text = longText();
    QVERIFY(text.toUtf8().size() > 1500);
    alice->client.sendMessage(QStringLiteral("#long"), text);

    const auto joined = [](const QList<Client::ChatMessage> &messages) {
        QString all;
        for (const Client::ChatMessage &message : messages)
            all += message.text;
        return all;
    };
    QTRY_VERIFY(joined(bob->messages).size() >= text.size());
    QCOMPARE(joined(bob->messages), text);
    QVERIFY(bob->messages.size() >= 4);
    for (const Client::ChatMessage &piece : std::as_const(bob->messages))
        QVERIFY(!piece.text.contains(QChar::ReplacementCharacter));
    QCOMPARE(joined(alice->ownMessages), text);
    QCOMPARE(alice->ownMessages.size(), bob->messages.size());
}

void tst_ChatClient::invalidUtf8IsReplaced()
{
    TestUser *alice = registeredUser(QStringLiteral("alice"));
    QVERIFY(alice);
    QVERIFY(joinAll(QStringLiteral("#bytes"), {alice}));
    RawClient raw;
    QVERIFY(raw.connectTo(m_backend->port()));
    QVERIFY(raw.registerAs("raw"));
    raw.send("JOIN #bytes");
    QVERIFY(raw.expect(Numeric::EndOfNames));
    raw.send("PRIVMSG #bytes :ok \xff\xfe end");
    QTRY_COMPARE(alice->messages.size(), 1);
    QCOMPARE(alice->messages.first().text, QStringLiteral("ok \uFFFD\uFFFD end"));
}

void tst_ChatClient::password()
{
    QFETCH(QString, backend);
    std::unique_ptr<TestBackend> guarded = TestBackend::make(backend.toLatin1());
    QString error;
    QVERIFY2(guarded->start("sesame", &error), qPrintable(error));

    TestUser wrong;
    Client::ClientSettings settings = settingsFor(guarded->port(), QStringLiteral("intruder"));
    settings.password = QStringLiteral("guess");
    wrong.client.connectToServer(settings);
    QTRY_COMPARE(wrong.client.state(), Client::ChatClient::State::Disconnected);
    QVERIFY(!wrong.errors.isEmpty());
    QVERIFY(!wrong.client.isRegistered());

    TestUser right;
    settings.nick = QStringLiteral("friend");
    settings.password = QStringLiteral("sesame");
    right.client.connectToServer(settings);
    QTRY_VERIFY(right.client.isRegistered());
}

void tst_ChatClient::autoJoinAfterRegistration()
{
    TestUser *alice
        = addUser(QStringLiteral("alice"), {QStringLiteral("#one"), QStringLiteral("#two")});
    QTRY_VERIFY(alice->isIn(QStringLiteral("#one")));
    QTRY_VERIFY(alice->isIn(QStringLiteral("#two")));
    const QStringList expected = {QStringLiteral("#one"), QStringLiteral("#two")};
    QCOMPARE(alice->client.channels(), expected);
}

void tst_ChatClient::disconnectSendsQuit()
{
    TestUser *alice = registeredUser(QStringLiteral("alice"));
    QVERIFY(alice);
    alice->client.disconnectFromServer(QStringLiteral("done"));
    QTRY_COMPARE(alice->client.state(), Client::ChatClient::State::Disconnected);
    QVERIFY(alice->errors.isEmpty());
    QVERIFY(!alice->client.isReconnectPending());
    QVERIFY(alice->client.channels().isEmpty());
}

void tst_ChatClient::capabilitiesNegotiated()
{
    TestUser *alice = registeredUser(QStringLiteral("alice"));
    QVERIFY(alice);
    QCOMPARE(alice->client.enabledCapabilities(), m_backend->capabilities());
}

void tst_ChatClient::channelModesTracked()
{
    TestUser *alice = registeredUser(QStringLiteral("alice"));
    TestUser *bob = registeredUser(QStringLiteral("bob"));
    QVERIFY(alice && bob);
    const QString channel = QStringLiteral("#modes");
    QSignalSpy status(&bob->client, &Client::ChatClient::statusMessage);
    QVERIFY(joinAll(channel, {alice, bob}));
    alice->client.sendRaw("MODE #modes +kl sesame 5");
    QTRY_COMPARE(bob->client.channel(channel).key(), QStringLiteral("sesame"));
    QCOMPARE(bob->client.channel(channel).limit(), 5);
    QTRY_COMPARE(alice->client.channel(channel).limit(), 5);

    // A later joiner learns them from the 324 the client asks for after its JOIN.
    TestUser *carol = registeredUser(QStringLiteral("carol"));
    QVERIFY(carol);
    carol->client.join(channel, QStringLiteral("sesame"));
    QTRY_COMPARE(carol->client.channel(channel).key(), QStringLiteral("sesame"));
    QCOMPARE(carol->client.channel(channel).limit(), 5);
    QVERIFY(carol->client.channel(channel).hasMode('k'));

    alice->client.sendRaw("MODE #modes -k+im-l sesame");
    QTRY_VERIFY(bob->client.channel(channel).hasMode('m'));
    const Client::ChannelState seen = bob->client.channel(channel);
    QVERIFY(seen.hasMode('i'));
    QVERIFY(seen.key().isEmpty());
    QCOMPARE(seen.limit(), 0);
    QTRY_COMPARE(carol->client.channel(channel).modes(), seen.modes());
    // The MODE query after the join was the client's own: nothing of it in the status view.
    for (const QList<QVariant> &line : std::as_const(status))
        QVERIFY2(!line.first().toString().startsWith(channel), qPrintable(line.first().toString()));
}

void tst_ChatClient::banListTracked()
{
    TestUser *alice = registeredUser(QStringLiteral("alice"));
    TestUser *bob = registeredUser(QStringLiteral("bob"));
    QVERIFY(alice && bob);
    const QString channel = QStringLiteral("#bans");
    QVERIFY(joinAll(channel, {alice, bob}));
    alice->client.sendRaw("MODE #bans +b troll!*@*");
    QTRY_COMPARE(bob->client.channel(channel).bans().size(), 1);
    QCOMPARE(bob->client.channel(channel).bans().first().mask, QStringLiteral("troll!*@*"));
    QCOMPARE(bob->client.channel(channel).bans().first().setBy, QStringLiteral("alice"));
    QVERIFY(!bob->client.channel(channel).isBanListKnown());

    QSignalSpy listed(&bob->client, &Client::ChatClient::banListChanged);
    bob->client.requestBanList(channel);
    QVERIFY(listed.wait(WaitMs));
    const Client::ChannelState seen = bob->client.channel(channel);
    QVERIFY(seen.isBanListKnown());
    QCOMPARE(seen.bans().size(), 1);
    QCOMPARE(seen.bans().first().mask, QStringLiteral("troll!*@*"));
    QCOMPARE(seen.bans().first().setBy, QStringLiteral("alice"));
    QVERIFY(seen.bans().first().setAt.isValid());

    alice->client.sendRaw("MODE #bans -b troll!*@*");
    QTRY_VERIFY(bob->client.channel(channel).bans().isEmpty());
}

void tst_ChatClient::awayStatesTracked()
{
    TestUser *alice = registeredUser(QStringLiteral("alice"));
    TestUser *bob = registeredUser(QStringLiteral("bob"));
    TestUser *carol = registeredUser(QStringLiteral("carol"));
    QVERIFY(alice && bob && carol);
    const QString channel = QStringLiteral("#away");
    QVERIFY(joinAll(channel, {alice, bob, carol}));
    QSignalSpy ownAway(&alice->client, &Client::ChatClient::awayChanged);
    alice->client.setAway(QStringLiteral("lunch"));
    QTRY_VERIFY(alice->client.isAway());
    QCOMPARE(ownAway.first().mid(0, 2), (QVariantList {QStringLiteral("alice"), true}));
    QVERIFY(seenAway(alice, channel, QStringLiteral("alice")));

    if (m_backend->capabilities().contains(QStringLiteral("away-notify"))) {
        // Told at once; and whoever joins later asks WHO and sees it from the G flag.
        QTRY_VERIFY(seenAway(bob, channel, QStringLiteral("alice")));
        QTRY_VERIFY(seenAway(carol, channel, QStringLiteral("alice")));
        TestUser *dave = registeredUser(QStringLiteral("dave"));
        QVERIFY(dave && joinAll(channel, {dave}));
        QTRY_VERIFY(seenAway(dave, channel, QStringLiteral("alice")));
        QVERIFY(!seenAway(dave, channel, QStringLiteral("bob")));
    } else {
        // bob learns it from the 301 that answers his message, carol from WHO's G flag.
        QVERIFY(!seenAway(bob, channel, QStringLiteral("alice")));
        bob->client.sendMessage(QStringLiteral("alice"), QStringLiteral("there?"));
        QTRY_VERIFY(seenAway(bob, channel, QStringLiteral("alice")));
        carol->client.sendRaw("WHO #away");
        QTRY_VERIFY(seenAway(carol, channel, QStringLiteral("alice")));
        QVERIFY(!seenAway(carol, channel, QStringLiteral("bob")));
    }

    alice->client.setAway(QString());
    QTRY_VERIFY(!alice->client.isAway());
    QVERIFY(!seenAway(alice, channel, QStringLiteral("alice")));
    if (m_backend->capabilities().contains(QStringLiteral("away-notify")))
        QTRY_VERIFY(!seenAway(bob, channel, QStringLiteral("alice")));
}

void tst_ChatClient::whoisStructured()
{
    TestUser *alice = registeredUser(QStringLiteral("alice"));
    TestUser *bob = registeredUser(QStringLiteral("bob"));
    QVERIFY(alice && bob);
    QVERIFY(joinAll(QStringLiteral("#whois"), {alice, bob}));
    QSignalSpy whois(&alice->client, &Client::ChatClient::whoisReceived);
    QSignalSpy status(&alice->client, &Client::ChatClient::statusMessage);
    QSignalSpy sent(&alice->client, &Client::ChatClient::lineSent);
    const QDateTime asked = QDateTime::currentDateTimeUtc();
    alice->client.requestWhois(QStringLiteral("BOB"));
    QVERIFY(whois.wait(WaitMs));
    // Labeled where the server answers labels (the reply then comes as a labeled batch).
    const QByteArray request = sent.last().first().toByteArray();
    const bool labels = m_backend->capabilities().contains(QStringLiteral("labeled-response"));
    QCOMPARE(request.startsWith("@label="), labels);
    QVERIFY2(request.endsWith("WHOIS BOB"), request.constData());
    const auto info = whois.first().first().value<Client::WhoisInfo>();
    QVERIFY(info.found);
    QCOMPARE(info.nick, QStringLiteral("bob"));
    QVERIFY2(info.user.endsWith(QLatin1String("qtchat")), qPrintable(info.user)); // ngircd: ~
    QVERIFY(!info.host.isEmpty());
    QCOMPARE(info.realName, QStringLiteral("QtChat test"));
    QVERIFY(!info.server.isEmpty());
    QCOMPARE(info.channels, QStringList {QStringLiteral("#whois")});
    QVERIFY(!info.isOperator && !info.away);
    QVERIFY(info.idleSeconds >= 0);
    QVERIFY(info.signOn.isValid() && info.signOn <= asked);
    QVERIFY(status.isEmpty());

    alice->client.requestWhois(QStringLiteral("nobody"));
    QVERIFY(whois.wait(WaitMs));
    const auto missing = whois.last().first().value<Client::WhoisInfo>();
    QVERIFY(!missing.found);
    QCOMPARE(missing.nick, QStringLiteral("nobody"));
    QVERIFY(!missing.error.isEmpty());
}

void tst_ChatClient::channelListStructured()
{
    TestUser *alice = registeredUser(QStringLiteral("alice"));
    TestUser *bob = registeredUser(QStringLiteral("bob"));
    QVERIFY(alice && bob);
    QVERIFY(joinAll(QStringLiteral("#listed"), {alice, bob}));
    alice->client.setTopic(QStringLiteral("#listed"), QStringLiteral("Qt talk: 6.4"));
    QTRY_COMPARE(bob->client.channel(QStringLiteral("#listed")).topic(),
                 QStringLiteral("Qt talk: 6.4"));
    QSignalSpy lists(&bob->client, &Client::ChatClient::channelListReceived);
    bob->client.requestChannelList();
    QVERIFY(lists.wait(WaitMs));
    const auto entries = lists.first().first().value<QList<Client::ChannelListEntry>>();
    const Client::ChannelListEntry expected {QStringLiteral("#listed"), 2,
                                             QStringLiteral("Qt talk: 6.4")};
    QVERIFY2(entries.contains(expected), qPrintable(QString::number(entries.size())));
}

void tst_ChatClient::serverTimeAndMessageIds()
{
    TestUser *alice = registeredUser(QStringLiteral("alice"));
    TestUser *bob = registeredUser(QStringLiteral("bob"));
    QVERIFY(alice && bob);
    QVERIFY(joinAll(QStringLiteral("#time"), {alice, bob}));
    QSignalSpy raw(&bob->client, &Client::ChatClient::lineReceived);
    const QDateTime before = QDateTime::currentDateTimeUtc();
    alice->client.sendMessage(QStringLiteral("#time"), QStringLiteral("when?"));
    QTRY_COMPARE(bob->messages.size(), 1);
    const Client::ChatMessage message = bob->messages.first();
    QByteArray line;
    for (const QList<QVariant> &received : std::as_const(raw)) {
        if (received.first().toByteArray().contains("PRIVMSG #time"))
            line = received.first().toByteArray();
    }
    const Irc::MessageTags tags = Irc::parseTags(Irc::splitTags(line).tagData);
    const std::optional<QByteArray> time = Irc::tagValue(tags, Irc::Tag::Time);
    const std::optional<QByteArray> id = Irc::tagValue(tags, Irc::Tag::MessageId);
    const QStringList caps = m_backend->capabilities();
    QCOMPARE(time.has_value(), caps.contains(QStringLiteral("server-time")));
    if (time) // the server's time, to the millisecond
        QCOMPARE(message.timestamp,
                 QDateTime::fromString(QString::fromLatin1(*time), Qt::ISODateWithMs));
    QVERIFY(message.timestamp >= before.addMSecs(-1)
            && message.timestamp <= QDateTime::currentDateTimeUtc());
    QCOMPARE(message.id, QString::fromLatin1(id.value_or(QByteArray())));

    // With echo-message alice sees her line as the server relayed it: the same id and time.
    QTRY_COMPARE(alice->ownMessages.size(), 1);
    const Client::ChatMessage own = alice->ownMessages.first();
    QVERIFY(own.own);
    QCOMPARE(own.text, QStringLiteral("when?"));
    if (caps.contains(QStringLiteral("echo-message"))) {
        QCOMPARE(own.id, message.id);
        QCOMPARE(own.timestamp, message.timestamp);
    } else {
        QVERIFY(own.id.isEmpty());
    }
}

void tst_ChatClient::realNameChange()
{
    TestUser *alice = registeredUser(QStringLiteral("alice"));
    TestUser *bob = registeredUser(QStringLiteral("bob"));
    QVERIFY(alice && bob);
    QVERIFY(joinAll(QStringLiteral("#names"), {alice, bob}));
    QSignalSpy changed(&bob->client, &Client::ChatClient::realNameChanged);
    QSignalSpy refused(&alice->client, &Client::ChatClient::errorOccurred);
    alice->client.setRealName(QStringLiteral("Alice Liddell"));
    if (!m_backend->capabilities().contains(QStringLiteral("setname"))) {
        QCOMPARE(refused.size(), 1); // nothing sent to a server that does not offer it
        return;
    }
    QVERIFY(changed.wait(WaitMs));
    QCOMPARE(changed.first().mid(0, 2),
             (QVariantList {QStringLiteral("alice"), QStringLiteral("Alice Liddell")}));
    QSignalSpy whois(&bob->client, &Client::ChatClient::whoisReceived);
    bob->client.requestWhois(QStringLiteral("alice"));
    QVERIFY(whois.wait(WaitMs));
    QCOMPARE(whois.first().first().value<Client::WhoisInfo>().realName,
             QStringLiteral("Alice Liddell"));
}

void tst_ChatClient::pingAnswered()
{
    ScriptedPeer peer;
    QVERIFY(peer.listen());
    Client::ChatClient client;
    client.connectToServer(settingsFor(peer.port(), QStringLiteral("pinger")));
    QVERIFY(peer.waitForConnections(1));

    // Some servers ping before the welcome and wait for the answer to register us.
    QVERIFY(peer.expect("USER"));
    peer.send("PING :early-cookie");
    std::optional<Irc::IrcMessage> pong = peer.expect("PONG");
    QVERIFY(pong);
    QCOMPARE(pong->param(0), QByteArray("early-cookie"));

    peer.sendFromPeer(Numeric::Welcome, {"pinger", "Welcome"});
    peer.sendFromPeer(Numeric::NoMotd, {"pinger", "MOTD File is missing"});
    QTRY_VERIFY(client.isRegistered());
    peer.send(":scripted.peer PING :token with spaces");
    pong = peer.expect("PONG");
    QVERIFY(pong);
    QCOMPARE(pong->param(0), QByteArray("token with spaces"));
}

void tst_ChatClient::reconnectsWithBackoffAndRejoins()
{
    ScriptedPeer peer;
    QVERIFY(peer.listen());
    Client::ChatClient client;
    QSignalSpy scheduled(&client, &Client::ChatClient::reconnectScheduled);
    QSignalSpy registered(&client, &Client::ChatClient::registered);
    Client::ClientSettings settings = settingsFor(peer.port(), QStringLiteral("phoenix"));
    settings.autoReconnect = true;
    client.connectToServer(settings);
    client.join(QStringLiteral("#rejoin"));

    QVERIFY(peer.waitForConnections(1));
    QVERIFY(peer.registerClient());
    QVERIFY(peer.expect("CAP")); // CAP END once we answered LS
    QVERIFY(peer.expect("JOIN"));
    peer.send(":phoenix!u@h JOIN #rejoin");
    QTRY_VERIFY(client.isJoined(QStringLiteral("#rejoin")));

    // Drop 1: after registration the backoff starts at 1 s.
    QElapsedTimer clock;
    clock.start();
    peer.drop();
    QTRY_COMPARE(scheduled.size(), 1);
    QCOMPARE(scheduled.at(0), (QVariantList {1, 1000}));
    QCOMPARE(client.state(), Client::ChatClient::State::Disconnected);
    QVERIFY(!client.isJoined(QStringLiteral("#rejoin")));
    QVERIFY(peer.waitForConnections(2));
    QVERIFY2(clock.elapsed() >= 900, qPrintable(QString::number(clock.elapsed())));

    // Drop 2 before registering: the delay doubles.
    clock.restart();
    peer.drop();
    QTRY_COMPARE(scheduled.size(), 2);
    QCOMPARE(scheduled.at(1), (QVariantList {2, 2000}));
    QVERIFY(peer.waitForConnections(3));
    QVERIFY2(clock.elapsed() >= 1900, qPrintable(QString::number(clock.elapsed())));

    // Connection 3 registers and rejoins what we were in.
    QVERIFY(peer.registerClient());
    const std::optional<Irc::IrcMessage> rejoin = peer.expect("JOIN");
    QVERIFY(rejoin);
    QCOMPARE(rejoin->param(0), QByteArray("#rejoin"));
    QTRY_COMPARE(registered.size(), 2);

    // A successful registration resets the backoff; a user disconnect cancels the retry.
    peer.drop();
    QTRY_COMPARE(scheduled.size(), 3);
    QCOMPARE(scheduled.at(2), (QVariantList {1, 1000}));
    QVERIFY(client.isReconnectPending());
    client.disconnectFromServer();
    QVERIFY(!client.isReconnectPending());
    QCOMPARE(client.state(), Client::ChatClient::State::Disconnected);
}

void tst_ChatClient::connectionRefusedBacksOff()
{
    quint16 closedPort = 0;
    {
        QTcpServer probe; // a port that was free a moment ago and now refuses connections
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        closedPort = probe.serverPort();
    }
    Client::ChatClient client;
    client.setReconnectDelays(50, 150);
    QSignalSpy scheduled(&client, &Client::ChatClient::reconnectScheduled);
    QSignalSpy errors(&client, &Client::ChatClient::errorOccurred);
    Client::ClientSettings settings = settingsFor(closedPort, QStringLiteral("nobody"));
    settings.autoReconnect = true;
    client.connectToServer(settings);
    QTRY_VERIFY(scheduled.size() >= 4);
    QCOMPARE(scheduled.at(0).at(1).toInt(), 50);
    QCOMPARE(scheduled.at(1).at(1).toInt(), 100);
    QCOMPARE(scheduled.at(2).at(1).toInt(), 150); // capped
    QCOMPARE(scheduled.at(3).at(1).toInt(), 150);
    QVERIFY(errors.size() >= 4);
    client.disconnectFromServer();
    QVERIFY(!client.isReconnectPending());
}

QTEST_GUILESS_MAIN(tst_ChatClient)
#include "tst_chatclient.moc"
