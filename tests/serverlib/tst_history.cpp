// Chat history in the server: a real QtChat server (ServerController, which owns the store) on
// loopback, real clients, and a real database. Every test runs once on an SQLite file and once
// on a PostgreSQL the suite starts itself (initTestCase_data), each on a new, empty database.
#include "protocol/messagetags.h"
#include "serverlib/servercontroller.h"
#include "storagelib/store.h"
#include "tests/support/postgresprocess.h"
#include "tests/support/rawclient.h"

#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

Q_DECLARE_METATYPE(Storage::Backend)

namespace {

const QByteArray HistoryCaps = "draft/chathistory batch server-time message-tags";
const QByteArray Earliest = "timestamp=2000-01-01T00:00:00.000Z";
const QByteArray Latest = "timestamp=2099-01-01T00:00:00.000Z";
const QByteArray Password = "correct horse";

QByteArray tagValueOf(const QByteArray &line, const char *key)
{
    const Irc::MessageTags tags = Irc::parseTags(Irc::splitTags(line).tagData);
    return Irc::tagValue(tags, key).value_or(QByteArray());
}

// One answer to CHATHISTORY: the batch's opening line, then the texts (or, for TARGETS, the
// targets) of what it holds, up to its end.
struct HistoryBatch
{
    QByteArray opening;
    QList<QByteArray> items;
    QList<Irc::IrcMessage> messages; // the lines themselves
    bool complete = false;
};

HistoryBatch readBatch(RawClient &client)
{
    HistoryBatch batch;
    const std::optional<QByteArray> opening = client.expectLine("BATCH");
    if (!opening)
        return batch;
    batch.opening = *opening;
    while (const std::optional<Irc::IrcMessage> message
           = client.expectMatch([](const Irc::IrcMessage &) { return true; })) {
        if (message->command == "BATCH") {
            batch.complete = true;
            break;
        }
        batch.items.append(message->param(1)); // a line's text, or TARGETS' target
        batch.messages.append(*message);
    }
    return batch;
}

QList<QByteArray> ask(RawClient &client, const QByteArray &command)
{
    client.send(command);
    const HistoryBatch batch = readBatch(client);
    return batch.complete ? batch.items : QList<QByteArray> {"(no batch)"};
}

QList<QByteArray> texts(std::initializer_list<int> numbers)
{
    QList<QByteArray> result;
    for (int n : numbers)
        result.append("l" + QByteArray::number(n));
    return result;
}

constexpr int Timeout = Server::ChatServer::StopDeadlineMs + 25'000;

// What a store opened on the test's database says, asked from the test's thread.
class StoreProbe
{
public:
    explicit StoreProbe(const QString &database)
    {
        Storage::StoreConfig config;
        QString error;
        config.location = Storage::DatabaseLocation::parse(database, &error);
        m_store = std::make_unique<Storage::Store>(config);
        QObject::connect(m_store.get(), &Storage::Store::finished, m_store.get(),
                         [this](const Storage::Result &result) { m_results.append(result); });
        QSignalSpy opened(m_store.get(), &Storage::Store::opened);
        m_store->open();
        m_open = opened.wait(Timeout) && opened.first().first().toString().isEmpty();
    }

    bool isOpen() const { return m_open; }

    // The number of lines stored for `target` (every line when empty); -1 on failure.
    qint64 count(const QByteArray &target = {})
    {
        const quint64 id = m_store->countMessages(target);
        const bool answered = QTest::qWaitFor(
            [&] {
                return std::any_of(m_results.cbegin(), m_results.cend(),
                                   [id](const Storage::Result &r) { return r.requestId == id; });
            },
            Timeout);
        if (!answered)
            return -1;
        for (const Storage::Result &result : std::as_const(m_results)) {
            if (result.requestId == id)
                return result.ok() ? result.count : -1;
        }
        return -1;
    }

private:
    std::unique_ptr<Storage::Store> m_store;
    QList<Storage::Result> m_results;
    bool m_open = false;
};

} // namespace

class TestHistory : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase_data();
    void initTestCase();
    void init();
    void cleanup();
    void cleanupTestCase();

    void startStopCycles();
    void stopWhileTheStoreOpens();
    void unusableDatabaseFailsTheStart();
    void noStorageKeepsNothing();
    void channelLinesAreStored();
    void fullQueueCountsLinesNotStored();
    void capabilityAndIsupportOnlyWithStorage();
    void chathistorySubcommands();
    void chathistoryTagsAndLabels();
    void limitIsCapped();
    void historySurvivesARestart();
    void hostileChathistoryGetsFail();
    void answersForClientsThatLeftAreDropped();
    void replayOnJoin();
    void privateLinesBetweenAccountsAreStored();
    void privateHistorySurvivesARestartAndNickChanges();
    void privateHistoryOnlyForItsParties();

