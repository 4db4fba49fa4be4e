// Cluster::RedisLink and NameClaims against a real redis-server the suite starts itself, a new
// one for each test: pipelined commands, binary values, pub/sub between two links, claims
// raced by two links, and what callers see when Redis dies and comes back.
#include "clusterlib/nameclaims.h"
#include "clusterlib/redislink.h"
#include "tests/clusterlib/testlinkconfig.h"
#include "tests/support/freeport.h"
#include "tests/support/logcapture.h"
#include "tests/support/redisprocess.h"

#include <QElapsedTimer>
#include <QHash>
#include <QScopeGuard>
#include <QSemaphore>
#include <QSignalSpy>
#include <QTest>
#include <QThread>

#include <memory>

using namespace Cluster;

namespace {

constexpr int WaitMs = 10'000;

// Every reply a link gives, by id and in the order they came.
class ReplyLog
{
public:
    explicit ReplyLog(RedisLink &link)
    {
        QObject::connect(&link, &RedisLink::replied, &m_context,
                         [this](quint64 id, const RedisReply &reply) {
                             order.append(id);
                             replies.insert(id, reply);
                         });
    }

    // Waits for the reply to `id` (an empty Failed one if none came in time).
    RedisReply wait(quint64 id)
    {
        if (id == 0 || !QTest::qWaitFor([&] { return replies.contains(id); }, WaitMs))
            return RedisReply::failed("no reply in time");
        return replies.value(id);
    }

    QList<quint64> order;
    QHash<quint64, RedisReply> replies;

private:
    QObject m_context; // in the test's thread: replies arrive queued here
};

} // namespace

class tst_RedisLink : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void parseUrl_data();
    void parseUrl();
    void badUrl_data();
    void badUrl();
    void redactedUrl_data();
    void redactedUrl();
    void passwordIsSentFirstAndNeverLogged();
    void wrongOrMissingPasswordIsRefusedAndRetried_data();
    void wrongOrMissingPasswordIsRefusedAndRetried();
    void pipelinedRepliesInOrder();
    void binarySafeValues();
    void callbackRunsInTheLinkThread();
    void errorsAndReservedCommands();
    void selectsTheDatabase();
    void unixSocketCarriesCommandsAndMessages();
    void unixSocketRedisRestarted();
    void publishAndSubscribeAcrossLinks();
    void unsubscribeStopsMessages();
    void claimsRacedByTwoLinks();
    void onlyTheHolderRefreshesAndReleases();
    void claimsExpire();
    void redisKilledThenRestarted();
    void hungRedisIsNoticedWithinTheBound();
    void slowSubscriberDroppedByRedisResubscribes();
    void nothingListeningFailsCommands();
    void queueIsBoundedAndStopFailsWhatWaits();

private:
    std::unique_ptr<RedisLink> connectedLink(const QString &url = {});

    std::unique_ptr<RedisProcess> m_redis;
};

void tst_RedisLink::initTestCase()
{
    qRegisterMetaType<RedisReply>();
    QVERIFY2(RedisProcess::isAvailable(), qPrintable(RedisProcess::unavailableReason()));
}

void tst_RedisLink::init()
{
    m_redis = std::make_unique<RedisProcess>();
    QVERIFY2(m_redis->start(), qPrintable(m_redis->errorString()));
}

void tst_RedisLink::cleanup()
{
    m_redis.reset();
}

std::unique_ptr<RedisLink> tst_RedisLink::connectedLink(const QString &url)
{
    auto link = std::make_unique<RedisLink>(testLinkConfig(url.isEmpty() ? m_redis->url() : url));
    link->start();
    if (!QTest::qWaitFor([&] { return link->state() == RedisLink::State::Connected; }, WaitMs))
        qWarning("the link did not connect in time");
    return link;
}

void tst_RedisLink::parseUrl_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");
    QTest::addColumn<int>("database");
    QTest::addColumn<QString>("socketPath");
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("password");
    QTest::newRow("full") << "redis://127.0.0.1:6380/3"
                          << "127.0.0.1" << 6380 << 3 << ""
                          << ""
                          << "";
    QTest::newRow("defaults") << "redis://redis.example"
                              << "redis.example" << 6379 << 0 << ""
                              << ""
                              << "";
    QTest::newRow("slash") << "redis://h:7000/"
                           << "h" << 7000 << 0 << ""
                           << ""
                           << "";
    QTest::newRow("ipv6") << "redis://[::1]:6379/15"
                          << "::1" << 6379 << 15 << ""
                          << ""
                          << "";
    QTest::newRow("unix socket") << "unix:///run/redis/redis-server.sock"
                                 << "" << 6379 << 0 << "/run/redis/redis-server.sock"
                                 << ""
                                 << "";
    QTest::newRow("unix socket, database") << "unix:///tmp/my%20dir/r.sock?db=2"
                                           << "" << 6379 << 2 << "/tmp/my dir/r.sock"
                                           << ""
                                           << "";
    QTest::newRow("requirepass") << "redis://:s3cret@h:6379/2"
                                 << "h" << 6379 << 2 << ""
                                 << ""
                                 << "s3cret";
    QTest::newRow("ACL user, encoded password") << "redis://alice:p%40ss%3Aw%2Fd@h"
                                                << "h" << 6379 << 0 << ""
                                                << "alice"
                                                << "p@ss:w/d";
}

