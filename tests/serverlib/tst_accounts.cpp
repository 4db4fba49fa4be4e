// Accounts in the server: draft/account-registration and SASL PLAIN against a real QtChat server
// (ServerController, which owns the store) on loopback, raw clients, and a real database. Every
// test runs once on an SQLite file and once on a PostgreSQL the suite starts itself, each on a
// new, empty database. The server hashes with libsodium's minimum cost here (a hidden config
// value), so that the suite may register accounts freely.
#include "serverlib/loginthrottle.h"
#include "serverlib/servercontroller.h"
#include "storagelib/store.h"
#include "tests/support/logcapture.h"
#include "tests/support/postgresprocess.h"
#include "tests/support/rawclient.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

Q_DECLARE_METATYPE(Storage::Backend)

namespace {

constexpr int Timeout = Server::ChatServer::StopDeadlineMs + 25'000;
const QByteArray Password = "correct horse";

// Every log line the process writes while a test runs, from any thread.
QByteArray plain(const QByteArray &account, const QByteArray &password,
                 const QByteArray &authorization = {})
{
    return QByteArray(authorization + '\0' + account + '\0' + password).toBase64();
}

bool isSaslEnd(const Irc::IrcMessage &message)
{
    static const QList<QByteArray> ends {"903", "904", "905", "906", "907"};
    return ends.contains(message.command);
}

} // namespace

class TestAccounts : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase_data();
    void initTestCase();
    void init();
    void cleanup();
    void cleanupTestCase();

    void accountsOnlyWithStorage();
    void registerLogsIn();
    void registerRefusals();
    void verifyHasNothingToVerify();
    void labeledRegisterAndAuthenticate();
    void saslLogsIn();
    void saslWrongPasswordAndUnknownAccountLookAlike();
    void saslAbort();
    void saslChunks();
    void saslTooLong();
    void saslHostileInput();
    void bruteForceIsThrottled();
    void throttleTableIsBounded();
    void passwordNeverLogged();
    void accountSurvivesARestart();
    void registeredNickNeedsItsAccount();
    void nickOwnershipAcrossServers();
    void whoisShowsTheAccount();
    void accountNotify();
    void extendedJoin();
    void accountTag();

private:
    Server::ServerConfig config() const;
    bool start(const Server::ServerConfig &config);
    bool stop();
    // Connected, CAP LS 302 and `CAP REQ :sasl` acknowledged, NICK and USER sent: registration
    // waits for CAP END.
    std::unique_ptr<RawClient> negotiating(const QByteArray &nick,
                                           const QByteArray &capabilities = "sasl");
    // A client that registered the account `nick` and finished registration.
    std::unique_ptr<RawClient> registered(const QByteArray &nick,
                                          const QByteArray &password = Password);
    // AUTHENTICATE PLAIN with `payload`; the numeric that ends the exchange.
    std::optional<Irc::IrcMessage> authenticate(RawClient &client, const QByteArray &payload);

    PostgresProcess m_postgres;
    QTemporaryDir m_dir;
    int m_databases = 0;
    QString m_database; // this test's
    std::unique_ptr<Server::ServerController> m_controller;
};

void TestAccounts::initTestCase_data()
{
    QTest::addColumn<Storage::Backend>("backend");
    QTest::newRow("sqlite") << Storage::Backend::Sqlite;
    QTest::newRow("postgresql") << Storage::Backend::Postgresql;
}

void TestAccounts::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY2(PostgresProcess::isAvailable(), qPrintable(PostgresProcess::unavailableReason()));
    QVERIFY2(m_postgres.start(), qPrintable(m_postgres.errorString()));
}

void TestAccounts::init()
{
    QFETCH_GLOBAL(Storage::Backend, backend);
    const QString name = QStringLiteral("accounts_%1").arg(++m_databases);
    m_database = backend == Storage::Backend::Sqlite
        ? m_dir.filePath(name + QStringLiteral(".sqlite"))
        : m_postgres.createDatabase(name);
    QVERIFY2(!m_database.isEmpty(), qPrintable(m_postgres.errorString()));
    m_controller = std::make_unique<Server::ServerController>();
}

void TestAccounts::cleanup()
{
    QVERIFY(stop());
    m_controller.reset();
}

void TestAccounts::cleanupTestCase()
{
    m_postgres.stop();
}

Server::ServerConfig TestAccounts::config() const
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

bool TestAccounts::start(const Server::ServerConfig &config)
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

bool TestAccounts::stop()
{
    if (m_controller->state() == Server::ServerController::State::Stopped)
        return true;
    QSignalSpy stopped(m_controller.get(), &Server::ServerController::stopped);
    m_controller->stop();
    return stopped.wait(Timeout);
}

