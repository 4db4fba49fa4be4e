// Chat history in the server: a real QtChat server (ServerController, which owns the store) on
// loopback, real clients, and a real database. Every test runs once on an SQLite file and once
// on a PostgreSQL the suite starts itself (initTestCase_data), each on a new, empty database.
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

private:
    Server::ServerConfig config() const;
    bool start(const Server::ServerConfig &config);
    bool stop();
    std::unique_ptr<RawClient> client(const QByteArray &nick, const QByteArray &capabilities = {});
    // A second connection holding the write lock, as a stalled disk would hold the writer.
    bool blockWriters(QSqlDatabase &db);

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

// Channel PRIVMSG and NOTICE are kept; private messages and TAGMSG are not. The stop writes
// everything the workers relayed before it.
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

QTEST_GUILESS_MAIN(TestHistory)
#include "tst_history.moc"