void tst_RedisLink::parseUrl()
{
    QFETCH(QString, spec);
    QString error = QStringLiteral("stale");
    const std::optional<RedisUrl> url = RedisUrl::parse(spec, &error);
    QVERIFY2(url, qPrintable(error));
    QVERIFY(error.isEmpty());
    QTEST(url->host, "host");
    QTEST(url->port, "port");
    QTEST(url->database, "database");
    QTEST(url->socketPath, "socketPath");
    QTEST(url->user, "user");
    QTEST(url->password, "password");
    QFETCH(QString, socketPath);
    QCOMPARE(url->isUnixSocket(), !socketPath.isEmpty());
    // What the log says is a URL, of the documented form, that reads back the same, but for
    // the password, which it never shows.
    QVERIFY2(url->toString().startsWith(socketPath.isEmpty() ? QLatin1String("redis://")
                                                             : QLatin1String("unix:///")),
             qPrintable(url->toString()));
    QFETCH(QString, password);
    QCOMPARE(url->hasPassword(), !password.isEmpty());
    if (url->hasPassword()) {
        QVERIFY2(!url->toString().contains(password), qPrintable(url->toString()));
        QVERIFY2(url->toString().contains(QLatin1String(":****@")), qPrintable(url->toString()));
    }
    const std::optional<RedisUrl> again = RedisUrl::parse(url->toString(), &error);
    QVERIFY2(again, qPrintable(error));
    QCOMPARE(again->toString(), url->toString());
    QCOMPARE(again->socketPath, url->socketPath);
    QCOMPARE(again->user, url->user);
}

void tst_RedisLink::badUrl_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<QString>("reason");
    QTest::newRow("empty") << ""
                           << "it is empty";
    QTest::newRow("scheme") << "http://127.0.0.1:6379"
                            << "scheme must be redis or unix";
    QTest::newRow("no host") << "redis:///0"
                             << "no host";
    QTest::newRow("port 0") << "redis://h:0"
                            << "port";
    QTest::newRow("port too big") << "redis://h:70000"
                                  << "Redis URL";
    QTest::newRow("database text") << "redis://h:6379/db"
                                   << "database must be a number";
    QTest::newRow("database 16") << "redis://h:6379/16"
                                 << "from 0 to 15";
    QTest::newRow("nested path") << "redis://h:6379/1/2"
                                 << "database";
    QTest::newRow("user without a password") << "redis://secret@h:6379"
                                             << "needs a password";
    QTest::newRow("query") << "redis://h:6379?db=1"
                           << "queries";
    QTest::newRow("password and a query") << "redis://u:secret@h:6379?db=1"
                                          << "queries";
    QTest::newRow("password and a bad port") << "redis://:secret@h:99999"
                                             << "Redis URL";
    QTest::newRow("unix socket with a host") << "unix://h/tmp/r.sock"
                                             << "names no host";
    QTest::newRow("unix socket without a path") << "unix://"
                                                << "names no socket";
    QTest::newRow("unix socket, other query") << "unix:///tmp/r.sock?database=1"
                                              << "only query item is db";
    QTest::newRow("unix socket, database 16") << "unix:///tmp/r.sock?db=16"
                                              << "from 0 to 15";
}

void tst_RedisLink::badUrl()
{
    QFETCH(QString, spec);
    QFETCH(QString, reason);
    QString error;
    QVERIFY(!RedisUrl::parse(spec, &error));
    QVERIFY2(error.contains(reason), qPrintable(error));
    QVERIFY2(error.contains(QLatin1String("redis://[[USER]:PASSWORD@]HOST:PORT[/DB]")),
             qPrintable(error));
    // The error is logged, or shown: never with what may be a password.
    QVERIFY2(!error.contains(QLatin1String("secret")), qPrintable(error));
}

void tst_RedisLink::redactedUrl_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<QString>("shown");
    QTest::newRow("requirepass") << "redis://:s3cret@h:1/2"
                                 << "redis://:****@h:1/2";
    QTest::newRow("ACL user") << "redis://alice:s3cret@h"
                              << "redis://alice:****@h";
    QTest::newRow("no colon") << "redis://s3cret@h"
                              << "redis://****@h";
    QTest::newRow("unencoded @") << "redis://:s3@cret@h:1"
                                 << "redis://:****@h:1";
    QTest::newRow("no scheme") << "alice:s3cret@h"
                               << "alice:****@h";
    QTest::newRow("no password") << "redis://h:6379/0"
                                 << "redis://h:6379/0";
    QTest::newRow("unix socket") << "unix:///tmp/r.sock?db=1"
                                 << "unix:///tmp/r.sock?db=1";
}

void tst_RedisLink::redactedUrl()
{
    QFETCH(QString, spec);
    QTEST(RedisUrl::redacted(spec), "shown");
}

