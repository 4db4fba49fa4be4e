// Cluster::NodeDirectory: several nodes, each with a link of its own, against one real
// redis-server started for each test. Nodes see each other come and go; a node that stops
// refreshing (its link cut, as a killed or frozen node looks to the others) is swept within the
// bound, announced once, and its names are free again; a restarted node finds no ghost; what a node
// tells of a name goes with the name.
#include "clusterlib/nodedirectory.h"
#include "clusterlib/redislink.h"
#include "tests/clusterlib/testlinkconfig.h"
#include "tests/support/redisprocess.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

#include <memory>
#include <optional>

using namespace Cluster;

namespace {

constexpr int WaitMs = 10'000;

DirectoryTiming fastTiming()
{
    DirectoryTiming timing;
    timing.ttlMs = 1500;
    timing.refreshMs = 200;
    timing.sweepMs = 100;
    return timing;
}

// A node: its own link to Redis and its directory.
struct Node
{
    Node(const QString &url, const QByteArray &name)
    {
        link = std::make_unique<RedisLink>(testLinkConfig(url));
        directory = std::make_unique<NodeDirectory>(*link, name, "test:", fastTiming());
        link->start();
    }
    ~Node()
    {
        directory.reset();
        link.reset();
    }

    bool start()
    {
        QSignalSpy joined(directory.get(), &NodeDirectory::joined);
        directory->start();
        return joined.wait(WaitMs);
    }

    // Claims a name and waits for the answer: held or not, nothing when none came.
    std::optional<bool> claim(const QByteArray &name)
    {
        std::optional<bool> outcome;
        directory->claimName(name, [&](bool held) { outcome = held; });
        if (!QTest::qWaitFor([&] { return outcome.has_value(); }, WaitMs))
            qWarning("no answer to the claim of %s in time", name.constData());
        return outcome;
    }

    // Enters a channel and waits for the answer: how many other nodes are there, Unknown when
    // Redis cannot tell, NoAnswer when none came.
    int enter(const QByteArray &channel)
    {
        std::optional<int> outcome;
        directory->enterChannel(
            channel, [&](std::optional<int> others) { outcome = others.value_or(Unknown); });
        if (!QTest::qWaitFor([&] { return outcome.has_value(); }, WaitMs))
            return NoAnswer;
        return *outcome;
    }
    static constexpr int Unknown = -1, NoAnswer = -2;

    // Who holds a name and what it told of it; nothing when nobody holds it.
    std::optional<NodeDirectory::NameHolder> lookUp(const QByteArray &name)
    {
        bool answered = false;
        std::optional<NodeDirectory::NameHolder> holder;
        directory->lookUpName(name, [&](std::optional<NodeDirectory::NameHolder> found) {
            holder = std::move(found);
            answered = true;
        });
        if (!QTest::qWaitFor([&] { return answered; }, WaitMs))
            qWarning("no answer to the look-up of %s in time", name.constData());
        return holder;
    }

    // A command's integer answer, -1 when none came.
    qint64 integer(const QList<QByteArray> &argv)
    {
        QSignalSpy replied(link.get(), &RedisLink::replied);
        const quint64 id = link->command(argv);
        while (replied.wait(WaitMs)) {
            for (const QList<QVariant> &reply : std::as_const(replied)) {
                if (reply.at(0).toULongLong() == id)
                    return reply.at(1).value<RedisReply>().integer;
            }
        }
        return -1;
    }

    std::unique_ptr<RedisLink> link;
    std::unique_ptr<NodeDirectory> directory;
};

} // namespace

class tst_NodeDirectory : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void nodesSeeEachOtherComeAndGo();
    void aNameIsHeldByOneNodeAtATime();
    void deadNodeIsSweptOnceWithinTheBoundAndItsNamesFreed();
    void restartedNodeFindsNoGhost();
    void sweptNodeIsToldAndJoinsAgain();
    void aChannelEntryCannotTellRightAfterRedisLostItsData();
    void whatAHolderTellsOfANameGoesWithTheName();

private:
    std::unique_ptr<Node> node(const QByteArray &name);

    std::unique_ptr<RedisProcess> m_redis;
};

void tst_NodeDirectory::initTestCase()
{
    qRegisterMetaType<RedisReply>();
    QVERIFY2(RedisProcess::isAvailable(), qPrintable(RedisProcess::unavailableReason()));
}

void tst_NodeDirectory::init()
{
    m_redis = std::make_unique<RedisProcess>();
    QVERIFY2(m_redis->start(), qPrintable(m_redis->errorString()));
}

void tst_NodeDirectory::cleanup()
{
    m_redis.reset();
}