private:
    Server::ServerConfig config() const;
    bool start(const Server::ServerConfig &config);
    bool stop();
    std::unique_ptr<RawClient> client(const QByteArray &nick, const QByteArray &capabilities = {});
    // A client that registered the account `nick` (REGISTER before CAP END), with `capabilities`.
    std::unique_ptr<RawClient> account(const QByteArray &nick, const QByteArray &capabilities);
    // A client with nick `nick` that logged in to `account` with SASL before CAP END.
    std::unique_ptr<RawClient> loggedIn(const QByteArray &nick, const QByteArray &account,
                                        const QByteArray &capabilities);
    std::unique_ptr<RawClient> negotiating(const QByteArray &nick, const QByteArray &capabilities);
    // A second connection holding the write lock, as a stalled disk would hold the writer.
    bool blockWriters(QSqlDatabase &db);
    // alice says `count` lines ("l0", "l1", ...) in `channel`, where bob (a draft/chathistory
    // client) is; their msgids as bob got them.
    QList<QByteArray> say(RawClient &alice, RawClient &bob, const QByteArray &channel, int count);

    PostgresProcess m_postgres;
    QTemporaryDir m_dir;
    int m_databases = 0;
    QString m_database; // this test's
    std::unique_ptr<Server::ServerController> m_controller;
};

void TestHistory::initTestCase_data()
{
    QTest::addColumn<Storage::Backend>("backend");
    QTest::newRow("sqlite") << Storage::Backend::Sqlite;
    QTest::newRow("postgresql") << Storage::Backend::Postgresql;
}

void TestHistory::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY2(PostgresProcess::isAvailable(), qPrintable(PostgresProcess::unavailableReason()));
    QVERIFY2(m_postgres.start(), qPrintable(m_postgres.errorString()));
}

void TestHistory::init()
{
    QFETCH_GLOBAL(Storage::Backend, backend);
    const QString name = QStringLiteral("history_%1").arg(++m_databases);
    m_database = backend == Storage::Backend::Sqlite
        ? m_dir.filePath(name + QStringLiteral(".sqlite"))
        : m_postgres.createDatabase(name);
    QVERIFY2(!m_database.isEmpty(), qPrintable(m_postgres.errorString()));
    m_controller = std::make_unique<Server::ServerController>();
}

void TestHistory::cleanup()
{
    QVERIFY(stop());
    m_controller.reset();
}

void TestHistory::cleanupTestCase()
{
    m_postgres.stop();
}

Server::ServerConfig TestHistory::config() const
{
    Server::ServerConfig config;
    config.port = 0;
    config.workers = 2;
    config.serverName = "test.server";
    config.limits.noLimits = true;
    config.history.database = m_database;
    config.accountHashCost = Server::PasswordHash::Cost::Minimal;
    return config;
}

bool TestHistory::start(const Server::ServerConfig &config)
{
    QSignalSpy started(m_controller.get(), &Server::ServerController::started);
    QSignalSpy failed(m_controller.get(), &Server::ServerController::startFailed);
    m_controller->start(config);
    if (!QTest::qWaitFor([&] { return !started.isEmpty() || !failed.isEmpty(); }, Timeout))
        return false;
    if (!failed.isEmpty())
        qWarning() << "start failed:" << failed.first().first().toString();
    return !started.isEmpty();
}

bool TestHistory::stop()
{
    if (m_controller->state() == Server::ServerController::State::Stopped)
        return true;
    QSignalSpy stopped(m_controller.get(), &Server::ServerController::stopped);
    m_controller->stop();
    return stopped.wait(Timeout);
}

std::unique_ptr<RawClient> TestHistory::client(const QByteArray &nick,
                                               const QByteArray &capabilities)
{
    auto raw = std::make_unique<RawClient>();
    if (!raw->connectTo(m_controller->serverPort()))
        return {};
    const bool registered = capabilities.isEmpty()
        ? raw->registerAs(nick)
        : raw->registerWithCapabilities(nick, capabilities);
    return registered ? std::move(raw) : nullptr;
}

std::unique_ptr<RawClient> TestHistory::negotiating(const QByteArray &nick,
                                                    const QByteArray &capabilities)
{
    auto raw = std::make_unique<RawClient>();
    if (!raw->connectTo(m_controller->serverPort()) || !raw->negotiate(nick, capabilities))
        return {};
    return raw;
}

std::unique_ptr<RawClient> TestHistory::account(const QByteArray &nick,
                                                const QByteArray &capabilities)
{
    std::unique_ptr<RawClient> raw = negotiating(nick, capabilities);
    if (!raw)
        return {};
    raw->send("REGISTER * * :" + Password);
    const std::optional<Irc::IrcMessage> success = raw->expect("REGISTER");
    if (!success || success->param(0) != "SUCCESS")
        return {};
    raw->send("CAP END");
    return raw->waitForWelcome() ? std::move(raw) : nullptr;
}

std::unique_ptr<RawClient> TestHistory::loggedIn(const QByteArray &nick, const QByteArray &account,
                                                 const QByteArray &capabilities)
{
    std::unique_ptr<RawClient> raw = negotiating(nick, capabilities + " sasl");
    if (!raw)
        return {};
    raw->send("AUTHENTICATE PLAIN");
    if (!raw->expect("AUTHENTICATE"))
        return {};
    raw->send("AUTHENTICATE " + QByteArray('\0' + account + '\0' + Password).toBase64());
    if (!raw->expect("903", Timeout))
        return {};
    raw->send("CAP END");
    return raw->waitForWelcome() ? std::move(raw) : nullptr;
}

