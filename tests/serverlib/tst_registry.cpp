// The shared nick and channel state, called from many threads at once.
#include "serverlib/mailbox.h"
#include "serverlib/registry.h"

#include <QRegularExpression>
#include <QTest>

#include <thread>

using Operation = Server::Registry::Status (*)(Server::Registry &);
Q_DECLARE_METATYPE(Operation)

namespace {

std::shared_ptr<Server::Mailbox> newMailbox()
{
    return std::make_shared<Server::Mailbox>([] {});
}

int audienceSize(const Server::Audience &audience)
{
    int size = 0;
    for (const Server::MemberGroup &group : audience)
        size += int(group.ids.size());
    return size;
}

} // namespace

class TestRegistry : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void nicksAreUniqueIgnoringCase();
    void joinGroupsMembersByMailbox();
    void partAndRemoveEmptyTheChannel();
    void nickChangeReachesEachPeerOnce();
    void audienceIsASnapshot();
    void concurrentJoinsAndPartsKeepCountsRight();
    void remoteUsersActWithTheirServersRights();
    void unknownClientIdIsRefusedNotAdded_data();
    void unknownClientIdIsRefusedNotAdded();
};

// A user of another server of a cluster: registered at once, and what its own server checked
// is not refused here (a channel this server made invite-only and topic-locked meanwhile).
void TestRegistry::remoteUsersActWithTheirServersRights()
{
    using Status = Server::Registry::Status;
    Server::Registry registry;
    auto local = newMailbox(), bridge = newMailbox();
    registry.addClient(1, local, "h");
    QCOMPARE(registry.reserveNick(1, "alice"), Status::Ok);
    registry.completeRegistration(1, "u", "Alice");
    QCOMPARE(registry.addRemoteClient(7, bridge, "ALICE", "u", "far", "A"), Status::NickInUse);
    QCOMPARE(registry.addRemoteClient(7, bridge, "bob", "u", "far", "Bob"), Status::Ok);
    QCOMPARE(registry.findNick("BOB")->mailbox, bridge);
    QCOMPARE(registry.nicksOutside(bridge.get()), QList<QByteArray> {"alice"});

    Server::Audience members;
    Server::ChannelView view;
    QCOMPARE(registry.join(1, "#c", {}, &members, &view), Status::Ok); // alice: operator
    Server::ModeOutcome outcome;
    QCOMPARE(registry.changeModes(1, "#c", {{true, 'i', {}}}, &outcome, &members), Status::Ok);
    QVERIFY(!registry.hasMembersOutside("#c", local.get()));
    QCOMPARE(registry.join(7, "#c", {}, &members, &view), Status::Ok);
    QVERIFY(registry.hasMembersOutside("#c", local.get()));
    QByteArray name, exact;
    QCOMPARE(registry.setTopic(7, "#c", "from afar", &members, &name), Status::Ok);
    Server::Audience all;
    QCOMPARE(registry.channelMembers("#c", &all), Status::Ok);
    QCOMPARE(audienceSize(all), 2);
    QCOMPARE(registry.kick(7, "#c", "alice", &members, &name, &exact), Status::Ok);

    registry.addClient(2, local, "h");
    QCOMPARE(registry.reserveNick(2, "carol"), Status::Ok);
    registry.forgetNick(2, "carol"); // the cluster refused it
    QCOMPARE(registry.addRemoteClient(8, bridge, "carol", "u", "far", "C"), Status::Ok);
}

