// Client::SavedNetwork and the network list as the settings keep it: a round trip through
// JSON, lenient reading of a damaged list, the checks a network must pass.
#include "clientlib/savednetwork.h"

#include <QTest>

using Client::NetworkList;
using Client::SavedNetwork;

namespace {

SavedNetwork libera()
{
    SavedNetwork network;
    network.name = QStringLiteral("Libera");
    network.host = QStringLiteral("irc.libera.chat");
    network.port = 6697;
    network.tls = true;
    network.nick = QStringLiteral("alice");
    network.channels = {QStringLiteral("#qt"), QStringLiteral("&local")};
    network.account = QStringLiteral("alice");
    network.password = QStringLiteral(" open sesame "); // spaces are part of it
    network.connectOnStart = true;
    return network;
}

} // namespace

class TestSavedNetwork : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void roundTripKeepsEveryField();
    void emptyTextIsAnEmptyList();
    void brokenEntriesAreLeftOutWithAReason_data();
    void brokenEntriesAreLeftOutWithAReason();
    void notJsonIsReportedNotFatal();
    void channelsParsedAsTyped();
    void unusedNameCountsUp();
    void clientSettingsCarryTheNetwork();
};

void TestSavedNetwork::roundTripKeepsEveryField()
{
    SavedNetwork local;
    local.name = QStringLiteral("本地");
    local.host = QStringLiteral("::1");
    local.nick = QStringLiteral("bob");
    const QList<SavedNetwork> networks {libera(), local};
    QStringList problems;
    QCOMPARE(NetworkList::fromJson(NetworkList::toJson(networks), &problems), networks);
    QVERIFY(problems.isEmpty());
}

void TestSavedNetwork::emptyTextIsAnEmptyList()
{
    QStringList problems;
    QVERIFY(NetworkList::fromJson({}, &problems).isEmpty());
    QVERIFY(problems.isEmpty());
}

void TestSavedNetwork::brokenEntriesAreLeftOutWithAReason_data()
{
    QTest::addColumn<QByteArray>("entry");
    QTest::addColumn<QString>("reason");
    QTest::newRow("no name") << QByteArray(R"({"host":"h","port":6667,"nick":"a"})") << "no name";
    QTest::newRow("no host") << QByteArray(R"({"name":"n","port":6667,"nick":"a"})")
                             << "no server address";
    QTest::newRow("port 0") << QByteArray(R"({"name":"n","host":"h","port":0,"nick":"a"})")
                            << "port";
    QTest::newRow("port text") << QByteArray(R"({"name":"n","host":"h","port":"x","nick":"a"})")
                               << "port";
    QTest::newRow("bad nick") << QByteArray(R"({"name":"n","host":"h","port":1,"nick":"a b"})")
                              << "not a valid nickname";
    QTest::newRow("bad channel") << QByteArray(
        R"({"name":"n","host":"h","port":1,"nick":"a","channels":["lobby"]})")
                                 << "not a channel name";
    QTest::newRow("bad account") << QByteArray(
        R"({"name":"n","host":"h","port":1,"nick":"a","account":"al ice"})")
                                 << "not a valid account name";
    QTest::newRow("password with a line break") << QByteArray(
        R"({"name":"n","host":"h","port":1,"nick":"a","account":"a","password":"x\ny"})")
                                                << "line break";
    QTest::newRow("not an object") << QByteArray("42") << "no name";
}

void TestSavedNetwork::brokenEntriesAreLeftOutWithAReason()
{
    QFETCH(QByteArray, entry);
    QFETCH(QString, reason);
    const QByteArray good = NetworkList::toJson({libera()});
    const QByteArray json = "[" + entry + "," + good.mid(1);
    QStringList problems;
    QCOMPARE(NetworkList::fromJson(json, &problems), QList<SavedNetwork> {libera()});
    QCOMPARE(problems.size(), 1);
    QVERIFY2(problems.first().contains(reason), qPrintable(problems.first()));
}

void TestSavedNetwork::notJsonIsReportedNotFatal()
{
    QStringList problems;
    QVERIFY(NetworkList::fromJson("{not json", &problems).isEmpty());
    QCOMPARE(problems.size(), 1);
    QVERIFY2(problems.first().contains(QLatin1String("cannot be read")),
             qPrintable(problems.first()));
}

void TestSavedNetwork::channelsParsedAsTyped()
{
    QCOMPARE(NetworkList::parseChannels(QStringLiteral(" #a  #b,#c,, #A ")),
             QStringList({QStringLiteral("#a"), QStringLiteral("#b"), QStringLiteral("#c")}));
    QVERIFY(NetworkList::parseChannels(QStringLiteral("  ")).isEmpty());
}

void TestSavedNetwork::unusedNameCountsUp()
{
    SavedNetwork second = libera();
    second.name = QStringLiteral("libera (2)");
    QCOMPARE(NetworkList::unusedName({libera(), second}, QStringLiteral("Libera")),
             QStringLiteral("Libera (3)"));
    QCOMPARE(NetworkList::unusedName({libera()}, QStringLiteral("Other")), QStringLiteral("Other"));
}

void TestSavedNetwork::clientSettingsCarryTheNetwork()
{
    const Client::ClientSettings settings = libera().toClientSettings();
    QCOMPARE(settings.host, QStringLiteral("irc.libera.chat"));
    QCOMPARE(settings.port, quint16(6697));
    QVERIFY(settings.tls);
    QCOMPARE(settings.nick, QStringLiteral("alice"));
    QCOMPARE(settings.channels, libera().channels);
    QCOMPARE(settings.account, QStringLiteral("alice"));
    QCOMPARE(settings.accountPassword, QStringLiteral(" open sesame "));
}

QTEST_GUILESS_MAIN(TestSavedNetwork)
#include "tst_savednetwork.moc"