bool TestHistory::blockWriters(QSqlDatabase &db)
{
    QString error;
    const Storage::DatabaseLocation location = Storage::DatabaseLocation::parse(m_database, &error);
    QSqlQuery query(db);
    if (location.backend == Storage::Backend::Sqlite) {
        db.setDatabaseName(location.path);
        return db.open() && query.exec(QStringLiteral("BEGIN EXCLUSIVE"));
    }
    db.setDatabaseName(location.database);
    db.setHostName(location.host);
    db.setUserName(location.user);
    return db.open() && query.exec(QStringLiteral("BEGIN"))
        && query.exec(QStringLiteral("LOCK TABLE history IN ACCESS EXCLUSIVE MODE"));
}

// The store is made and closed by each run; a closed store's signals never reach a later run.
void TestHistory::startStopCycles()
{
    QSignalSpy failed(m_controller.get(), &Server::ServerController::startFailed);
    for (int cycle = 0; cycle < 3; ++cycle) {
        QVERIFY(start(config()));
        QVERIFY(m_controller->historyStats().enabled);
        std::unique_ptr<RawClient> alice = client("alice");
        QVERIFY(alice);
        alice->send("JOIN #cycle");
        QVERIFY(alice->expect("366"));
        alice->send("PRIVMSG #cycle :line " + QByteArray::number(cycle));
        alice->send("PING :read"); // the server has read the line before it stops
        QVERIFY(alice->expect("PONG"));
        QVERIFY(stop());
        QCOMPARE(m_controller->state(), Server::ServerController::State::Stopped);
        QCOMPARE(m_controller->historyStats().stored, 1u); // the last run's
    }
    // Started and stopped again at once: the store is still opening when the stop comes.
    for (int cycle = 0; cycle < 3; ++cycle) {
        QSignalSpy stopped(m_controller.get(), &Server::ServerController::stopped);
        m_controller->start(config());
        m_controller->stop();
        QVERIFY(stopped.wait(Timeout));
        QCOMPARE(stopped.size(), 1);
    }
    QVERIFY(failed.isEmpty());
    StoreProbe probe(m_database);
    QVERIFY(probe.isOpen());
    QCOMPARE(probe.count("#cycle"), 3);
}

// A start that waits for a stop, and a stop that comes while the store opens, both end well.
void TestHistory::stopWhileTheStoreOpens()
{
    QSignalSpy started(m_controller.get(), &Server::ServerController::started);
    QSignalSpy stopped(m_controller.get(), &Server::ServerController::stopped);
    m_controller->start(config());
    QCOMPARE(m_controller->state(), Server::ServerController::State::Starting);
    m_controller->stop();
    m_controller->start(config()); // waits for the stop
    QVERIFY(started.wait(Timeout));
    QCOMPARE(stopped.size(), 1);
    QVERIFY(m_controller->isRunning());
    std::unique_ptr<RawClient> alice = client("alice");
    QVERIFY(alice);
}

void TestHistory::unusableDatabaseFailsTheStart()
{
    QFETCH_GLOBAL(Storage::Backend, backend);
    Server::ServerConfig broken = config();
    // A folder is no SQLite file; a database that does not exist is no PostgreSQL database.
    broken.history.database = backend == Storage::Backend::Sqlite
        ? m_dir.path()
        : m_postgres.createDatabase(QStringLiteral("spare"))
              .replace(QStringLiteral("/spare"), QStringLiteral("/absent"));
    QSignalSpy failed(m_controller.get(), &Server::ServerController::startFailed);
    QSignalSpy started(m_controller.get(), &Server::ServerController::started);
    m_controller->start(broken);
    QVERIFY(failed.wait(Timeout));
    const QString reason = failed.first().first().toString();
    QVERIFY2(reason.contains(QStringLiteral("history database")), qPrintable(reason));
    QVERIFY(started.isEmpty());
    QCOMPARE(m_controller->state(), Server::ServerController::State::Stopped);
    // The same controller starts with a usable database afterwards.
    QVERIFY(start(config()));
}

void TestHistory::noStorageKeepsNothing()
{
    Server::ServerConfig off = config();
    off.history.enabled = false;
    QVERIFY(start(off));
    QVERIFY(!m_controller->historyStats().enabled);
    std::unique_ptr<RawClient> alice = client("alice"), bob = client("bob");
    QVERIFY(alice && bob);
    alice->send("JOIN #off");
    bob->send("JOIN #off");
    QVERIFY(bob->expect("366"));
    alice->send("PRIVMSG #off :not kept");
    QVERIFY(bob->expect("PRIVMSG"));
    QVERIFY(stop());
    QCOMPARE(m_controller->historyStats().stored, 0u);
    StoreProbe probe(m_database);
    QVERIFY(probe.isOpen());
    QCOMPARE(probe.count(), 0);
}

// Channel PRIVMSG and NOTICE are kept; private messages between clients without accounts and
// TAGMSG are not. The stop writes everything the workers relayed before it.
void TestHistory::channelLinesAreStored()
{
    QVERIFY(start(config()));
    std::unique_ptr<RawClient> alice = client("alice", "message-tags"), bob = client("bob");
    QVERIFY(alice && bob);
    alice->send("JOIN #Room");
    bob->send("JOIN #room");
    QVERIFY(bob->expect("366"));
    alice->send("PRIVMSG #Room :one");
    alice->send("NOTICE #room :two");
    alice->send("PRIVMSG #ROOM,bob :three");
    alice->send("@+typing=active TAGMSG #room");
    bob->send("PRIVMSG alice :private");
    QVERIFY(alice->expect("PRIVMSG"));
    QVERIFY(bob->expect("NOTICE"));
    QCOMPARE(bob->collect("PRIVMSG", 2).size(), 2); // "three" in the channel and to bob
    QVERIFY(stop());
    const Server::HistoryStats stats = m_controller->historyStats();
    QCOMPARE(stats.stored, 3u);
    QCOMPARE(stats.notStored, 0u);
    StoreProbe probe(m_database);
    QVERIFY(probe.isOpen());
    QCOMPARE(probe.count("#room"), 3);
    QCOMPARE(probe.count(), 3);
}

