// The store against real databases: every test runs once on an SQLite file and once on a
// PostgreSQL server this suite starts (initTestCase_data), through the same Store API.

#include "storagelib/schema.h"
#include "storagelib/sqlconnection.h"
#include "storagelib/store.h"

#include "tests/support/postgresprocess.h"

#include <QDateTime>
#include <QHash>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <memory>
#include <mutex>
#include <thread>
#include <vector>

using namespace Storage;

Q_DECLARE_METATYPE(Storage::Backend)

namespace {

constexpr int AnswerTimeoutMs = 30'000;
constexpr qint64 T0 = 1'700'000'000'000; // 2023-11-14, a round moment to count from
const QByteArray Sender = "alice!alice@127.0.0.1";

HistoryMessage line(const QByteArray &target, const QByteArray &msgid, qint64 timeMs,
                    const QByteArray &text = {})
{
    HistoryMessage message;
    message.msgid = msgid;
    message.timeMs = timeMs;
    message.target = target;
    message.sender = Sender;
    message.command = "PRIVMSG";
    message.text = text.isEmpty() ? "text of " + msgid : text;
    return message;
}

QByteArrayList msgids(const Result &result)
{
    QByteArrayList ids;
    for (const HistoryMessage &message : result.messages)
        ids << message.msgid;
    return ids;
}

HistoryQuery query(HistoryQuery::Kind kind, const Reference &from, int limit,
                   const Reference &to = {})
{
    return HistoryQuery {kind, "#q", from, to, limit};
}

// The answers of one store, by request id, collected in the test's thread.
class Answers : public QObject
{
public:
    explicit Answers(Store &store)
    {
        connect(&store, &Store::finished, this, [this](const Result &result) {
            m_results.insert(result.requestId, result);
            m_order.append(result.requestId);
        });
    }

    // The answer to `id`; a result saying what went wrong when none came.
    Result take(quint64 id)
    {
        Result missing;
        missing.status = Status::Unavailable;
        if (id == 0) {
            missing.error = QStringLiteral("the request was refused");
            return missing;
        }
        if (!QTest::qWaitFor([&] { return m_results.contains(id); }, AnswerTimeoutMs)) {
            missing.error = QStringLiteral("no answer in time");
            return missing;
        }
        return m_results.take(id);
    }

    bool has(quint64 id) const { return m_results.contains(id); }
    // Both answered, `first` before `second`: the order the store gave them, whenever this
    // thread got to read them.
    bool answeredBefore(quint64 first, quint64 second) const
    {
        const qsizetype a = m_order.indexOf(first);
        const qsizetype b = m_order.indexOf(second);
        return a >= 0 && b >= 0 && a < b;
    }

private:
    QHash<quint64, Result> m_results;
    QList<quint64> m_order;
};

} // namespace

class tst_Store : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase_data();
    void initTestCase();
    void init();
    void cleanup();
    void cleanupTestCase();

    void migratesAnEmptyDatabase();
    void migrationIsSafeToRerun();
    void refusesANewerSchema();
    void migratesAVersion1Database();
    void twoStoresMigrateOneDatabaseTogether();
    void keepsEverythingAcrossARestart();
    void linesAppendedBeforeOpenAreStored();
    void oneBatchOfChannelAndPrivateLines();
    void latest();
    void beforeAndAfter();
    void around();
    void between();
    void unknownMsgidIsNotFound();
    void repliesThroughACallback();
    void targets();
    void keepsBytesAsSent();
    void hostileQueriesAreRefusedOrClamped();
    void accounts();
    void retentionByAgeInBatches();
    void retentionByLinesPerTarget();
    void readsAreServedBetweenRetentionBatches();
    void concurrentWriters();
    void fullQueueCountsLinesNotStored();
    void invalidLinesAreCountedNotStored();
    void parsesDatabaseLocations();

private:
    bool openStore();
    void closeStore();
    Result ask(quint64 id) { return m_answers->take(id); }
    void appendQueryLines();
    // A second connection holding the write lock, as a stalled disk would hold the writer.
    bool blockWriters(QSqlDatabase &db);

    PostgresProcess m_postgres;
    QTemporaryDir m_dir;
    int m_databases = 0;
    StoreConfig m_config;
    std::unique_ptr<Store> m_store;
    std::unique_ptr<Answers> m_answers;
};

void tst_Store::initTestCase_data()
{
    QTest::addColumn<Backend>("backend");
    QTest::newRow("sqlite") << Backend::Sqlite;
    QTest::newRow("postgresql") << Backend::Postgresql;
}

void tst_Store::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY2(PostgresProcess::isAvailable(), qPrintable(PostgresProcess::unavailableReason()));
    QVERIFY2(QSqlDatabase::isDriverAvailable(QStringLiteral("QPSQL")),
             "Qt's PostgreSQL driver is missing (Debian: libqt6sql6-psql)");
    QVERIFY2(QSqlDatabase::isDriverAvailable(QStringLiteral("QSQLITE")),
             "Qt's SQLite driver is missing (Debian: libqt6sql6-sqlite)");
    QVERIFY2(m_postgres.start(), qPrintable(m_postgres.errorString()));
}

