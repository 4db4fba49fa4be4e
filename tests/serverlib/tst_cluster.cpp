// Several ChatServers as one IRC network through one real redis-server: each node in this
// process with a registry of its own, raw IRC clients on loopback. Channel chat crosses nodes
// both ways, private messages reach a nick on another node, a nick has one holder network-wide,
// NAMES, WHO and TOPIC show the whole channel, a node cut off as by a crash is announced with
// QUIT and its nicks come free, and the network recovers from a Redis restart.
#include "clusterlib/nodedirectory.h"
#include "clusterlib/redislink.h"
#include "clusterlib/redisurl.h"
#include "protocol/numerics.h"
#include "serverlib/chatserver.h"
#include "serverlib/clusternode.h"
#include "serverlib/passwordhash.h"
#include "storagelib/store.h"
#include "tests/support/logcapture.h"
#include "tests/support/rawclient.h"
#include "tests/support/redisprocess.h"
#include "tests/support/tcpproxy.h"

#include <QRegularExpression>
#include <QScopeGuard>
#include <QSemaphore>
#include <QSet>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

namespace Numeric = Irc::Numeric;

namespace {

constexpr int WaitMs = 10'000;
// Short, so that a node cut off is swept within about two and a half seconds.
constexpr int NodeTtlMs = 2000;
constexpr char OperatorName[] = "chief";
constexpr char OperatorPassword[] = "open sesame";

class Node
{
public:
    // With `database` (an SQLite file the nodes share), the node has accounts.
    bool start(const QString &url, const QByteArray &name, const QString &database = {})
    {
        Server::ServerConfig config;
        config.port = 0;
        config.workers = 2;
        config.history.enabled = !database.isEmpty();
        config.history.database = database;
        config.accountHashCost = Server::PasswordHash::Cost::Minimal;
        config.cluster.redisUrl = url;
        config.cluster.nodeName = QString::fromUtf8(name);
        config.cluster.nodeTtlMs = NodeTtlMs;
        config.limits.noLimits = true; // traffic from one client, past flood control
        config.operators
            = {{OperatorName,
                Server::PasswordHash::make(OperatorPassword, Server::PasswordHash::Cost::Minimal)}};
        if (!database.isEmpty() && !openStore(database))
            return false;
        return server.start(config, store);
    }
    quint16 port() const { return server.serverPort(); }

    std::unique_ptr<RawClient> client(const QByteArray &nick)
    {
        auto client = std::make_unique<RawClient>();
        if (!client->connectTo(port()) || !client->registerAs(nick))
            return nullptr;
        return client;
    }
    // Once the server has stopped: the store writes what it holds and closes.
    bool closeStore()
    {
        if (!store)
            return true;
        QSignalSpy closed(store.get(), &Storage::Store::closed);
        store->close();
        return closed.wait(WaitMs);
    }

    Server::ChatServer server;
    std::shared_ptr<Storage::Store> store;

private:
    bool openStore(const QString &database)
    {
        Storage::StoreConfig config;
        QString error;
        config.location = Storage::DatabaseLocation::parse(database, &error);
        // The last reference may go in a worker that outlived the stop: deleted in its thread.
        store = std::shared_ptr<Storage::Store>(
            new Storage::Store(config), [](Storage::Store *store) { store->deleteLater(); });
        QSignalSpy opened(store.get(), &Storage::Store::opened);
        store->open();
        return error.isEmpty() && opened.wait(WaitMs)
            && opened.first().first().toString().isEmpty();
    }
};

// `@time=...;msgid=... ` of a line as it came: its tags, or empty.
QByteArray tagsOf(const std::optional<QByteArray> &line)
{
    return line && line->startsWith('@') ? line->first(line->indexOf(' ')) : QByteArray();
}

// `key`'s value in a line's tags, or empty.
QByteArray tagValue(const QByteArray &line, const QByteArray &key)
{
    for (const QByteArray &tag : tagsOf(line).mid(1).split(';')) {
        if (tag.startsWith(QByteArray(key + '=')))
            return tag.mid(key.size() + 1);
    }
    return {};
}

// The members NAMES lists on `channel`, with their prefixes, in no order; none if it did not come.
QSet<QByteArray> namesOn(RawClient &client, const QByteArray &channel)
{
    client.send("NAMES " + channel);
    const auto names = client.expect(Numeric::NamReply, WaitMs);
    if (!names)
        return {};
    const QList<QByteArray> members = names->param(3).split(' ');
    return {members.cbegin(), members.cend()};
}

bool hasParam(const Irc::IrcMessage &message, const QByteArray &text)
{
    return std::any_of(message.params.cbegin(), message.params.cend(),
                       [&text](const QByteArray &param) { return param.contains(text); });
}

} // namespace

class TestCluster : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void channelChatCrossesNodesBothWays();
    void namesWhoAndTopicShowTheWholeChannel();
    void modeAndKickReachTheOtherNode();
    void privateMessageReachesANickOnAnotherNode();
    void nickChangeIsClaimedAcrossNodes();
    void simultaneousClaimsOfOneNickHaveOneWinner();
    void aStoppedNodeIsAnnouncedAtOnce();
    void aNodeCutOffIsAnnouncedAndItsNicksComeFree();
    void serviceResumesAfterRedisRestarts();
    void membersWhoLeftDuringACutAreSeenLeavingAsTheyLeft();
    void aNickGivenAwayDuringACutIsRenamedOnTheLateNode();
    void theChannelsFirstMemberNetworkWideIsItsOperator();
    void noSecondOperatorWhileNodesEnterTheirChannelsAgain();
    void aNodeDroppedByRedisForFallingBehindResynchronises();
    void redisRestartedUnderTrafficLosesOnlyWhatWasSaidMeanwhile();
    void aLineHasOneMsgidAndTimeOnEveryNode();
    void channelHistoryHasTheMsgidsSeenLive();
    void accountsAreSeenOnEveryNode();
    void aRegisteredNickIsItsAccountsOnEveryNode();
    void privateLinesBetweenAccountsOnTwoNodesAreStored();
    void whoisFindsAUserOfAnotherNodeSharingNoChannel();
    void killReachesAUserOfAnotherNode();
    void wallopsReachPlusWUsersOnEveryNode();
    void inviteToAnInviteOnlyChannelCrossesNodes();
    void aPasswordProtectedRedisLinksOnlyNodesWithThePassword();

private:
    // `nick` on `node`, registered, on #lobby; seen there by `others` (each sees the JOIN).
    std::unique_ptr<RawClient> joinLobby(Node &node, const QByteArray &nick,
                                         const QList<RawClient *> &others = {});
    // Alice on node A and bob on node B, on #lobby, each seen there by the other.
    bool meetInLobby(std::unique_ptr<RawClient> &alice, std::unique_ptr<RawClient> &bob);
    // `client` is a server operator once OPER is answered.
    static bool makeOperator(RawClient &client);
    // The replies to `WHOIS nick` up to its 318, asked again (at most a few times) until
    // `done` holds for them: what another node tells of its user reaches Redis on that node's
    // own connection, so a first question may come before it.
    static QList<Irc::IrcMessage>
    whoisUntil(RawClient &client, const QByteArray &nick,
               const std::function<bool(const QList<Irc::IrcMessage> &)> &done);
    static void cutOffRedis(Node &node) { node.server.m_cluster->m_link->stop(); }
    static bool isLinked(Node &node) { return node.server.m_cluster->front()->isLinked(); }

    std::unique_ptr<RedisProcess> m_redis;
    // Node A reaches Redis through it, so that A alone can be cut off and linked again.
    std::unique_ptr<TcpProxy> m_proxyA;
    std::unique_ptr<Node> m_a, m_b;
    QTemporaryDir m_dir; // the accounts' database, for the tests that have accounts
};

