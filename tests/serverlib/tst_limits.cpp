// The limits of ServerLimits against a real server on loopback: caps on clients and channels,
// flood control, server pings. Hostile traffic itself, including a flood, is tst_hostile's.
#include "protocol/numerics.h"
#include "serverlib/chatserver.h"
#include "serverlib/floodbucket.h"
#include "tests/support/rawclient.h"

#include <QSignalSpy>
#include <QTest>
#include <QTimer>

#include <memory>

namespace Numeric = Irc::Numeric;

using ByteArrays = QList<QByteArray>;
Q_DECLARE_METATYPE(Server::ServerLimits)

namespace {

// A config with every limit off but the one a test is about.
Server::ServerConfig configWithoutLimits()
{
    Server::ServerConfig config;
    config.port = 0;
    config.threading = Server::ThreadingModel::Pool;
    config.workers = 2;
    config.limits.floodLinesPerSecond = 0;
    config.limits.maxClients = 0;
    config.limits.maxClientsPerIp = 0;
    config.limits.maxChannelsPerClient = 0;
    config.limits.registrationTimeoutMs = 0;
    config.limits.pingIntervalMs = 0;
    return config;
}

// How many of `lines` lines get through the default bucket before one would be held back, from a
// client that sends `firstBurst` lines at once and then one every `intervalMs`.
int linesBeforeThrottle(int firstBurst, qint64 intervalMs, int lines)
{
    const Server::ServerLimits defaults;
    Server::FloodBucket bucket(defaults.floodBurstLines, defaults.floodLinesPerSecond);
    qint64 now = 1000;
    for (int line = 0; line < lines; ++line) {
        if (line >= firstBurst)
            now += intervalMs;
        if (!bucket.hasToken(now))
            return line;
        bucket.take(now);
        bucket.caughtUp(); // each line arrives on its own
    }
    return lines;
}

} // namespace

class TestLimits : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void defaultsNeverThrottleClientsThatPaceThemselves_data();
    void defaultsNeverThrottleClientsThatPaceThemselves();
    void floodBucketRefillsAtItsRate();
    void noLimitsKeepsBufferLimitsAndTimeouts();
    void invalidLimitsAreRejected_data();
    void invalidLimitsAreRejected();

    void burstWithinTheBucketIsDeliveredAtOnce();
    void pasteBeyondTheBucketIsSlowedNotDropped();
    void clientsPerAddressAreCapped();
    void totalClientsAreCapped();
    void noLimitsLiftsCapsAndFloodControl();
    void channelsPerClientAreCapped();
    void idleClientIsPingedAndDroppedWithoutPong();

private:
    std::unique_ptr<RawClient> registered(Server::ChatServer &server, const QByteArray &nick);
    static bool refusedWith(RawClient &client, const QByteArray &reason);
};

std::unique_ptr<RawClient> TestLimits::registered(Server::ChatServer &server,
                                                  const QByteArray &nick)
{
    auto client = std::make_unique<RawClient>();
    if (!client->connectTo(server.serverPort()) || !client->registerAs(nick))
        return {};
    return client;
}

bool TestLimits::refusedWith(RawClient &client, const QByteArray &reason)
{
    const std::optional<Irc::IrcMessage> error = client.expect("ERROR");
    return error && error->param(0) == "Closing link (" + reason + ')'
        && client.waitForDisconnected();
}

void TestLimits::defaultsNeverThrottleClientsThatPaceThemselves_data()
{
    QTest::addColumn<int>("burst");
    QTest::addColumn<int>("intervalMs");
    // Ten minutes of each, at the pace the client keeps by itself.
    QTest::newRow("irssi: 5 at once, then one per 2.2 s") << 5 << 2200;
    QTest::newRow("WeeChat: one per 2 s") << 1 << 2000;
    QTest::newRow("QtChat's client: 5 at once, then one per 2 s") << 5 << 2000;
    QTest::newRow("a fast typist: one line a second") << 1 << 1000;
    QTest::newRow("a burst of 10 lines, then typing") << 10 << 1000;
}