// Every test gets a database of its own, empty.
void tst_Store::init()
{
    QFETCH_GLOBAL(Backend, backend);
    const QString name = QStringLiteral("store_%1").arg(++m_databases);
    QString spec = m_dir.filePath(name + QStringLiteral(".sqlite"));
    if (backend == Backend::Postgresql) {
        spec = m_postgres.createDatabase(name);
        QVERIFY2(!spec.isEmpty(), qPrintable(m_postgres.errorString()));
    }
    QString error;
    m_config = StoreConfig();
    m_config.location = DatabaseLocation::parse(spec, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(m_config.location.backend, backend);
}

void tst_Store::cleanup()
{
    closeStore();
}

void tst_Store::cleanupTestCase()
{
    m_postgres.stop();
    QVERIFY(!m_postgres.isRunning());
}

bool tst_Store::openStore()
{
    closeStore();
    m_store = std::make_unique<Store>(m_config);
    m_answers = std::make_unique<Answers>(*m_store);
    QSignalSpy opened(m_store.get(), &Store::opened);
    m_store->open();
    if (!opened.wait(AnswerTimeoutMs))
        return false;
    const QString error = opened.first().first().toString();
    if (!error.isEmpty())
        qWarning().noquote() << "open failed:" << error;
    return error.isEmpty() && m_store->isOpen();
}

void tst_Store::closeStore()
{
    m_answers.reset();
    m_store.reset(); // closes: writes what is queued, then the thread ends
}

// #q: q0..q9 one second apart, and q5b in q5's millisecond but stored after it; #other's
// lines interleaved, which no query on #q may return.
void tst_Store::appendQueryLines()
{
    for (int i = 0; i < 10; ++i) {
        const QByteArray n = QByteArray::number(i);
        QVERIFY(m_store->append(line("#q", "q" + n, T0 + i * 1000)));
        QVERIFY(m_store->append(line("#other", "o" + n, T0 + i * 1000)));
        if (i == 5)
            QVERIFY(m_store->append(line("#q", "q5b", T0 + 5000)));
    }
}

void tst_Store::migratesAnEmptyDatabase()
{
    QVERIFY(openStore());
    closeStore();
    SqlConnection connection;
    QCOMPARE(connection.open(m_config), QString());
    QVERIFY(Schema::latestVersion(m_config.location.backend) >= 1);
    QCOMPARE(Schema::installedVersion(connection),
             Schema::latestVersion(m_config.location.backend));
    QVERIFY(!Schema::statements(m_config.location.backend, 1).isEmpty());
}

void tst_Store::migrationIsSafeToRerun()
{
    SqlConnection connection;
    QCOMPARE(connection.open(m_config), QString());
    QCOMPARE(Schema::installedVersion(connection), -1); // not even the version table yet
    QCOMPARE(Schema::migrate(connection), QString());
    QCOMPARE(Schema::migrate(connection), QString());
    QCOMPARE(Schema::installedVersion(connection), Schema::latestVersion(connection.backend()));

    QVERIFY(openStore()); // a third time, through the store, which finds nothing to do
    QVERIFY(m_store->append(line("#q", "m1", T0)));
    QCOMPARE(ask(m_store->countMessages()).count, 1);
    QVERIFY(openStore());
    QCOMPARE(ask(m_store->countMessages()).count, 1);
}

void tst_Store::refusesANewerSchema()
{
    QVERIFY(openStore());
    closeStore();
    {
        SqlConnection connection;
        QCOMPARE(connection.open(m_config), QString());
        QVERIFY(connection.exec(QStringLiteral("UPDATE schema_version SET version = 999")));
    }
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("open failed:.*newer")));
    QTest::ignoreMessage(QtCriticalMsg, QRegularExpression(QStringLiteral("cannot use.*newer")));
    QVERIFY(!openStore());
    const Result result = ask(m_store->countMessages());
    QCOMPARE(result.status, Status::Unavailable);
    // A line for a store that could not open is counted, not lost without trace.
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("1 lines not stored")));
    QVERIFY(m_store->append(line("#q", "m1", T0)));
    QTRY_COMPARE(m_store->notStoredCount(), 1u);
}

