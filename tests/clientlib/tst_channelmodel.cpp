// ChannelModel as views see it, fed by a ChatClient talking to a real server (ngircd, and
// the in-process QtChat server in each threading model). QAbstractItemModelTester checks
// every change for consistency while the spies check that each change touches only its rows:
// a JOIN is one inserted row, never a rebuilt list.
#include "clientlib/channelmodel.h"
#include "clientlib/chatclient.h"
#include "protocol/numerics.h"
#include "tests/support/rawclient.h"
#include "tests/support/testbackend.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

#include <algorithm>
#include <memory>
#include <vector>

namespace Numeric = Irc::Numeric;

namespace {

constexpr int WaitMs = 5000;

// Every way a model can announce a change.
struct ModelSpies
{
    explicit ModelSpies(QAbstractItemModel *model)
        : inserted(model, &QAbstractItemModel::rowsInserted),
          removed(model, &QAbstractItemModel::rowsRemoved),
          moved(model, &QAbstractItemModel::rowsMoved),
          changed(model, &QAbstractItemModel::dataChanged),
          layoutChanged(model, &QAbstractItemModel::layoutChanged),
          reset(model, &QAbstractItemModel::modelReset)
    { }

    // Nothing but what a test expects happened: no list was rebuilt.
    bool nothingWholesale() const { return layoutChanged.isEmpty() && reset.isEmpty(); }

    QSignalSpy inserted;
    QSignalSpy removed;
    QSignalSpy moved;
    QSignalSpy changed;
    QSignalSpy layoutChanged;
    QSignalSpy reset;
};

QModelIndex parentOf(const QSignalSpy &spy, qsizetype signal)
{
    return spy.at(signal).at(0).value<QModelIndex>();
}

// (parent row, first, last) of a rowsInserted/rowsRemoved signal; parent row -1 is the root.
QList<int> rangeOf(const QSignalSpy &spy, qsizetype signal)
{
    const QModelIndex parent = parentOf(spy, signal);
    return {parent.isValid() ? parent.row() : -1, spy.at(signal).at(1).toInt(),
            spy.at(signal).at(2).toInt()};
}

QStringList shown(const QAbstractItemModel *model, const QModelIndex &channel)
{
    QStringList rows;
    for (int row = 0; row < model->rowCount(channel); ++row)
        rows.append(model->index(row, 0, channel).data().toString());
    return rows;
}

} // namespace

class tst_ChannelModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void joinFillsTheChannelInOneInsert_data() { TestBackend::addRows(); }
    void joinFillsTheChannelInOneInsert();
    void joinAndPartTouchOneRow_data() { TestBackend::addRows(); }
    void joinAndPartTouchOneRow();
    void quitLeavesEveryChannel_data() { TestBackend::addRows(); }
    void quitLeavesEveryChannel();
    void nickChangeMovesOneRow_data() { TestBackend::addRows(); }
    void nickChangeMovesOneRow();
    void statusChangeMovesOneRow_data() { TestBackend::addRows(); }
    void statusChangeMovesOneRow();
    void namesRefreshChangesNothing_data() { TestBackend::addRows(); }
    void namesRefreshChangesNothing();
    void disconnectEmptiesTheModel_data() { TestBackend::addRows(); }
    void disconnectEmptiesTheModel();

private:
    Client::ChannelModel *model() const { return m_watcher->channelModel(); }
    QModelIndex channel(const QString &name) const { return model()->channelIndex(name); }
    bool watcherJoins(const QString &channel);
    RawClient *rawUser(const QByteArray &nick, const QList<QByteArray> &channels = {});
    bool watcherSees(const QString &channel, int members);

    std::unique_ptr<TestBackend> m_backend;
    std::unique_ptr<Client::ChatClient> m_watcher;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
    std::vector<std::unique_ptr<RawClient>> m_raw;
};