void TestRegistry::nicksAreUniqueIgnoringCase()
{
    Server::Registry registry;
    auto box = newMailbox();
    registry.addClient(1, box, "h");
    registry.addClient(2, box, "h");
    QCOMPARE(registry.reserveNick(1, "Alice"), Server::Registry::Status::Ok);
    QCOMPARE(registry.reserveNick(2, "ALICE"), Server::Registry::Status::NickInUse);
    QCOMPARE(registry.reserveNick(1, "alice"), Server::Registry::Status::Ok); // own nick, new case
    QCOMPARE(registry.reserveNick(1, "Bob"), Server::Registry::Status::Ok);
    QCOMPARE(registry.reserveNick(2, "alice"), Server::Registry::Status::Ok); // released
    QVERIFY(!registry.findNick("bob")); // reserved, not registered yet
    registry.completeRegistration(1, "u", "Real");
    QCOMPARE(registry.findNick("BOB")->ids, QList<quint32> {1});
    QCOMPARE(registry.prefixOf(1), QByteArray("Bob!u@h"));
}

void TestRegistry::joinGroupsMembersByMailbox()
{
    Server::Registry registry;
    auto a = newMailbox();
    auto b = newMailbox();
    for (quint32 id = 1; id <= 4; ++id) {
        registry.addClient(id, id % 2 ? a : b, "h");
        registry.reserveNick(id, "n" + QByteArray::number(id));
        registry.completeRegistration(id, "u", "r");
    }
    Server::Audience audience;
    Server::ChannelView view;
    for (quint32 id = 1; id <= 4; ++id) {
        audience.clear();
        QCOMPARE(registry.join(id, "#Room", {}, &audience, &view), Server::Registry::Status::Ok);
    }
    QCOMPARE(audience.size(), 2);
    QCOMPARE(audienceSize(audience), 4);
    QCOMPARE(view.name, QByteArray("#Room"));
    QCOMPARE(view.members.size(), 4);
    QVERIFY(view.members[0].op);
    QVERIFY(!view.members[1].op);
    QCOMPARE(registry.join(2, "#room", {}, &audience, &view),
             Server::Registry::Status::AlreadyOnChannel);
}

void TestRegistry::partAndRemoveEmptyTheChannel()
{
    Server::Registry registry;
    auto box = newMailbox();
    registry.addClient(1, box, "h");
    registry.reserveNick(1, "solo");
    Server::Audience audience;
    Server::ChannelView view;
    registry.join(1, "#x", {}, &audience, &view);
    QByteArray name;
    audience.clear();
    QCOMPARE(registry.part(1, "#X", &audience, &name), Server::Registry::Status::Ok);
    QCOMPARE(name, QByteArray("#x"));
    QCOMPARE(audienceSize(audience), 1);
    QVERIFY(!registry.channelView("#x"));
    QCOMPARE(registry.part(1, "#x", &audience, &name), Server::Registry::Status::NoSuchChannel);
}

void TestRegistry::nickChangeReachesEachPeerOnce()
{
    Server::Registry registry;
    auto box = newMailbox();
    Server::Audience ignored;
    Server::ChannelView view;
    for (quint32 id = 1; id <= 3; ++id) {
        registry.addClient(id, box, "h");
        registry.reserveNick(id, "n" + QByteArray::number(id));
        registry.join(id, "#a", {}, &ignored, &view);
        registry.join(id, "#b", {}, &ignored, &view);
    }
    Server::Audience peers;
    QByteArray oldPrefix;
    QCOMPARE(registry.changeNick(1, "fresh", &oldPrefix, &peers), Server::Registry::Status::Ok);
    QCOMPARE(audienceSize(peers), 2); // n2 and n3 once each, not once per shared channel
    QVERIFY(oldPrefix.startsWith("n1!"));
    Server::Audience quitPeers;
    registry.removeClient(2, &quitPeers);
    QCOMPARE(audienceSize(quitPeers), 2);
    QCOMPARE(registry.channelView("#a")->members.size(), 2);
}

