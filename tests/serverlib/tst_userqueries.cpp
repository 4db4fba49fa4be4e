// Queries about users and the server, each script played against QtChat and, where ngircd
// answers the same way, against ngircd too.
#include "tests/support/scriptedservers.h"

#include <QTest>

using ByteArrays = QList<QByteArray>;

class TestUserQueries : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void scripts_data();
    void scripts();
    void whoisIdleCountsFromTheLastMessage();
    void whoMaskIsBounded();

private:
    ScriptedServers m_servers {"q"};
};

void TestUserQueries::initTestCase()
{
    Server::ServerConfig config;
    config.serverName = "test.server";
    QVERIFY2(m_servers.start(config), qPrintable(m_servers.errorString()));
}

void TestUserQueries::cleanupTestCase()
{
    m_servers.stop();
}

void TestUserQueries::scripts_data()
{
    IrcScript::addColumns();

    const ByteArrays abJoin {"a> JOIN %ch", "a< 366", "b> JOIN %ch", "b< 366"};
    IrcScript::addRows(
        "WHO channel with flags",
        abJoin
            + ByteArrays {"b> AWAY :lunch", "b< 306", "a> MODE %ch +v %b", "a< MODE", "a> WHO %ch",
                          "a< 352 %ch %a 127.0.0.1 test.server %a H@ :0 Test %a",
                          "a< 352 %ch %b 127.0.0.1 test.server %b G+ :0 Test %b", "a< 315 %ch"},
        "ngircd prefixes user names with ~ and names itself differently");
    IrcScript::addRows("WHO nick and mask",
                       {"b> PING x", "b< PONG", "a> WHO %b",
                        "a< 352 * %b 127.0.0.1 test.server %b H :0 Test %b", "a< 315 %b",
                        "a> WHO %B*", "a< 352 * %b", "a< 315 %B*", "a> WHO nobody", "a! 352",
                        "a< 315 nobody"},
                       "ngircd prefixes user names with ~ and names itself differently");
    IrcScript::addRows("WHOIS",
                       abJoin
                           + ByteArrays {"a> WHOIS %b", "a< 311 %b", "a< 312 %b", "a< 319 %b %ch",
                                         "a< 317 %b", "a< 318 %b"});
    IrcScript::addRows(
        "WHOIS shows away",
        {"b> AWAY :gone fishing", "b< 306", "a> WHOIS %b", "a< 301 %b :gone fishing", "a< 318 %b"});
    IrcScript::addRows("WHOIS hides secret channels",
                       {"b> JOIN %ch", "b< 366", "b> MODE %ch +s", "b< MODE %ch +s", "a> WHOIS %b",
                        "a! 319", "a< 318 %b", "b> WHOIS %b", "b< 319 %b :@%ch"});
    IrcScript::addRows("WHOIS unknown nick", {"a> WHOIS nobody", "a< 401 nobody", "a< 318 nobody"});
    IrcScript::addRows("AWAY and 301 to whoever messages",
                       {"b> AWAY :back soon", "b< 306", "a> PRIVMSG %b :hello",
                        "a< 301 %b :back soon", "b< PRIVMSG %b hello", "b> AWAY", "b< 305",
                        "a> PRIVMSG %b :again", "a! 301", "a> PING :marker", "a< PONG"});
    IrcScript::addRows("ISON", {"b> PING x", "b< PONG", "a> ISON %B nobody %a", "a< 303 :%b %a"});
    IrcScript::addRows("USERHOST",
                       {"b> AWAY :x", "b< 306", "a> USERHOST %a %b nobody",
                        "a< 302 :%a=+%a@127.0.0.1 %b=-%b@127.0.0.1"},
                       "ngircd prefixes user names with ~ (no ident)");
    IrcScript::addRows(
        "LUSERS",
        {"a> LUSERS", "a< 251", "a< 252", "a< 253", "a< 254", "a< 255", "a< 265", "a< 266"},
        "ngircd leaves out 252 and 253 while they are zero");
    IrcScript::addRows("MOTD", {"a> MOTD", "a< 422"}, "ngircd has a MOTD phrase configured");
    IrcScript::addRows("VERSION", {"a> VERSION", "a< 351"});
    IrcScript::addRows("TIME", {"a> TIME", "a< 391"});
    IrcScript::addRows("INFO", {"a> INFO", "a< 371", "a< 374"});
}

void TestUserQueries::scripts()
{
    QTCHAT_PLAY_SCRIPT_ROW(m_servers);
}

void TestUserQueries::whoisIdleCountsFromTheLastMessage()
{
    RawClient asker, idler;
    QVERIFY(asker.connectTo(m_servers.qtchat().serverPort()) && asker.registerAs("asker"));
    QVERIFY(idler.connectTo(m_servers.qtchat().serverPort()) && idler.registerAs("idler"));
    asker.send("WHOIS idler");
    const auto idle = asker.expect("317");
    QVERIFY(idle);
    QVERIFY(idle->param(2).toInt() <= 1);
    QVERIFY(qAbs(idle->param(3).toLongLong() - QDateTime::currentSecsSinceEpoch()) < 5);
}

void TestUserQueries::whoMaskIsBounded()
{
    RawClient asker;
    QVERIFY(asker.connectTo(m_servers.qtchat().serverPort()) && asker.registerAs("bounded"));
    // A mask built to be slow to match, against every user.
    asker.send("WHO " + QByteArray(200, '*') + "?*?*?*?*?*?*?*?*?*?*!");
    QVERIFY(asker.expect("315"));
}

QTEST_GUILESS_MAIN(TestUserQueries)
#include "tst_userqueries.moc"