void TestCluster::init()
{
    m_redis = std::make_unique<RedisProcess>();
    QVERIFY2(m_redis->start(), qPrintable(m_redis->errorString()));
    m_proxyA = std::make_unique<TcpProxy>(m_redis->port());
    QVERIFY(m_proxyA->start());
    m_a = std::make_unique<Node>();
    m_b = std::make_unique<Node>();
    // The tests of accounts and history: the nodes share one database, as a cluster's nodes
    // share one PostgreSQL.
    static const QSet<QByteArray> withStorage {
        "channelHistoryHasTheMsgidsSeenLive", "whoisFindsAUserOfAnotherNodeSharingNoChannel",
        "accountsAreSeenOnEveryNode", "aRegisteredNickIsItsAccountsOnEveryNode",
        "privateLinesBetweenAccountsOnTwoNodesAreStored"};
    const QByteArray test = QTest::currentTestFunction();
    const QString database = withStorage.contains(test)
        ? m_dir.filePath(QString::fromLatin1(test) + QStringLiteral(".sqlite"))
        : QString();
    QVERIFY(m_a->start(m_proxyA->redisUrl(), "node-a", database));
    QVERIFY(m_b->start(m_redis->url(), "node-b", database));
}

void TestCluster::cleanup()
{
    for (Node *node : {m_a.get(), m_b.get()}) {
        if (node && node->server.isRunning()) {
            QSignalSpy stopped(&node->server, &Server::ChatServer::stopped);
            node->server.stop();
            QVERIFY(stopped.count() > 0 || stopped.wait(WaitMs));
        }
        if (node)
            QVERIFY(node->closeStore());
    }
    m_a.reset();
    m_b.reset();
    m_proxyA.reset();
    m_redis.reset();
}

std::unique_ptr<RawClient> TestCluster::joinLobby(Node &node, const QByteArray &nick,
                                                  const QList<RawClient *> &others)
{
    std::unique_ptr<RawClient> client = node.client(nick);
    if (!client)
        return nullptr;
    client->send("JOIN #lobby");
    if (!client->expect(Numeric::EndOfNames))
        return nullptr;
    for (RawClient *other : others) {
        const auto joined = other->expectMatch(
            [&nick](const Irc::IrcMessage &m) {
                return m.command == "JOIN" && m.sourceNick() == nick;
            },
            WaitMs);
        if (!joined)
            return nullptr;
    }
    return client;
}

bool TestCluster::meetInLobby(std::unique_ptr<RawClient> &alice, std::unique_ptr<RawClient> &bob)
{
    alice = joinLobby(*m_a, "alice");
    if (alice)
        bob = joinLobby(*m_b, "bob", {alice.get()});
    return alice && bob && bob->expectLine("JOIN", "alice", WaitMs);
}

bool TestCluster::makeOperator(RawClient &client)
{
    client.send(QByteArray("OPER ") + OperatorName + " :" + OperatorPassword);
    return client.expect(Numeric::YoureOper, WaitMs).has_value();
}

QList<Irc::IrcMessage>
TestCluster::whoisUntil(RawClient &client, const QByteArray &nick,
                        const std::function<bool(const QList<Irc::IrcMessage> &)> &done)
{
    QList<Irc::IrcMessage> replies;
    for (int attempt = 0; attempt < 20; ++attempt) {
        replies.clear();
        client.send("WHOIS " + nick);
        while (const auto reply = client.expectMatch(
                   [](const Irc::IrcMessage &m) { return m.command.size() == 3; }, WaitMs)) {
            replies.append(*reply);
            if (reply->command == Numeric::EndOfWhois)
                break;
        }
        if (replies.isEmpty() || replies.constLast().command != Numeric::EndOfWhois
            || done(replies))
            return replies;
    }
    return replies;
}

void TestCluster::channelChatCrossesNodesBothWays()
{
    auto alice = joinLobby(*m_a, "alice");
    QVERIFY(alice);
    auto bob = joinLobby(*m_b, "bob", {alice.get()});
    QVERIFY(bob);
    // Bob's node learns of alice from her node's answer to its sync.
    QVERIFY(bob->expectMatch(
        [](const Irc::IrcMessage &m) { return m.command == "JOIN" && m.sourceNick() == "alice"; },
        WaitMs));
    auto carol = joinLobby(*m_a, "carol", {alice.get(), bob.get()});
    QVERIFY(carol);

    for (int i = 0; i < 20; ++i)
        alice->send("PRIVMSG #lobby :from a " + QByteArray::number(i));
    const QList<Irc::IrcMessage> atBob = bob->collect("PRIVMSG", 20, WaitMs);
    QCOMPARE(atBob.size(), 20);
    for (int i = 0; i < 20; ++i) // in order, each once
        QCOMPARE(atBob.at(i).param(1), "from a " + QByteArray::number(i));
    QCOMPARE(carol->collect("PRIVMSG", 20, WaitMs).size(), 20);

    bob->send("PRIVMSG #lobby :from b");
    const auto atAlice = alice->expect("PRIVMSG", WaitMs);
    QVERIFY(atAlice);
    QCOMPARE(atAlice->sourceNick(), "bob");
    QCOMPARE(atAlice->param(1), "from b");
    QVERIFY(carol->expectLine("PRIVMSG", "from b", WaitMs));

    bob->send("PART #lobby :bye");
    const auto part = alice->expect("PART", WaitMs);
    QVERIFY(part);
    QCOMPARE(part->sourceNick(), "bob");
    // Nobody got a line twice.
    QVERIFY(!bob->expectLine("PRIVMSG", "from a", 200));
    QVERIFY(!alice->expectLine("PRIVMSG", "from b", 200));
}

void TestCluster::namesWhoAndTopicShowTheWholeChannel()
{
    std::unique_ptr<RawClient> alice, bob;
    QVERIFY(meetInLobby(alice, bob));

    bob->send("NAMES #lobby");
    const auto names = bob->expect(Numeric::NamReply, WaitMs);
    QVERIFY(names);
    QVERIFY2(names->param(3).contains("alice") && names->param(3).contains("bob"),
             names->param(3).constData());

    alice->send("WHO #lobby");
    const QList<Irc::IrcMessage> who = alice->collect(Numeric::WhoReply, 2, WaitMs);
    QCOMPARE(who.size(), 2);
    QVERIFY(
        std::any_of(who.cbegin(), who.cend(), [](const auto &m) { return hasParam(m, "bob"); }));
    for (const Irc::IrcMessage &reply : who) { // bob's server is his own node
        if (reply.param(5) == "bob")
            QCOMPARE(reply.param(4), "node-b");
    }

    alice->send("TOPIC #lobby :one network");
    const auto topic = bob->expect("TOPIC", WaitMs);
    QVERIFY(topic);
    QCOMPARE(topic->param(1), "one network");
    bob->send("TOPIC #lobby");
    const auto current = bob->expect(Numeric::Topic, WaitMs);
    QVERIFY(current);
    QCOMPARE(current->param(2), "one network");
}