namespace {

const QLatin1String Password("s3cret-requirepass");
const QLatin1String UserPassword("s3cret-of-alice");

// A redis-server that asks for Password (requirepass) of its default user, and for
// UserPassword of the ACL user alice.
std::unique_ptr<RedisProcess> passwordProtectedRedis()
{
    auto redis = std::make_unique<RedisProcess>();
    // redis-server joins the words after --user into one line of its configuration.
    redis->setExtraArguments({QStringLiteral("--requirepass"), Password, QStringLiteral("--user"),
                              QStringLiteral("alice"), QStringLiteral("on"), u'>' + UserPassword,
                              QStringLiteral("~*"), QStringLiteral("&*"), QStringLiteral("+@all")});
    if (!redis->start())
        qWarning().noquote() << redis->errorString();
    return redis->isRunning() ? std::move(redis) : nullptr;
}

} // namespace

// AUTH comes before SELECT: database 2 of both links is one, which a SELECT refused for want of
// AUTH would not give. The log names the URL with **** for the password.
void tst_RedisLink::passwordIsSentFirstAndNeverLogged()
{
    const std::unique_ptr<RedisProcess> redis = passwordProtectedRedis();
    QVERIFY(redis);
    const LogCapture log;
    const QString where = QStringLiteral("127.0.0.1:%1/2").arg(redis->port());
    auto byPassword = connectedLink(QStringLiteral("redis://:%1@%2").arg(Password, where));
    QCOMPARE(byPassword->state(), RedisLink::State::Connected);
    auto byUser = connectedLink(QStringLiteral("redis://alice:%1@%2").arg(UserPassword, where));
    QCOMPARE(byUser->state(), RedisLink::State::Connected);
    ReplyLog replies(*byPassword), userReplies(*byUser);
    QVERIFY(replies.wait(byPassword->command({"SET", "k", "v"})).isOk());
    QCOMPARE(userReplies.wait(byUser->command({"GET", "k"})).text, "v");
    QCOMPARE(userReplies.wait(byUser->command({"ACL", "WHOAMI"})).text, "alice");
    byPassword.reset();
    byUser.reset();
    QVERIFY2(log.contains(QStringLiteral("connected to redis://:****@127.0.0.1:")),
             qPrintable(log.lines().join(u'\n')));
    QVERIFY2(log.contains(QStringLiteral("connected to redis://alice:****@127.0.0.1:")),
             qPrintable(log.lines().join(u'\n')));
    for (const QString &line : log.lines()) {
        QVERIFY2(!line.contains(Password), qPrintable(line));
        QVERIFY2(!line.contains(UserPassword), qPrintable(line));
    }
}

void tst_RedisLink::wrongOrMissingPasswordIsRefusedAndRetried_data()
{
    QTest::addColumn<QString>("credentials");
    QTest::addColumn<QString>("reason");
    QTest::newRow("wrong password") << ":s3cret-but-wrong@"
                                    << "Redis refused the password (WRONGPASS";
    QTest::newRow("wrong user") << "bob:s3cret-but-wrong@"
                                << "Redis refused the password (WRONGPASS";
    QTest::newRow("no password") << ""
                                 << "Redis asks for a password, and the URL gives none (NOAUTH";
}

// Said as a warning at each attempt, which comes again with the backoff; the commands given
// meanwhile fail.
void tst_RedisLink::wrongOrMissingPasswordIsRefusedAndRetried()
{
    QFETCH(QString, credentials);
    QFETCH(QString, reason);
    const std::unique_ptr<RedisProcess> redis = passwordProtectedRedis();
    QVERIFY(redis);
    const LogCapture log;
    RedisLink link(testLinkConfig(QStringLiteral("redis://%1%2:%3")
                                      .arg(credentials, QStringLiteral("127.0.0.1"))
                                      .arg(redis->port())));
    QSignalSpy states(&link, &RedisLink::stateChanged);
    ReplyLog replies(link);
    link.start();
    QTRY_VERIFY_WITH_TIMEOUT(!states.isEmpty(), WaitMs);
    QCOMPARE(states.first().at(0).value<RedisLink::State>(), RedisLink::State::Disconnected);
    const QString said = states.first().at(1).toString();
    QVERIFY2(said.startsWith(reason), qPrintable(said));
    QCOMPARE(linkProblemOf(said), LinkProblem::Password);
    QTRY_VERIFY_WITH_TIMEOUT(log.count(reason) >= 4, WaitMs); // two connections, twice each
    QCOMPARE(link.state(), RedisLink::State::Disconnected);
    const RedisReply reply = replies.wait(link.command({"PING"}));
    QCOMPARE(reply.type, RedisReply::Type::Failed);
    QVERIFY2(reply.text.contains(reason.toUtf8()), reply.text.constData());
    for (const QString &line : log.lines())
        QVERIFY2(!line.contains(QLatin1String("s3cret")), qPrintable(line));
}

void tst_RedisLink::pipelinedRepliesInOrder()
{
    auto link = connectedLink();
    QCOMPARE(link->state(), RedisLink::State::Connected);
    ReplyLog log(*link);
    constexpr int Count = 2000;
    QList<quint64> ids;
    for (int i = 0; i < Count; ++i)
        ids.append(link->command({"INCR", "counter"}));
    QVERIFY(!ids.contains(0));
    log.wait(ids.last());
    QTRY_COMPARE_WITH_TIMEOUT(log.order.size(), Count, WaitMs);
    QCOMPARE(log.order, ids);
    for (int i = 0; i < Count; ++i) {
        const RedisReply reply = log.replies.value(ids.at(i));
        QCOMPARE(reply.type, RedisReply::Type::Integer);
        QCOMPARE(reply.integer, i + 1);
    }
    const RedisReply got = log.wait(link->command({"GET", "counter"}));
    QCOMPARE(got.type, RedisReply::Type::String);
    QCOMPARE(got.text, QByteArray::number(Count));
}