std::unique_ptr<RawClient> TestAccounts::negotiating(const QByteArray &nick,
                                                     const QByteArray &capabilities)
{
    auto raw = std::make_unique<RawClient>();
    if (!raw->connectTo(m_controller->serverPort()) || !raw->negotiate(nick, capabilities))
        return {};
    return raw;
}

std::unique_ptr<RawClient> TestAccounts::registered(const QByteArray &nick,
                                                    const QByteArray &password)
{
    std::unique_ptr<RawClient> raw = negotiating(nick, {});
    if (!raw)
        return {};
    raw->send("REGISTER * * :" + password);
    const std::optional<Irc::IrcMessage> success = raw->expect("REGISTER");
    if (!success || success->param(0) != "SUCCESS")
        return {};
    raw->send("CAP END");
    return raw->expect("001") ? std::move(raw) : nullptr;
}

std::optional<Irc::IrcMessage> TestAccounts::authenticate(RawClient &client,
                                                          const QByteArray &payload)
{
    client.send("AUTHENTICATE PLAIN");
    const std::optional<Irc::IrcMessage> go = client.expect("AUTHENTICATE");
    if (!go || go->param(0) != "+")
        return std::nullopt;
    client.send("AUTHENTICATE " + payload);
    return client.expectMatch(isSaslEnd, Timeout);
}

// Without a store (--no-storage) there are no accounts: nothing offered, the commands unknown.
void TestAccounts::accountsOnlyWithStorage()
{
    for (const bool storage : {true, false}) {
        Server::ServerConfig withOrWithout = config();
        withOrWithout.history.enabled = storage;
        QVERIFY(start(withOrWithout));
        RawClient raw;
        QVERIFY(raw.connectTo(m_controller->serverPort()));
        raw.send("CAP LS 302");
        const std::optional<Irc::IrcMessage> ls = raw.expect("CAP");
        QVERIFY(ls);
        const QList<QByteArray> offered = ls->param(2).split(' ');
        for (const char *token : {"sasl=PLAIN", "draft/account-registration=before-connect",
                                  "account-notify", "extended-join", "account-tag"})
            QCOMPARE(offered.contains(token), storage);
        raw.send("CAP END");
        QVERIFY(raw.registerAs("carol"));
        raw.send("REGISTER * * :" + Password);
        if (!storage) {
            const std::optional<Irc::IrcMessage> unknown = raw.expect("421");
            QVERIFY(unknown);
            QCOMPARE(unknown->param(1), QByteArray("REGISTER"));
        } else {
            QCOMPARE(raw.expect("REGISTER")->param(0), QByteArray("SUCCESS"));
        }
        raw.send("AUTHENTICATE PLAIN"); // sasl not negotiated: unknown either way
        QCOMPARE(raw.expect("421")->param(1), QByteArray("AUTHENTICATE"));
        QVERIFY(stop());
    }
}

// REGISTER before CAP END: 900, REGISTER SUCCESS, then the welcome; WHOIS shows the account.
void TestAccounts::registerLogsIn()
{
    QVERIFY(start(config()));
    std::unique_ptr<RawClient> alice = negotiating("Alice", {});
    QVERIFY(alice);
    alice->send("REGISTER * alice@example.org :" + Password);
    const std::optional<Irc::IrcMessage> loggedIn = alice->expect("900");
    QVERIFY(loggedIn);
    QCOMPARE(
        loggedIn->params,
        (QList<QByteArray> {"*", "Alice!u@127.0.0.1", "Alice", "You are now logged in as Alice"}));
    const std::optional<Irc::IrcMessage> success = alice->expect("REGISTER");
    QVERIFY(success);
    QCOMPARE(success->params.mid(0, 2), (QList<QByteArray> {"SUCCESS", "Alice"}));
    alice->send("CAP END");
    QVERIFY(alice->expect("001"));
    // After registration too, for the nick in use.
    std::unique_ptr<RawClient> bob = negotiating("bob", {});
    QVERIFY(bob);
    bob->send("CAP END");
    QVERIFY(bob->expect("001"));
    bob->send("REGISTER bob * :" + Password);
    QCOMPARE(bob->expect("900")->param(2), QByteArray("bob"));
    QCOMPARE(bob->expect("REGISTER")->param(1), QByteArray("bob"));
}