void TestLimits::defaultsNeverThrottleClientsThatPaceThemselves()
{
    QFETCH(int, burst);
    QFETCH(int, intervalMs);
    const int lines = burst + 600'000 / intervalMs;
    QCOMPARE(linesBeforeThrottle(burst, intervalMs, lines), lines);
}

void TestLimits::floodBucketRefillsAtItsRate()
{
    Server::FloodBucket bucket(3, 2.0); // 3 at once, then one per 500 ms
    for (int i = 0; i < 3; ++i) {
        QVERIFY(bucket.hasToken(0));
        bucket.take(0);
    }
    QVERIFY(!bucket.hasToken(0));
    QVERIFY(!bucket.hasToken(499));
    QVERIFY(bucket.hasToken(500));
    bucket.take(500);
    QVERIFY(!bucket.hasToken(500));
    // Looked at again only after 2 s of holding back: the 4 lines of those 2 s pass at once.
    for (int i = 0; i < 4; ++i) {
        QVERIFY(bucket.hasToken(2500));
        bucket.take(2500);
    }
    QVERIFY(!bucket.hasToken(2500));
    bucket.caughtUp(); // nothing is held back any more
    // After a quiet minute: a burst again, never the minute's worth.
    for (int i = 0; i < 3; ++i) {
        QVERIFY(bucket.hasToken(60'000));
        bucket.take(60'000);
    }
    QVERIFY(!bucket.hasToken(60'000));
    Server::FloodBucket off(1, 0); // a rate of 0: no flood control
    for (int i = 0; i < 100; ++i) {
        QVERIFY(off.hasToken(0));
        off.take(0);
    }
}

void TestLimits::noLimitsKeepsBufferLimitsAndTimeouts()
{
    Server::ServerLimits limits;
    limits.noLimits = true;
    const Server::ServerLimits applied = limits.effective();
    QCOMPARE(applied.floodLinesPerSecond, 0.0);
    QCOMPARE(applied.maxClients, 0);
    QCOMPARE(applied.maxClientsPerIp, 0);
    QCOMPARE(applied.maxChannelsPerClient, 0);
    QCOMPARE(applied.sendQueueBytes, limits.sendQueueBytes);
    QCOMPARE(applied.registrationTimeoutMs, limits.registrationTimeoutMs);
    QCOMPARE(applied.pingIntervalMs, limits.pingIntervalMs);
    QCOMPARE(limits.sweepIntervalMs(), 1000); // once a second for the default timeouts
    limits.pingTimeoutMs = 200;
    QCOMPARE(limits.sweepIntervalMs(), 50); // a short timeout is checked often enough
}

void TestLimits::invalidLimitsAreRejected_data()
{
    QTest::addColumn<Server::ServerLimits>("limits");
    Server::ServerLimits limits;
    limits.sendQueueBytes = 100;
    QTest::newRow("tiny send queue") << limits;
    limits = {};
    limits.pingTimeoutMs = -1;
    QTest::newRow("negative timeout") << limits;
    limits = {};
    limits.pingTimeoutMs = 0;
    QTest::newRow("ping without timeout") << limits;
    limits = {};
    limits.floodBurstLines = 0;
    QTest::newRow("flood control without burst") << limits;
    limits = {};
    limits.maxClientsPerIp = -3;
    QTest::newRow("negative cap") << limits;
}

void TestLimits::invalidLimitsAreRejected()
{
    QFETCH(Server::ServerLimits, limits);
    Server::ServerConfig config;
    config.port = 0;
    config.limits = limits;
    QVERIFY(!config.validate().isEmpty());
    Server::ChatServer server;
    QVERIFY(!server.start(config));
    QCOMPARE(server.startError(), config.validate());
}

void TestLimits::burstWithinTheBucketIsDeliveredAtOnce()
{
    Server::ServerConfig config = configWithoutLimits();
    config.limits.floodBurstLines = 20;
    config.limits.floodLinesPerSecond = 0.001; // nothing refills during the test
    Server::ChatServer server;
    QVERIFY(server.start(config));
    auto sender = registered(server, "sender"); // 2 lines of the bucket
    auto reader = registered(server, "reader");
    QVERIFY(sender && reader);
    sender->send("JOIN #burst");
    reader->send("JOIN #burst");
    QVERIFY(reader->expect(Numeric::EndOfNames));
    QVERIFY(sender->expect(Numeric::EndOfNames));
    for (int i = 0; i < 10; ++i)
        sender->send("PRIVMSG #burst :line " + QByteArray::number(i));
    sender->send("PING :after");
    QVERIFY(sender->expect("PONG")); // 14 of 20 lines used: nothing was held back
    const QList<Irc::IrcMessage> got = reader->collect("PRIVMSG", 10);
    QCOMPARE(got.size(), 10);
    QCOMPARE(got.constLast().param(1), QByteArray("line 9"));
}

void TestLimits::pasteBeyondTheBucketIsSlowedNotDropped()
{
    Server::ServerConfig config = configWithoutLimits();
    config.limits.floodBurstLines = 5;
    config.limits.floodLinesPerSecond = 40;
    Server::ChatServer server;
    QVERIFY(server.start(config));
    auto sender = registered(server, "paster");
    auto reader = registered(server, "reader");
    QVERIFY(sender && reader);
    sender->send("JOIN #paste");
    QVERIFY(sender->expect(Numeric::EndOfNames));
    reader->send("JOIN #paste");
    QVERIFY(reader->expect(Numeric::EndOfNames));
    constexpr int Lines = 60; // about 1.5 s at 40 lines a second
    for (int i = 0; i < Lines; ++i)
        sender->send("PRIVMSG #paste :" + QByteArray::number(i));
    const QList<Irc::IrcMessage> got = reader->collect("PRIVMSG", Lines, 10'000);
    QCOMPARE(got.size(), Lines);
    for (int i = 0; i < Lines; ++i)
        QCOMPARE(got[i].param(1), QByteArray::number(i));
    QVERIFY(sender->isConnected());
    QVERIFY(!sender->expect("ERROR", 0));
}

void TestLimits::clientsPerAddressAreCapped()
{
    Server::ServerConfig config = configWithoutLimits();
    config.limits.maxClientsPerIp = 3;
    Server::ChatServer server;
    QSignalSpy refused(&server, &Server::ChatServer::clientRefused);
    QVERIFY(server.start(config));
    std::vector<std::unique_ptr<RawClient>> clients;
    for (int i = 0; i < 3; ++i) {
        clients.push_back(registered(server, "local" + QByteArray::number(i)));
        QVERIFY(clients.back());
    }
    RawClient fourth;
    QVERIFY(fourth.connectTo(server.serverPort()));
    QVERIFY(refusedWith(fourth, "Too many connections from your address"));
    QCOMPARE(refused.size(), 1);
    QCOMPARE(refused.at(0).at(0).toString(), QStringLiteral("127.0.0.1"));

    clients.front()->disconnectFromServer();
    QTRY_COMPARE(server.clientCount(), 2);
    QVERIFY(registered(server, "again")); // a freed slot is free again
}

void TestLimits::totalClientsAreCapped()
{
    Server::ServerConfig config = configWithoutLimits();
    config.limits.maxClients = 2;
    Server::ChatServer server;
    QVERIFY(server.start(config));
    auto first = registered(server, "first");
    auto second = registered(server, "second");
    QVERIFY(first && second);
    RawClient third;
    QVERIFY(third.connectTo(server.serverPort()));
    QVERIFY(refusedWith(third, "Server is full"));
    first->send("PRIVMSG second :still here"); // those admitted are served as before
    QCOMPARE(second->expect("PRIVMSG")->param(1), QByteArray("still here"));
}

void TestLimits::noLimitsLiftsCapsAndFloodControl()
{
    Server::ServerConfig config;
    config.port = 0;
    config.limits.maxClientsPerIp = 1;
    config.limits.maxClients = 1;
    config.limits.maxChannelsPerClient = 1;
    config.limits.floodBurstLines = 1;
    config.limits.floodLinesPerSecond = 0.001;
    config.limits.noLimits = true;
    Server::ChatServer server;
    QVERIFY(server.start(config));
    auto sender = registered(server, "sender");
    auto reader = registered(server, "reader");
    QVERIFY(sender && reader);
    reader->send("JOIN #a,#b");
    QVERIFY(reader->expect(Numeric::EndOfNames));
    QVERIFY(reader->expect(Numeric::EndOfNames));
    constexpr int Lines = 200;
    for (int i = 0; i < Lines; ++i)
        sender->send("PRIVMSG reader :" + QByteArray::number(i));
    QCOMPARE(reader->collect("PRIVMSG", Lines).size(), Lines);
}

void TestLimits::channelsPerClientAreCapped()
{
    Server::ServerConfig config = configWithoutLimits();
    config.limits.maxChannelsPerClient = 2;
    Server::ChatServer server;
    QVERIFY(server.start(config));
    auto client = registered(server, "joiner");
    QVERIFY(client);
    client->send("JOIN #a,#b,#c");
    QVERIFY(client->expect(Numeric::EndOfNames));
    QVERIFY(client->expect(Numeric::EndOfNames));
    const std::optional<Irc::IrcMessage> tooMany = client->expect(Numeric::TooManyChannels);
    QVERIFY(tooMany);
    QCOMPARE(tooMany->params, (ByteArrays {"joiner", "#c", "You have joined too many channels"}));
    client->send("JOIN #a"); // already there: not refused, nothing happens
    client->send("PART #a");
    QVERIFY(client->expect("PART"));
    client->send("JOIN #c");
    QCOMPARE(client->expect(Numeric::EndOfNames)->param(1), QByteArray("#c"));
}

void TestLimits::idleClientIsPingedAndDroppedWithoutPong()
{
    Server::ServerConfig config = configWithoutLimits();
    config.limits.pingIntervalMs = 300;
    config.limits.pingTimeoutMs = 300;
    config.serverName = "ping.test";
    Server::ChatServer server;
    QVERIFY(server.start(config));
    auto sleeper = registered(server, "sleeper");
    auto witness = registered(server, "witness");
    QVERIFY(sleeper && witness);
    // The witness keeps talking, so that only the sleeper goes quiet.
    QTimer keepAlive;
    connect(&keepAlive, &QTimer::timeout, witness.get(), [&] { witness->send("PONG :awake"); });
    keepAlive.start(50);
    sleeper->send("JOIN #night");
    QVERIFY(sleeper->expect(Numeric::EndOfNames));
    witness->send("JOIN #night");
    QVERIFY(witness->expect(Numeric::EndOfNames));

    const std::optional<Irc::IrcMessage> ping = sleeper->expect("PING");
    QVERIFY(ping);
    QCOMPARE(ping->params, ByteArrays {"ping.test"});
    sleeper->send("PONG :ping.test"); // answered: stays
    QVERIFY(sleeper->expect("PING")); // quiet again: pinged again, and this time no answer
    const std::optional<Irc::IrcMessage> error = sleeper->expect("ERROR");
    QVERIFY(error);
    QVERIFY2(error->param(0).startsWith("Ping timeout: "), error->param(0).constData());
    QVERIFY(sleeper->waitForDisconnected());
    const std::optional<Irc::IrcMessage> quit = witness->expect("QUIT");
    QVERIFY(quit);
    QCOMPARE(quit->sourceNick(), QByteArray("sleeper"));
    QVERIFY(quit->param(0).startsWith("Ping timeout: "));
    QVERIFY(quit->param(0).endsWith(" seconds"));
    QVERIFY(witness->isConnected());
}

QTEST_GUILESS_MAIN(TestLimits)
#include "tst_limits.moc"