std::unique_ptr<Node> tst_NodeDirectory::node(const QByteArray &name)
{
    auto created = std::make_unique<Node>(m_redis->url(), name);
    if (!created->start())
        qWarning("node %s did not join in time", name.constData());
    return created;
}

void tst_NodeDirectory::nodesSeeEachOtherComeAndGo()
{
    auto a = node("node-a");
    QVERIFY(a->directory->nodes().isEmpty());
    QSignalSpy joined(a->directory.get(), &NodeDirectory::nodeJoined);
    QSignalSpy left(a->directory.get(), &NodeDirectory::nodeLeft);
    auto b = node("node-b");
    QCOMPARE(b->directory->nodes().value(a->directory->id()), QByteArray("node-a"));
    QTRY_COMPARE_WITH_TIMEOUT(joined.size(), 1, WaitMs);
    QCOMPARE(joined.first().at(0).toByteArray(), b->directory->id());
    QCOMPARE(joined.first().at(1).toByteArray(), QByteArray("node-b"));
    QVERIFY(b->directory->id().startsWith("node-b:"));

    const QByteArray bId = b->directory->id();
    b->directory->stop();
    QTRY_COMPARE_WITH_TIMEOUT(left.size(), 1, WaitMs);
    QCOMPARE(left.first().at(0).toByteArray(), bId);
    QCOMPARE(left.first().at(2).toString(), QStringLiteral("left the network"));
    QVERIFY(a->directory->nodes().isEmpty());
}

void tst_NodeDirectory::aNameIsHeldByOneNodeAtATime()
{
    auto a = node("node-a");
    auto b = node("node-b");
    QCOMPARE(a->claim("alice"), std::optional<bool>(true));
    QCOMPARE(a->claim("alice"), std::optional<bool>(true)); // ours already
    QCOMPARE(b->claim("alice"), std::optional<bool>(false));
    bool released = false;
    a->directory->releaseName("alice", [&] { released = true; });
    QTRY_VERIFY_WITH_TIMEOUT(released, WaitMs);
    QCOMPARE(b->claim("alice"), std::optional<bool>(true));
    QCOMPARE(a->claim("alice"), std::optional<bool>(false));
    // A node that leaves lets go of what it holds.
    QCOMPARE(b->claim("bob"), std::optional<bool>(true));
    b->directory->stop();
    QTRY_VERIFY_WITH_TIMEOUT(a->claim("bob") == std::optional<bool>(true), WaitMs);
}

void tst_NodeDirectory::deadNodeIsSweptOnceWithinTheBoundAndItsNamesFreed()
{
    auto a = node("node-a");
    auto b = node("node-b");
    auto c = node("node-c");
    QCOMPARE(c->claim("carol"), std::optional<bool>(true));
    QCOMPARE(c->claim("dave"), std::optional<bool>(true));
    QCOMPARE(a->claim("carol"), std::optional<bool>(false));
    QSignalSpy leftOnA(a->directory.get(), &NodeDirectory::nodeLeft);
    QSignalSpy leftOnB(b->directory.get(), &NodeDirectory::nodeLeft);
    const QByteArray cId = c->directory->id();

    // Cut off from Redis, node c can neither refresh nor say goodbye: to the others it is
    // dead, as a killed one would be.
    c->link->stop();
    QElapsedTimer dead;
    dead.start();
    QTRY_COMPARE_WITH_TIMEOUT(leftOnA.size(), 1, WaitMs);
    // The bound is ttl + sweep = 1.6 s; generous for a loaded machine.
    QVERIFY2(dead.elapsed() < 5000, qPrintable(QString::number(dead.elapsed())));
    QTRY_COMPARE_WITH_TIMEOUT(leftOnB.size(), 1, WaitMs);
    QCOMPARE(leftOnA.first().at(0).toByteArray(), cId);
    QCOMPARE(leftOnA.first().at(2).toString(), QStringLiteral("stopped answering"));
    QCOMPARE(a->claim("carol"), std::optional<bool>(true));
    QCOMPARE(b->claim("dave"), std::optional<bool>(true));
}

void tst_NodeDirectory::restartedNodeFindsNoGhost()
{
    auto a = node("node-a");
    auto first = node("node-b");
    const QByteArray firstId = first->directory->id();
    QCOMPARE(first->claim("erin"), std::optional<bool>(true));
    first->link->stop(); // killed
    first.reset();
    auto again = node("node-b");
    QVERIFY(again->directory->id() != firstId);
    // Once swept, the former incarnation is gone from every view, and so are its names.
    QTRY_VERIFY_WITH_TIMEOUT(!again->directory->nodes().contains(firstId)
                                 && !a->directory->nodes().contains(firstId),
                             WaitMs);
    QCOMPARE(again->claim("erin"), std::optional<bool>(true));
    QCOMPARE(a->directory->nodes().value(again->directory->id()), QByteArray("node-b"));
}

