// Cluster::ChannelBus: three nodes, each with its own link, on one real redis-server started
// for each test. What is absent is shown by order: one publisher's lines arrive in the order it
// published them, so a line published after another to a channel a node does listen to
// arriving first proves the other never will.
#include "clusterlib/channelbus.h"
#include "clusterlib/redislink.h"
#include "tests/clusterlib/testlinkconfig.h"
#include "tests/support/redisprocess.h"

#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace Cluster;

namespace {

constexpr int WaitMs = 10'000;

struct Node
{
    Node(const QString &url, const QByteArray &id)
    {
        link = std::make_unique<RedisLink>(testLinkConfig(url));
        QSignalSpy linkSubscribed(link.get(), &RedisLink::subscribed);
        bus = std::make_unique<ChannelBus>(*link, id, "test:");
        received = std::make_unique<QSignalSpy>(bus.get(), &ChannelBus::received);
        gaps = std::make_unique<QSignalSpy>(bus.get(), &ChannelBus::gap);
        link->start();
        // Its own channel, for what is sent to it, and the one every node follows.
        if (!QTest::qWaitFor([&] { return linkSubscribed.size() >= 2; }, WaitMs))
            qWarning("node %s did not subscribe in time", id.constData());
    }
    ~Node()
    {
        received.reset();
        gaps.reset();
        bus.reset();
        link.reset();
    }

    bool join(const QByteArray &channel)
    {
        QSignalSpy subscribed(bus.get(), &ChannelBus::subscribed);
        bus->addLocalMember(channel);
        return subscribed.wait(WaitMs);
    }

    // The payloads received so far, in order.
    QList<QByteArray> payloads() const
    {
        QList<QByteArray> all;
        for (const QList<QVariant> &arguments : std::as_const(*received))
            all.append(arguments.at(2).toByteArray());
        return all;
    }

    std::unique_ptr<RedisLink> link;
    std::unique_ptr<ChannelBus> bus;
    std::unique_ptr<QSignalSpy> received;
    std::unique_ptr<QSignalSpy> gaps;
};

} // namespace

class tst_ChannelBus : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void onlyNodesWithMembersReceiveAChannel();
    void ownLinesAreNotEchoed();
    void oneSendersOrderIsKeptWithoutGaps();
    void linesPublishedTogetherArriveInOrder();
    void lostLinesAreToldAndRepeatedOnesDropped();
    void theLastLocalMemberLeavingUnsubscribes();
    void linesForANodeReachOnlyIt();
    void broadcastsReachEveryOtherNode();
    void malformedMessagesAreDropped();
    void malformedBatchesAreDroppedWhole();

private:
    std::unique_ptr<Node> node(const QByteArray &id)
    {
        return std::make_unique<Node>(m_redis->url(), id);
    }
    // A message published as another node would, bypassing a bus: for gaps and bad input.
    void publishRaw(Node &through, const QByteArray &channel, const QByteArray &message)
    {
        through.link->command({"PUBLISH", "test:chan:" + channel, message});
    }

    std::unique_ptr<RedisProcess> m_redis;
};

void tst_ChannelBus::initTestCase()
{
    qRegisterMetaType<RedisReply>();
    QVERIFY2(RedisProcess::isAvailable(), qPrintable(RedisProcess::unavailableReason()));
}

void tst_ChannelBus::init()
{
    m_redis = std::make_unique<RedisProcess>();
    QVERIFY2(m_redis->start(), qPrintable(m_redis->errorString()));
}

void tst_ChannelBus::cleanup()
{
    m_redis.reset();
}