void tst_RedisLink::binarySafeValues()
{
    auto link = connectedLink();
    ReplyLog log(*link);
    QByteArray value("a\0b\r\n*3\r\n$", 11);
    for (int byte = 0; byte < 256; ++byte)
        value.append(char(byte));
    const QByteArray key("key\0with nul", 12);
    QVERIFY(log.wait(link->command({"SET", key, value})).isStatus("OK"));
    const RedisReply got = log.wait(link->command({"GET", key}));
    QCOMPARE(got.type, RedisReply::Type::String);
    QCOMPARE(got.text, value);
    const RedisReply empty = log.wait(link->command({"SET", "empty", QByteArray()}));
    QVERIFY(empty.isStatus("OK"));
    QCOMPARE(log.wait(link->command({"STRLEN", "empty"})).integer, 0);
    const RedisReply list = log.wait(link->command({"MGET", key, "missing", "empty"}));
    QCOMPARE(list.type, RedisReply::Type::Array);
    QCOMPARE(list.elements.size(), 3);
    QCOMPARE(list.elements.at(0).text, value);
    QCOMPARE(list.elements.at(1).type, RedisReply::Type::Nil);
    QCOMPARE(list.elements.at(2).type, RedisReply::Type::String);
}

void tst_RedisLink::callbackRunsInTheLinkThread()
{
    auto link = connectedLink();
    QObject receiver;
    QThread *callbackThread = nullptr;
    RedisReply received;
    bool delivered = false;
    // The way a worker would take it: the callback only posts the reply to its own thread.
    const quint64 id = link->command({"ECHO", "hi"}, [&](const RedisReply &reply) {
        QThread *thread = QThread::currentThread();
        QMetaObject::invokeMethod(
            &receiver,
            [&, thread, reply] {
                callbackThread = thread;
                received = reply;
                delivered = true;
            },
            Qt::QueuedConnection);
    });
    QVERIFY(id != 0);
    QTRY_VERIFY_WITH_TIMEOUT(delivered, WaitMs);
    QVERIFY(callbackThread != QThread::currentThread());
    QCOMPARE(callbackThread->objectName(), QStringLiteral("redis"));
    QCOMPARE(received.text, QByteArray("hi"));
}

void tst_RedisLink::errorsAndReservedCommands()
{
    auto link = connectedLink();
    ReplyLog log(*link);
    log.wait(link->command({"SET", "text", "not a number"}));
    const RedisReply error = log.wait(link->command({"INCR", "text"}));
    QCOMPARE(error.type, RedisReply::Type::Error);
    QVERIFY2(error.text.startsWith("ERR"), error.text.constData());
    for (const char *reserved : {"MULTI", "subscribe", "SELECT", "QUIT"}) {
        const RedisReply refused = log.wait(link->command({reserved, "x"}));
        QCOMPARE(refused.type, RedisReply::Type::Failed);
        QVERIFY2(refused.text.contains("not sent on the shared link"), refused.text.constData());
    }
    QCOMPARE(log.wait(link->command({})).type, RedisReply::Type::Failed);
    // The connection is still usable and in no transaction.
    QVERIFY(log.wait(link->command({"PING"})).isStatus("PONG"));
}

void tst_RedisLink::selectsTheDatabase()
{
    auto inDb3 = connectedLink(m_redis->url() + QStringLiteral("/3"));
    auto inDb0 = connectedLink();
    ReplyLog log3(*inDb3);
    ReplyLog log0(*inDb0);
    QVERIFY(log3.wait(inDb3->command({"SET", "where", "three"})).isStatus("OK"));
    QCOMPARE(log0.wait(inDb0->command({"GET", "where"})).type, RedisReply::Type::Nil);
    QCOMPARE(log3.wait(inDb3->command({"GET", "where"})).text, QByteArray("three"));
}