void TestAccounts::registerRefusals()
{
    QVERIFY(start(config()));
    std::unique_ptr<RawClient> alice = registered("alice");
    QVERIFY(alice);
    const auto refusal = [](RawClient &client, const QByteArray &line) {
        client.send(line);
        const std::optional<Irc::IrcMessage> fail = client.expect("FAIL");
        return fail ? fail->params.mid(0, 3) : QList<QByteArray> {};
    };
    QCOMPARE(refusal(*alice, "REGISTER * * :" + Password),
             (QList<QByteArray> {"REGISTER", "ALREADY_AUTHENTICATED", "alice"}));
    alice->send("QUIT"); // once ERROR comes, the nick is free
    QVERIFY(alice->expect("ERROR"));

    // A new client holding the name before registration: the account exists.
    std::unique_ptr<RawClient> other = negotiating("ALICE", {});
    QVERIFY(other);
    QCOMPARE(refusal(*other, "REGISTER * * :" + Password),
             (QList<QByteArray> {"REGISTER", "ACCOUNT_EXISTS", "ALICE"}));
    std::unique_ptr<RawClient> carol = negotiating("carol", {});
    QVERIFY(carol);
    QCOMPARE(refusal(*carol, "REGISTER * * :short"),
             (QList<QByteArray> {"REGISTER", "WEAK_PASSWORD", "carol"}));
    QCOMPARE(refusal(*carol, "REGISTER dave * :" + Password),
             (QList<QByteArray> {"REGISTER", "ACCOUNT_NAME_MUST_BE_NICK", "dave"}));
    carol->send("REGISTER * *");
    QCOMPARE(carol->expect("461")->param(1), QByteArray("REGISTER"));
    // No nick yet.
    RawClient early;
    QVERIFY(early.connectTo(m_controller->serverPort()));
    QCOMPARE(refusal(early, "REGISTER * * :" + Password),
             (QList<QByteArray> {"REGISTER", "NEED_NICK", "*"}));
    // carol may still register, and is then logged in.
    carol->send("REGISTER carol * :" + Password);
    QCOMPARE(carol->expect("REGISTER")->param(0), QByteArray("SUCCESS"));
}

// Accounts are verified at once: a logged-in client has nothing to verify, and no code is valid.
void TestAccounts::verifyHasNothingToVerify()
{
    QVERIFY(start(config()));
    std::unique_ptr<RawClient> alice = registered("alice");
    QVERIFY(alice);
    alice->send("VERIFY alice 12345");
    const std::optional<Irc::IrcMessage> fail = alice->expect("FAIL");
    QVERIFY(fail);
    QCOMPARE(fail->params.mid(0, 3),
             (QList<QByteArray> {"VERIFY", "ALREADY_AUTHENTICATED", "alice"}));
    std::unique_ptr<RawClient> bob = negotiating("bob", {});
    QVERIFY(bob);
    bob->send("VERIFY alice 12345");
    const std::optional<Irc::IrcMessage> invalid = bob->expect("FAIL");
    QVERIFY(invalid);
    QCOMPARE(invalid->params.mid(0, 3), (QList<QByteArray> {"VERIFY", "INVALID_CODE", "alice"}));
    bob->send("VERIFY alice");
    QCOMPARE(bob->expect("461")->param(1), QByteArray("VERIFY"));
}

// labeled-response: the answers that come once the password is hashed or checked carry the
// label (a labeled batch for 900 and its companion), and no ACK comes before them.
void TestAccounts::labeledRegisterAndAuthenticate()
{
    QVERIFY(start(config()));
    // The commands of the labeled batch that must come first (no ACK before it).
    const auto labeledAnswer = [](RawClient &client, const QByteArray &label) {
        QList<QByteArray> commands;
        if (!QTest::qWaitFor([&] { return !client.pending().isEmpty(); }, Timeout)
            || client.pending().first().command != "BATCH")
            return QList<QByteArray> {"(no batch first)"};
        const QByteArray first = *client.expectLine("BATCH");
        if (!first.startsWith(QByteArray("@label=" + label + ' '))
            || !first.contains(" labeled-response"))
            return QList<QByteArray> {first};
        while (const std::optional<Irc::IrcMessage> line
               = client.expectMatch([](const Irc::IrcMessage &) { return true; })) {
            if (line->command == "BATCH")
                break;
            commands.append(line->command == "REGISTER" ? line->param(0) : line->command);
        }
        return commands;
    };
    std::unique_ptr<RawClient> alice = negotiating("alice", "labeled-response batch");
    QVERIFY(alice);
    alice->send("@label=r1 REGISTER * * :" + Password);
    QCOMPARE(labeledAnswer(*alice, "r1"), (QList<QByteArray> {"900", "SUCCESS"}));
    alice->send("CAP END");
    QVERIFY(alice->expect("001"));

    std::unique_ptr<RawClient> bob = negotiating("bob", "sasl labeled-response batch");
    QVERIFY(bob);
    bob->send("@label=a1 AUTHENTICATE PLAIN");
    QVERIFY(bob->expectLine("AUTHENTICATE", "label=a1 AUTHENTICATE +"));
    bob->send("@label=a2 AUTHENTICATE " + plain("alice", Password));
    QCOMPARE(labeledAnswer(*bob, "a2"), (QList<QByteArray> {"900", "903"}));

    std::unique_ptr<RawClient> carol = negotiating("carol", "sasl labeled-response batch");
    QVERIFY(carol);
    carol->send("AUTHENTICATE PLAIN");
    QVERIFY(carol->expect("AUTHENTICATE"));
    carol->send("@label=a3 AUTHENTICATE " + plain("alice", "wrong password"));
    QVERIFY(QTest::qWaitFor([&] { return !carol->pending().isEmpty(); }, Timeout));
    QCOMPARE(carol->pending().first().command, QByteArray("904"));
    QVERIFY(carol->expectLine("904")->startsWith("@label=a3 "));
}