void tst_ChannelBus::onlyNodesWithMembersReceiveAChannel()
{
    auto a = node("node-a");
    auto b = node("node-b");
    auto c = node("node-c");
    QVERIFY(b->join("#x"));
    QVERIFY(c->join("#y"));
    QVERIFY(a->bus->publish("#x", "for x"));
    QVERIFY(a->bus->publish("#y", "for y"));
    QTRY_COMPARE_WITH_TIMEOUT(b->payloads(), QList<QByteArray> {"for x"}, WaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(c->payloads(), QList<QByteArray> {"for y"}, WaitMs);
    QCOMPARE(b->received->first().at(0).toByteArray(), QByteArray("#x"));
    QCOMPARE(b->received->first().at(1).toByteArray(), QByteArray("node-a"));
}

void tst_ChannelBus::ownLinesAreNotEchoed()
{
    auto a = node("node-a");
    auto b = node("node-b");
    QVERIFY(a->join("#x"));
    QVERIFY(b->join("#x"));
    QVERIFY(a->bus->publish("#x", "from a"));
    QVERIFY(b->bus->publish("#x", "from b"));
    QTRY_COMPARE_WITH_TIMEOUT(a->payloads(), QList<QByteArray> {"from b"}, WaitMs);
    QCOMPARE(b->payloads(), QList<QByteArray> {"from a"});
}

void tst_ChannelBus::oneSendersOrderIsKeptWithoutGaps()
{
    auto a = node("node-a");
    auto b = node("node-b");
    QVERIFY(b->join("#x"));
    QList<QByteArray> sent;
    for (int i = 0; i < 2000; ++i) {
        sent.append("line " + QByteArray::number(i));
        QVERIFY(a->bus->publish("#x", sent.last()));
    }
    QTRY_COMPARE_WITH_TIMEOUT(b->received->size(), sent.size(), WaitMs);
    QCOMPARE(b->payloads(), sent);
    QCOMPARE(b->gaps->size(), 0);
}

// Several payloads in one message (empty ones, and line ends, included) arrive as they were,
// in order, mixed with single ones, and take one sequence number each message.
void tst_ChannelBus::linesPublishedTogetherArriveInOrder()
{
    auto a = node("node-a");
    auto b = node("node-b");
    QVERIFY(b->join("#x"));
    const QList<QByteArray> first {"one", "", "three\r\n4 x\n", "four"};
    QVERIFY(a->bus->publish("#x", first));
    QVERIFY(a->bus->publish("#x", "five"));
    QVERIFY(a->bus->publish("#x", QList<QByteArray> {"six"}));
    QVERIFY(a->bus->publish("#x", QList<QByteArray> {"seven", "eight"}));
    const QList<QByteArray> all {"one",  "",    "three\r\n4 x\n", "four",
                                 "five", "six", "seven",          "eight"};
    QTRY_COMPARE_WITH_TIMEOUT(b->payloads(), all, WaitMs);
    QCOMPARE(b->gaps->size(), 0);
}

void tst_ChannelBus::lostLinesAreToldAndRepeatedOnesDropped()
{
    auto a = node("node-a");
    auto b = node("node-b");
    QVERIFY(b->join("#x"));
    publishRaw(*a, "#x", "node-z 1\nfirst");
    publishRaw(*a, "#x", "node-z 4\nafter a gap");
    publishRaw(*a, "#x", "node-z 4\nrepeated");
    publishRaw(*a, "#x", "node-z 2\nlate");
    publishRaw(*a, "#x", "node-z 5\nlast");
    QTRY_COMPARE_WITH_TIMEOUT(b->payloads(), (QList<QByteArray> {"first", "after a gap", "last"}),
                              WaitMs);
    QCOMPARE(b->gaps->size(), 1);
    QCOMPARE(b->gaps->first().at(0).toByteArray(), QByteArray("#x"));
    QCOMPARE(b->gaps->first().at(1).toByteArray(), QByteArray("node-z"));
}

void tst_ChannelBus::theLastLocalMemberLeavingUnsubscribes()
{
    auto a = node("node-a");
    auto b = node("node-b");
    QVERIFY(b->join("#x"));
    b->bus->addLocalMember("#x"); // a second member: already subscribed
    QVERIFY(b->join("#y"));
    b->bus->removeLocalMember("#x");
    QVERIFY(b->bus->isSubscribed("#x"));
    QVERIFY(a->bus->publish("#x", "one member left"));
    QTRY_COMPARE_WITH_TIMEOUT(b->payloads(), QList<QByteArray> {"one member left"}, WaitMs);

    b->bus->removeLocalMember("#x");
    QVERIFY(!b->bus->isSubscribed("#x"));
    QVERIFY(a->bus->publish("#x", "nobody left"));
    QVERIFY(a->bus->publish("#y", "still in y"));
    QTRY_COMPARE_WITH_TIMEOUT(b->payloads().size(), 2, WaitMs);
    QCOMPARE(b->payloads().last(), QByteArray("still in y"));
}

void tst_ChannelBus::linesForANodeReachOnlyIt()
{
    auto a = node("node-a");
    auto b = node("node-b");
    auto c = node("node-c");
    QSignalSpy onB(b->bus.get(), &ChannelBus::directReceived);
    QSignalSpy onC(c->bus.get(), &ChannelBus::directReceived);
    QVERIFY(a->bus->sendToNode("node-b", "psst b"));
    QVERIFY(a->bus->sendToNode("node-c", "psst c"));
    QTRY_COMPARE_WITH_TIMEOUT(onC.size(), 1, WaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(onB.size(), 1, WaitMs);
    QCOMPARE(onB.first().at(0).toByteArray(), QByteArray("node-a"));
    QCOMPARE(onB.first().at(1).toByteArray(), QByteArray("psst b"));
    QCOMPARE(onC.first().at(1).toByteArray(), QByteArray("psst c"));
}

void tst_ChannelBus::broadcastsReachEveryOtherNode()
{
    auto a = node("node-a");
    auto b = node("node-b");
    auto c = node("node-c");
    QSignalSpy onA(a->bus.get(), &ChannelBus::broadcastReceived);
    QSignalSpy onB(b->bus.get(), &ChannelBus::broadcastReceived);
    QSignalSpy onC(c->bus.get(), &ChannelBus::broadcastReceived);
    QVERIFY(a->bus->broadcast("to all"));
    QVERIFY(a->bus->broadcast("again"));
    QVERIFY(b->bus->broadcast("from b"));
    QTRY_COMPARE_WITH_TIMEOUT(onB.size(), 2, WaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(onC.size(), 3, WaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(onA.size(), 1, WaitMs);
    QCOMPARE(onB.size(), 2); // its own one is not echoed
    const auto fromA = [](const QSignalSpy &spy) {
        QList<QByteArray> payloads;
        for (const QList<QVariant> &arguments : spy) {
            if (arguments.at(0).toByteArray() == "node-a")
                payloads.append(arguments.at(1).toByteArray());
        }
        return payloads;
    };
    for (QSignalSpy *spy : {&onB, &onC}) // in order, once
        QCOMPARE(fromA(*spy), (QList<QByteArray> {"to all", "again"}));
    QCOMPARE(onA.first().at(1).toByteArray(), QByteArray("from b"));
    // Broadcasts are not lines of a channel, nor for one node.
    QCOMPARE(a->received->size() + b->received->size() + c->received->size(), 0);
}

void tst_ChannelBus::malformedMessagesAreDropped()
{
    auto a = node("node-a");
    auto b = node("node-b");
    QVERIFY(b->join("#x"));
    publishRaw(*a, "#x", "no frame at all");
    publishRaw(*a, "#x", "node-z notanumber\ntext");
    publishRaw(*a, "#x", "node-z\n7 text");
    QVERIFY(a->bus->publish("#x", "fine"));
    QTRY_COMPARE_WITH_TIMEOUT(b->payloads(), QList<QByteArray> {"fine"}, WaitMs);
}

void tst_ChannelBus::malformedBatchesAreDroppedWhole()
{
    auto a = node("node-a");
    auto b = node("node-b");
    QVERIFY(b->join("#x"));
    publishRaw(*a, "#x", "node-z 1 2\n3\nabc"); // one payload short
    publishRaw(*a, "#x", "node-z 2 1\n3\nabcdef"); // bytes left over
    publishRaw(*a, "#x", "node-z 3 1\n99\nabc"); // a size past the end
    publishRaw(*a, "#x", "node-z 4 0\n"); // nothing in it
    publishRaw(*a, "#x", "node-z 5 x\n3\nabc");
    publishRaw(*a, "#x", "node-z 6 2\n1\na2\nbc");
    QTRY_COMPARE_WITH_TIMEOUT(b->payloads(), (QList<QByteArray> {"a", "bc"}), WaitMs);
}

QTEST_GUILESS_MAIN(tst_ChannelBus)
#include "tst_channelbus.moc"
