// Server operators (OPER, KILL, WALLOPS), user modes and WHOWAS: each script played against
// QtChat and, where ngircd implements the same thing, against ngircd too. Both servers know
// the operator NgircdProcess::operatorName(); QtChat only by a hash of its password.
#include "protocol/numerics.h"
#include "serverlib/passwordhash.h"
#include "tests/support/scriptedservers.h"

#include <QElapsedTimer>
#include <QSet>
#include <QSignalSpy>
#include <QTest>

namespace Numeric = Irc::Numeric;

using ByteArrays = QList<QByteArray>;

namespace {

QByteArray operLine(const QByteArray &password = NgircdProcess::operatorPassword())
{
    return "OPER " + NgircdProcess::operatorName() + ' ' + password;
}

// ngircd remembers a nick for WHOWAS only once its user has been connected 30 s
// (Client_RegisterWhowas); the rows that need an entry would wait that long.
constexpr char NgircdWhowasDelay[]
    = "ngircd keeps WHOWAS entries only of users connected for 30 s or more";

// Client a becomes a server operator.
ByteArrays operA()
{
    return {"a> " + operLine(), "a< 381"};
}

Server::ServerConfig configWithOperator()
{
    Server::ServerConfig config;
    config.operators = {{NgircdProcess::operatorName(),
                         Server::PasswordHash::make(NgircdProcess::operatorPassword())}};
    return config;
}

} // namespace

class TestOperators : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void scripts_data();
    void scripts();
    void passwordHashesAreArgon2id();
    void repeatedWrongPasswordsAreRateLimited();
    void passwordCheckDoesNotStallTheWorker();
    void killReachesClientsOfEveryWorker();
    void lusersCountsInvisibleUsersAndOperators();
    void whowasMemoryIsBounded();
    void wallopsCarriesServerTime();
    void noOperatorConfiguredGets491();
    void hostileInputStaysBounded();

private:
    std::unique_ptr<RawClient> registered(quint16 port, const QByteArray &nick);
    std::unique_ptr<RawClient> oper(quint16 port, const QByteArray &nick);

    ScriptedServers m_servers {"o"};
};

void TestOperators::initTestCase()
{
    QVERIFY2(m_servers.start(configWithOperator()), qPrintable(m_servers.errorString()));
}

void TestOperators::cleanupTestCase()
{
    m_servers.stop();
}

