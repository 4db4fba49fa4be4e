// Channel modes, moderation and their replies, each script played against QtChat and, where
// ngircd implements the same thing, against ngircd too.
#include "tests/support/scriptedservers.h"

#include <QTest>

using ByteArrays = QList<QByteArray>;

class TestChannelModes : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void scripts_data();
    void scripts();

private:
    ScriptedServers m_servers {"m"};
};

void TestChannelModes::initTestCase()
{
    QVERIFY2(m_servers.start(), qPrintable(m_servers.errorString()));
}

void TestChannelModes::cleanupTestCase()
{
    m_servers.stop();
}

void TestChannelModes::scripts_data()
{
    IrcScript::addColumns();

    const ByteArrays abJoin {"a> JOIN %ch", "a< 366 %ch", "b> JOIN %ch", "b< 366 %ch"};
    IrcScript::addRows("first member is operator",
                       {"a> JOIN %ch", "a< 353 = %ch @%a", "b> JOIN %ch", "b< 353 = %ch :@%a %b"});
    IrcScript::addRows(
        "mode query", {"a> JOIN %ch", "a< 366", "a> MODE %ch", "a< 324 %ch +nt", "a< 329 %ch"},
        "ngircd gives new channels no modes; QtChat starts with +nt like most networks");
    IrcScript::addRows("op and voice in one line",
                       abJoin
                           + ByteArrays {"c> JOIN %ch", "c< 366", "a> MODE %ch +ov %b %c",
                                         "b< MODE %ch +ov %b %c", "c> NAMES %ch",
                                         "c< 353 = %ch :@%a @%b +%c"});
    IrcScript::addRows("several changes with parameters",
                       abJoin
                           + ByteArrays {"a> MODE %ch +v %b", "b< MODE %ch +v %b",
                                         "a> MODE %ch +ok-v %b key %b",
                                         "b< MODE %ch +ok-v %b key %b"});
    IrcScript::addRows(
        "only applied changes are announced",
        abJoin + ByteArrays {"a> MODE %ch +o-v %a %b", "a> MODE %ch +i", "b< MODE %ch +i"});
    IrcScript::addRows("482 for a non-operator",
                       abJoin + ByteArrays {"b> MODE %ch +m", "b< 482 %ch"});
    IrcScript::addRows(
        "441 for a non-member",
        {"a> JOIN %ch", "a< 366", "b> NICK %b", "a> MODE %ch +o %b", "a< 441 %b %ch"});
    IrcScript::addRows("401 for an unknown nick",
                       {"a> JOIN %ch", "a< 366", "a> MODE %ch +o nobody", "a< 401 nobody"});
    IrcScript::addRows("472 for an unknown mode",
                       {"a> JOIN %ch", "a< 366", "a> MODE %ch +X", "a< 472 X"});
    IrcScript::addRows("696 for a bad limit",
                       {"a> JOIN %ch", "a< 366", "a> MODE %ch +l none", "a< 696 %ch l none"},
                       "ngircd ignores a limit that is not a number without a reply");
    IrcScript::addRows("ban list",
                       {"a> JOIN %ch", "a< 366", "a> MODE %ch +b %b", "a< MODE %ch +b %b!*@*",
                        "a> MODE %ch b", "a< 367 %ch %b!*@*", "a< 368 %ch"});
    IrcScript::addRows("banned user cannot join 474",
                       {"a> JOIN %ch", "a< 366", "a> MODE %ch +b %B!*@*", "a< MODE %ch",
                        "b> JOIN %ch", "b< 474 %ch"});
    IrcScript::addRows("banned member cannot speak 404",
                       abJoin
                           + ByteArrays {"c> JOIN %ch", "c< 366", "a> MODE %ch +b %b!*@*",
                                         "b< MODE %ch +b", "b> PRIVMSG %ch :silenced", "b< 404 %ch",
                                         "a> PRIVMSG %ch :marker", "c< PRIVMSG %ch marker"});
    IrcScript::addRows("ban follows a nick change",
                       abJoin
                           + ByteArrays {"a> MODE %ch +b %d!*@*", "b< MODE %ch +b", "b> NICK %d",
                                         "b< NICK %d", "b> PRIVMSG %ch :silenced", "b< 404 %ch"});
    IrcScript::addRows("key 475",
                       {"a> JOIN %ch", "a< 366", "a> MODE %ch +k sesame", "a< MODE %ch +k sesame",
                        "b> JOIN %ch", "b< 475 %ch", "b> JOIN %ch wrong", "b< 475 %ch",
                        "b> JOIN %ch sesame", "b< 366 %ch"});
    IrcScript::addRows("limit 471",
                       abJoin
                           + ByteArrays {"a> MODE %ch +l 2", "a< MODE %ch +l 2", "c> JOIN %ch",
                                         "c< 471 %ch", "a> MODE %ch -l", "a< MODE %ch -l",
                                         "c> JOIN %ch", "c< 366 %ch"});
    IrcScript::addRows("invite only 473 and INVITE",
                       {"a> JOIN %ch", "a< 366", "a> MODE %ch +i", "a< MODE %ch +i", "b> JOIN %ch",
                        "b< 473 %ch", "a> INVITE %b %ch", "a< 341 %b %ch", "b< INVITE %b %ch",
                        "b> JOIN %ch", "b< 366 %ch", "a> INVITE %b %ch", "a< 443 %b %ch"});
    IrcScript::addRows("INVITE needs operator on +i",
                       abJoin
                           + ByteArrays {"a> MODE %ch +i", "b< MODE %ch +i", "c> PING x", "c< PONG",
                                         "b> INVITE %c %ch", "b< 482 %ch"});
    IrcScript::addRows("INVITE errors",
                       {"a> JOIN %ch", "a< 366", "b> INVITE %a %ch", "b< 442 %ch",
                        "b> INVITE nobody %ch", "b< 401 nobody"});
    IrcScript::addRows("moderated 404 unless voiced",
                       abJoin
                           + ByteArrays {"c> JOIN %ch", "c< 366", "a> MODE %ch +m",
                                         "b< MODE %ch +m", "b> PRIVMSG %ch :muted", "b< 404 %ch",
                                         "a> MODE %ch +v %b", "b< MODE %ch +v %b",
                                         "b> PRIVMSG %ch :voiced", "c< PRIVMSG %ch voiced"});
    IrcScript::addRows("no external messages unless -n",
                       {"a> JOIN %ch", "a< 366", "b> PRIVMSG %ch :outside", "b< 404 %ch",
                        "a> MODE %ch -n", "a< MODE %ch -n", "b> PRIVMSG %ch :outside",
                        "a< PRIVMSG %ch outside"},
                       "ngircd starts without +n, so the first message would pass");
    IrcScript::addRows("topic lock 482",
                       abJoin
                           + ByteArrays {"a> MODE %ch +t", "b> TOPIC %ch :mine", "b< 482 %ch",
                                         "a> MODE %ch -t", "a< MODE %ch -t", "b> TOPIC %ch :mine",
                                         "a< TOPIC %ch mine"},
                       "ngircd answers +t on a new channel with nothing, as it has no modes yet");
    IrcScript::addRows("secret hides from LIST NAMES and WHO",
                       {"a> JOIN %ch", "a< 366", "a> MODE %ch +s", "a< MODE %ch +s", "a> NAMES %ch",
                        "b> NAMES %ch", "b! 353", "b< 366 %ch", "b> LIST", "b! 322 %ch", "b< 323",
                        "b> WHO %ch", "b! 352", "b< 315"});
    IrcScript::addRows("hundreds of changes in one line are capped",
                       {"a> JOIN %ch", "a< 366",
                        "a> MODE %ch +" + QByteArray(90, 'i').replace("i", "imnst"),
                        "a< MODE %ch +ims", "a> MODE %ch -" + QByteArray(60, 'v') + " %a",
                        "a> MODE %ch -i", "a< MODE %ch -i"},
                       "ngircd's cap on changes per line differs (005 MODES)");
    IrcScript::addRows("NAMES marks a secret channel with @",
                       {"a> JOIN %ch", "a< 366", "a> MODE %ch +s", "a< MODE %ch +s", "a> NAMES %ch",
                        "a< 353 @ %ch"},
                       "ngircd marks secret channels with `=`; RFC 2812 asks for `@`");
    IrcScript::addRows("KICK several nicks",
                       abJoin
                           + ByteArrays {"c> JOIN %ch", "c< 366", "a> KICK %ch %b,%c :bye",
                                         "b< KICK %ch %b bye", "c< KICK %ch %b bye",
                                         "c< KICK %ch %c bye", "a> NAMES %ch", "a< 353 = %ch @%a"});
    IrcScript::addRows("KICK errors",
                       abJoin
                           + ByteArrays {"b> KICK %ch %a", "b< 482 %ch", "a> KICK %ch nobody",
                                         "a< 401 nobody", "c> NICK %c", "a> KICK %ch %c",
                                         "a< 441 %c %ch", "c> KICK %ch %a", "c< 442 %ch",
                                         "c> KICK #nowhere %a", "c< 403 #nowhere"});
}

void TestChannelModes::scripts()
{
    QTCHAT_PLAY_SCRIPT_ROW(m_servers);
}

QTEST_GUILESS_MAIN(TestChannelModes)
#include "tst_channelmodes.moc"