// A stalled database: the workers go on relaying, and what the bounded queue cannot take is
// counted as not stored, never waited for.
void TestHistory::fullQueueCountsLinesNotStored()
{
    constexpr int Lines = 6;
    Server::ServerConfig small = config();
    small.history.maxPendingWrites = 1;
    QVERIFY(start(small));
    std::unique_ptr<RawClient> alice = client("alice"), bob = client("bob");
    QVERIFY(alice && bob);
    alice->send("JOIN #busy");
    bob->send("JOIN #busy");
    QVERIFY(bob->expect("366"));
    QFETCH_GLOBAL(Storage::Backend, backend);
    const QString driver
        = backend == Storage::Backend::Sqlite ? QStringLiteral("QSQLITE") : QStringLiteral("QPSQL");
    {
        QSqlDatabase blocker = QSqlDatabase::addDatabase(driver, QStringLiteral("blocker"));
        QVERIFY(blockWriters(blocker));
        for (int i = 0; i < Lines; ++i)
            alice->send("PRIVMSG #busy :line " + QByteArray::number(i));
        QCOMPARE(bob->collect("PRIVMSG", Lines).size(), Lines); // relayed all the same
        // At most one line is being written and one waits: the rest are counted at once.
        QTRY_VERIFY(m_controller->historyStats().notStored >= Lines - 2);
        QVERIFY(QSqlQuery(blocker).exec(QStringLiteral("ROLLBACK"))); // the disk is back
        blocker.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("blocker"));
    QVERIFY(stop());
    const Server::HistoryStats stats = m_controller->historyStats();
    QCOMPARE(stats.stored + stats.notStored, quint64(Lines));
    StoreProbe probe(m_database);
    QVERIFY(probe.isOpen());
    QCOMPARE(probe.count("#busy"), qint64(stats.stored));
}

QList<QByteArray> TestHistory::say(RawClient &alice, RawClient &bob, const QByteArray &channel,
                                   int count)
{
    QList<QByteArray> msgids;
    for (int i = 0; i < count; ++i)
        alice.send("PRIVMSG " + channel + " :l" + QByteArray::number(i));
    for (int i = 0; i < count; ++i) {
        const std::optional<QByteArray> line = bob.expectLine("PRIVMSG", channel);
        if (!line)
            return {};
        msgids.append(tagValueOf(*line, Irc::Tag::MessageId));
    }
    return msgids;
}

void TestHistory::capabilityAndIsupportOnlyWithStorage()
{
    for (const bool enabled : {true, false}) {
        Server::ServerConfig withOrWithout = config();
        withOrWithout.history.enabled = enabled;
        QVERIFY(start(withOrWithout));
        RawClient raw;
        QVERIFY(raw.connectTo(m_controller->serverPort()));
        raw.send("CAP LS 302");
        const std::optional<QByteArray> ls = raw.expectLine("CAP");
        QVERIFY(ls);
        QCOMPARE(ls->contains(" draft/chathistory "), enabled);
        raw.send("CAP REQ :draft/chathistory");
        QVERIFY(raw.expectLine("CAP", enabled ? " ACK " : " NAK "));
        raw.send("CAP END");
        raw.send("NICK n");
        raw.send("USER n 0 * :n");
        bool announced = false;
        QVERIFY(raw.expectMatch([&announced](const Irc::IrcMessage &m) {
            announced = announced || (m.command == "005" && m.params.contains("CHATHISTORY=100"));
            return m.command == "376" || m.command == "422";
        }));
        QCOMPARE(announced, enabled);
        QVERIFY(stop());
    }
}