void TestOperators::scripts_data()
{
    IrcScript::addColumns();
    const ByteArrays abJoin {"a> JOIN %ch", "a< 366 %ch", "b> JOIN %ch", "b< 366 %ch"};

    IrcScript::addRows("OPER with the right password",
                       operA() + ByteArrays {"a> MODE %a", "a< 221 +o"});
    IrcScript::addRows("OPER with a wrong password 464", {"a> " + operLine("wrong"), "a< 464"});
    IrcScript::addRows("OPER with an unknown name 464",
                       {"a> OPER nobody " + NgircdProcess::operatorPassword(), "a< 464"});
    IrcScript::addRows("OPER needs two parameters",
                       {"a> OPER " + NgircdProcess::operatorName(), "a< 461 OPER"});
    IrcScript::addRows("OPER again right after a failure 263",
                       {"a> " + operLine("wrong"), "a< 464", "a> " + operLine(), "a< 263 OPER"},
                       "ngircd slows the whole connection down instead (a penalty on its input)");
    IrcScript::addRows(
        "WHOIS 313 and WHO * for an operator",
        operA() + ByteArrays {"b> WHOIS %a", "b< 313 %a", "b< 318 %a", "b> WHO %a", "b< 352 *"});
    IrcScript::addRows(
        "WHO flags show the operator star",
        operA() + ByteArrays {"b> WHO %a", "b< 352 * %a 127.0.0.1 qtchat.local %a H*", "b< 315 %a"},
        "ngircd prefixes user names with ~ and names itself differently");
    IrcScript::addRows(
        "an operator drops +o itself",
        operA() + ByteArrays {"a> MODE %a -o", "a< MODE %a -o", "a> KILL %b :x", "a< 481"});
    IrcScript::addRows("+o is only given by OPER",
                       {"a> MODE %a +o", "a> MODE %a", "a< 221 +", "a> WALLOPS :x", "a< 481"});
    IrcScript::addRows("KILL and WALLOPS need an operator 481",
                       {"b> PING x", "b< PONG", "a> KILL %b :bye", "a< 481", "a> WALLOPS :hi",
                        "a< 481", "b> PING y", "b< PONG"});
    IrcScript::addRows("KILL closes the victim and tells its channels",
                       abJoin + operA() + ByteArrays {"a> KILL %b :enough", "b< ERROR", "a< QUIT"});
    IrcScript::addRows("KILL says who and why",
                       abJoin + operA()
                           + ByteArrays {"a> KILL %b :enough", "b< ERROR :Killed (%a (enough))",
                                         "a< QUIT :Killed (%a (enough))"},
                       "ngircd words the ERROR and QUIT texts its own way");
    IrcScript::addRows("KILL of an unknown nick 401",
                       operA() + ByteArrays {"a> KILL nobody :x", "a< 401 nobody"},
                       "ngircd only logs a KILL of an unknown nick; the operator hears nothing");
    IrcScript::addRows("KILL of oneself", operA() + ByteArrays {"a> KILL %a :myself", "a< ERROR"});
    IrcScript::addRows("KILL needs a reason 461",
                       operA() + ByteArrays {"a> KILL %b", "a< 461 KILL"});
    IrcScript::addRows("WALLOPS reaches +w users only",
                       operA()
                           + ByteArrays {"b> MODE %b +w", "b< MODE %b +w", "c> PING x", "c< PONG",
                                         "a> WALLOPS :hear ye", "b< WALLOPS :hear ye", "c! WALLOPS",
                                         "a> PRIVMSG %c :marker", "c< PRIVMSG %c marker"});
    IrcScript::addRows("an operator moderates a channel it is no operator of",
                       ByteArrays {"b> JOIN %ch", "b< 366 %ch", "a> JOIN %ch", "a< 366 %ch",
                                   "a> MODE %ch +m", "a< 482 %ch"}
                           + operA()
                           + ByteArrays {"a> MODE %ch +m", "b< MODE %ch +m",
                                         "a> TOPIC %ch :by oper", "b< TOPIC %ch :by oper",
                                         "a> KICK %ch %b :out", "b< KICK %ch %b out"});
    IrcScript::addRows("user mode query and +i",
                       {"a> MODE %a +i", "a< MODE %a +i", "a> MODE %a", "a< 221 +i",
                        "a> MODE %a -i+w", "a< MODE %a -i+w", "a> MODE %a", "a< 221 +w"});
    IrcScript::addRows("unknown user mode 501",
                       {"a> MODE %a +Z", "a< 501", "a> MODE %a", "a< 221 +"},
                       "ngircd answers 501 with the mode letter as a parameter");
    IrcScript::addRows("modes of another user 502",
                       {"b> PING x", "b< PONG", "a> MODE %b +i", "a< 502", "a> MODE %b", "a< 502"},
                       "ngircd shows other users' modes to anyone who asks");
    IrcScript::addRows("invisible users are hidden from WHO masks",
                       {"b> MODE %b +i", "b< MODE %b +i", "a> WHO %b*", "a! 352", "a< 315 %b*",
                        "b> JOIN %ch", "b< 366", "a> JOIN %ch", "a< 366", "a> WHO %b*", "a< 352 *",
                        "a< 315 %b*"});
    IrcScript::addRows("invisible users' channels are hidden from WHOIS",
                       {"b> JOIN %ch", "b< 366", "b> MODE %b +i", "b< MODE %b +i", "a> WHOIS %b",
                        "a< 311 %b", "a! 319", "a< 318 %b", "a> JOIN %ch", "a< 366", "a> WHOIS %b",
                        "a< 319 %b :@%ch", "a< 318 %b"},
                       "ngircd lists an invisible user's channels to anyone; QtChat keeps them "
                       "from users who share none, as RFC 2812 has +i hide a user");
    IrcScript::addRows(
        "WHOWAS after a quit",
        {"c> QUIT :bye", "c< ERROR", "a> WHOWAS %c 1", "a< 314 %c", "a< 312 %c", "a< 369 %c"},
        NgircdWhowasDelay);
    IrcScript::addRows(
        "WHOWAS after a nick change",
        {"b> NICK %d", "b< NICK %d", "a> WHOWAS %b", "a< 314 %b", "a< 312 %b", "a< 369 %b"},
        "ngircd remembers only nicks whose users quit, not nicks changed");
    IrcScript::addRows("WHOWAS with a huge count",
                       {"b> QUIT", "b< ERROR", "a> WHOWAS %b 99999999999999999999", "a< 314 %b",
                        "a< 369 %b", "a> WHOWAS %b -5", "a< 314 %b", "a< 369 %b"},
                       NgircdWhowasDelay);
    IrcScript::addRows("WHOWAS of an unknown nick 406",
                       {"a> WHOWAS nobodyever", "a< 406 nobodyever", "a< 369 nobodyever"});
    IrcScript::addRows("WHOWAS without a nick 431", {"a> WHOWAS", "a< 431"});
}