// Both connections of a link (commands and subscriptions) go through the socket, and the
// database is chosen there as over TCP.
void tst_RedisLink::unixSocketCarriesCommandsAndMessages()
{
    RedisProcess local(RedisProcess::Endpoint::UnixSocket);
    QVERIFY2(local.start(), qPrintable(local.errorString()));
    QCOMPARE(local.port(), quint16(0));
    auto listener = connectedLink(local.url() + QStringLiteral("?db=2"));
    auto speaker = connectedLink(local.url());
    QCOMPARE(listener->state(), RedisLink::State::Connected);
    QCOMPARE(speaker->state(), RedisLink::State::Connected);
    ReplyLog listenerLog(*listener);
    ReplyLog speakerLog(*speaker);
    QVERIFY(listenerLog.wait(listener->command({"SET", "where", "two"})).isStatus("OK"));
    QCOMPARE(speakerLog.wait(speaker->command({"GET", "where"})).type, RedisReply::Type::Nil);
    QCOMPARE(listenerLog.wait(listener->command({"GET", "where"})).text, QByteArray("two"));
    // The socket is the only way in: this server has no TCP port.
    const RedisReply info = speakerLog.wait(speaker->command({"CONFIG", "GET", "port"}));
    QCOMPARE(info.type, RedisReply::Type::Array);
    QCOMPARE(info.elements.value(1).text, QByteArray("0"));

    QSignalSpy subscribed(listener.get(), &RedisLink::subscribed);
    QSignalSpy messages(listener.get(), &RedisLink::message);
    listener->subscribe("qtchat:#lobby");
    QTRY_COMPARE_WITH_TIMEOUT(subscribed.size(), 1, WaitMs);
    const RedisReply published
        = speakerLog.wait(speaker->command({"PUBLISH", "qtchat:#lobby", "over the socket"}));
    QCOMPARE(published.integer, 1);
    QTRY_COMPARE_WITH_TIMEOUT(messages.size(), 1, WaitMs);
    QCOMPARE(messages.at(0).at(1).toByteArray(), QByteArray("over the socket"));
}

// A link on a socket finds Redis again once it is back at the same path.
void tst_RedisLink::unixSocketRedisRestarted()
{
    RedisProcess local(RedisProcess::Endpoint::UnixSocket);
    QVERIFY2(local.start(), qPrintable(local.errorString()));
    auto link = connectedLink(local.url());
    QCOMPARE(link->state(), RedisLink::State::Connected);
    QSignalSpy states(link.get(), &RedisLink::stateChanged);
    local.kill();
    QTRY_VERIFY_WITH_TIMEOUT(!states.isEmpty(), WaitMs);
    QCOMPARE(states.first().at(0).value<RedisLink::State>(), RedisLink::State::Disconnected);
    QVERIFY2(local.start(), qPrintable(local.errorString()));
    QTRY_COMPARE_WITH_TIMEOUT(link->state(), RedisLink::State::Connected, WaitMs);
    ReplyLog log(*link);
    QVERIFY(log.wait(link->command({"PING"})).isStatus("PONG"));
}

void tst_RedisLink::publishAndSubscribeAcrossLinks()
{
    auto listener = connectedLink();
    auto speaker = connectedLink();
    QSignalSpy subscribed(listener.get(), &RedisLink::subscribed);
    QSignalSpy messages(listener.get(), &RedisLink::message);
    QSignalSpy patternMessages(listener.get(), &RedisLink::patternMessage);
    listener->subscribe("qtchat:#lobby");
    listener->psubscribe("qtchat:node:*");
    QTRY_COMPARE_WITH_TIMEOUT(subscribed.size(), 2, WaitMs);

    ReplyLog log(*speaker);
    const QByteArray payload("line\0one\r\n", 10);
    const RedisReply published = log.wait(speaker->command({"PUBLISH", "qtchat:#lobby", payload}));
    QCOMPARE(published.integer, 1); // the listener's subscriber connection
    log.wait(speaker->command({"PUBLISH", "qtchat:node:b", "hello"}));
    log.wait(speaker->command({"PUBLISH", "qtchat:#elsewhere", "unheard"}));
    QTRY_COMPARE_WITH_TIMEOUT(messages.size(), 1, WaitMs);
    QCOMPARE(messages.at(0).at(0).toByteArray(), QByteArray("qtchat:#lobby"));
    QCOMPARE(messages.at(0).at(1).toByteArray(), payload);
    QTRY_COMPARE_WITH_TIMEOUT(patternMessages.size(), 1, WaitMs);
    QCOMPARE(patternMessages.at(0).at(0).toByteArray(), QByteArray("qtchat:node:*"));
    QCOMPARE(patternMessages.at(0).at(1).toByteArray(), QByteArray("qtchat:node:b"));
    QCOMPARE(patternMessages.at(0).at(2).toByteArray(), QByteArray("hello"));

    // Many messages in a row come in order.
    for (int i = 0; i < 500; ++i)
        speaker->command({"PUBLISH", "qtchat:#lobby", QByteArray::number(i)});
    QTRY_COMPARE_WITH_TIMEOUT(messages.size(), 501, WaitMs);
    for (int i = 0; i < 500; ++i)
        QCOMPARE(messages.at(i + 1).at(1).toByteArray(), QByteArray::number(i));
}

void tst_RedisLink::unsubscribeStopsMessages()
{
    auto listener = connectedLink();
    auto speaker = connectedLink();
    QSignalSpy subscribed(listener.get(), &RedisLink::subscribed);
    QSignalSpy messages(listener.get(), &RedisLink::message);
    listener->subscribe("a");
    listener->subscribe("b");
    QTRY_COMPARE_WITH_TIMEOUT(subscribed.size(), 2, WaitMs);
    listener->unsubscribe("a");
    ReplyLog log(*speaker);
    // Redis counts the receivers of each PUBLISH: none for "a" once the unsubscription is in.
    // Probes published before that may still arrive; a line published after it must not.
    QVERIFY(QTest::qWaitFor(
        [&] {
            return log.wait(speaker->command({"PUBLISH", "a", "probe"})).integer == 0;
        },
        WaitMs));
    QCOMPARE(log.wait(speaker->command({"PUBLISH", "a", "late"})).integer, 0);
    QCOMPARE(log.wait(speaker->command({"PUBLISH", "b", "y"})).integer, 1);
    QVERIFY(QTest::qWaitFor(
        [&] { return !messages.isEmpty() && messages.last().at(0).toByteArray() == "b"; }, WaitMs));
    for (const QList<QVariant> &message : std::as_const(messages))
        QVERIFY(message.at(1).toByteArray() != "late");
}