void TestCluster::modeAndKickReachTheOtherNode()
{
    auto alice = joinLobby(*m_a, "alice"); // the channel's first member: its operator
    QVERIFY(alice);
    auto bob = joinLobby(*m_b, "bob", {alice.get()});
    QVERIFY(bob);
    QVERIFY(bob->expectLine("JOIN", "alice", WaitMs));

    alice->send("MODE #lobby +v bob");
    const auto mode = bob->expect("MODE", WaitMs);
    QVERIFY(mode);
    QCOMPARE(mode->params, (QList<QByteArray> {"#lobby", "+v", "bob"}));

    alice->send("KICK #lobby bob :out");
    const auto kick = bob->expect("KICK", WaitMs);
    QVERIFY(kick);
    QCOMPARE(kick->params, (QList<QByteArray> {"#lobby", "bob", "out"}));
    // Bob's node no longer has him on the channel: he cannot speak there.
    bob->send("PRIVMSG #lobby :still here?");
    QVERIFY(bob->expectMatch(
        [](const Irc::IrcMessage &m) {
            return m.command == Numeric::CannotSendToChan || m.command == Numeric::NoSuchNick;
        },
        WaitMs));
    QVERIFY(!alice->expectLine("PRIVMSG", "still here?", 300));
}

void TestCluster::privateMessageReachesANickOnAnotherNode()
{
    std::unique_ptr<RawClient> alice, bob;
    QVERIFY(meetInLobby(alice, bob));

    alice->send("PRIVMSG bob :psst");
    const auto atBob = bob->expect("PRIVMSG", WaitMs);
    QVERIFY(atBob);
    QCOMPARE(atBob->param(0), "bob");
    QCOMPARE(atBob->param(1), "psst");
    bob->send("NOTICE alice :back");
    const auto atAlice = alice->expect("NOTICE", WaitMs);
    QVERIFY(atAlice);
    QCOMPARE(atAlice->sourceNick(), "bob");

    // No channel in common: the nick's node is looked up in Redis.
    auto dave = m_b->client("dave");
    QVERIFY(dave);
    alice->send("PRIVMSG dave :found you");
    const auto atDave = dave->expect("PRIVMSG", WaitMs);
    QVERIFY(atDave);
    QCOMPARE(atDave->sourceNick(), "alice");
    QCOMPARE(atDave->param(1), "found you");
    alice->send("PRIVMSG nobody :hello?");
    const auto missing = alice->expect(Numeric::NoSuchNick, WaitMs);
    QVERIFY(missing);
    QCOMPARE(missing->param(1), "nobody");
}

void TestCluster::nickChangeIsClaimedAcrossNodes()
{
    std::unique_ptr<RawClient> alice, bob;
    QVERIFY(meetInLobby(alice, bob));

    // Held on the other node: refused.
    bob->send("NICK alice");
    QVERIFY(bob->expect(Numeric::NicknameInUse, WaitMs));
    auto dave = m_b->client("dave");
    QVERIFY(dave);
    alice->send("NICK dave");
    QVERIFY(alice->expect(Numeric::NicknameInUse, WaitMs));

    // Free: taken, seen on the other node, and the old nick is free again everywhere.
    bob->send("NICK robert");
    const auto nick = alice->expect("NICK", WaitMs);
    QVERIFY(nick);
    QCOMPARE(nick->sourceNick(), "bob");
    QCOMPARE(nick->param(0), "robert");
    QVERIFY(m_a->client("bob"));
}

void TestCluster::simultaneousClaimsOfOneNickHaveOneWinner()
{
    for (int round = 0; round < 5; ++round) {
        const QByteArray nick = "twin" + QByteArray::number(round);
        RawClient first, second;
        QVERIFY(first.connectTo(m_a->port()));
        QVERIFY(second.connectTo(m_b->port()));
        for (RawClient *client : {&first, &second})
            client->send("NICK " + nick + "\r\nUSER u 0 * :twin");
        const auto outcome = [](RawClient &client) {
            return client.expectMatch(
                [](const Irc::IrcMessage &m) {
                    return m.command == Numeric::Welcome || m.command == Numeric::NicknameInUse;
                },
                WaitMs);
        };
        const auto a = outcome(first), b = outcome(second);
        QVERIFY(a && b);
        QVERIFY2((a->command == Numeric::Welcome) != (b->command == Numeric::Welcome),
                 "exactly one of the two gets the nick");
    }
}

void TestCluster::aStoppedNodeIsAnnouncedAtOnce()
{
    auto alice = joinLobby(*m_a, "alice");
    QVERIFY(alice);
    auto bob = joinLobby(*m_b, "bob", {alice.get()});
    QVERIFY(bob);

    QSignalSpy stopped(&m_b->server, &Server::ChatServer::stopped);
    m_b->server.stop();
    // Well before the liveness key would expire: the node said it leaves.
    const auto quit = alice->expect("QUIT", NodeTtlMs * 3 / 4);
    QVERIFY(quit);
    QCOMPARE(quit->sourceNick(), "bob");
    QCOMPARE(quit->param(0), "node-b left the network");
    QVERIFY(stopped.count() > 0 || stopped.wait(WaitMs));
    QVERIFY(m_a->client("bob"));
}

void TestCluster::aNodeCutOffIsAnnouncedAndItsNicksComeFree()
{
    std::unique_ptr<RawClient> alice, bob;
    QVERIFY(meetInLobby(alice, bob));

    cutOffRedis(*m_a); // as a crash: node-a never says it leaves
    const auto quit = bob->expect("QUIT", NodeTtlMs * 3);
    QVERIFY(quit);
    QCOMPARE(quit->sourceNick(), "alice");
    QCOMPARE(quit->param(0), "node-a left the network");
    QVERIFY(m_b->client("alice"));
}