// A database made by the first schema, with a line in it, is brought to the latest version at
// open and keeps the line; private lines then keep their recipient.
void tst_Store::migratesAVersion1Database()
{
    {
        SqlConnection connection;
        QCOMPARE(connection.open(m_config), QString());
        QVERIFY(connection.exec(
            QStringLiteral("CREATE TABLE schema_version (version INTEGER NOT NULL)")));
        for (const QString &statement : Schema::statements(m_config.location.backend, 1))
            QVERIFY2(connection.exec(statement), qPrintable(connection.lastError()));
        QVERIFY(connection.exec(QStringLiteral("INSERT INTO schema_version (version) VALUES (1)")));
        QSqlQuery insert = connection.prepare(
            QStringLiteral("INSERT INTO history (msgid, time_ms, target, sender, command, text, "
                           "tags) VALUES (?, ?, ?, ?, ?, ?, ?)"));
        for (const QVariant &value :
             {QVariant(QByteArray("old")), QVariant(T0), QVariant(QByteArray("#q")),
              QVariant(Sender), QVariant(QByteArray("PRIVMSG")), QVariant(QByteArray("kept")),
              QVariant(QByteArray(""))})
            insert.addBindValue(value);
        QVERIFY2(connection.exec(insert), qPrintable(connection.lastError()));
    }
    QVERIFY(openStore());
    const QByteArray aliceBob = conversationTarget("alice", "bob");
    HistoryMessage privateLine = line(aliceBob, "new", T0 + 1);
    privateLine.recipient = "Bob";
    QVERIFY(m_store->append(privateLine));
    const Result old = ask(m_store->fetchHistory(query(HistoryQuery::Kind::Latest, {}, 10)));
    QCOMPARE(msgids(old), QByteArrayList {"old"});
    QCOMPARE(old.messages.first().text, QByteArray("kept"));
    QVERIFY(old.messages.first().recipient.isEmpty());
    const Result added
        = ask(m_store->fetchHistory({HistoryQuery::Kind::Latest, aliceBob, {}, {}, 10}));
    QCOMPARE(msgids(added), QByteArrayList {"new"});
    QCOMPARE(added.messages.first().recipient, QByteArray("Bob"));
    closeStore();
    SqlConnection connection;
    QCOMPARE(connection.open(m_config), QString());
    QCOMPARE(Schema::installedVersion(connection), Schema::latestVersion(connection.backend()));
}

// Two servers starting at once on one database: one migrates, the other finds it done.
void tst_Store::twoStoresMigrateOneDatabaseTogether()
{
    for (int round = 0; round < 3; ++round) {
        if (round > 0)
            init(); // a new empty database
        Store first(m_config);
        Store second(m_config);
        QSignalSpy firstOpened(&first, &Store::opened);
        QSignalSpy secondOpened(&second, &Store::opened);
        first.open();
        second.open();
        QTRY_VERIFY_WITH_TIMEOUT(firstOpened.size() == 1 && secondOpened.size() == 1,
                                 AnswerTimeoutMs);
        QCOMPARE(firstOpened.first().first().toString(), QString());
        QCOMPARE(secondOpened.first().first().toString(), QString());
        QVERIFY(first.append(line("#q", "from-first", T0)));
        QVERIFY(second.append(line("#q", "from-second", T0)));
    }
    QVERIFY(openStore());
    QCOMPARE(ask(m_store->countMessages()).count, 2);
}

void tst_Store::keepsEverythingAcrossARestart()
{
    QVERIFY(openStore());
    QVERIFY(m_store->append(line("#q", "m1", T0)));
    QVERIFY(m_store->append(line("#q", "m2", T0 + 1)));
    QVERIFY(ask(m_store->createAccount({0, "Alice", "$argon2id$v=19$opaque", 0, false})).ok());
    QSignalSpy closed(m_store.get(), &Store::closed);
    m_store->close();
    QVERIFY(closed.wait(AnswerTimeoutMs));
    QCOMPARE(m_store->storedCount(), 2u);
    QCOMPARE(m_store->fetchHistory(query(HistoryQuery::Kind::Latest, {}, 10)), 0u);

    QVERIFY(openStore());
    const Result history = ask(m_store->fetchHistory(query(HistoryQuery::Kind::Latest, {}, 10)));
    QVERIFY2(history.ok(), qPrintable(history.error));
    QCOMPARE(msgids(history), QByteArrayList({"m1", "m2"}));
    const Result account = ask(m_store->findAccount("alice"));
    QVERIFY2(account.ok(), qPrintable(account.error));
    QCOMPARE(account.account->passwordHash, QByteArray("$argon2id$v=19$opaque"));
}

void tst_Store::linesAppendedBeforeOpenAreStored()
{
    closeStore();
    m_store = std::make_unique<Store>(m_config);
    m_answers = std::make_unique<Answers>(*m_store);
    QVERIFY(m_store->append(line("#q", "early1", T0)));
    QVERIFY(m_store->append(line("#q", "early2", T0 + 1)));
    QSignalSpy opened(m_store.get(), &Store::opened);
    m_store->open();
    QVERIFY(opened.wait(AnswerTimeoutMs));
    QCOMPARE(opened.first().first().toString(), QString());
    QCOMPARE(ask(m_store->countMessages()).count, 2);
    QCOMPARE(m_store->notStoredCount(), 0u);
}