void TestAccounts::saslLogsIn()
{
    QVERIFY(start(config()));
    QVERIFY(registered("alice"));
    std::unique_ptr<RawClient> client = negotiating("alice");
    QVERIFY(client);
    const std::optional<Irc::IrcMessage> end = authenticate(*client, plain("ALICE", Password));
    QVERIFY(end);
    QCOMPARE(end->command, QByteArray("903"));
    client->send("CAP END");
    QVERIFY(client->expect("001"));
    // Already logged in: 907.
    client->send("AUTHENTICATE PLAIN");
    QVERIFY(client->expect("907"));
    // An authorization identity that is the account itself is accepted; 900 names the account
    // as registered.
    std::unique_ptr<RawClient> second = negotiating("alice2");
    QVERIFY(second);
    second->send("AUTHENTICATE PLAIN");
    QVERIFY(second->expect("AUTHENTICATE"));
    second->send("AUTHENTICATE " + plain("alice", Password, "alice"));
    const std::optional<Irc::IrcMessage> loggedIn = second->expect("900");
    QVERIFY(loggedIn);
    QCOMPARE(loggedIn->param(2), QByteArray("alice"));
    QVERIFY(second->expect("903"));
    // irssi logs in before it sends NICK and USER: 900 then names them `*`.
    RawClient early;
    QVERIFY(early.connectTo(m_controller->serverPort()));
    early.send("CAP LS 302");
    early.send("CAP REQ :sasl");
    QCOMPARE(early
                 .expectMatch([](const Irc::IrcMessage &m) {
                     return m.command == "CAP" && m.param(1) != "LS";
                 })
                 ->param(1),
             QByteArray("ACK"));
    early.send("AUTHENTICATE PLAIN");
    QVERIFY(early.expect("AUTHENTICATE"));
    early.send("AUTHENTICATE " + plain("alice", Password));
    const std::optional<Irc::IrcMessage> beforeNick = early.expect("900", Timeout);
    QVERIFY(beforeNick);
    QCOMPARE(beforeNick->params.mid(0, 3), (QList<QByteArray> {"*", "*!*@127.0.0.1", "alice"}));
    QVERIFY(early.expect("903"));
}

// Same reply, and registration goes on without an account after CAP END.
void TestAccounts::saslWrongPasswordAndUnknownAccountLookAlike()
{
    QVERIFY(start(config()));
    QVERIFY(registered("alice"));
    std::unique_ptr<RawClient> client = negotiating("mallory");
    QVERIFY(client);
    const std::optional<Irc::IrcMessage> wrong
        = authenticate(*client, plain("alice", "wrong password"));
    const std::optional<Irc::IrcMessage> unknown = authenticate(*client, plain("nobody", Password));
    QVERIFY(wrong && unknown);
    QCOMPARE(wrong->command, QByteArray("904"));
    QCOMPARE(unknown->command, wrong->command);
    QCOMPARE(unknown->params, wrong->params);
    client->send("CAP END");
    QVERIFY(client->expect("001"));
    client->send("WHOIS mallory");
    const std::optional<Irc::IrcMessage> first = client->expectMatch(
        [](const Irc::IrcMessage &m) { return m.command == "330" || m.command == "318"; });
    QVERIFY(first);
    QCOMPARE(first->command, QByteArray("318")); // not logged in: no 330
}