void tst_NodeDirectory::sweptNodeIsToldAndJoinsAgain()
{
    auto a = node("node-a");
    auto b = node("node-b");
    QCOMPARE(b->claim("frank"), std::optional<bool>(true));
    QSignalSpy evicted(b->directory.get(), &NodeDirectory::evicted);
    QSignalSpy joinedOnA(a->directory.get(), &NodeDirectory::nodeJoined);
    QSignalSpy leftOnA(a->directory.get(), &NodeDirectory::nodeLeft);
    // Frozen past its liveness (its key gone, as if it had not refreshed in time).
    QVERIFY(a->link->command({"DEL", "test:node:" + b->directory->id()}) != 0);
    QTRY_COMPARE_WITH_TIMEOUT(leftOnA.size(), 1, WaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(evicted.size(), 1, WaitMs);
    // Back in the cluster, holding nothing: its name was freed when it was swept.
    QTRY_COMPARE_WITH_TIMEOUT(joinedOnA.size(), 1, WaitMs);
    QCOMPARE(a->claim("frank"), std::optional<bool>(true));
}

// Redis restarted empty knows nobody's channels: a node is not told it is first on one before
// it has joined again, nor for a liveness period after a node joined again, which may not have
// entered its channels again yet.
void tst_NodeDirectory::aChannelEntryCannotTellRightAfterRedisLostItsData()
{
    auto a = node("node-a");
    auto b = node("node-b");
    QCOMPARE(a->enter("#c"), 0);
    QCOMPARE(b->enter("#c"), 1);

    QSignalSpy aJoinedAgain(a->directory.get(), &NodeDirectory::joined);
    QVERIFY(a->link->command({"FLUSHALL"}) != 0);
    // After the FLUSHALL on the same connection, before node A can have joined again.
    QCOMPARE(a->enter("#c"), Node::Unknown);
    QVERIFY(aJoinedAgain.wait(WaitMs));
    QCOMPARE(a->enter("#d"), Node::Unknown);
    QCOMPARE(b->enter("#d"), Node::Unknown);
    // Once the window has closed: told again.
    QTRY_COMPARE_WITH_TIMEOUT(a->enter("#e"), 0, WaitMs);
    QCOMPARE(b->enter("#e"), 1);
}

QTEST_GUILESS_MAIN(tst_NodeDirectory)
void tst_NodeDirectory::whatAHolderTellsOfANameGoesWithTheName()
{
    auto a = node("node-a");
    auto b = node("node-b");
    QCOMPARE(a->claim("alice"), std::optional<bool>(true));
    a->directory->describeName("alice", {"nick", "Alice", "host", "far"});
    QVERIFY(a->lookUp("alice")); // on a's connection: after the description
    std::optional<NodeDirectory::NameHolder> holder = b->lookUp("alice");
    QVERIFY(holder);
    QCOMPARE(holder->node, a->directory->id());
    QCOMPARE(holder->facts.value("nick"), "Alice");
    QCOMPARE(holder->facts.value("host"), "far");
    QCOMPARE(holder->facts.value("node"), a->directory->id());

    // Only the holder tells: b's word on alice is not kept.
    b->directory->describeName("alice", {"nick", "Mallory"});
    QCOMPARE(b->lookUp("alice")->facts.value("nick"), "Alice");
    // A name held but not told of: its holder only.
    QCOMPARE(a->claim("bob"), std::optional<bool>(true));
    holder = b->lookUp("bob");
    QVERIFY(holder);
    QVERIFY(holder->facts.isEmpty());
    QVERIFY(!b->lookUp("nobody"));

    bool released = false;
    a->directory->releaseName("alice", [&] { released = true; });
    QTRY_VERIFY_WITH_TIMEOUT(released, WaitMs);
    QVERIFY(!b->lookUp("alice"));
    QCOMPARE(b->integer({"EXISTS", "test:user:alice"}), 0);

    // A node found dead takes what it told with its names.
    QCOMPARE(a->claim("carol"), std::optional<bool>(true));
    a->directory->describeName("carol", {"nick", "carol"});
    QVERIFY(a->lookUp("carol"));
    QCOMPARE(b->integer({"EXISTS", "test:user:carol"}), 1);
    QSignalSpy left(b->directory.get(), &NodeDirectory::nodeLeft);
    a->link->stop();
    QTRY_COMPARE_WITH_TIMEOUT(left.size(), 1, WaitMs);
    QVERIFY(!b->lookUp("carol"));
    QCOMPARE(b->integer({"EXISTS", "test:user:carol"}), 0);
}

#include "tst_nodedirectory.moc"