void tst_ChannelModel::init()
{
    m_backend = TestBackend::make(QTest::currentDataTag());
    QVERIFY(m_backend);
    QString error;
    QVERIFY2(m_backend->start({}, &error), qPrintable(error));
    m_watcher = std::make_unique<Client::ChatClient>();
    m_tester = std::make_unique<QAbstractItemModelTester>(
        model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    Client::ClientSettings settings;
    settings.port = m_backend->port();
    settings.nick = QStringLiteral("watcher");
    settings.autoReconnect = false;
    settings.sendIntervalMs = 0;
    m_watcher->connectToServer(settings);
    QTRY_VERIFY_WITH_TIMEOUT(m_watcher->isRegistered(), WaitMs);
}

void tst_ChannelModel::cleanup()
{
    m_raw.clear();
    m_tester.reset();
    m_watcher.reset();
    m_backend.reset();
}

bool tst_ChannelModel::watcherJoins(const QString &channel)
{
    m_watcher->join(channel);
    return QTest::qWaitFor([&] { return m_watcher->channel(channel).hasMember(m_watcher->nick()); },
                           WaitMs);
}

RawClient *tst_ChannelModel::rawUser(const QByteArray &nick, const QList<QByteArray> &channels)
{
    auto raw = std::make_unique<RawClient>();
    if (!raw->connectTo(m_backend->port()) || !raw->registerAs(nick))
        return nullptr;
    for (const QByteArray &channel : channels) {
        raw->send("JOIN " + channel);
        if (!raw->expect(Numeric::EndOfNames))
            return nullptr;
    }
    m_raw.push_back(std::move(raw));
    return m_raw.back().get();
}

bool tst_ChannelModel::watcherSees(const QString &channel, int members)
{
    return QTest::qWaitFor([&] { return m_watcher->channel(channel).memberCount() == members; },
                           WaitMs);
}

void tst_ChannelModel::joinFillsTheChannelInOneInsert()
{
    QVERIFY(rawUser("bob", {"#fill"}));
    QVERIFY(rawUser("carol", {"#fill"}));
    ModelSpies spies(model());
    QVERIFY(watcherJoins(QStringLiteral("#fill")));

    // The channel row, then its members in one go when NAMES ends.
    QCOMPARE(spies.inserted.size(), 2);
    QCOMPARE(rangeOf(spies.inserted, 0), (QList<int> {-1, 0, 0}));
    QCOMPARE(rangeOf(spies.inserted, 1), (QList<int> {0, 0, 2}));
    QVERIFY(spies.removed.isEmpty());
    QVERIFY(spies.nothingWholesale());
    const QStringList expected
        = {QStringLiteral("@bob"), QStringLiteral("carol"), QStringLiteral("watcher")};
    QCOMPARE(shown(model(), channel(QStringLiteral("#fill"))), expected);
    QCOMPARE(channel(QStringLiteral("#FILL")).data(Client::ChannelModel::NameRole).toString(),
             QStringLiteral("#fill"));
}

void tst_ChannelModel::joinAndPartTouchOneRow()
{
    QVERIFY(watcherJoins(QStringLiteral("#one")));
    QVERIFY(watcherJoins(QStringLiteral("#another"))); // a second channel, sorted before #one
    ModelSpies spies(model());

    RawClient *zed = rawUser("zed", {"#one"});
    QVERIFY(zed);
    QVERIFY(watcherSees(QStringLiteral("#one"), 2));
    QCOMPARE(spies.inserted.size(), 1);
    const int oneRow = channel(QStringLiteral("#one")).row();
    QCOMPARE(rangeOf(spies.inserted, 0), (QList<int> {oneRow, 1, 1})); // after @watcher

    zed->send("PART #one :bye");
    QVERIFY(watcherSees(QStringLiteral("#one"), 1));
    QCOMPARE(spies.removed.size(), 1);
    QCOMPARE(rangeOf(spies.removed, 0), (QList<int> {oneRow, 1, 1}));
    QCOMPARE(spies.inserted.size(), 1);
    QVERIFY(spies.nothingWholesale());
    QCOMPARE(model()->rowCount(channel(QStringLiteral("#another"))), 1);
}

void tst_ChannelModel::quitLeavesEveryChannel()
{
    QVERIFY(watcherJoins(QStringLiteral("#q1")));
    QVERIFY(watcherJoins(QStringLiteral("#q2")));
    RawClient *bob = rawUser("bob", {"#q1", "#q2"});
    QVERIFY(bob);
    QVERIFY(watcherSees(QStringLiteral("#q2"), 2));
    ModelSpies spies(model());

    bob->send("QUIT :gone");
    QVERIFY(watcherSees(QStringLiteral("#q1"), 1));
    QVERIFY(watcherSees(QStringLiteral("#q2"), 1));
    QCOMPARE(spies.removed.size(), 2);
    QCOMPARE(rangeOf(spies.removed, 0), (QList<int> {0, 1, 1}));
    QCOMPARE(rangeOf(spies.removed, 1), (QList<int> {1, 1, 1}));
    QVERIFY(spies.inserted.isEmpty());
    QVERIFY(spies.nothingWholesale());
}

void tst_ChannelModel::nickChangeMovesOneRow()
{
    QVERIFY(watcherJoins(QStringLiteral("#nick")));
    QVERIFY(rawUser("bob", {"#nick"}));
    RawClient *zoe = rawUser("zoe", {"#nick"});
    QVERIFY(zoe);
    QVERIFY(watcherSees(QStringLiteral("#nick"), 3));
    const QModelIndex zoeRow = model()->index(2, 0, channel(QStringLiteral("#nick")));
    QCOMPARE(zoeRow.data().toString(), QStringLiteral("zoe"));
    const QPersistentModelIndex followed(zoeRow);
    ModelSpies spies(model());

    zoe->send("NICK alan");
    QTRY_COMPARE(followed.data(Client::ChannelModel::NameRole).toString(), QStringLiteral("alan"));
    // alan sorts before bob: the row moved, nothing was removed or inserted.
    QCOMPARE(followed.row(), 1);
    QCOMPARE(spies.moved.size(), 1);
    QVERIFY(!spies.changed.isEmpty());
    QVERIFY(spies.inserted.isEmpty());
    QVERIFY(spies.removed.isEmpty());
    QVERIFY(spies.nothingWholesale());
    const QStringList expected
        = {QStringLiteral("@watcher"), QStringLiteral("alan"), QStringLiteral("bob")};
    QCOMPARE(shown(model(), channel(QStringLiteral("#nick"))), expected);
}

void tst_ChannelModel::statusChangeMovesOneRow()
{
    QVERIFY(watcherJoins(QStringLiteral("#mode")));
    QVERIFY(rawUser("bob", {"#mode"}));
    QVERIFY(rawUser("carol", {"#mode"}));
    QVERIFY(watcherSees(QStringLiteral("#mode"), 3));
    QSignalSpy lines(m_watcher.get(), &Client::ChatClient::lineReceived);
    ModelSpies spies(model());

    m_watcher->sendRaw("MODE #mode +o carol");
    const QStringList expected
        = {QStringLiteral("@carol"), QStringLiteral("@watcher"), QStringLiteral("bob")};
    QTRY_COMPARE(shown(model(), channel(QStringLiteral("#mode"))), expected);
    QCOMPARE(spies.moved.size(), 1);
    // Without multi-prefix a NAMES refresh follows a status change and finds nothing more to
    // change; with it (ngircd) every status is known and none is sent.
    if (!m_watcher->hasCapability(QStringLiteral("multi-prefix"))) {
        QTRY_VERIFY(std::any_of(lines.cbegin(), lines.cend(), [](const QList<QVariant> &line) {
            return line.first().toByteArray().contains(" 366 ");
        }));
    }
    QCOMPARE(shown(model(), channel(QStringLiteral("#mode"))), expected);
    QCOMPARE(spies.moved.size(), 1);
    QVERIFY(spies.inserted.isEmpty());
    QVERIFY(spies.removed.isEmpty());
    QVERIFY(spies.nothingWholesale());
}

void tst_ChannelModel::namesRefreshChangesNothing()
{
    QVERIFY(watcherJoins(QStringLiteral("#names")));
    QVERIFY(rawUser("bob", {"#names"}));
    QVERIFY(watcherSees(QStringLiteral("#names"), 2));
    ModelSpies spies(model());
    QSignalSpy namesChanged(m_watcher.get(), &Client::ChatClient::namesChanged);

    m_watcher->requestNames(QStringLiteral("#names"));
    QVERIFY(namesChanged.wait(WaitMs));
    QVERIFY(spies.inserted.isEmpty());
    QVERIFY(spies.removed.isEmpty());
    QVERIFY(spies.moved.isEmpty());
    QVERIFY(spies.nothingWholesale());
}

void tst_ChannelModel::disconnectEmptiesTheModel()
{
    QVERIFY(watcherJoins(QStringLiteral("#d1")));
    QVERIFY(watcherJoins(QStringLiteral("#d2")));
    ModelSpies spies(model());
    m_watcher->disconnectFromServer();
    QTRY_COMPARE(m_watcher->state(), Client::ChatClient::State::Disconnected);
    QCOMPARE(model()->rowCount(), 0);
    QCOMPARE(spies.removed.size(), 1);
    QCOMPARE(rangeOf(spies.removed, 0), (QList<int> {-1, 0, 1}));
    QVERIFY(spies.nothingWholesale());
}

QTEST_GUILESS_MAIN(tst_ChannelModel)
#include "tst_channelmodel.moc"