void TestAccounts::saslAbort()
{
    QVERIFY(start(config()));
    QVERIFY(registered("alice"));
    std::unique_ptr<RawClient> client = negotiating("alice");
    QVERIFY(client);
    client->send("AUTHENTICATE PLAIN");
    QVERIFY(client->expect("AUTHENTICATE"));
    client->send("AUTHENTICATE *");
    QVERIFY(client->expect("906"));
    // A new exchange works after an abort.
    QCOMPARE(authenticate(*client, plain("alice", Password))->command, QByteArray("903"));

    // CAP END in the middle of an exchange: aborted, and registered without an account.
    std::unique_ptr<RawClient> other = negotiating("other");
    QVERIFY(other);
    other->send("AUTHENTICATE PLAIN");
    QVERIFY(other->expect("AUTHENTICATE"));
    other->send("CAP END");
    QVERIFY(other->expect("906"));
    QVERIFY(other->expect("001"));

    // A burst (AUTHENTICATE, payload, CAP END without waiting): registration waits for the
    // verdict, so the client is logged in when welcomed.
    std::unique_ptr<RawClient> burst = negotiating("alice3");
    QVERIFY(burst);
    burst->send("AUTHENTICATE PLAIN");
    burst->send("AUTHENTICATE " + plain("alice", Password));
    burst->send("CAP END");
    QVERIFY(burst->expect("903"));
    QVERIFY(burst->expect("001"));
}

// 400-byte chunks: a chunk of exactly 400 bytes says more follows; `+` ends an exact multiple.
void TestAccounts::saslChunks()
{
    QVERIFY(start(config()));
    const QByteArray longPassword(400, 'p');
    QVERIFY(registered("alice", longPassword));
    std::unique_ptr<RawClient> client = negotiating("alice");
    QVERIFY(client);
    const QByteArray payload = plain("alice", longPassword);
    QVERIFY(payload.size() > 400 && payload.size() < 800);
    client->send("AUTHENTICATE PLAIN");
    QVERIFY(client->expect("AUTHENTICATE"));
    client->send("AUTHENTICATE " + payload.left(400));
    client->send("AUTHENTICATE " + payload.mid(400));
    QCOMPARE(client->expectMatch(isSaslEnd)->command, QByteArray("903"));

    // A payload of exactly 400 bytes, then `+`.
    std::unique_ptr<RawClient> exact = negotiating("bob");
    QVERIFY(exact);
    QByteArray password = "x";
    while (plain("alice", password).size() < 400)
        password += 'x';
    QCOMPARE(plain("alice", password).size(), 400); // base64 of 297 bytes
    exact->send("AUTHENTICATE PLAIN");
    QVERIFY(exact->expect("AUTHENTICATE"));
    exact->send("AUTHENTICATE " + plain("alice", password));
    exact->send("PING :more"); // the server waits for more, so PONG comes first
    const std::optional<Irc::IrcMessage> first = exact->expectMatch(
        [](const Irc::IrcMessage &m) { return isSaslEnd(m) || m.command == "PONG"; });
    QVERIFY(first);
    QCOMPARE(first->command, QByteArray("PONG"));
    exact->send("AUTHENTICATE +");
    QCOMPARE(exact->expectMatch(isSaslEnd, Timeout)->command, QByteArray("904"));
}

void TestAccounts::saslTooLong()
{
    QVERIFY(start(config()));
    std::unique_ptr<RawClient> client = negotiating("mallory");
    QVERIFY(client);
    client->send("AUTHENTICATE PLAIN");
    QVERIFY(client->expect("AUTHENTICATE"));
    client->send("AUTHENTICATE " + QByteArray(401, 'A'));
    QVERIFY(client->expect("905"));
    // More chunks than any PLAIN payload needs.
    client->send("AUTHENTICATE PLAIN");
    QVERIFY(client->expect("AUTHENTICATE"));
    for (int chunk = 0; chunk < 4; ++chunk)
        client->send("AUTHENTICATE " + QByteArray(400, 'A'));
    QVERIFY(client->expect("905"));
    client->send("CAP END");
    QVERIFY(client->expect("001"));
}

void TestAccounts::saslHostileInput()
{
    QVERIFY(start(config()));
    QVERIFY(registered("alice"));
    std::unique_ptr<RawClient> client = negotiating("mallory");
    QVERIFY(client);
    client->send("AUTHENTICATE SCRAM-SHA-256");
    const std::optional<Irc::IrcMessage> mechanisms = client->expect("908");
    QVERIFY(mechanisms);
    QCOMPARE(mechanisms->param(1), QByteArray("PLAIN"));
    QVERIFY(client->expect("904"));
    const QList<QByteArray> hostile {
        "!!!not base64!!!",
        QByteArray("alice").toBase64(), // no NULs
        QByteArray("alice\0alice", 11).toBase64(), // no password
        plain("alice", Password, "bob"), // another authorization identity
        plain("", Password), // no account
        plain("alice,bob", Password),
        plain(QByteArray(260, 'a'), Password), // too long a name
        plain("alice", Password) + "=garbage",
        "+", // empty
    };
    for (const QByteArray &payload : hostile) {
        const std::optional<Irc::IrcMessage> end = authenticate(*client, payload);
        QVERIFY2(end, payload.constData());
        QCOMPARE(end->command, QByteArray("904"));
    }
    client->send("AUTHENTICATE");
    QCOMPARE(client->expect("461")->param(1), QByteArray("AUTHENTICATE"));
    client->send("CAP END");
    QVERIFY(client->expect("001"));
    QVERIFY(client->isConnected());
}