void TestHistory::chathistorySubcommands()
{
    QVERIFY(start(config()));
    std::unique_ptr<RawClient> alice = client("alice"), bob = client("bob", HistoryCaps);
    QVERIFY(alice && bob);
    alice->send("JOIN #h,#secret");
    QVERIFY(alice->expect("366"));
    bob->send("JOIN #H,#quiet");
    QVERIFY(bob->expect("366"));
    QVERIFY(bob->expect("366"));
    const QList<QByteArray> ids = say(*alice, *bob, "#h", 10);
    QCOMPARE(ids.size(), 10);
    alice->send("PRIVMSG #secret :hidden");

    bob->send("CHATHISTORY LATEST #h * 3");
    const HistoryBatch latest = readBatch(*bob);
    QVERIFY(latest.complete);
    QVERIFY2(latest.opening.contains(" BATCH +") && latest.opening.endsWith(" chathistory #h"),
             latest.opening.constData());
    QCOMPARE(latest.items, texts({7, 8, 9}));
    QCOMPARE(ask(*bob, "CHATHISTORY BEFORE #h msgid=" + ids[5] + " 2"), texts({3, 4}));
    QCOMPARE(ask(*bob, "CHATHISTORY AFTER #h msgid=" + ids[5] + " 2"), texts({6, 7}));
    QCOMPARE(ask(*bob, "CHATHISTORY AROUND #h msgid=" + ids[5] + " 4"), texts({3, 4, 5, 6}));
    QCOMPARE(ask(*bob, "CHATHISTORY BETWEEN #h msgid=" + ids[2] + " msgid=" + ids[6] + " 10"),
             texts({3, 4, 5}));
    QCOMPARE(ask(*bob, "CHATHISTORY LATEST #h msgid=" + ids[7] + " 10"), texts({8, 9}));
    QCOMPARE(ask(*bob, "chathistory before #h " + Latest + " 2"), texts({8, 9}));
    QCOMPARE(ask(*bob, "CHATHISTORY AFTER #h " + Earliest + " 1"), texts({0}));
    QCOMPARE(ask(*bob, "CHATHISTORY BETWEEN #h " + Earliest + ' ' + Latest + " 2"), texts({0, 1}));
    QCOMPARE(ask(*bob, "CHATHISTORY LATEST #quiet * 10"), QList<QByteArray>());
    // A msgid that is not in this channel: nothing around it.
    QCOMPARE(ask(*bob, "CHATHISTORY BEFORE #h msgid=nosuchid 5"), QList<QByteArray>());

    // Only the asker's channels with lines between the two moments: not #quiet, not #secret.
    bob->send("CHATHISTORY TARGETS " + Earliest + ' ' + Latest + " 10");
    const HistoryBatch targets = readBatch(*bob);
    QVERIFY(targets.complete);
    QVERIFY2(targets.opening.endsWith(" draft/chathistory-targets"), targets.opening.constData());
    QCOMPARE(targets.items, QList<QByteArray> {"#h"});
}

void TestHistory::chathistoryTagsAndLabels()
{
    QVERIFY(start(config()));
    std::unique_ptr<RawClient> alice = client("alice", "message-tags"),
                               bob = client("bob", HistoryCaps + " labeled-response");
    QVERIFY(alice && bob);
    alice->send("JOIN #t");
    bob->send("JOIN #t");
    QVERIFY(bob->expect("366"));
    alice->send("@+draft/react=wave PRIVMSG #t :tagged");
    const std::optional<QByteArray> live = bob->expectLine("PRIVMSG");
    QVERIFY(live);

    // The line as bob got it live: same msgid, same time, same client-only tags.
    bob->send("CHATHISTORY LATEST #t * 1");
    const std::optional<QByteArray> opening = bob->expectLine("BATCH");
    QVERIFY(opening);
    const QByteArray reference = Irc::IrcMessage::parse(Irc::splitTags(*opening).body)->param(0);
    const std::optional<QByteArray> stored = bob->expectLine("PRIVMSG");
    QVERIFY(stored);
    QCOMPARE(tagValueOf(*stored, Irc::Tag::Batch), reference.mid(1));
    QCOMPARE(tagValueOf(*stored, Irc::Tag::MessageId), tagValueOf(*live, Irc::Tag::MessageId));
    QCOMPARE(tagValueOf(*stored, Irc::Tag::Time), tagValueOf(*live, Irc::Tag::Time));
    QCOMPARE(tagValueOf(*stored, "+draft/react"), QByteArray("wave"));
    QCOMPARE(Irc::splitTags(*stored).body, Irc::splitTags(*live).body); // the line as relayed
    QVERIFY(bob->expect("BATCH"));

    // labeled-response: the label rides on the batch's opening line; no ACK comes first.
    bob->send("@label=q1 CHATHISTORY LATEST #t * 5");
    const std::optional<Irc::IrcMessage> first = bob->expectMatch(
        [](const Irc::IrcMessage &m) { return m.command == "BATCH" || m.command == "ACK"; });
    QVERIFY(first);
    QCOMPARE(first->command, QByteArray("BATCH"));
    QVERIFY(bob->expect("BATCH")); // its end
    bob->send("@label=q2 CHATHISTORY LATEST #none * 5");
    const std::optional<QByteArray> failed = bob->expectLine("FAIL");
    QVERIFY(failed);
    QCOMPARE(tagValueOf(*failed, Irc::Tag::Label), QByteArray("q2"));
    QVERIFY2(failed->endsWith("FAIL CHATHISTORY INVALID_TARGET LATEST #none "
                              ":Messages could not be retrieved"),
             failed->constData());
    // An unlabeled query first: the next labeled command without replies is still ACKed.
    bob->send("CHATHISTORY LATEST #t * 1");
    QVERIFY(bob->expect("BATCH"));
    QVERIFY(bob->expect("BATCH"));
    bob->send("@label=q4 PONG :x");
    QVERIFY(bob->expectLine("ACK", "label=q4"));
    bob->send("@label=q3 CHATHISTORY LATEST #t * 5");
    const std::optional<QByteArray> batchStart = bob->expectLine("BATCH", "label=q3");
    QVERIFY(batchStart);
    QVERIFY2(batchStart->contains(" chathistory #t"), batchStart->constData());
}