void TestOperators::scripts()
{
    QTCHAT_PLAY_SCRIPT_ROW(m_servers);
}

std::unique_ptr<RawClient> TestOperators::registered(quint16 port, const QByteArray &nick)
{
    auto client = std::make_unique<RawClient>();
    if (!client->connectTo(port) || !client->registerAs(nick))
        return {};
    return client;
}

std::unique_ptr<RawClient> TestOperators::oper(quint16 port, const QByteArray &nick)
{
    std::unique_ptr<RawClient> client = registered(port, nick);
    if (!client)
        return {};
    client->send(operLine());
    return client->expect(Numeric::YoureOper) ? std::move(client) : nullptr;
}

void TestOperators::passwordHashesAreArgon2id()
{
    const QByteArray hash = Server::PasswordHash::make("correct horse");
    QVERIFY(hash.startsWith("$argon2id$"));
    QVERIFY(!hash.contains("correct horse"));
    QVERIFY(Server::PasswordHash::isHash(hash));
    QVERIFY(Server::PasswordHash::verify(hash, "correct horse"));
    QVERIFY(!Server::PasswordHash::verify(hash, "correct horse "));
    QVERIFY(!Server::PasswordHash::verify("correct horse", "correct horse"));
    QVERIFY(!Server::PasswordHash::verify(QByteArray(), QByteArray()));
    // A salt per hash: the same password never hashes the same twice.
    QVERIFY(Server::PasswordHash::make("correct horse") != hash);

    Server::ServerConfig config = configWithOperator();
    QVERIFY(config.validate().isEmpty());
    config.operators = {{"admin", "plaintext"}};
    QVERIFY(!config.validate().isEmpty());
    QVERIFY(!config.validate().contains(QStringLiteral("plaintext")));
    config.operators = {{"", hash}};
    QVERIFY(!config.validate().isEmpty());
    config.operators = Server::ServerConfig::operatorsFromText(
        QString(QStringLiteral("admin:") + QString::fromUtf8(hash)));
    QCOMPARE(config.operators.size(), 1);
    QCOMPARE(config.operators.constFirst().name, QByteArray("admin"));
    QCOMPARE(config.operators.constFirst().passwordHash, hash);
    QVERIFY(config.validate().isEmpty());
}

void TestOperators::repeatedWrongPasswordsAreRateLimited()
{
    const auto guesser = registered(m_servers.qtchat().serverPort(), "guesser");
    QVERIFY(guesser);
    constexpr int Attempts = 30;
    for (int i = 0; i < Attempts; ++i)
        guesser->send(operLine("guess" + QByteArray::number(i)));
    // One check ran; every other attempt was refused at once, without one.
    const QList<Irc::IrcMessage> refused = guesser->collect(Numeric::TryAgain, Attempts - 1);
    QCOMPARE(refused.size(), Attempts - 1);
    QVERIFY(guesser->expect(Numeric::PasswordMismatch));
    // Right after a failure even the right password waits.
    guesser->send(operLine());
    QVERIFY(guesser->expect(Numeric::TryAgain));
    QVERIFY(guesser->isConnected());
}

void TestOperators::passwordCheckDoesNotStallTheWorker()
{
    // One thread serves both: were the check run on it, the PING would wait for the check.
    Server::ChatServer server;
    Server::ServerConfig config = configWithOperator();
    config.port = 0;
    config.threading = Server::ThreadingModel::Single;
    QVERIFY(server.start(config));
    const auto candidate = registered(server.serverPort(), "candidate");
    const auto bystander = registered(server.serverPort(), "bystander");
    QVERIFY(candidate && bystander);
    QElapsedTimer clock;
    clock.start();
    candidate->send(operLine());
    bystander->send("PING :alive");
    QVERIFY(bystander->expect("PONG"));
    const qint64 pongMs = clock.elapsed();
    QVERIFY(candidate->expect(Numeric::YoureOper));
    const qint64 operMs = clock.elapsed();
    QVERIFY2(
        pongMs < operMs,
        qPrintable(QStringLiteral("PONG after %1 ms, 381 after %2 ms").arg(pongMs).arg(operMs)));
    server.stop();
}