// After 3 failures for one account the next attempt waits (1 s, doubling), for unknown and known
// accounts alike; the worker goes on serving meanwhile.
void TestAccounts::bruteForceIsThrottled()
{
    QVERIFY(start(config()));
    QVERIFY(registered("alice"));
    std::unique_ptr<RawClient> client = negotiating("mallory");
    QVERIFY(client);
    QList<qint64> delays;
    QList<QList<QByteArray>> replies;
    for (const QByteArray account : {"alice", "nobody"}) {
        for (int attempt = 0; attempt < 4; ++attempt) {
            QElapsedTimer timer;
            timer.start();
            const std::optional<Irc::IrcMessage> end
                = authenticate(*client, plain(account, "guess " + QByteArray::number(attempt)));
            QVERIFY(end);
            QCOMPARE(end->command, QByteArray("904"));
            delays.append(timer.elapsed());
            replies.append(end->params);
        }
    }
    for (const int free : {0, 1, 2, 4, 5, 6})
        QVERIFY2(delays.at(free) < Server::LoginThrottle::BaseDelayMs,
                 qPrintable(QString::number(delays.at(free))));
    // The server counts the wait from its last failure, a round trip before the client's next
    // attempt leaves: hence the small margin.
    for (const int throttled : {3, 7}) {
        QVERIFY2(delays.at(throttled) >= Server::LoginThrottle::BaseDelayMs * 9 / 10,
                 qPrintable(QString::number(delays.at(throttled))));
        QVERIFY(delays.at(throttled) < 4 * Server::LoginThrottle::BaseDelayMs);
    }
    QVERIFY(std::all_of(replies.cbegin(), replies.cend(),
                        [&](const QList<QByteArray> &r) { return r == replies.first(); }));
    // While an attempt waits, the client is served.
    client->send("AUTHENTICATE PLAIN");
    QVERIFY(client->expect("AUTHENTICATE"));
    client->send("AUTHENTICATE " + plain("alice", "guess 5"));
    client->send("PING :meanwhile");
    QElapsedTimer timer;
    timer.start();
    QVERIFY(client->expect("PONG"));
    QVERIFY(timer.elapsed() < Server::LoginThrottle::BaseDelayMs);
    QCOMPARE(client->expectMatch(isSaslEnd, Timeout)->command, QByteArray("904"));
}

void TestAccounts::throttleTableIsBounded()
{
    Server::LoginThrottle throttle;
    for (int i = 0; i < 3 * Server::LoginThrottle::MaxEntries; ++i)
        throttle.recordFailure("account" + QByteArray::number(i), "10.0.0.1");
    QVERIFY(throttle.size() <= Server::LoginThrottle::MaxEntries);
    // The address that failed all along is still remembered, and waits.
    QVERIFY(throttle.waitMs("someone", "10.0.0.1") > 0);
    QCOMPARE(throttle.waitMs("someone", "10.0.0.2"), 0);
}

void TestAccounts::passwordNeverLogged()
{
    QVERIFY(start(config()));
    const LogCapture log;
    const QByteArray secret = "a-very-secret-password";
    std::unique_ptr<RawClient> alice = registered("alice", secret);
    std::unique_ptr<RawClient> client = negotiating("mallory");
    QVERIFY(alice && client);
    QCOMPARE(authenticate(*client, plain("alice", secret + "-wrong"))->command, QByteArray("904"));
    QCOMPARE(authenticate(*client, plain("alice", secret))->command, QByteArray("903"));
    QVERIFY(stop());
    const QStringList lines = log.lines();
    QVERIFY(lines.join(QLatin1Char('\n')).contains(QStringLiteral("failed to log in as alice")));
    for (const QString &line : lines)
        QVERIFY2(!line.contains(QString::fromLatin1(secret)), qPrintable(line));
}

void TestAccounts::accountSurvivesARestart()
{
    QVERIFY(start(config()));
    QVERIFY(registered("alice"));
    QVERIFY(stop());
    m_controller = std::make_unique<Server::ServerController>(); // a new server, same database
    QVERIFY(start(config()));
    std::unique_ptr<RawClient> client = negotiating("alice");
    QVERIFY(client);
    QCOMPARE(authenticate(*client, plain("alice", Password))->command, QByteArray("903"));
}