// CHATHISTORY=100: a larger limit is that limit, not an error.
void TestHistory::limitIsCapped()
{
    QVERIFY(start(config()));
    std::unique_ptr<RawClient> alice = client("alice"), bob = client("bob", HistoryCaps);
    QVERIFY(alice && bob);
    alice->send("JOIN #many");
    bob->send("JOIN #many");
    QVERIFY(bob->expect("366"));
    QCOMPARE(say(*alice, *bob, "#many", 105).size(), 105);
    const QList<QByteArray> capped = ask(*bob, "CHATHISTORY LATEST #many * 5000");
    QCOMPARE(capped.size(), 100);
    QCOMPARE(capped.first(), QByteArray("l5"));
    QCOMPARE(capped.last(), QByteArray("l104"));
}

void TestHistory::historySurvivesARestart()
{
    QVERIFY(start(config()));
    {
        std::unique_ptr<RawClient> alice = client("alice"), bob = client("bob", HistoryCaps);
        QVERIFY(alice && bob);
        alice->send("JOIN #kept");
        bob->send("JOIN #kept");
        QVERIFY(bob->expect("366"));
        QCOMPARE(say(*alice, *bob, "#kept", 3).size(), 3);
    }
    QVERIFY(stop());
    m_controller = std::make_unique<Server::ServerController>(); // a new server, same database
    QVERIFY(start(config()));
    std::unique_ptr<RawClient> carol = client("carol", HistoryCaps);
    QVERIFY(carol);
    carol->send("JOIN #kept");
    QVERIFY(carol->expect("366"));
    QCOMPARE(ask(*carol, "CHATHISTORY LATEST #kept * 10"), texts({0, 1, 2}));
}

// Each gets a FAIL and changes nothing; the connection goes on.
void TestHistory::hostileChathistoryGetsFail()
{
    QVERIFY(start(config()));
    std::unique_ptr<RawClient> alice = client("alice"), bob = client("bob", HistoryCaps),
                               plain = client("plain");
    QVERIFY(alice && bob && plain);
    alice->send("JOIN #h,#secret");
    bob->send("JOIN #h");
    QVERIFY(bob->expect("366"));
    QCOMPARE(say(*alice, *bob, "#h", 2).size(), 2);
    alice->send("PRIVMSG #secret :hidden");

    const QList<QPair<QByteArray, QByteArray>> cases = {
        {"CHATHISTORY LATEST #h * 99999999999999999999", "INVALID_PARAMS LATEST"},
        {"CHATHISTORY LATEST #h * 0", "INVALID_PARAMS LATEST"},
        {"CHATHISTORY LATEST #h * -5", "INVALID_PARAMS LATEST"},
        {"CHATHISTORY LATEST #h * many", "INVALID_PARAMS LATEST"},
        {"CHATHISTORY BEFORE #h timestamp=yesterday 5", "INVALID_PARAMS BEFORE"},
        {"CHATHISTORY BEFORE #h timestamp=2020-13-45T99:00:00.000Z 5", "INVALID_PARAMS BEFORE"},
        {"CHATHISTORY AFTER #h timestamp=1969-12-31T23:59:59.999Z 5", "INVALID_PARAMS AFTER"},
        {"CHATHISTORY BEFORE #h * 5", "INVALID_PARAMS BEFORE"},
        {"CHATHISTORY BEFORE #h msgid= 5", "INVALID_PARAMS BEFORE"},
        {"CHATHISTORY BEFORE #h msgid=" + QByteArray(300, 'x') + " 5", "INVALID_PARAMS BEFORE"},
        {"CHATHISTORY BEFORE #h 12345 5", "INVALID_PARAMS BEFORE"},
        {"CHATHISTORY TARGETS msgid=abc " + Latest + " 5", "INVALID_PARAMS TARGETS"},
        {"CHATHISTORY LATEST #secret * 5", "INVALID_TARGET LATEST #secret"},
        {"CHATHISTORY LATEST #nosuch * 5", "INVALID_TARGET LATEST #nosuch"},
        {"CHATHISTORY LATEST alice * 5", "INVALID_TARGET LATEST alice"},
        {"CHATHISTORY FROBNICATE #h * 5", "UNKNOWN_COMMAND FROBNICATE"},
        {"CHATHISTORY BETWEEN #h " + Earliest + " 5", "NEED_MORE_PARAMS BETWEEN"},
        {"CHATHISTORY LATEST #h *", "NEED_MORE_PARAMS LATEST"},
        {"CHATHISTORY", "NEED_MORE_PARAMS *"},
    };
    for (const auto &[command, expected] : cases) {
        bob->send(command);
        const std::optional<QByteArray> fail = bob->expectLine("FAIL");
        QVERIFY2(fail, command.constData());
        QVERIFY2(fail->contains(QByteArray(" FAIL CHATHISTORY " + expected + ' ')),
                 QByteArray(command + " -> " + *fail).constData());
    }
    plain->send("CHATHISTORY LATEST #h * 5"); // without the capability: an unknown command
    QVERIFY(plain->expectLine("421", "CHATHISTORY"));
    // Still usable: the history is there and nothing else was sent.
    QCOMPARE(ask(*bob, "CHATHISTORY LATEST #h * 10"), texts({0, 1}));
    bob->send("PING :still");
    QVERIFY(bob->expect("PONG"));
    QVERIFY(bob->pending().isEmpty());
}