void tst_RedisLink::claimsRacedByTwoLinks()
{
    auto first = connectedLink();
    auto second = connectedLink();
    ReplyLog firstLog(*first);
    ReplyLog secondLog(*second);
    NameClaims firstClaims(*first, "qtchat:nick:");
    NameClaims secondClaims(*second, "qtchat:nick:");
    constexpr int Names = 200;
    QList<quint64> firstIds;
    QList<quint64> secondIds;
    // Both links' commands are in flight together, in opposite orders: where they meet is a
    // race, and Redis decides it once per name.
    for (int i = 0; i < Names; ++i) {
        firstIds.append(firstClaims.claim("nick" + QByteArray::number(i), "node-a", 60'000));
        secondIds.prepend(
            secondClaims.claim("nick" + QByteArray::number(Names - 1 - i), "node-b", 60'000));
    }
    int firstWins = 0;
    ReplyLog check(*first);
    for (int i = 0; i < Names; ++i) {
        const auto a = NameClaims::claimOutcome(firstLog.wait(firstIds.at(i)));
        const auto b = NameClaims::claimOutcome(secondLog.wait(secondIds.at(i)));
        QVERIFY(a != NameClaims::Outcome::Failed && b != NameClaims::Outcome::Failed);
        QVERIFY2((a == NameClaims::Outcome::Held) != (b == NameClaims::Outcome::Held),
                 qPrintable(QStringLiteral("name %1: not exactly one winner").arg(i)));
        const QByteArray holder
            = check.wait(first->command({"GET", firstClaims.key("nick" + QByteArray::number(i))}))
                  .text;
        QCOMPARE(holder, a == NameClaims::Outcome::Held ? QByteArray("node-a") : "node-b");
        firstWins += a == NameClaims::Outcome::Held;
    }
    qInfo("node-a won %d of %d names", firstWins, Names);
}

void tst_RedisLink::onlyTheHolderRefreshesAndReleases()
{
    auto link = connectedLink();
    ReplyLog log(*link);
    NameClaims claims(*link, "qtchat:nick:");
    using Outcome = NameClaims::Outcome;
    // Long enough that a slow machine (sanitizers, a busy CI) never sees it expire mid-test.
    constexpr int ClaimMs = 30'000;
    QCOMPARE(NameClaims::claimOutcome(log.wait(claims.claim("alice", "node-a:7", ClaimMs))),
             Outcome::Held);
    QCOMPARE(NameClaims::claimOutcome(log.wait(claims.claim("alice", "node-b:9", ClaimMs))),
             Outcome::NotOurs);
    // Someone else's refresh or release leaves the claim alone.
    QCOMPARE(NameClaims::claimOutcome(log.wait(claims.refresh("alice", "node-b:9", 4 * ClaimMs))),
             Outcome::NotOurs);
    QCOMPARE(NameClaims::releaseOutcome(log.wait(claims.release("alice", "node-b:9"))),
             Outcome::NotOurs);
    const qint64 ttlBefore = log.wait(link->command({"PTTL", claims.key("alice")})).integer;
    QVERIFY2(ttlBefore > 0 && ttlBefore <= ClaimMs, qPrintable(QString::number(ttlBefore)));
    // The holder's refresh extends it; its release ends it.
    QCOMPARE(NameClaims::claimOutcome(log.wait(claims.refresh("alice", "node-a:7", 4 * ClaimMs))),
             Outcome::Held);
    QVERIFY(log.wait(link->command({"PTTL", claims.key("alice")})).integer > ClaimMs);
    QCOMPARE(NameClaims::releaseOutcome(log.wait(claims.release("alice", "node-a:7"))),
             Outcome::Released);
    QCOMPARE(log.wait(link->command({"EXISTS", claims.key("alice")})).integer, 0);
    QCOMPARE(NameClaims::releaseOutcome(log.wait(claims.release("alice", "node-a:7"))),
             Outcome::NotOurs);
    QCOMPARE(NameClaims::claimOutcome(log.wait(claims.claim("alice", "node-b:9", ClaimMs))),
             Outcome::Held);
    // Guarded commands given together run one after the other, each on its own check.
    const quint64 refreshA = claims.refresh("alice", "node-a:7", ClaimMs);
    const quint64 refreshB = claims.refresh("alice", "node-b:9", ClaimMs);
    const quint64 releaseB = claims.release("alice", "node-b:9");
    const quint64 claimA = claims.claim("alice", "node-a:7", ClaimMs);
    QCOMPARE(NameClaims::claimOutcome(log.wait(refreshA)), Outcome::NotOurs);
    QCOMPARE(NameClaims::claimOutcome(log.wait(refreshB)), Outcome::Held);
    QCOMPARE(NameClaims::releaseOutcome(log.wait(releaseB)), Outcome::Released);
    QVERIFY(log.wait(claimA).isOk());
}

void tst_RedisLink::claimsExpire()
{
    auto link = connectedLink();
    ReplyLog log(*link);
    NameClaims claims(*link, "qtchat:nick:");
    QCOMPARE(NameClaims::claimOutcome(log.wait(claims.claim("bob", "node-a:1", 100))),
             NameClaims::Outcome::Held);
    // A holder that stops refreshing (a dead node) lets the name go by itself.
    NameClaims::Outcome secondClaim = NameClaims::Outcome::Failed;
    QVERIFY(QTest::qWaitFor(
        [&] {
            secondClaim
                = NameClaims::claimOutcome(log.wait(claims.claim("bob", "node-b:2", 60'000)));
            return secondClaim != NameClaims::Outcome::NotOurs;
        },
        WaitMs));
    QCOMPARE(secondClaim, NameClaims::Outcome::Held);
    QCOMPARE(NameClaims::claimOutcome(log.wait(claims.refresh("bob", "node-a:1", 100))),
             NameClaims::Outcome::NotOurs);
}

void tst_RedisLink::redisKilledThenRestarted()
{
    auto link = connectedLink();
    auto speaker = connectedLink();
    QSignalSpy states(link.get(), &RedisLink::stateChanged);
    QSignalSpy subscribed(link.get(), &RedisLink::subscribed);
    QSignalSpy messages(link.get(), &RedisLink::message);
    link->subscribe("qtchat:#lobby");
    QTRY_COMPARE_WITH_TIMEOUT(subscribed.size(), 1, WaitMs);
    ReplyLog log(*link);
    // In flight when Redis dies: blocks on the server until then.
    const quint64 blocked = link->command({"BLPOP", "never-filled", "0"});
    QVERIFY(blocked != 0);
    ReplyLog speakerLog(*speaker);
    QVERIFY(QTest::qWaitFor(
        [&] {
            return speakerLog.wait(speaker->command({"INFO", "clients"}))
                .text.contains("blocked_clients:1");
        },
        WaitMs));

    m_redis->kill();
    QTRY_VERIFY_WITH_TIMEOUT(!states.isEmpty(), WaitMs);
    QCOMPARE(states.first().at(0).value<RedisLink::State>(), RedisLink::State::Disconnected);
    QVERIFY(!states.first().at(1).toString().isEmpty());
    const RedisReply lost = log.wait(blocked);
    QCOMPARE(lost.type, RedisReply::Type::Failed);
    QVERIFY2(lost.text.contains("lost before the reply"), lost.text.constData());
    // While Redis is down, commands fail: with a reason, at once or when the attempt fails.
    const RedisReply refused = log.wait(link->command({"PING"}));
    QCOMPARE(refused.type, RedisReply::Type::Failed);
    QVERIFY2(refused.text.contains("Redis"), refused.text.constData());

    QVERIFY2(m_redis->start(), qPrintable(m_redis->errorString()));
    QTRY_COMPARE_WITH_TIMEOUT(link->state(), RedisLink::State::Connected, WaitMs);
    QCOMPARE(states.last().at(0).value<RedisLink::State>(), RedisLink::State::Connected);
    // Subscribed again by itself.
    QTRY_COMPARE_WITH_TIMEOUT(subscribed.size(), 2, WaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(speaker->state(), RedisLink::State::Connected, WaitMs);
    QCOMPARE(speakerLog.wait(speaker->command({"PUBLISH", "qtchat:#lobby", "back"})).integer, 1);
    QTRY_COMPARE_WITH_TIMEOUT(messages.size(), 1, WaitMs);
    QCOMPARE(messages.at(0).at(1).toByteArray(), QByteArray("back"));
    QVERIFY(log.wait(link->command({"PING"})).isStatus("PONG"));
}

// A stopped redis-server keeps its sockets open and answers nothing: TCP alone would not tell
// for hours. The heartbeat does, within the bound LinkTiming gives.
void tst_RedisLink::hungRedisIsNoticedWithinTheBound()
{
    LinkConfig config = testLinkConfig(m_redis->url());
    config.timing.livenessIntervalMs = 100;
    config.timing.livenessTimeoutMs = 300;
    config.timing.connectTimeoutMs = 300;
    RedisLink link(config);
    QSignalSpy states(&link, &RedisLink::stateChanged);
    ReplyLog log(link);
    link.start();
    QTRY_VERIFY_WITH_TIMEOUT(link.state() == RedisLink::State::Connected, WaitMs);

    m_redis->pause();
    QElapsedTimer hung;
    hung.start();
    QTRY_VERIFY_WITH_TIMEOUT(link.state() == RedisLink::State::Disconnected, WaitMs);
    // The bound is 0.4 s; a generous margin for a loaded machine, far below TCP's hours.
    QVERIFY2(hung.elapsed() < 5000, qPrintable(QString::number(hung.elapsed())));
    QVERIFY2(states.last().at(1).toString().contains(QLatin1String("did not answer")),
             qPrintable(states.last().at(1).toString()));
    QCOMPARE(linkProblemOf(states.last().at(1).toString()), LinkProblem::NoAnswer);
    QCOMPARE(log.wait(link.command({"PING"})).type, RedisReply::Type::Failed);

    m_redis->resume();
    QTRY_VERIFY_WITH_TIMEOUT(link.state() == RedisLink::State::Connected, WaitMs);
    QVERIFY(log.wait(link.command({"PING"})).isStatus("PONG"));
}

// Redis closes a subscriber connection whose output buffer passes client-output-buffer-limit
// pubsub and tells nobody: the listener must notice, say so, and subscribe again.
void tst_RedisLink::slowSubscriberDroppedByRedisResubscribes()
{
    auto listener = connectedLink();
    auto speaker = connectedLink();
    ReplyLog log(*speaker);
    QVERIFY(log.wait(speaker->command(
                         {"CONFIG", "SET", "client-output-buffer-limit", "pubsub 256kb 0 0"}))
                .isStatus("OK"));
    QSignalSpy subscribed(listener.get(), &RedisLink::subscribed);
    QSignalSpy lost(listener.get(), &RedisLink::subscriptionsLost);
    QSignalSpy messages(listener.get(), &RedisLink::message);
    listener->subscribe("news");
    QTRY_COMPARE_WITH_TIMEOUT(subscribed.size(), 1, WaitMs);

    // The listener's thread stops reading: a callback runs there and waits to be released.
    QSemaphore stalled;
    QSemaphore release;
    const auto unblock = qScopeGuard([&] { release.release(); });
    listener->command({"PING"}, [&](const RedisReply &) {
        stalled.release();
        release.acquire();
    });
    QVERIFY(stalled.tryAcquire(1, WaitMs));
    // Past the socket buffers and the limit, Redis counts no receiver any more: it has closed
    // the listener's subscriber connection.
    const QByteArray payload(64 * 1024, 'x');
    bool dropped = false;
    for (int round = 0; round < 256 && !dropped; ++round) {
        quint64 last = 0;
        for (int i = 0; i < 16; ++i)
            last = speaker->command({"PUBLISH", "news", payload});
        dropped = log.wait(last).integer == 0;
    }
    QVERIFY2(dropped, "Redis kept the stalled subscriber");
    QCOMPARE(lost.size(), 0);
    release.release();

    QTRY_COMPARE_WITH_TIMEOUT(lost.size(), 1, WaitMs);
    QCOMPARE(linkProblemOf(lost.first().at(0).toString()), LinkProblem::OutputBuffer);
    QTRY_COMPARE_WITH_TIMEOUT(subscribed.size(), 2, WaitMs);
    QCOMPARE(log.wait(speaker->command({"PUBLISH", "news", "after"})).integer, 1);
    QTRY_VERIFY_WITH_TIMEOUT(!messages.isEmpty() && messages.last().at(1).toByteArray() == "after",
                             WaitMs);
}

void tst_RedisLink::nothingListeningFailsCommands()
{
    const quint16 port = freeLoopbackPort();
    QVERIFY(port != 0);
    RedisLink link(testLinkConfig(QStringLiteral("redis://127.0.0.1:%1").arg(port)));
    QSignalSpy states(&link, &RedisLink::stateChanged);
    ReplyLog log(link);
    link.start();
    const quint64 early = link.command({"PING"}); // waits for the first attempt, then fails
    QTRY_VERIFY_WITH_TIMEOUT(!states.isEmpty(), WaitMs);
    QCOMPARE(states.first().at(0).value<RedisLink::State>(), RedisLink::State::Disconnected);
    QVERIFY2(states.first().at(1).toString().contains(QLatin1String("refused")),
             qPrintable(states.first().at(1).toString()));
    QCOMPARE(linkProblemOf(states.first().at(1).toString()), LinkProblem::Refused);
    const RedisReply reply = log.wait(early);
    QCOMPARE(reply.type, RedisReply::Type::Failed);
    QVERIFY2(reply.text.contains("not connected to Redis"), reply.text.constData());
}

void tst_RedisLink::queueIsBoundedAndStopFailsWhatWaits()
{
    LinkConfig config = testLinkConfig(m_redis->url());
    config.maxQueuedCommands = 10;
    RedisLink link(config); // not started: commands wait in the queue
    ReplyLog log(link);
    QList<quint64> ids;
    for (int i = 0; i < 10; ++i)
        ids.append(link.command({"PING"}));
    QVERIFY(!ids.contains(0));
    QCOMPARE(link.command({"PING"}), 0u); // full: refused at once
    QSignalSpy stopped(&link, &RedisLink::stopped);
    link.stop();
    QVERIFY(stopped.wait(WaitMs));
    QTRY_COMPARE_WITH_TIMEOUT(log.replies.size(), 10, WaitMs);
    for (quint64 id : ids) {
        QCOMPARE(log.replies.value(id).type, RedisReply::Type::Failed);
        QVERIFY(log.replies.value(id).text.contains("stopping"));
    }
    QCOMPARE(link.command({"PING"}), 0u);
}

QTEST_GUILESS_MAIN(tst_RedisLink)
#include "tst_redislink.moc"