void TestCluster::serviceResumesAfterRedisRestarts()
{
    std::unique_ptr<RawClient> alice, bob;
    QVERIFY(meetInLobby(alice, bob));

    auto carol = joinLobby(*m_a, "carol", {alice.get()});
    QVERIFY(carol);

    m_redis->kill();
    // Each node still serves its own clients.
    alice->send("PRIVMSG #lobby :while Redis is gone");
    QVERIFY(carol->expectLine("PRIVMSG", "while Redis is gone", WaitMs));
    // A new nick cannot be checked across the network meanwhile: refused, not guessed.
    RawClient dave;
    QVERIFY(dave.connectTo(m_b->port()));
    dave.send("NICK dave\r\nUSER u 0 * :dave");
    const auto refused = dave.expect(Numeric::NicknameInUse, WaitMs);
    QVERIFY(refused);
    QVERIFY2(refused->param(2).contains("unreachable"), refused->param(2).constData());
    QVERIFY2(m_redis->start(), qPrintable(m_redis->errorString()));

    // Once linked again, lines cross again: said until one arrives.
    int sent = 0;
    const bool resumed = QTest::qWaitFor(
        [&] {
            alice->send("PRIVMSG #lobby :again " + QByteArray::number(sent++));
            return bob->expectLine("PRIVMSG", "again", 250).has_value();
        },
        20'000);
    QVERIFY2(resumed, "no line crossed within 20 s of Redis coming back");
    QVERIFY(m_b->client("dave"));
}

// Node A hears nothing while it is cut off; once linked again, its members see those who left
// meanwhile leave as they did: the PART or QUIT and the reason each gave, which their node kept.
void TestCluster::membersWhoLeftDuringACutAreSeenLeavingAsTheyLeft()
{
    std::unique_ptr<RawClient> alice, bob;
    QVERIFY(meetInLobby(alice, bob));
    auto carol = joinLobby(*m_b, "carol", {alice.get(), bob.get()});
    QVERIFY(carol);
    auto dave = joinLobby(*m_b, "dave", {alice.get(), bob.get(), carol.get()});
    QVERIFY(dave);
    auto erin = joinLobby(*m_b, "erin", {alice.get(), bob.get(), carol.get(), dave.get()});
    QVERIFY(erin);

    m_proxyA->cut();
    QTRY_VERIFY_WITH_TIMEOUT(!isLinked(*m_a), WaitMs);
    bob->send("PART #lobby :later");
    QVERIFY(carol->expectLine("PART", "bob", WaitMs));
    dave->send("QUIT :bye");
    QVERIFY(carol->expectLine("QUIT", "dave", WaitMs));
    // Erin leaves the channel, then the network: on the channel, she was seen to part.
    erin->send("PART #lobby :moving on");
    QVERIFY(carol->expectLine("PART", "erin", WaitMs));
    erin->send("QUIT :done");
    QVERIFY(erin->expect("ERROR", WaitMs));
    QVERIFY(!alice->expectLine("PART", "bob", 300)); // node A heard nothing of it
    QVERIFY(m_proxyA->restore());

    // Once linked again, node A asks who is on #lobby: bob and erin left it, dave the network.
    QHash<QByteArray, Irc::IrcMessage> left;
    while (left.size() < 3) {
        const auto leaving = alice->expectMatch(
            [](const Irc::IrcMessage &m) {
                return (m.command == "PART" || m.command == "QUIT")
                    && QList<QByteArray> {"bob", "dave", "erin"}.contains(m.sourceNick());
            },
            WaitMs);
        QVERIFY2(leaving, "node A's member did not see bob and erin part and dave quit");
        QVERIFY2(!left.contains(leaving->sourceNick()), "a member was seen leaving twice");
        left.insert(leaving->sourceNick(), *leaving);
    }
    QCOMPARE(left.value("bob").command, "PART");
    QCOMPARE(left.value("bob").params, (QList<QByteArray> {"#lobby", "later"}));
    QCOMPARE(left.value("dave").command, "QUIT");
    QCOMPARE(left.value("dave").param(0), "Quit: bye");
    QCOMPARE(left.value("erin").command, "PART");
    QCOMPARE(left.value("erin").params, (QList<QByteArray> {"#lobby", "moving on"}));
    // Carol, who stayed, is still a member there, and chat crosses again.
    QCOMPARE(namesOn(*alice, "#lobby"), (QSet<QByteArray> {"@alice", "carol"}));
    carol->send("PRIVMSG #lobby :still here");
    QVERIFY(alice->expectLine("PRIVMSG", "still here", WaitMs));
    QVERIFY(!alice->expectLine("PART", "carol", 200));
}

void TestCluster::aNickGivenAwayDuringACutIsRenamedOnTheLateNode()
{
    auto alice = joinLobby(*m_a, "alice");
    QVERIFY(alice);
    auto carol = joinLobby(*m_a, "carol", {alice.get()});
    QVERIFY(carol);
    auto bob = joinLobby(*m_b, "bob", {alice.get(), carol.get()});
    QVERIFY(bob);
    QVERIFY(bob->expectLine("JOIN", "carol", WaitMs));

    // Node A is cut off long enough to be taken for dead: its nicks come free, and node B
    // gives "alice" to a user of its own.
    m_proxyA->cut();
    QVERIFY(bob->expectMatch(
        [](const Irc::IrcMessage &m) { return m.command == "QUIT" && m.sourceNick() == "alice"; },
        NodeTtlMs * 3));
    auto otherAlice = joinLobby(*m_b, "alice", {bob.get()});
    QVERIFY(otherAlice);
    QVERIFY(m_proxyA->restore());

    // Node A claims its nicks again: "alice" is held on B, so A's alice is renamed and told.
    const auto renamed = alice->expectMatch(
        [](const Irc::IrcMessage &m) { return m.command == "NICK" && m.sourceNick() == "alice"; },
        WaitMs);
    QVERIFY2(renamed, "node A's alice was not renamed");
    const QByteArray fallback = renamed->param(0);
    QVERIFY2(fallback.startsWith("alice") && fallback.size() > 5, fallback.constData());
    QVERIFY(alice->expectLine("NOTICE", "was given to another user", WaitMs));
    const auto seenByCarol = carol->expect("NICK", WaitMs);
    QVERIFY(seenByCarol);
    QCOMPARE(seenByCarol->param(0), fallback);
    // Node B's members see her come back under the new nick; A's see B's alice join.
    QVERIFY(bob->expectMatch(
        [&](const Irc::IrcMessage &m) { return m.command == "JOIN" && m.sourceNick() == fallback; },
        WaitMs));
    QVERIFY(carol->expectMatch(
        [](const Irc::IrcMessage &m) { return m.command == "JOIN" && m.sourceNick() == "alice"; },
        WaitMs));
    // Each nick has one holder network-wide again.
    bob->send("NICK " + fallback);
    QVERIFY(bob->expect(Numeric::NicknameInUse, WaitMs));
    otherAlice->send("PRIVMSG " + fallback + " :hello twin");
    QVERIFY(alice->expectLine("PRIVMSG", "hello twin", WaitMs));
}

namespace {

// A client of the test's own on Redis, for what the nodes do not do: set its limits, publish.
class RedisSpeaker
{
public:
    explicit RedisSpeaker(const QString &url)
    {
        QString error;
        Cluster::LinkConfig config;
        config.url = *Cluster::RedisUrl::parse(url, &error);
        m_link = std::make_unique<Cluster::RedisLink>(config);
        QObject::connect(
            m_link.get(), &Cluster::RedisLink::replied, &m_context,
            [this](quint64 id, const Cluster::RedisReply &reply) { m_replies.insert(id, reply); });
        m_link->start();
    }
    quint64 send(const QList<QByteArray> &argv) { return m_link->command(argv); }
    // The reply to `id`, or a Failed one if none came in time.
    Cluster::RedisReply wait(quint64 id)
    {
        if (id == 0 || !QTest::qWaitFor([&] { return m_replies.contains(id); }, WaitMs))
            return Cluster::RedisReply::failed("no reply in time");
        return m_replies.take(id);
    }

private:
    std::unique_ptr<Cluster::RedisLink> m_link;
    QObject m_context; // in the test's thread: replies arrive queued here
    QHash<quint64, Cluster::RedisReply> m_replies;
};

// Joins `channel` and returns the prefix NAMES gives the joiner there ("@" for an operator).
std::optional<QByteArray> joinAndReadOwnPrefix(RawClient &client, const QByteArray &nick,
                                               const QByteArray &channel)
{
    client.send("JOIN " + channel);
    const auto names = client.expect(Numeric::NamReply, WaitMs);
    if (!names || !client.expect(Numeric::EndOfNames, WaitMs))
        return std::nullopt;
    for (const QByteArray &entry : names->param(3).split(' ')) {
        if (entry.endsWith(nick) && entry.size() - nick.size() <= 1)
            return entry.chopped(nick.size());
    }
    return std::nullopt;
}

} // namespace

void TestCluster::theChannelsFirstMemberNetworkWideIsItsOperator()
{
    auto alice = m_a->client("alice");
    QVERIFY(alice);
    auto bob = m_b->client("bob");
    QVERIFY(bob);
    QCOMPARE(joinAndReadOwnPrefix(*alice, "alice", "#new"), "@");
    // Bob is node B's first member there, not the network's.
    QCOMPARE(joinAndReadOwnPrefix(*bob, "bob", "#new"), "");
    bob->send("MODE #new -t");
    QVERIFY(bob->expect(Numeric::ChanOpPrivsNeeded, WaitMs));

    // Once everyone left, the channel is new again: the next first member is its operator.
    QVERIFY(bob->expectLine("JOIN", "alice", WaitMs)); // from node A's answer to sync
    bob->send("NAMES #new");
    const auto names = bob->expect(Numeric::NamReply, WaitMs);
    QVERIFY(names);
    QCOMPARE(names->param(3).split(' '), (QList<QByteArray> {"bob", "@alice"}));
    alice->send("PART #new");
    QVERIFY(bob->expectLine("PART", "alice", WaitMs));
    bob->send("PART #new");
    QVERIFY(bob->expect("PART", WaitMs));
    auto carol = m_b->client("carol");
    QVERIFY(carol);
    QCOMPARE(joinAndReadOwnPrefix(*carol, "carol", "#new"), "@");

    // A JOIN's channels are joined in order, though the first one waits for Redis' answer.
    bob->send("JOIN #fresh,#new");
    for (const QByteArray channel : {"#fresh", "#new"}) {
        const auto joined = bob->expectMatch(
            [](const Irc::IrcMessage &m) { return m.command == "JOIN" && m.sourceNick() == "bob"; },
            WaitMs);
        QVERIFY(joined);
        QCOMPARE(joined->param(0), channel);
    }

    // Two nodes' first members at the same instant: exactly one operator.
    for (int round = 0; round < 3; ++round) {
        const QByteArray channel = "#race" + QByteArray::number(round);
        alice->send("JOIN " + channel);
        bob->send("JOIN " + channel);
        const auto ownPrefix = [&channel](RawClient &client, const QByteArray &nick) {
            const auto names = client.expectMatch(
                [&channel](const Irc::IrcMessage &m) {
                    return m.command == Numeric::NamReply && m.param(2) == channel;
                },
                WaitMs);
            return names ? names->param(3).split(' ').contains("@" + nick) : false;
        };
        QVERIFY2(ownPrefix(*alice, "alice") != ownPrefix(*bob, "bob"),
                 "exactly one of the two is the operator");
    }
}

// Redis restarted empty knows no channel's members: until every node has joined again and
// entered its channels again, a node's first member of a channel is not made its operator, as
// while Redis is unreachable. Node A stays cut off meanwhile, so it has not entered #lobby again
// when bob joins it on node B; once back, alice is the channel's one operator on both nodes.
void TestCluster::noSecondOperatorWhileNodesEnterTheirChannelsAgain()
{
    auto alice = m_a->client("alice");
    QVERIFY(alice);
    QCOMPARE(joinAndReadOwnPrefix(*alice, "alice", "#lobby"), "@");
    auto bob = m_b->client("bob");
    QVERIFY(bob);

    m_proxyA->cut();
    QTRY_VERIFY_WITH_TIMEOUT(!isLinked(*m_a), WaitMs);
    QSignalSpy bJoinedAgain(m_b->server.m_cluster->m_directory, &Cluster::NodeDirectory::joined);
    m_redis->kill();
    QTRY_VERIFY_WITH_TIMEOUT(!isLinked(*m_b), WaitMs);
    QVERIFY2(m_redis->start(), qPrintable(m_redis->errorString()));
    QVERIFY(bJoinedAgain.wait(WaitMs)); // node B found itself gone from Redis and joined again

    QCOMPARE(joinAndReadOwnPrefix(*bob, "bob", "#lobby"), "");
    bob->send("MODE #lobby -t");
    QVERIFY(bob->expect(Numeric::ChanOpPrivsNeeded, WaitMs));

    // Node A back: it joins again, enters #lobby again and tells who is there.
    QVERIFY(m_proxyA->restore());
    QVERIFY(bob->expectMatch(
        [](const Irc::IrcMessage &m) { return m.command == "JOIN" && m.sourceNick() == "alice"; },
        WaitMs));
    QVERIFY(alice->expectLine("JOIN", "bob", WaitMs));
    for (RawClient *client : {alice.get(), bob.get()})
        QCOMPARE(namesOn(*client, "#lobby"), (QSet<QByteArray> {"@alice", "bob"}));
}

// Redis closes a subscriber whose output buffer passes client-output-buffer-limit pubsub and
// tells nobody: the node notices, says so, subscribes again and resynchronises its channels.
void TestCluster::aNodeDroppedByRedisForFallingBehindResynchronises()
{
    std::unique_ptr<RawClient> alice, bob;
    QVERIFY(meetInLobby(alice, bob));
    auto carol = joinLobby(*m_a, "carol", {alice.get(), bob.get()});
    QVERIFY(carol);

    RedisSpeaker speaker(m_redis->url());
    QVERIFY(
        speaker
            .wait(speaker.send({"CONFIG", "SET", "client-output-buffer-limit", "pubsub 256kb 0 0"}))
            .isStatus("OK"));
    // Node B's link thread stops reading, as a node that falls behind: a callback runs there
    // and waits to be released. (Not node A: its proxy would read for it.)
    Cluster::RedisLink &linkB = *m_b->server.m_cluster->m_link;
    QSemaphore stalled, release;
    const auto unblock = qScopeGuard([&] { release.release(); });
    linkB.command({"PING"}, [&](const Cluster::RedisReply &) {
        stalled.release();
        release.acquire();
    });
    QVERIFY(stalled.tryAcquire(1, WaitMs));

    // Lines node B misses: carol leaves, and traffic to node B piles up until Redis counts no
    // receiver for it any more: it has closed node B's subscriber connection.
    carol->send("PART #lobby :gone");
    QVERIFY(alice->expectLine("PART", "carol", WaitMs));
    const QByteArray toB = "qtchat:to:" + m_b->server.m_cluster->m_directory->id();
    const QByteArray payload(64 * 1024, 'x');
    bool dropped = false;
    for (int round = 0; round < 256 && !dropped; ++round) {
        quint64 last = 0;
        for (int i = 0; i < 16; ++i)
            last = speaker.send({"PUBLISH", toB, payload});
        dropped = speaker.wait(last).integer == 0;
    }
    QVERIFY2(dropped, "Redis kept the stalled subscriber");
    QTest::ignoreMessage(
        QtWarningMsg,
        QRegularExpression(QStringLiteral("Redis is up, so it closed this connection itself")));
    release.release();

    // Resubscribed and resynchronised: carol's leaving reaches bob, and chat crosses again.
    QVERIFY(bob->expectMatch(
        [](const Irc::IrcMessage &m) { return m.command == "PART" && m.sourceNick() == "carol"; },
        WaitMs));
    const bool resumed = QTest::qWaitFor(
        [&] {
            alice->send("PRIVMSG #lobby :caught up");
            return bob->expectLine("PRIVMSG", "caught up", 250).has_value();
        },
        WaitMs);
    QVERIFY2(resumed, "no line crossed to node B after it resubscribed");
}

// Numbered lines are said all along while Redis is killed and started again (empty). The docs'
// promise: nothing twice, nothing out of order, the sender's node's members get everything,
// the other node misses one stretch only, and it includes every line said while Redis was gone
// and the sender's node knew it.
void TestCluster::redisRestartedUnderTrafficLosesOnlyWhatWasSaidMeanwhile()
{
    std::unique_ptr<RawClient> alice, bob;
    QVERIFY(meetInLobby(alice, bob));
    auto carol = joinLobby(*m_a, "carol", {alice.get()});
    QVERIFY(carol);
    QVERIFY(bob->expectLine("JOIN", "carol", WaitMs));

    int said = 0;
    QSet<int> saidWhileCutOff;
    // One line, seen by carol (same node) before the next: the pace of the traffic.
    const auto sayOne = [&] {
        const QByteArray text = "n " + QByteArray::number(said);
        if (!isLinked(*m_a))
            saidWhileCutOff.insert(said);
        ++said;
        alice->send("PRIVMSG #lobby :" + text);
        return carol
            ->expectMatch(
                [&text](const Irc::IrcMessage &m) {
                    return m.command == "PRIVMSG" && m.param(1) == text;
                },
                WaitMs)
            .has_value();
    };
    const auto numbersAtBob = [&bob] {
        QList<int> numbers;
        for (const Irc::IrcMessage &m : bob->pending()) {
            if (m.command == "PRIVMSG" && m.param(1).startsWith("n "))
                numbers.append(m.param(1).mid(2).toInt());
        }
        return numbers;
    };
    for (int i = 0; i < 30; ++i)
        QVERIFY(sayOne());

    m_redis->kill();
    for (int i = 0; i < 30; ++i)
        QVERIFY(sayOne());
    QTRY_VERIFY_WITH_TIMEOUT(!isLinked(*m_a), WaitMs);
    for (int i = 0; i < 10; ++i)
        QVERIFY(sayOne());
    QVERIFY2(m_redis->start(), qPrintable(m_redis->errorString()));
    const int firstAfterRestart = said;
    const bool resumed = QTest::qWaitFor(
        [&] {
            if (!sayOne())
                return true; // fails below
            const QList<int> numbers = numbersAtBob();
            return !numbers.isEmpty() && numbers.last() >= firstAfterRestart;
        },
        20'000);
    QVERIFY2(resumed, "no line crossed within 20 s of Redis coming back");
    for (int i = 0; i < 30; ++i)
        QVERIFY(sayOne());
    QTRY_VERIFY_WITH_TIMEOUT(numbersAtBob().last() == said - 1, WaitMs);

    const QList<int> atBob = numbersAtBob();
    QVERIFY2(!saidWhileCutOff.isEmpty(), "no line was said while node A knew it was cut off");
    int gaps = 0;
    for (qsizetype i = 1; i < atBob.size(); ++i) {
        QVERIFY2(atBob.at(i) > atBob.at(i - 1), "a line came twice or out of order");
        gaps += atBob.at(i) != atBob.at(i - 1) + 1 ? 1 : 0;
    }
    QCOMPARE(atBob.first(), 0);
    QCOMPARE(gaps, 1);
    // A line said as the link comes back may wait for that attempt and cross; none said before.
    for (int number : std::as_const(atBob))
        QVERIFY2(!saidWhileCutOff.contains(number) || number >= firstAfterRestart,
                 "a line said while Redis was gone crossed later");
    QVERIFY(!carol->expectLine("PRIVMSG", {}, 200)); // she had each exactly once
}

QTEST_GUILESS_MAIN(TestCluster)
#include "tst_cluster.moc"

void TestCluster::aLineHasOneMsgidAndTimeOnEveryNode()
{
    // Alice gets her own lines back (echo-message) with the tags her node made for them.
    auto alice = std::make_unique<RawClient>();
    QVERIFY(alice->connectTo(m_a->port()));
    QVERIFY(alice->registerWithCapabilities("alice", "message-tags server-time echo-message"));
    auto bob = std::make_unique<RawClient>();
    QVERIFY(bob->connectTo(m_b->port()));
    QVERIFY(bob->registerWithCapabilities("bob", "message-tags server-time"));
    alice->send("JOIN #lobby");
    QVERIFY(alice->expect(Numeric::EndOfNames));
    bob->send("JOIN #lobby");
    QVERIFY(bob->expect(Numeric::EndOfNames));
    QVERIFY(alice->expectLine("JOIN", "bob", WaitMs));
    QVERIFY(bob->expectLine("JOIN", "alice", WaitMs));

    const auto sameTags
        = [&](const QByteArray &line, const QByteArray &command, const QByteArray &text) {
              alice->send(line);
              const QByteArray echoed = tagsOf(alice->expectLine(command, text, WaitMs));
              const QByteArray received = tagsOf(bob->expectLine(command, text, WaitMs));
              QVERIFY2(echoed.contains("msgid=") && echoed.contains("time="), echoed.constData());
              QCOMPARE(received, echoed);
          };
    sameTags("PRIVMSG #lobby :in the channel", "PRIVMSG", "in the channel");
    sameTags("NOTICE #lobby :a notice", "NOTICE", "a notice");
    sameTags("@+typing=active TAGMSG #lobby", "TAGMSG", "#lobby");
    sameTags("PRIVMSG bob :in private", "PRIVMSG", "in private");
}

// extended-join, account-tag, WHOIS's 330 and account-notify show a user of node A logged in
// (or logging in) to node B's clients, whether B learns of the user from its JOIN or from the
// answer to its sync.
void TestCluster::accountsAreSeenOnEveryNode()
{
    auto alice = m_a->client("alice");
    QVERIFY(alice);
    alice->send("REGISTER * * :secret words");
    QCOMPARE(alice->expect("REGISTER", WaitMs)->param(0), "SUCCESS");
    alice->send("JOIN #lobby");
    QVERIFY(alice->expect(Numeric::EndOfNames));

    auto bob = std::make_unique<RawClient>();
    QVERIFY(bob->connectTo(m_b->port()));
    QVERIFY(bob->registerWithCapabilities(
        "bob", "extended-join account-notify account-tag message-tags server-time"));
    bob->send("JOIN #lobby");
    // Bob's node learns of alice from her node's answer to its sync.
    const auto aliceJoined = bob->expectMatch(
        [](const Irc::IrcMessage &m) { return m.command == "JOIN" && m.sourceNick() == "alice"; },
        WaitMs);
    QVERIFY(aliceJoined);
    QCOMPARE(aliceJoined->params, (QList<QByteArray> {"#lobby", "alice", "Test alice"}));
    QVERIFY(alice->expectLine("JOIN", "bob", WaitMs));
    bob->send("WHOIS alice");
    const auto whois = bob->expect("330", WaitMs);
    QVERIFY(whois);
    QCOMPARE(whois->param(2), "alice");

    auto carol = joinLobby(*m_a, "carol", {alice.get(), bob.get()});
    QVERIFY(carol);
    carol->send("REGISTER * * :other words");
    QCOMPARE(carol->expect("REGISTER", WaitMs)->param(0), "SUCCESS");
    const auto notified
        = bob->expectMatch([](const Irc::IrcMessage &m) { return m.command == "ACCOUNT"; }, WaitMs);
    QVERIFY(notified);
    QCOMPARE(notified->sourceNick(), "carol");
    QCOMPARE(notified->param(0), "carol");
    carol->send("PRIVMSG #lobby :now logged in");
    const auto line = bob->expectLine("PRIVMSG", "now logged in", WaitMs);
    QVERIFY(line);
    QVERIFY2(line->contains("account=carol"), line->constData());
    bob->send("WHOIS carol");
    QCOMPARE(bob->expect("330", WaitMs)->param(2), "carol");

    // A user whose JOIN crosses: extended-join says it is not logged in.
    auto dave = joinLobby(*m_a, "dave", {alice.get()});
    QVERIFY(dave);
    const auto daveJoined = bob->expectMatch(
        [](const Irc::IrcMessage &m) { return m.command == "JOIN" && m.sourceNick() == "dave"; },
        WaitMs);
    QVERIFY(daveJoined);
    QCOMPARE(daveJoined->params, (QList<QByteArray> {"#lobby", "*", "Test dave"}));
}

// The accounts are in the database the nodes share: a nick registered through node A is
// refused on node B to anyone not logged in to it.
void TestCluster::aRegisteredNickIsItsAccountsOnEveryNode()
{
    auto carol = m_a->client("carol");
    QVERIFY(carol);
    carol->send("REGISTER * * :other words");
    QCOMPARE(carol->expect("REGISTER", WaitMs)->param(0), "SUCCESS");
    carol->send("NICK caroline"); // carol's own account: she may take another nick
    QVERIFY(carol->expect("NICK", WaitMs));
    auto eve = m_b->client("eve");
    QVERIFY(eve);
    eve->send("NICK carol");
    const auto refused = eve->expect(Numeric::NicknameInUse, WaitMs);
    QVERIFY(refused);
    QCOMPARE(refused->param(2), "Nickname is registered to an account; log in with SASL");
}

// A private line between two accounts is kept by one node, whether the sender's node knows the
// recipient (they share a channel: it keeps it) or not (the recipient's node keeps it), with
// the msgid and time the recipient got.
void TestCluster::privateLinesBetweenAccountsOnTwoNodesAreStored()
{
    const auto loggedIn = [](Node &node, const QByteArray &nick, const QByteArray &caps) {
        auto client = std::make_unique<RawClient>();
        if (!client->connectTo(node.port()) || !client->registerWithCapabilities(nick, caps))
            return std::unique_ptr<RawClient>();
        client->send("REGISTER * * :secret words");
        const auto registered = client->expect("REGISTER", WaitMs);
        return registered && registered->param(0) == "SUCCESS" ? std::move(client)
                                                               : std::unique_ptr<RawClient>();
    };
    auto alice = loggedIn(*m_a, "alice", "message-tags");
    auto bob = loggedIn(*m_b, "bob", "draft/chathistory batch server-time message-tags");
    QVERIFY(alice && bob);

    alice->send("PRIVMSG bob :knowing nothing of bob"); // looked up in Redis
    const auto live = bob->expectLine("PRIVMSG", "knowing nothing", WaitMs);
    QVERIFY(live);
    for (RawClient *client : {alice.get(), bob.get()}) {
        client->send("JOIN #lobby");
        QVERIFY(client->expect(Numeric::EndOfNames));
    }
    QVERIFY(alice->expectLine("JOIN", "bob", WaitMs));
    alice->send("PRIVMSG bob :knowing bob"); // bob is a member known on alice's node
    QVERIFY(bob->expectLine("PRIVMSG", "knowing bob", WaitMs));

    // Kept by a storage thread: asked until both are there.
    QList<QByteArray> texts;
    const auto isBatchOrLine = [](const Irc::IrcMessage &m) {
        return m.command == "BATCH" || m.command == "PRIVMSG";
    };
    QVERIFY(QTest::qWaitFor(
        [&] {
            bob->send("CHATHISTORY LATEST alice * 10");
            texts.clear();
            if (!bob->expect("BATCH", WaitMs))
                return false;
            for (auto next = bob->expectMatch(isBatchOrLine, WaitMs);
                 next && next->command == "PRIVMSG"; next = bob->expectMatch(isBatchOrLine, WaitMs))
                texts.append(next->param(1));
            return texts.size() >= 2;
        },
        WaitMs));
    QCOMPARE(texts, (QList<QByteArray> {"knowing nothing of bob", "knowing bob"}));
    bob->send("CHATHISTORY LATEST alice * 10");
    const auto stored = bob->expectLine("PRIVMSG", "knowing nothing", WaitMs);
    QVERIFY(stored);
    QCOMPARE(tagValue(*stored, "msgid"), tagValue(*live, "msgid"));
    QCOMPARE(tagValue(*stored, "time"), tagValue(*live, "time"));
}

// A channel line is stored once, by its sender's node; read through the other node, it has the
// msgid and time its members there got live, so a client matches history with what it saw.
void TestCluster::channelHistoryHasTheMsgidsSeenLive()
{
    auto alice = joinLobby(*m_a, "alice");
    QVERIFY(alice);
    auto bob = std::make_unique<RawClient>();
    QVERIFY(bob->connectTo(m_b->port()));
    QVERIFY(
        bob->registerWithCapabilities("bob", "draft/chathistory batch server-time message-tags"));
    bob->send("JOIN #lobby");
    QVERIFY(bob->expect(Numeric::EndOfNames));
    QVERIFY(alice->expectLine("JOIN", "bob", WaitMs));
    alice->send("PRIVMSG #lobby :kept once");
    const auto live = bob->expectLine("PRIVMSG", "kept once", WaitMs);
    QVERIFY(live);

    std::optional<QByteArray> stored;
    QVERIFY(QTest::qWaitFor( // kept by a storage thread: asked until it is there
        [&] {
            bob->send("CHATHISTORY LATEST #lobby * 10");
            if (!bob->expect("BATCH", WaitMs))
                return false;
            stored = bob->expectLine("PRIVMSG", "kept once", 200);
            return stored.has_value();
        },
        WaitMs));
    QCOMPARE(tagValue(*stored, "msgid"), tagValue(*live, "msgid"));
    QCOMPARE(tagValue(*stored, "time"), tagValue(*live, "time"));
}

// Bob, on node B, shares no channel with alice on node A: node A knows nothing of him but what
// node B keeps in Redis with his nick.
void TestCluster::whoisFindsAUserOfAnotherNodeSharingNoChannel()
{
    auto alice = m_a->client("alice");
    QVERIFY(alice);
    auto bob = m_b->client("bob");
    QVERIFY(bob);
    bob->send("REGISTER * * :secret words");
    QCOMPARE(bob->expect("REGISTER", WaitMs)->param(0), "SUCCESS");

    const auto hasReply = [](const QList<Irc::IrcMessage> &replies, const QByteArray &numeric) {
        return std::any_of(replies.cbegin(), replies.cend(),
                           [&numeric](const Irc::IrcMessage &m) { return m.command == numeric; });
    };
    const auto find = [](const QList<Irc::IrcMessage> &replies, const QByteArray &numeric) {
        for (const Irc::IrcMessage &m : replies) {
            if (m.command == numeric)
                return m;
        }
        return Irc::IrcMessage();
    };
    QList<Irc::IrcMessage> whois = whoisUntil(*alice, "BOB", [&](const auto &replies) {
        return hasReply(replies, Numeric::WhoisAccount);
    });
    QVERIFY(!hasReply(whois, Numeric::NoSuchNick));
    QCOMPARE(find(whois, Numeric::WhoisUser).params,
             (QList<QByteArray> {"alice", "bob", "bob", "127.0.0.1", "*", "Test bob"}));
    QCOMPARE(find(whois, Numeric::WhoisServer).param(2), "node-b");
    QCOMPARE(find(whois, Numeric::WhoisAccount).param(2), "bob");
    QCOMPARE(whois.constLast().command, Numeric::EndOfWhois);
    QCOMPARE(whois.constLast().param(1), "bob");

    alice->send("WHO bob");
    const auto who = alice->expect(Numeric::WhoReply, WaitMs);
    QVERIFY(who);
    QCOMPARE(who->param(4), "node-b");
    QCOMPARE(who->param(5), "bob");
    QVERIFY(alice->expect(Numeric::EndOfWho, WaitMs));

    // A nick change is told too: the new nick is bob's, with his account.
    bob->send("NICK robert");
    QVERIFY(bob->expect("NICK", WaitMs));
    whois = whoisUntil(*alice, "robert",
                       [&](const auto &replies) { return hasReply(replies, Numeric::WhoisUser); });
    QCOMPARE(find(whois, Numeric::WhoisUser).param(1), "robert");
    QCOMPARE(find(whois, Numeric::WhoisAccount).param(2), "bob");

    bob->send("QUIT :bye");
    QVERIFY(bob->waitForDisconnected(WaitMs));
    whois = whoisUntil(*alice, "robert",
                       [&](const auto &replies) { return hasReply(replies, Numeric::NoSuchNick); });
    QVERIFY(hasReply(whois, Numeric::NoSuchNick));
    QVERIFY(!hasReply(whois, Numeric::WhoisUser));
    alice->send("WHOIS nobody");
    QCOMPARE(alice->expect(Numeric::NoSuchNick, WaitMs)->param(1), "nobody");
}

void TestCluster::killReachesAUserOfAnotherNode()
{
    auto chief = m_a->client("chief"); // on no channel: node A knows nothing of bob
    QVERIFY(chief);
    QVERIFY(makeOperator(*chief));
    std::unique_ptr<RawClient> alice, bob;
    QVERIFY(meetInLobby(alice, bob));
    auto carol = joinLobby(*m_b, "carol", {alice.get(), bob.get()});
    QVERIFY(carol);

    bob->send("KILL carol :not yours"); // not an operator
    QVERIFY(bob->expect(Numeric::NoPrivileges, WaitMs));
    chief->send("KILL bob :enough");
    const auto error = bob->expect("ERROR", WaitMs);
    QVERIFY(error);
    QCOMPARE(error->param(0), "Killed (chief (enough))");
    QVERIFY(bob->waitForDisconnected(WaitMs));
    for (RawClient *member : {alice.get(), carol.get()}) {
        const auto quit = member->expect("QUIT", WaitMs);
        QVERIFY(quit);
        QCOMPARE(quit->sourceNick(), "bob");
        QCOMPARE(quit->param(0), "Killed (chief (enough))");
    }
    // A nick nobody has is answered as such; nobody else was touched.
    chief->send("KILL nobody :gone");
    QCOMPARE(chief->expect(Numeric::NoSuchNick, WaitMs)->param(1), "nobody");
    QVERIFY(carol->isConnected());
}

void TestCluster::wallopsReachPlusWUsersOnEveryNode()
{
    auto chief = m_a->client("chief");
    QVERIFY(chief);
    QVERIFY(makeOperator(*chief));
    auto watcher = m_b->client("watcher");
    QVERIFY(watcher);
    watcher->send("MODE watcher +w");
    QVERIFY(watcher->expect("MODE", WaitMs));
    auto quiet = m_b->client("quiet");
    QVERIFY(quiet);

    chief->send("WALLOPS :maintenance at noon");
    const auto wallops = watcher->expect("WALLOPS", WaitMs);
    QVERIFY(wallops);
    QCOMPARE(wallops->sourceNick(), "chief");
    QCOMPARE(wallops->param(0), "maintenance at noon");
    // Once: the next one is the next WALLOPS; the user without +w gets none.
    chief->send("WALLOPS :second");
    QCOMPARE(watcher->expect("WALLOPS", WaitMs)->param(0), "second");
    QVERIFY(!quiet->expect("WALLOPS", 300));
}

// Carol, an operator of #secret on node B, sees the invitation; bob, on node B and on no channel
// with alice, is refused the +i channel until alice on node A invites him.
void TestCluster::inviteToAnInviteOnlyChannelCrossesNodes()
{
    auto alice = m_a->client("alice");
    QVERIFY(alice);
    alice->send("JOIN #secret");
    QVERIFY(alice->expect(Numeric::EndOfNames, WaitMs));
    auto carol = std::make_unique<RawClient>();
    QVERIFY(carol->connectTo(m_b->port()));
    QVERIFY(carol->registerWithCapabilities("carol", "invite-notify"));
    carol->send("JOIN #secret");
    QVERIFY(carol->expect(Numeric::EndOfNames, WaitMs));
    QVERIFY(alice->expectLine("JOIN", "carol", WaitMs));
    QVERIFY(carol->expectLine("JOIN", "alice", WaitMs));
    alice->send("MODE #secret +o carol");
    QVERIFY(carol->expectLine("MODE", "+o", WaitMs));
    alice->send("MODE #secret +i");
    QVERIFY(carol->expectLine("MODE", "+i", WaitMs));

    auto bob = m_b->client("bob");
    QVERIFY(bob);
    bob->send("JOIN #secret");
    QVERIFY(bob->expect(Numeric::InviteOnlyChan, WaitMs));

    alice->send("INVITE bob #secret");
    const auto inviting = alice->expect(Numeric::Inviting, WaitMs);
    QVERIFY(inviting);
    QCOMPARE(inviting->params, (QList<QByteArray> {"alice", "bob", "#secret"}));
    const auto invite = bob->expect("INVITE", WaitMs);
    QVERIFY(invite);
    QCOMPARE(invite->sourceNick(), "alice");
    QCOMPARE(invite->params, (QList<QByteArray> {"bob", "#secret"}));
    const auto notified = carol->expect("INVITE", WaitMs);
    QVERIFY(notified);
    QCOMPARE(notified->sourceNick(), "alice");
    QCOMPARE(notified->params, (QList<QByteArray> {"bob", "#secret"}));

    bob->send("JOIN #secret");
    QVERIFY(bob->expect(Numeric::EndOfNames, WaitMs));
    QVERIFY(alice->expectLine("JOIN", "bob", WaitMs));

    alice->send("INVITE nobody #secret");
    QCOMPARE(alice->expect(Numeric::NoSuchNick, WaitMs)->param(1), "nobody");
    // Who is not an operator there may not invite to a +i channel, whoever the nick.
    auto dave = m_a->client("dave");
    QVERIFY(dave);
    bob->send("INVITE dave #secret");
    QVERIFY(bob->expect(Numeric::ChanOpPrivsNeeded, WaitMs));
}

// requirepass: the nodes given the password in their URL chat as one network; one given a wrong
// password says why in its log, and never links. No line of the log
// holds either password.
void TestCluster::aPasswordProtectedRedisLinksOnlyNodesWithThePassword()
{
    const QString password = QStringLiteral("s3cret-of-the-cluster");
    const QString wrongPassword = QStringLiteral("guessed-s3cret");
    const LogCapture log;
    RedisProcess redis;
    redis.setExtraArguments({QStringLiteral("--requirepass"), password});
    QVERIFY2(redis.start(), qPrintable(redis.errorString()));
    const auto url = [&redis](const QString &secret) {
        return QStringLiteral("redis://:%1@127.0.0.1:%2").arg(secret).arg(redis.port());
    };
    Node c, d, refused;
    const auto stop = qScopeGuard([&] {
        for (Node *node : {&c, &d, &refused}) {
            QSignalSpy stopped(&node->server, &Server::ChatServer::stopped);
            node->server.stop();
            if (stopped.isEmpty())
                stopped.wait(WaitMs);
        }
    });
    QVERIFY(c.start(url(password), "node-c"));
    QVERIFY(d.start(url(password), "node-d"));
    QVERIFY(refused.start(url(wrongPassword), "node-refused"));

    auto alice = joinLobby(c, "alice");
    QVERIFY(alice);
    auto bob = joinLobby(d, "bob", {alice.get()});
    QVERIFY(bob);
    bob->send("PRIVMSG #lobby :behind a password");
    QVERIFY(alice->expectLine("PRIVMSG", "behind a password", WaitMs));

    QTRY_VERIFY_WITH_TIMEOUT(
        log.contains(QStringLiteral("cluster: the link to Redis is lost (Redis refused the "
                                    "password (WRONGPASS")),
        WaitMs);
    QVERIFY(!isLinked(refused));
    // It serves, as with Redis out of reach: but no nick can be checked network-wide.
    RawClient carol;
    QVERIFY(carol.connectTo(refused.port()));
    carol.send("NICK carol");
    carol.send("USER carol 0 * :Carol");
    QVERIFY(carol.expectLine(Numeric::NicknameInUse, "network is unreachable", WaitMs));
    QVERIFY(!isLinked(refused));
    QVERIFY2(log.contains(QStringLiteral("redis://:****@127.0.0.1:")),
             qPrintable(log.lines().join(u'\n')));
    for (const QString &line : log.lines()) {
        QVERIFY2(!line.contains(password), qPrintable(line));
        QVERIFY2(!line.contains(wrongPassword), qPrintable(line));
    }
}