// A client that asks and leaves before the answer: the answer finds nobody and is dropped; the
// stop that follows waits for nothing.
void TestHistory::answersForClientsThatLeftAreDropped()
{
    QVERIFY(start(config()));
    std::unique_ptr<RawClient> alice = client("alice"), bob = client("bob", HistoryCaps);
    QVERIFY(alice && bob);
    alice->send("JOIN #gone");
    bob->send("JOIN #gone");
    QVERIFY(bob->expect("366"));
    QCOMPARE(say(*alice, *bob, "#gone", 20).size(), 20);
    for (int i = 0; i < 50; ++i)
        bob->send("CHATHISTORY LATEST #gone * 100");
    bob->send("QUIT :bye");
    QVERIFY(bob->waitForDisconnected());
    std::unique_ptr<RawClient> carol = client("carol", HistoryCaps);
    QVERIFY(carol);
    carol->send("JOIN #gone");
    QVERIFY(carol->expect("366"));
    QCOMPARE(ask(*carol, "CHATHISTORY LATEST #gone * 1"), texts({19}));
    for (int i = 0; i < 50; ++i)
        carol->send("CHATHISTORY LATEST #gone * 100");
    QVERIFY(stop()); // with answers still on their way
}

// --replay-on-join: the latest lines, as plain lines with the tags each joiner asked for, to
// those who cannot ask for history; a draft/chathistory client asks itself.
void TestHistory::replayOnJoin()
{
    Server::ServerConfig replaying = config();
    replaying.history.replayOnJoin = 3;
    QVERIFY(start(replaying));
    std::unique_ptr<RawClient> alice = client("alice"), bob = client("bob", HistoryCaps);
    QVERIFY(alice && bob);
    alice->send("JOIN #r");
    QVERIFY(alice->expect("366"));
    bob->send("JOIN #r");
    QVERIFY(bob->expect("366"));
    QCOMPARE(say(*alice, *bob, "#r", 5).size(), 5);

    std::unique_ptr<RawClient> carol = client("carol", "server-time"), dave = client("dave");
    QVERIFY(carol && dave);
    for (RawClient *joiner : {carol.get(), dave.get()}) {
        joiner->send("JOIN #r");
        QVERIFY(joiner->expect("366"));
        for (int i = 2; i < 5; ++i) {
            const std::optional<QByteArray> line = joiner->expectLine("PRIVMSG");
            QVERIFY(line);
            const QByteArray text = "l" + QByteArray::number(i);
            QCOMPARE(Irc::IrcMessage::parse(Irc::splitTags(*line).body)->param(1), text);
            QCOMPARE(tagValueOf(*line, Irc::Tag::Time).isEmpty(), joiner == dave.get());
            QVERIFY(tagValueOf(*line, Irc::Tag::MessageId).isEmpty());
        }
    }
    std::unique_ptr<RawClient> erin = client("erin", HistoryCaps);
    QVERIFY(erin);
    erin->send("JOIN #r");
    QVERIFY(erin->expect("366"));
    // A replay would be asked before this query, so would come before its answer.
    erin->send("CHATHISTORY LATEST #r * 1");
    const std::optional<Irc::IrcMessage> first = erin->expectMatch(
        [](const Irc::IrcMessage &m) { return m.command == "PRIVMSG" || m.command == "BATCH"; });
    QVERIFY(first);
    QCOMPARE(first->command, QByteArray("BATCH"));
}

// A private PRIVMSG or NOTICE between two accounts is kept, with the msgid and time its
// recipient got; one where either side is not logged in is not, nor a TAGMSG.
void TestHistory::privateLinesBetweenAccountsAreStored()
{
    QVERIFY(start(config()));
    std::unique_ptr<RawClient> alice = account("alice", "message-tags"),
                               bob = account("bob", HistoryCaps), carol = client("carol");
    QVERIFY(alice && bob && carol);
    alice->send("PRIVMSG bob :p1");
    const std::optional<QByteArray> live = bob->expectLine("PRIVMSG", "p1");
    QVERIFY(live);
    bob->send("NOTICE alice :p2");
    QVERIFY(alice->expect("NOTICE"));
    alice->send("PRIVMSG carol :not kept"); // carol has no account
    alice->send("@+typing=active TAGMSG bob");
    QVERIFY(carol->expect("PRIVMSG"));
    QVERIFY(bob->expect("TAGMSG"));
    carol->send("PRIVMSG bob :nor this"); // nor has the sender
    QVERIFY(bob->expectLine("PRIVMSG", "nor this"));

    bob->send("CHATHISTORY LATEST alice * 10");
    const HistoryBatch batch = readBatch(*bob);
    QVERIFY(batch.complete);
    QVERIFY2(batch.opening.endsWith(" chathistory alice"), batch.opening.constData());
    QCOMPARE(batch.items, (QList<QByteArray> {"p1", "p2"}));
    QCOMPARE(batch.messages.at(0).params.first(), QByteArray("bob")); // as each was sent
    QCOMPARE(batch.messages.at(1).params.first(), QByteArray("alice"));
    QCOMPARE(batch.messages.at(1).command, QByteArray("NOTICE"));
    bob->send("CHATHISTORY LATEST alice * 10"); // the line as bob got it live: msgid, time
    const std::optional<QByteArray> stored = bob->expectLine("PRIVMSG", "p1");
    QVERIFY(stored);
    QCOMPARE(tagValueOf(*stored, Irc::Tag::MessageId), tagValueOf(*live, Irc::Tag::MessageId));
    QCOMPARE(tagValueOf(*stored, Irc::Tag::Time), tagValueOf(*live, Irc::Tag::Time));
    QCOMPARE(Irc::splitTags(*stored).body, Irc::splitTags(*live).body);
    QVERIFY(bob->expect("BATCH"));
    QVERIFY(stop());
    QCOMPARE(m_controller->historyStats().stored, 2u);
    StoreProbe probe(m_database);
    QVERIFY(probe.isOpen());
    QCOMPARE(probe.count(Storage::conversationTarget("alice", "bob")), 2);
    QCOMPARE(probe.count(), 2);
}