// Appended before the store opens, so that they are written as one batch: runs of channel
// and of private lines, long enough for whole chunks of each and with a rest row by row.
void tst_Store::oneBatchOfChannelAndPrivateLines()
{
    closeStore();
    m_store = std::make_unique<Store>(m_config);
    m_answers = std::make_unique<Answers>(*m_store);
    const QByteArray aliceBob = conversationTarget("alice", "bob");
    const auto appendRun = [&](const QByteArray &target, int count, int &next) {
        for (int i = 0; i < count; ++i, ++next)
            QVERIFY(m_store->append(line(target, "m" + QByteArray::number(next), T0 + next)));
    };
    int next = 0;
    appendRun("#mix", 130, next);
    appendRun(aliceBob, 105, next);
    appendRun("#mix", 3, next);
    appendRun(aliceBob, 1, next);
    QSignalSpy opened(m_store.get(), &Store::opened);
    m_store->open();
    QVERIFY(opened.wait(AnswerTimeoutMs));
    QCOMPARE(ask(m_store->countMessages("#mix")).count, 133);
    QCOMPARE(ask(m_store->countMessages(aliceBob)).count, 106);
    QCOMPARE(m_store->notStoredCount(), 0u);
    // The private lines carry their parties: the conversation is found from either one.
    for (const QByteArray &party : {QByteArray("alice"), QByteArray("bob")}) {
        const Result found = ask(m_store->fetchTargets({T0 - 1, T0 + next, 10, {}, party}));
        QVERIFY2(found.ok(), qPrintable(found.error));
        QCOMPARE(found.targets.size(), 1);
        QCOMPARE(found.targets.first().target, aliceBob);
    }
}

void tst_Store::latest()
{
    using Kind = HistoryQuery::Kind;
    QVERIFY(openStore());
    QVERIFY(ask(m_store->fetchHistory(query(Kind::Latest, {}, 5))).messages.isEmpty());
    appendQueryLines();
    QCOMPARE(msgids(ask(m_store->fetchHistory(query(Kind::Latest, {}, 3)))),
             QByteArrayList({"q7", "q8", "q9"}));
    // LATEST with a reference: the newest lines after it.
    QCOMPARE(
        msgids(ask(m_store->fetchHistory(query(Kind::Latest, Reference::messageId("q7"), 10)))),
        QByteArrayList({"q8", "q9"}));
    QCOMPARE(msgids(ask(m_store->fetchHistory(query(Kind::Latest, Reference::time(T0 + 5000), 2)))),
             QByteArrayList({"q8", "q9"}));
    QCOMPARE(ask(m_store->fetchHistory(query(Kind::Latest, {}, 100))).messages.size(), 11);
    const Result one = ask(m_store->fetchHistory(query(Kind::Latest, {}, 1)));
    QCOMPARE(one.messages.size(), 1);
    QCOMPARE(one.messages.first().target, QByteArray("#q"));
    QCOMPARE(one.messages.first().timeMs, T0 + 9000);
    QCOMPARE(one.messages.first().command, QByteArray("PRIVMSG"));
    QCOMPARE(one.messages.first().sender, Sender);
}

void tst_Store::beforeAndAfter()
{
    using Kind = HistoryQuery::Kind;
    QVERIFY(openStore());
    appendQueryLines();
    QCOMPARE(msgids(ask(m_store->fetchHistory(query(Kind::Before, Reference::messageId("q6"), 3)))),
             QByteArrayList({"q4", "q5", "q5b"}));
    QCOMPARE(msgids(ask(m_store->fetchHistory(query(Kind::Before, Reference::time(T0 + 5000), 3)))),
             QByteArrayList({"q2", "q3", "q4"}));
    QVERIFY(ask(m_store->fetchHistory(query(Kind::Before, Reference::messageId("q0"), 3)))
                .messages.isEmpty());
    QCOMPARE(msgids(ask(m_store->fetchHistory(query(Kind::After, Reference::messageId("q5"), 2)))),
             QByteArrayList({"q5b", "q6"}));
    QCOMPARE(msgids(ask(m_store->fetchHistory(query(Kind::After, Reference::time(T0 + 5000), 2)))),
             QByteArrayList({"q6", "q7"}));
    QVERIFY(ask(m_store->fetchHistory(query(Kind::After, Reference::messageId("q9"), 3)))
                .messages.isEmpty());
}

void tst_Store::around()
{
    using Kind = HistoryQuery::Kind;
    QVERIFY(openStore());
    appendQueryLines();
    // Half before the reference, the rest from it on, the msgid's own line included.
    QCOMPARE(msgids(ask(m_store->fetchHistory(query(Kind::Around, Reference::messageId("q5"), 4)))),
             QByteArrayList({"q3", "q4", "q5", "q5b"}));
    QCOMPARE(msgids(ask(m_store->fetchHistory(query(Kind::Around, Reference::time(T0 + 5000), 3)))),
             QByteArrayList({"q4", "q5", "q5b"}));
    QCOMPARE(msgids(ask(m_store->fetchHistory(query(Kind::Around, Reference::messageId("q0"), 4)))),
             QByteArrayList({"q0", "q1"}));
}