// At registration and at NICK, in any case: 433 with a reason, unless logged in to that account.
void TestAccounts::registeredNickNeedsItsAccount()
{
    QVERIFY(start(config()));
    QVERIFY(registered("bob"));
    {
        std::unique_ptr<RawClient> alice = registered("alice");
        QVERIFY(alice);
        alice->send("QUIT");
        QVERIFY(alice->expect("ERROR"));
    }
    RawClient mallory;
    QVERIFY(mallory.connectTo(m_controller->serverPort()));
    mallory.send("NICK Alice");
    mallory.send("USER m 0 * :M");
    const std::optional<Irc::IrcMessage> refused = mallory.expect("433");
    QVERIFY(refused);
    QCOMPARE(refused->params,
             (QList<QByteArray> {"*", "Alice",
                                 "Nickname is registered to an account; log in with SASL"}));
    QVERIFY(mallory.registerAs("mallory")); // another nick is welcome
    mallory.send("NICK ALICE");
    const std::optional<Irc::IrcMessage> again = mallory.expect("433");
    QVERIFY(again);
    QCOMPARE(again->params.mid(0, 2), (QList<QByteArray> {"mallory", "ALICE"}));
    mallory.send("NICK free_nick"); // an unowned nick changes at once
    QVERIFY(mallory.expect("NICK"));

    // Logged in to another account (bob) is not enough.
    std::unique_ptr<RawClient> bob = negotiating("bob");
    QVERIFY(bob);
    QCOMPARE(authenticate(*bob, plain("bob", Password))->command, QByteArray("903"));
    bob->send("CAP END");
    QVERIFY(bob->expect("001"));
    bob->send("NICK alice");
    QVERIFY(bob->expect("433"));

    // The owner, logged in, takes it at registration and back after a change.
    std::unique_ptr<RawClient> owner = negotiating("ALICE");
    QVERIFY(owner);
    QCOMPARE(authenticate(*owner, plain("alice", Password))->command, QByteArray("903"));
    owner->send("CAP END");
    const std::optional<Irc::IrcMessage> welcome = owner->expect("001");
    QVERIFY(welcome);
    QCOMPARE(welcome->param(0), QByteArray("ALICE"));
    owner->send("NICK away_for_now");
    QCOMPARE(owner->expect("NICK")->param(0), QByteArray("away_for_now"));
    owner->send("NICK alice");
    QCOMPARE(owner->expect("NICK")->param(0), QByteArray("alice"));
    // A client that gave up the refused nick may pick another before registering.
    RawClient late;
    QVERIFY(late.connectTo(m_controller->serverPort()));
    late.send("NICK bob");
    late.send("NICK late");
    QVERIFY(late.registerAs("late"));
}

// Two servers on one database: an account made on one owns its nick on the other at once.
void TestAccounts::nickOwnershipAcrossServers()
{
    QVERIFY(start(config()));
    Server::ServerController second;
    {
        QSignalSpy started(&second, &Server::ServerController::started);
        second.start(config());
        QVERIFY(started.wait(Timeout));
    }
    RawClient bystander;
    QVERIFY(bystander.connectTo(m_controller->serverPort()));
    QVERIFY(bystander.registerAs("carol")); // carol is free here for now
    bystander.send("NICK bystander");
    QVERIFY(bystander.expect("NICK"));
    RawClient carol;
    QVERIFY(carol.connectTo(second.serverPort()));
    QVERIFY(carol.registerAs("carol"));
    carol.send("REGISTER * * :" + Password);
    QCOMPARE(carol.expect("REGISTER")->param(0), QByteArray("SUCCESS"));
    bystander.send("NICK carol");
    QCOMPARE(bystander.expect("433")->param(2),
             QByteArray("Nickname is registered to an account; log in with SASL"));
    QSignalSpy stopped(&second, &Server::ServerController::stopped);
    second.stop();
    QVERIFY(stopped.wait(Timeout));
}

void TestAccounts::whoisShowsTheAccount()
{
    QVERIFY(start(config()));
    std::unique_ptr<RawClient> alice = registered("alice");
    QVERIFY(alice);
    alice->send("NICK wonderland");
    QVERIFY(alice->expect("NICK"));
    alice->send("WHOIS wonderland");
    const std::optional<Irc::IrcMessage> account = alice->expect("330");
    QVERIFY(account);
    QCOMPARE(account->params,
             (QList<QByteArray> {"wonderland", "wonderland", "alice", "is logged in as"}));
}