void TestOperators::killReachesClientsOfEveryWorker()
{
    // A new client goes to the least loaded of the two workers, so the victims are spread
    // over both, and the killer's worker reaches the other's only through its mailbox.
    Server::ChatServer server;
    Server::ServerConfig config = configWithOperator();
    config.port = 0;
    config.threading = Server::ThreadingModel::Pool;
    config.workers = 2;
    QVERIFY(server.start(config));
    QSignalSpy registrations(&server, &Server::ChatServer::clientRegistered);
    const auto killer = oper(server.serverPort(), "killer");
    QVERIFY(killer);
    killer->send("JOIN #arena");
    QVERIFY(killer->expect(Numeric::EndOfNames));
    constexpr int VictimCount = 4;
    std::vector<std::unique_ptr<RawClient>> victims;
    for (int i = 0; i < VictimCount; ++i) {
        victims.push_back(registered(server.serverPort(), "victim" + QByteArray::number(i)));
        QVERIFY(victims.back());
        victims.back()->send("JOIN #arena");
        QVERIFY(victims.back()->expect(Numeric::EndOfNames));
    }
    QSet<QString> threads; // argument 2: the serving thread
    for (const QList<QVariant> &registration : std::as_const(registrations))
        threads.insert(registration.at(2).toString());
    QCOMPARE(threads.size(), 2);
    for (int i = 0; i < VictimCount; ++i)
        killer->send("KILL victim" + QByteArray::number(i) + " :spread");
    for (const auto &victim : victims) {
        const auto error = victim->expect("ERROR");
        QVERIFY(error);
        QVERIFY(error->param(0).startsWith("Killed (killer"));
        QVERIFY(victim->waitForDisconnected());
    }
    const QList<Irc::IrcMessage> quits = killer->collect("QUIT", VictimCount);
    QCOMPARE(quits.size(), VictimCount);
    for (const Irc::IrcMessage &quit : quits)
        QVERIFY(quit.param(0).endsWith(" (spread))"));
    server.stop();
}

void TestOperators::lusersCountsInvisibleUsersAndOperators()
{
    Server::ChatServer server;
    Server::ServerConfig config = configWithOperator();
    config.port = 0;
    QVERIFY(server.start(config));
    const auto watcher = registered(server.serverPort(), "watcher");
    const auto hidden = registered(server.serverPort(), "hidden");
    QVERIFY(watcher && hidden);
    hidden->send("MODE hidden +i");
    QVERIFY(hidden->expect("MODE"));
    const auto chief = oper(server.serverPort(), "chief");
    QVERIFY(chief);
    watcher->send("LUSERS");
    const auto client = watcher->expect(Numeric::LuserClient);
    QVERIFY(client);
    QCOMPARE(client->param(1), QByteArray("There are 2 users and 1 invisible on 1 servers"));
    const auto ops = watcher->expect(Numeric::LuserOp);
    QVERIFY(ops);
    QCOMPARE(ops->param(1), QByteArray("1"));

    // The totals are kept as users come and go: they follow a -o and an invisible user's QUIT.
    chief->send("MODE chief -o");
    QVERIFY(chief->expect("MODE"));
    hidden->send("QUIT :bye");
    QVERIFY(hidden->waitForDisconnected());
    const auto lusers = [&watcher] {
        watcher->send("LUSERS");
        const auto users = watcher->expect(Numeric::LuserClient);
        const auto operators = watcher->expect(Numeric::LuserOp);
        return users && operators ? users->param(1) + " / " + operators->param(1) : QByteArray();
    };
    QTRY_COMPARE(lusers(), QByteArray("There are 2 users and 0 invisible on 1 servers / 0"));
    server.stop();
}