void TestRegistry::audienceIsASnapshot()
{
    Server::Registry registry;
    auto box = newMailbox();
    Server::Audience ignored;
    Server::ChannelView view;
    for (quint32 id = 1; id <= 2; ++id) {
        registry.addClient(id, box, "h");
        registry.reserveNick(id, "n" + QByteArray::number(id));
        registry.join(id, "#s", {}, &ignored, &view);
    }
    Server::Audience audience;
    QCOMPARE(registry.channelAudience(1, "#s", &audience), Server::Registry::Status::Ok);
    registry.removeClient(2, nullptr);
    QCOMPARE(audienceSize(audience), 2); // what was computed stays valid
    Server::Audience after;
    registry.channelAudience(1, "#s", &after);
    QCOMPARE(audienceSize(after), 1);
}

void TestRegistry::concurrentJoinsAndPartsKeepCountsRight()
{
    Server::Registry registry;
    constexpr int Threads = 8;
    constexpr int PerThread = 50;
    std::vector<std::thread> threads;
    for (int t = 0; t < Threads; ++t) {
        threads.emplace_back([&registry, t] {
            auto box = newMailbox();
            for (int i = 0; i < PerThread; ++i) {
                const quint32 id = quint32(t * PerThread + i + 1);
                registry.addClient(id, box, "h");
                registry.reserveNick(id, "n" + QByteArray::number(id));
                Server::Audience audience;
                Server::ChannelView view;
                registry.join(id, "#busy", {}, &audience, &view);
                registry.join(id, "#churn", {}, &audience, &view);
                QByteArray name;
                registry.part(id, "#churn", &audience, &name);
            }
        });
    }
    for (std::thread &thread : threads)
        thread.join();
    QCOMPARE(registry.channelView("#busy")->members.size(), Threads * PerThread);
    QVERIFY(!registry.channelView("#churn"));
    QCOMPARE(registry.clientCount(), Threads * PerThread);
}

void TestRegistry::unknownClientIdIsRefusedNotAdded_data()
{
    // Each with client 7, which the registry was never given.
    QTest::addColumn<Operation>("operation");
    QTest::newRow("reserveNick") << Operation(
        [](Server::Registry &r) { return r.reserveNick(7, "x"); });
    QTest::newRow("changeNick") << Operation([](Server::Registry &r) {
        QByteArray prefix;
        Server::Audience peers;
        return r.changeNick(7, "x", &prefix, &peers);
    });
    QTest::newRow("join") << Operation([](Server::Registry &r) {
        Server::Audience members;
        Server::ChannelView view;
        return r.join(7, "#c", {}, &members, &view);
    });
    QTest::newRow("part") << Operation([](Server::Registry &r) {
        Server::Audience members;
        QByteArray name;
        return r.part(7, "#c", &members, &name);
    });
    QTest::newRow("channelAudience") << Operation([](Server::Registry &r) {
        Server::Audience members;
        return r.channelAudience(7, "#c", &members);
    });
    QTest::newRow("setTopic") << Operation([](Server::Registry &r) {
        Server::Audience members;
        QByteArray name;
        return r.setTopic(7, "#c", "topic", &members, &name);
    });
}

void TestRegistry::unknownClientIdIsRefusedNotAdded()
{
#ifndef QT_NO_DEBUG
    QSKIP("debug builds stop at the Q_ASSERT instead");
#endif
    QFETCH(Operation, operation);
    Server::Registry registry;
    registry.addClient(1, newMailbox(), "h");
    QCOMPARE(registry.reserveNick(1, "one"), Server::Registry::Status::Ok);
    Server::Audience members;
    Server::ChannelView view;
    QCOMPARE(registry.join(1, "#c", {}, &members, &view), Server::Registry::Status::Ok);

    QTest::ignoreMessage(QtCriticalMsg, QRegularExpression(QStringLiteral("unknown client id 7")));
    QCOMPARE(operation(registry), Server::Registry::Status::NoSuchClient);
    QCOMPARE(registry.clientCount(), 1);
    QVERIFY(!registry.findNick("x"));
    QCOMPARE(registry.channelView("#c")->members.size(), 1);
}

QTEST_GUILESS_MAIN(TestRegistry)
#include "tst_registry.moc"