// ACCOUNT to those who share a channel and asked; nothing to the others.
void TestAccounts::accountNotify()
{
    QVERIFY(start(config()));
    std::unique_ptr<RawClient> watcher = negotiating("watcher", "account-notify");
    std::unique_ptr<RawClient> plainClient = negotiating("plain", {});
    std::unique_ptr<RawClient> alice = negotiating("alice", {});
    QVERIFY(watcher && plainClient && alice);
    for (RawClient *client : {watcher.get(), plainClient.get(), alice.get()}) {
        client->send("CAP END");
        client->send("JOIN #wonder");
        QVERIFY(client->expect("366"));
    }
    alice->send("REGISTER * * :" + Password); // logs in after registration
    QCOMPARE(alice->expect("REGISTER")->param(0), QByteArray("SUCCESS"));
    const std::optional<QByteArray> line = watcher->expectLine("ACCOUNT");
    QVERIFY(line);
    QCOMPARE(*line, QByteArray(":alice!u@127.0.0.1 ACCOUNT alice"));
    alice->send("PRIVMSG #wonder :after");
    const std::optional<Irc::IrcMessage> next = plainClient->expectMatch(
        [](const Irc::IrcMessage &m) { return m.command == "ACCOUNT" || m.command == "PRIVMSG"; });
    QVERIFY(next);
    QCOMPARE(next->command, QByteArray("PRIVMSG"));
}

// JOIN #chan <account|*> :<realname> for those who asked, the plain JOIN for the others.
void TestAccounts::extendedJoin()
{
    QVERIFY(start(config()));
    std::unique_ptr<RawClient> watcher = negotiating("watcher", "extended-join");
    std::unique_ptr<RawClient> plainClient = negotiating("plain", {});
    QVERIFY(watcher && plainClient);
    for (RawClient *client : {watcher.get(), plainClient.get()}) {
        client->send("CAP END");
        client->send("JOIN #x");
        QVERIFY(client->expect("366"));
    }
    std::unique_ptr<RawClient> alice = registered("alice");
    RawClient anonymous;
    QVERIFY(alice && anonymous.connectTo(m_controller->serverPort()));
    QVERIFY(anonymous.registerAs("anon"));
    alice->send("JOIN #x");
    QCOMPARE(*watcher->expectLine("JOIN", ":alice!"),
             QByteArray(":alice!u@127.0.0.1 JOIN #x alice :Real alice"));
    QCOMPARE(*plainClient->expectLine("JOIN", ":alice!"), QByteArray(":alice!u@127.0.0.1 JOIN #x"));
    anonymous.send("JOIN #x");
    QVERIFY(watcher->expectLine("JOIN", ":anon!")->endsWith(" JOIN #x * :Test anon"));
    QVERIFY(plainClient->expectLine("JOIN", ":anon!")->endsWith(" JOIN #x"));
    QVERIFY(anonymous.expectLine("JOIN")->endsWith(" JOIN #x")); // its own, plain
}

// account= on the lines of a logged-in sender, for those who asked, beside their other tags.
void TestAccounts::accountTag()
{
    QVERIFY(start(config()));
    std::unique_ptr<RawClient> tagged = negotiating("tagged", "account-tag");
    std::unique_ptr<RawClient> both = negotiating("both", "account-tag server-time");
    std::unique_ptr<RawClient> plainClient = negotiating("plain", {});
    QVERIFY(tagged && both && plainClient);
    for (RawClient *client : {tagged.get(), both.get(), plainClient.get()}) {
        client->send("CAP END");
        client->send("JOIN #t");
        QVERIFY(client->expect("366"));
    }
    std::unique_ptr<RawClient> alice = registered("alice");
    RawClient anonymous;
    QVERIFY(alice && anonymous.connectTo(m_controller->serverPort()));
    QVERIFY(anonymous.registerAs("anon"));
    alice->send("JOIN #t");
    anonymous.send("JOIN #t");
    alice->send("PRIVMSG #t :from alice");
    QVERIFY(anonymous.expect("366"));
    anonymous.send("PRIVMSG #t :from anon");
    QCOMPARE(*tagged->expectLine("PRIVMSG"),
             QByteArray("@account=alice :alice!u@127.0.0.1 PRIVMSG #t :from alice"));
    QCOMPARE(*tagged->expectLine("PRIVMSG"),
             QByteArray(":anon!anon@127.0.0.1 PRIVMSG #t :from anon"));
    const QByteArray withTime = *both->expectLine("PRIVMSG");
    QVERIFY2(withTime.startsWith("@account=alice;time="), withTime.constData());
    QCOMPARE(*plainClient->expectLine("PRIVMSG"),
             QByteArray(":alice!u@127.0.0.1 PRIVMSG #t :from alice"));
}

QTEST_GUILESS_MAIN(TestAccounts)
#include "tst_accounts.moc"