void tst_Store::between()
{
    using Kind = HistoryQuery::Kind;
    QVERIFY(openStore());
    appendQueryLines();
    const Reference q2 = Reference::messageId("q2");
    const Reference q6 = Reference::messageId("q6");
    QCOMPARE(msgids(ask(m_store->fetchHistory(query(Kind::Between, q2, 10, q6)))),
             QByteArrayList({"q3", "q4", "q5", "q5b"}));
    // The limit applies from the first reference's side; lines come oldest first either way.
    QCOMPARE(msgids(ask(m_store->fetchHistory(query(Kind::Between, q2, 2, q6)))),
             QByteArrayList({"q3", "q4"}));
    QCOMPARE(msgids(ask(m_store->fetchHistory(query(Kind::Between, q6, 2, q2)))),
             QByteArrayList({"q5", "q5b"}));
    QCOMPARE(msgids(ask(m_store->fetchHistory(query(Kind::Between, Reference::time(T0 + 2000), 10,
                                                    Reference::time(T0 + 6000))))),
             QByteArrayList({"q3", "q4", "q5", "q5b"}));
    QCOMPARE(msgids(ask(
                 m_store->fetchHistory(query(Kind::Between, Reference::time(T0 + 6500), 10, q2)))),
             QByteArrayList({"q3", "q4", "q5", "q5b", "q6"}));
    QVERIFY(ask(m_store->fetchHistory(query(Kind::Between, q2, 10, q2))).messages.isEmpty());
}

void tst_Store::unknownMsgidIsNotFound()
{
    QVERIFY(openStore());
    appendQueryLines();
    for (const QByteArray &msgid : {QByteArray("nope"), QByteArray("o3")}) { // o3: #other's
        const Result result = ask(m_store->fetchHistory(
            query(HistoryQuery::Kind::Before, Reference::messageId(msgid), 10)));
        QCOMPARE(result.status, Status::NotFound);
        QVERIFY(result.messages.isEmpty());
    }
}