// The conversation belongs to the two accounts: after a restart, under other nicks, each party
// finds it by the other's current nick, or by the account's name when the other is away.
void TestHistory::privateHistorySurvivesARestartAndNickChanges()
{
    QVERIFY(start(config()));
    {
        std::unique_ptr<RawClient> alice = account("alice", HistoryCaps),
                                   bob = account("bob", HistoryCaps);
        QVERIFY(alice && bob);
        alice->send("PRIVMSG bob :before the restart");
        QVERIFY(bob->expect("PRIVMSG"));
        bob->send("PRIVMSG alice :reply");
        QVERIFY(alice->expect("PRIVMSG"));
    }
    QVERIFY(stop());
    m_controller = std::make_unique<Server::ServerController>(); // a new server, same database
    QVERIFY(start(config()));
    const QList<QByteArray> both {"before the restart", "reply"};

    std::unique_ptr<RawClient> alice = loggedIn("alice_", "alice", HistoryCaps);
    QVERIFY(alice);
    const HistoryBatch byAccount = [&] {
        alice->send("CHATHISTORY LATEST bob * 10");
        return readBatch(*alice);
    }();
    QCOMPARE(byAccount.items, both);
    QCOMPARE(byAccount.messages.at(0).params.first(), QByteArray("bob"));
    QVERIFY(byAccount.messages.at(1).source.startsWith("bob!"));

    std::unique_ptr<RawClient> bob = loggedIn("robert", "bob", HistoryCaps);
    QVERIFY(bob);
    QCOMPARE(ask(*bob, "CHATHISTORY LATEST alice_ * 10"), both);
    QCOMPARE(ask(*alice, "CHATHISTORY LATEST robert * 10"), both);
    bob->send("PRIVMSG alice_ :after");
    QVERIFY(alice->expect("PRIVMSG"));
    QCOMPARE(ask(*alice, "CHATHISTORY LATEST ROBERT * 1"), QList<QByteArray> {"after"});
}

// Nobody else reads a conversation: a third account finds only its own (empty) ones, a client
// without an account or asking about one gets INVALID_TARGET, TARGETS lists each party's own.
void TestHistory::privateHistoryOnlyForItsParties()
{
    QVERIFY(start(config()));
    std::unique_ptr<RawClient> alice = account("alice", HistoryCaps),
                               bob = account("bob", HistoryCaps),
                               dave = account("dave", HistoryCaps),
                               carol = client("carol", HistoryCaps);
    QVERIFY(alice && bob && dave && carol);
    alice->send("JOIN #c");
    bob->send("JOIN #c");
    QVERIFY(bob->expect("366"));
    alice->send("PRIVMSG #c :in the channel");
    QVERIFY(bob->expectLine("PRIVMSG", "in the channel"));
    alice->send("PRIVMSG bob :secret");
    const std::optional<QByteArray> secret = bob->expectLine("PRIVMSG", "secret");
    QVERIFY(secret);
    const QByteArray msgid = tagValueOf(*secret, Irc::Tag::MessageId);
    QVERIFY(!msgid.isEmpty());

    QCOMPARE(ask(*bob, "CHATHISTORY LATEST alice * 10"), QList<QByteArray> {"secret"});
    // dave's conversations with alice and bob are his own, and empty.
    QCOMPARE(ask(*dave, "CHATHISTORY LATEST alice * 10"), QList<QByteArray>());
    QCOMPARE(ask(*dave, "CHATHISTORY LATEST bob * 10"), QList<QByteArray>());
    QCOMPARE(ask(*dave, "CHATHISTORY AROUND bob msgid=" + msgid + " 10"), QList<QByteArray>());
    const QList<QPair<RawClient *, QByteArray>> refused {
        {carol.get(), "LATEST alice"}, // not logged in
        {dave.get(), "LATEST carol"}, // a user who is not
        {dave.get(), "LATEST bad:nick"},
    };
    for (const auto &[asker, subcommandAndTarget] : refused) {
        asker->send("CHATHISTORY " + subcommandAndTarget + " * 10");
        const std::optional<QByteArray> fail = asker->expectLine("FAIL");
        QVERIFY2(fail, subcommandAndTarget.constData());
        QVERIFY2(fail->endsWith(QByteArray(" FAIL CHATHISTORY INVALID_TARGET " + subcommandAndTarget
                                           + " :Messages could not be retrieved")),
                 fail->constData());
    }
    const QByteArray targets = "CHATHISTORY TARGETS " + Earliest + ' ' + Latest + " 10";
    QCOMPARE(ask(*bob, targets), (QList<QByteArray> {"#c", "alice"}));
    QCOMPARE(ask(*alice, targets), (QList<QByteArray> {"#c", "bob"}));
    QCOMPARE(ask(*dave, targets), QList<QByteArray>());
    QCOMPARE(ask(*carol, targets), QList<QByteArray>());
}

QTEST_GUILESS_MAIN(TestHistory)
#include "tst_history.moc"