void TestOperators::whowasMemoryIsBounded()
{
    Server::ChatServer server;
    Server::ServerConfig config;
    config.port = 0;
    config.limits.noLimits = true;
    config.whowasEntries = 3;
    QVERIFY(server.start(config));
    const auto changer = registered(server.serverPort(), "first");
    QVERIFY(changer);
    for (int i = 0; i < 10; ++i) {
        changer->send("NICK renamed" + QByteArray::number(i));
        QVERIFY(changer->expect("NICK"));
    }
    // Only the last three nicks given up are remembered: renamed6, renamed7, renamed8.
    changer->send("WHOWAS renamed5");
    QVERIFY(changer->expect(Numeric::WasNoSuchNick));
    changer->send("WHOWAS renamed6,renamed8");
    const auto first = changer->expect(Numeric::WhoWasUser);
    QVERIFY(first);
    QCOMPARE(first->param(1), QByteArray("renamed6"));
    const auto second = changer->expect(Numeric::WhoWasUser);
    QVERIFY(second);
    QCOMPARE(second->param(1), QByteArray("renamed8"));
    QVERIFY(changer->expect(Numeric::EndOfWhoWas));
    server.stop();
}

void TestOperators::wallopsCarriesServerTime()
{
    Server::ChatServer server;
    Server::ServerConfig config = configWithOperator();
    config.port = 0;
    QVERIFY(server.start(config));
    const auto chief = oper(server.serverPort(), "chief");
    auto listener = std::make_unique<RawClient>();
    QVERIFY(chief && listener->connectTo(server.serverPort()));
    QVERIFY(listener->registerWithCapabilities("listener", "server-time"));
    listener->send("MODE listener +w");
    QVERIFY(listener->expect("MODE"));
    chief->send("WALLOPS :hear ye");
    const std::optional<QByteArray> line = listener->expectLine("WALLOPS");
    QVERIFY(line);
    QVERIFY2(line->startsWith("@time=") && line->endsWith(" WALLOPS :hear ye"), line->constData());
    server.stop();
}

void TestOperators::noOperatorConfiguredGets491()
{
    Server::ChatServer server;
    Server::ServerConfig config;
    config.port = 0;
    QVERIFY(server.start(config));
    const auto client = registered(server.serverPort(), "hopeful");
    QVERIFY(client);
    client->send(operLine());
    QVERIFY(client->expect(Numeric::NoOperHost));
    server.stop();
}

void TestOperators::hostileInputStaysBounded()
{
    const quint16 port = m_servers.qtchat().serverPort();
    const auto chief = oper(port, "boundchief");
    const auto target = registered(port, "boundtarget");
    QVERIFY(chief && target);

    // Hundreds of mode letters: the known ones apply once, one 501 for all unknown ones.
    chief->send("MODE boundchief +" + QByteArray(200, 'w') + QByteArray(200, 'Z'));
    chief->send("PING :modes");
    QList<Irc::IrcMessage> replies;
    const auto upToPong = [&replies](const Irc::IrcMessage &m) {
        replies.append(m);
        return m.command == "PONG";
    };
    QVERIFY(chief->expectMatch(upToPong));
    QCOMPARE(replies.size(), 3);
    QCOMPARE(replies.at(0).command, QByteArray(Numeric::UModeUnknownFlag));
    QCOMPARE(replies.at(1).params, (QList<QByteArray> {"boundchief", "+w"}));

    // Five nicks at most per WHOWAS, however many are asked for.
    QByteArray nicks = "gone0";
    for (int i = 1; i < 60; ++i) // one line of input (512 bytes) holds them
        nicks += ",gone" + QByteArray::number(i);
    chief->send("WHOWAS " + nicks + " 99999");
    replies.clear();
    chief->send("PING :whowas");
    QVERIFY(chief->expectMatch(upToPong));
    QCOMPARE(replies.size(), 5 + 2); // 406 per nick, 369, PONG

    // The longest KILL reason still ends in one line that says who killed and why.
    chief->send("KILL boundtarget :" + QByteArray(480, 'r'));
    const auto error = target->expect("ERROR");
    QVERIFY(error);
    QVERIFY(error->param(0).startsWith("Killed (boundchief (rrr"));
    QVERIFY(error->param(0).endsWith("))"));
    QVERIFY(error->toLine().size() <= Irc::IrcMessage::MaxLineBytes);
    QVERIFY(target->waitForDisconnected());
}

QTEST_GUILESS_MAIN(TestOperators)
#include "tst_operators.moc"