void tst_Store::targets()
{
    QVERIFY(openStore());
    appendQueryLines(); // #q's latest at T0+9000, #other's too
    const QByteArray aliceBob = conversationTarget("Bob", "alice");
    QCOMPARE(aliceBob, QByteArray("alice,bob"));
    QVERIFY(m_store->append(line(aliceBob, "p1", T0 + 3000)));
    QVERIFY(m_store->append(line(conversationTarget("carol", "dave"), "p2", T0 + 4000)));
    QVERIFY(m_store->append(line("#late", "l1", T0 + 50'000)));

    TargetsQuery targets {T0 - 1, T0 + 20'000, 10, {"#q", "#late"}, "alice"};
    Result result = ask(m_store->fetchTargets(targets));
    QVERIFY2(result.ok(), qPrintable(result.error));
    QCOMPARE(result.targets.size(), 2); // not #other nor carol's, #late is out of range
    QCOMPARE(result.targets.at(0).target, aliceBob);
    QCOMPARE(result.targets.at(0).latestMs, T0 + 3000);
    QCOMPARE(result.targets.at(0).peer, QByteArray("bob")); // no account: the folded name
    QCOMPARE(result.targets.at(1).target, QByteArray("#q"));
    QCOMPARE(result.targets.at(1).latestMs, T0 + 9000);
    QVERIFY(result.targets.at(1).peer.isEmpty());
    // The other party as its account is registered, from either side.
    QVERIFY(ask(m_store->createAccount({0, "BoB", "hash", T0, true})).ok());
    QCOMPARE(ask(m_store->fetchTargets(targets)).targets.at(0).peer, QByteArray("BoB"));
    targets.account = "bob";
    targets.channels.clear();
    result = ask(m_store->fetchTargets(targets));
    QCOMPARE(result.targets.size(), 1);
    QCOMPARE(result.targets.at(0).peer, QByteArray("alice"));
    targets.account = "alice";
    targets.channels = {"#q", "#late"};

    targets.limit = 1; // from the first time's side
    QCOMPARE(ask(m_store->fetchTargets(targets)).targets.first().target, aliceBob);
    std::swap(targets.fromMs, targets.toMs);
    QCOMPARE(ask(m_store->fetchTargets(targets)).targets.first().target, QByteArray("#q"));
    QVERIFY(ask(m_store->fetchTargets({T0 - 1, T0 + 20'000, 10, {}, {}})).targets.isEmpty());
}

void tst_Store::keepsBytesAsSent()
{
    QVERIFY(openStore());
    const QByteArray notUtf8("caf\xe9 \xff\xfe and a NUL: \0 end", 24);
    HistoryMessage message = line("#bytes", "b1", T0, notUtf8);
    message.command = "NOTICE";
    message.tags = "+draft/reply=abc;+example.com/x=\xc3\xa9";
    QVERIFY(m_store->append(message));
    QVERIFY(m_store->append(line("#bytes", "b2", T0 + 1))); // no tags
    const Result result
        = ask(m_store->fetchHistory({HistoryQuery::Kind::Latest, "#bytes", {}, {}, 10}));
    QCOMPARE(result.messages.size(), 2);
    QCOMPARE(result.messages.at(0).text, notUtf8);
    QCOMPARE(result.messages.at(0).tags, message.tags);
    QCOMPARE(result.messages.at(0).command, QByteArray("NOTICE"));
    QVERIFY(result.messages.at(1).tags.isEmpty());
    QVERIFY(result.messages.at(1).id > result.messages.at(0).id);
}

void tst_Store::hostileQueriesAreRefusedOrClamped()
{
    using Kind = HistoryQuery::Kind;
    QVERIFY(openStore());
    for (int i = 0; i < MaxQueryLimit + 200; ++i)
        QVERIFY(m_store->append(line("#q", "h" + QByteArray::number(i), T0 + i)));

    const Result huge = ask(m_store->fetchHistory(query(Kind::Latest, {}, 1'000'000'000)));
    QVERIFY2(huge.ok(), qPrintable(huge.error));
    QCOMPARE(huge.messages.size(), MaxQueryLimit);
    QCOMPARE(huge.messages.last().msgid, "h" + QByteArray::number(MaxQueryLimit + 199));

    const QList<HistoryQuery> refused {
        query(Kind::Latest, {}, 0),
        query(Kind::Latest, {}, -5),
        query(Kind::Before, Reference::time(-1), 10),
        query(Kind::After, Reference::time(MaxTimeMs + 1), 10),
        query(Kind::Between, Reference::time(T0), 10,
              Reference::time(std::numeric_limits<qint64>::min())),
        query(Kind::Before, {}, 10), // no reference
        query(Kind::Between, Reference::messageId("h1"), 10), // one reference only
        query(Kind::Before, Reference::messageId({}), 10),
        query(Kind::Before, Reference::messageId(QByteArray(MaxKeyLength + 1, 'x')), 10),
        HistoryQuery {Kind::Latest, QByteArray(10'000, '#'), {}, {}, 10},
        HistoryQuery {Kind::Latest, {}, {}, {}, 10},
    };
    for (const HistoryQuery &hostile : refused) {
        const Result result = ask(m_store->fetchHistory(hostile));
        QCOMPARE(result.status, Status::InvalidRequest);
        QVERIFY(!result.error.isEmpty());
        QVERIFY(result.messages.isEmpty());
    }
    // Quotes and SQL in a msgid are a value, never SQL.
    const Result injected
        = ask(m_store->fetchHistory(query(Kind::Before, Reference::messageId("x' OR '1'='1"), 10)));
    QCOMPARE(injected.status, Status::NotFound);
    QCOMPARE(ask(m_store->fetchTargets({-1, T0, 10, {"#q"}, {}})).status, Status::InvalidRequest);
    QCOMPARE(ask(m_store->fetchTargets(
                     {T0, T0 + 10, 10, QList<QByteArray>(MaxQueryLimit + 1, "#q"), {}}))
                 .status,
             Status::InvalidRequest);
    QCOMPARE(ask(m_store->countMessages("#q")).count, MaxQueryLimit + 200);
}

void tst_Store::accounts()
{
    QVERIFY(openStore());
    const Result created = ask(m_store->createAccount({0, "Alice", "hash-1", T0, false}));
    QVERIFY2(created.ok(), qPrintable(created.error));
    QVERIFY(created.account->id > 0);
    QCOMPARE(created.account->name, QByteArray("Alice"));
    QCOMPARE(created.account->registeredMs, T0);
    QVERIFY(!created.account->verified);

    QCOMPARE(ask(m_store->createAccount({0, "ALICE", "hash-2", 0, false})).status,
             Status::Duplicate);
    const Result found = ask(m_store->findAccount("aLiCe"));
    QVERIFY(found.ok());
    QCOMPARE(found.account->passwordHash, QByteArray("hash-1")); // the first one stays
    QCOMPARE(found.account->id, created.account->id);

    const Result verified = ask(m_store->setAccountVerified("alice"));
    QVERIFY(verified.ok());
    QVERIFY(verified.account->verified);
    QVERIFY(ask(m_store->findAccount("Alice")).account->verified);

    const Result now = ask(m_store->createAccount({0, "bob", "hash-3", 0, true}));
    QVERIFY(now.ok());
    QVERIFY(now.account->registeredMs > T0); // the store's clock when none is given
    QCOMPARE(ask(m_store->findAccount("nobody")).status, Status::NotFound);
    QCOMPARE(ask(m_store->setAccountVerified("nobody")).status, Status::NotFound);
    QCOMPARE(ask(m_store->createAccount({0, "carol", {}, 0, false})).status,
             Status::InvalidRequest);
    QCOMPARE(ask(m_store->createAccount({0, "a,b", "hash", 0, false})).status,
             Status::InvalidRequest);
    QCOMPARE(ask(m_store->findAccount({})).status, Status::InvalidRequest);
}

void tst_Store::retentionByAgeInBatches()
{
    m_config.pruneBatchRows = 2;
    QVERIFY(openStore());
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const qint64 tenDaysAgo = now - 10LL * 24 * 3600 * 1000;
    for (int i = 0; i < 5; ++i)
        QVERIFY(m_store->append(line("#old", "old" + QByteArray::number(i), tenDaysAgo + i)));
    for (int i = 0; i < 3; ++i)
        QVERIFY(m_store->append(line("#old", "new" + QByteArray::number(i), now + i)));
    QCOMPARE(ask(m_store->countMessages()).count, 8);

    const Result pruned = ask(m_store->prune({5, 0}));
    QVERIFY2(pruned.ok(), qPrintable(pruned.error));
    QCOMPARE(pruned.count, 5);
    QCOMPARE(pruned.batches, 3); // 2 + 2 + 1 rows
    QCOMPARE(msgids(ask(m_store->fetchHistory({HistoryQuery::Kind::Latest, "#old", {}, {}, 10}))),
             QByteArrayList({"new0", "new1", "new2"}));
    QCOMPARE(ask(m_store->prune({5, 0})).count, 0);
}

void tst_Store::retentionByLinesPerTarget()
{
    m_config.pruneBatchRows = 2;
    QVERIFY(openStore());
    for (int i = 0; i < 7; ++i)
        QVERIFY(m_store->append(line("#a", "a" + QByteArray::number(i), T0 + i)));
    for (int i = 0; i < 3; ++i)
        QVERIFY(m_store->append(line("#b", "b" + QByteArray::number(i), T0 + i)));
    const Result pruned = ask(m_store->prune({0, 3}));
    QVERIFY2(pruned.ok(), qPrintable(pruned.error));
    QCOMPARE(pruned.count, 4);
    QCOMPARE(pruned.batches, 2);
    QCOMPARE(msgids(ask(m_store->fetchHistory({HistoryQuery::Kind::Latest, "#a", {}, {}, 10}))),
             QByteArrayList({"a4", "a5", "a6"}));
    QCOMPARE(ask(m_store->countMessages("#b")).count, 3);
}

// The reply runs in the storage thread, instead of finished(), once per accepted request.
void tst_Store::repliesThroughACallback()
{
    QVERIFY(openStore());
    appendQueryLines();
    std::mutex mutex;
    QList<Result> replies;
    QList<QThread *> threads;
    QSignalSpy finished(m_store.get(), &Store::finished);
    auto keep = [&](const Result &result) {
        std::lock_guard lock(mutex);
        replies.append(result);
        threads.append(QThread::currentThread());
    };
    const quint64 latest = m_store->fetchHistory(query(HistoryQuery::Kind::Latest, {}, 2), keep);
    const quint64 targets = m_store->fetchTargets({T0 - 1, T0 + 1'000'000, 10, {"#q"}, {}}, keep);
    QVERIFY(latest != 0 && targets != 0);
    QTRY_COMPARE_WITH_TIMEOUT(
        [&] {
            std::lock_guard lock(mutex);
            return replies.size();
        }(),
        2, AnswerTimeoutMs);
    std::lock_guard lock(mutex);
    QCOMPARE(replies.at(0).requestId, latest);
    QCOMPARE(replies.at(0).messages.size(), 2);
    QCOMPARE(replies.at(1).requestId, targets);
    QCOMPARE(replies.at(1).targets.size(), 1);
    QVERIFY(threads.at(0) != QThread::currentThread());
    QVERIFY(finished.isEmpty());
}

void tst_Store::readsAreServedBetweenRetentionBatches()
{
    m_config.pruneBatchRows = 1;
    QVERIFY(openStore());
    for (int i = 0; i < 200; ++i)
        QVERIFY(m_store->append(line("#big", "x" + QByteArray::number(i), T0 + i)));
    QCOMPARE(ask(m_store->countMessages()).count, 200);
    const quint64 prune = m_store->prune({0, 10});
    const quint64 read = m_store->fetchHistory({HistoryQuery::Kind::Latest, "#big", {}, {}, 5});
    // The read, asked after the prune had started, is answered before its 190 transactions end.
    QVERIFY(ask(read).ok());
    const Result pruned = ask(prune);
    QVERIFY(m_answers->answeredBefore(read, prune));
    QCOMPARE(pruned.count, 190);
    QCOMPARE(pruned.batches, 190);
    QCOMPARE(ask(m_store->countMessages()).count, 10);
}

void tst_Store::concurrentWriters()
{
    constexpr int Writers = 4;
    constexpr int LinesEach = 2500;
    QVERIFY(openStore());
    std::vector<std::thread> writers;
    std::atomic<int> refused {0};
    for (int w = 0; w < Writers; ++w) {
        writers.emplace_back([&, w] {
            const QByteArray target = w % 2 ? "#odd" : "#even";
            for (int i = 0; i < LinesEach; ++i) {
                const QByteArray msgid = QByteArray::number(w) + '-' + QByteArray::number(i);
                if (!m_store->append(line(target, msgid, T0 + i)))
                    ++refused;
            }
        });
    }
    for (std::thread &writer : writers)
        writer.join();
    QCOMPARE(refused.load(), 0);
    QCOMPARE(ask(m_store->countMessages()).count, Writers * LinesEach);
    QCOMPARE(ask(m_store->countMessages("#odd")).count, Writers / 2 * LinesEach);
    QCOMPARE(m_store->storedCount(), quint64(Writers * LinesEach));
    QCOMPARE(m_store->notStoredCount(), 0u);
}

bool tst_Store::blockWriters(QSqlDatabase &db)
{
    QSqlQuery query(db);
    if (m_config.location.backend == Backend::Sqlite) {
        db.setDatabaseName(m_config.location.path);
        return db.open() && query.exec(QStringLiteral("BEGIN EXCLUSIVE"));
    }
    db.setDatabaseName(m_config.location.database);
    db.setHostName(m_config.location.host);
    db.setUserName(m_config.location.user);
    return db.open() && query.exec(QStringLiteral("BEGIN"))
        && query.exec(QStringLiteral("LOCK TABLE history IN ACCESS EXCLUSIVE MODE"));
}

void tst_Store::fullQueueCountsLinesNotStored()
{
    constexpr int Capacity = 10;
    constexpr int Extra = 5;
    m_config.maxPendingWrites = Capacity;
    m_config.sqliteBusyTimeoutMs
        = AnswerTimeoutMs; // the writer waits for the lock, as on a stalled disk
    QVERIFY(openStore());
    const QString driver = m_config.location.backend == Backend::Sqlite ? QStringLiteral("QSQLITE")
                                                                        : QStringLiteral("QPSQL");
    {
        QSqlDatabase blocker = QSqlDatabase::addDatabase(driver, QStringLiteral("blocker"));
        QVERIFY(blockWriters(blocker));
        QVERIFY(m_store->append(line("#q", "first", T0)));
        QTRY_COMPARE(m_store->pendingWrites(),
                     0); // taken: the storage thread now waits for the lock

        QTest::ignoreMessage(QtWarningMsg,
                             QRegularExpression(QStringLiteral("storage queue is full")));
        int accepted = 0;
        for (int i = 0; i < Capacity + Extra; ++i)
            accepted += m_store->append(line("#q", "m" + QByteArray::number(i), T0 + i)) ? 1 : 0;
        QCOMPARE(accepted, Capacity);
        QCOMPARE(m_store->notStoredCount(), quint64(Extra));
        QCOMPARE(m_store->pendingWrites(), Capacity);

        QVERIFY(QSqlQuery(blocker).exec(QStringLiteral("ROLLBACK"))); // the disk is back
        blocker.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("blocker"));
    QCOMPARE(ask(m_store->countMessages()).count, 1 + Capacity);
    QTest::ignoreMessage(QtWarningMsg,
                         QRegularExpression(QStringLiteral("accepts lines again; 5 not stored")));
    QVERIFY(m_store->append(line("#q", "after", T0 + 100)));
    QCOMPARE(ask(m_store->countMessages()).count, 2 + Capacity);
    QCOMPARE(m_store->notStoredCount(), quint64(Extra));
}

void tst_Store::invalidLinesAreCountedNotStored()
{
    QVERIFY(openStore());
    HistoryMessage noMsgid = line("#q", {}, T0);
    HistoryMessage badTime = line("#q", "t1", -1);
    HistoryMessage farFuture = line("#q", "t2", MaxTimeMs + 1);
    HistoryMessage join = line("#q", "t3", T0);
    join.command = "JOIN";
    HistoryMessage noTarget = line({}, "t4", T0);
    for (const HistoryMessage &bad : {noMsgid, badTime, farFuture, join, noTarget}) {
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("not stored")));
        QVERIFY(!m_store->append(bad));
    }
    QCOMPARE(m_store->notStoredCount(), 5u);
    // A msgid stored twice is one line.
    QVERIFY(m_store->append(line("#q", "same", T0)));
    QVERIFY(m_store->append(line("#q", "same", T0 + 1)));
    QCOMPARE(ask(m_store->countMessages()).count, 1);
}

void tst_Store::parsesDatabaseLocations()
{
    QString error;
    DatabaseLocation location = DatabaseLocation::parse(
        QStringLiteral("postgresql://chat:s3cret@db.example:5433/history"), &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(location.backend, Backend::Postgresql);
    QCOMPARE(location.user, QStringLiteral("chat"));
    QCOMPARE(location.password, QStringLiteral("s3cret"));
    QCOMPARE(location.host, QStringLiteral("db.example"));
    QCOMPARE(location.port, 5433);
    QCOMPARE(location.database, QStringLiteral("history"));
    QVERIFY(!location.displayName().contains(QStringLiteral("s3cret")));

    location = DatabaseLocation::parse(
        QStringLiteral("postgresql://postgres@/chat?host=/run/postgresql"), &error);
    QVERIFY(error.isEmpty());
    QCOMPARE(location.host, QStringLiteral("/run/postgresql"));
    QCOMPARE(location.port, -1);

    location = DatabaseLocation::parse(QStringLiteral("/var/lib/qtchat/chat.sqlite"), &error);
    QVERIFY(error.isEmpty());
    QCOMPARE(location.backend, Backend::Sqlite);
    QCOMPARE(location.path, QStringLiteral("/var/lib/qtchat/chat.sqlite"));
    QCOMPARE(DatabaseLocation::parse(QStringLiteral("sqlite:x.db"), &error).path,
             QStringLiteral("x.db"));

    DatabaseLocation::parse(QStringLiteral("postgresql://host/"), &error);
    QVERIFY(!error.isEmpty());
    DatabaseLocation::parse(QString(), &error);
    QVERIFY(!error.isEmpty());
}

QTEST_GUILESS_MAIN(tst_Store)
#include "tst_store.moc"
