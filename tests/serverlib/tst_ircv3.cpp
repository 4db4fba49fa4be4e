// IRCv3: capability negotiation and each capability, shown from a client that asked for it and
// from one that did not (which must see exactly what it saw before IRCv3). Scripts that ngircd
// can play too run against it as well.
#include "protocol/capabilities.h"
#include "protocol/messagetags.h"
#include "protocol/numerics.h"
#include "serverlib/chatserver.h"
#include "tests/support/ircscript.h"
#include "tests/support/ngircdprocess.h"
#include "tests/support/rawclient.h"

#include <QRegularExpression>
#include <QTest>

namespace Numeric = Irc::Numeric;

using ByteArrays = QList<QByteArray>;

namespace {

// server-time's format, and a msgid: the parts of a tagged line a test cannot know in advance.
const QByteArray TimePattern = R"(time=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)";
const QByteArray IdPattern = R"(msgid=[0-9a-z]+-[0-9a-z]+)";
// This suite's server keeps no database, so it offers neither draft/chathistory nor accounts.
const Irc::Capabilities WithoutHistory = Irc::allCapabilities() & ~Irc::storageCapabilities();

bool matchesLine(const std::optional<QByteArray> &line, const QByteArray &pattern)
{
    if (!line)
        return false;
    const QRegularExpression expression(
        QRegularExpression::anchoredPattern(QString::fromUtf8(pattern)));
    return expression.match(QString::fromUtf8(*line)).hasMatch();
}

QByteArray tagValueOf(const QByteArray &line, const char *key)
{
    const Irc::MessageTags tags = Irc::parseTags(Irc::splitTags(line).tagData);
    return Irc::tagValue(tags, key).value_or(QByteArray());
}

} // namespace

class TestIrcV3 : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void capLsWithAndWithoutValues();
    void capLsOfNgircdIsASubsetOfOurs();
    void capReqIsAllOrNothing();
    void capListAndRemoval();
    void capNotifyIsImplicitWith302();
    void capAfterRegistrationNamesTheNick();
    void hostileCapRequests();
    void scripts_data();
    void scripts();
    void multiPrefixInNamesAndWho();
    void userhostInNames();
    void awayNotify();
    void awayNotifyOnJoin();
    void inviteNotify();
    void setname();
    void serverTime();
    void messageTagsAndTagmsg();
    void clientTagsOnlyFromAskingSenders();
    void tagLimits();
    void msgidIsSharedAndUnique();
    void echoMessage();
    void labeledResponse();
    void labeledResponseWithoutBatch();
    void standardReplies();

private:
    std::unique_ptr<RawClient> client(const QByteArray &nick, const QByteArray &capabilities = {});
    QByteArray nick(const char *base) { return base + QByteArray::number(++m_nextTag); }
    QByteArray prefix(const QByteArray &nick) const { return nick + '!' + nick + "@127.0.0.1"; }
    // Every client joins `channel`, in order, and waits for its end of NAMES.
    bool joinAll(const QByteArray &channel, const QList<RawClient *> &clients);
    // No `command` reaches `client` before the answer to a PING sent now.
    static bool receivesNo(RawClient &client, const QByteArray &command);

    Server::ChatServer m_server;
    NgircdProcess m_ngircd;
    int m_nextTag = 0;
};

void TestIrcV3::initTestCase()
{
    Server::ServerConfig config;
    config.port = 0;
    config.serverName = "test.server";
    config.limits.noLimits = true;
    QVERIFY(m_server.start(config));
    QVERIFY2(NgircdProcess::isAvailable(), qPrintable(NgircdProcess::unavailableReason()));
    QVERIFY2(m_ngircd.start(), qPrintable(m_ngircd.errorString()));
}

void TestIrcV3::cleanupTestCase()
{
    m_server.stop();
    m_ngircd.stop();
}

std::unique_ptr<RawClient> TestIrcV3::client(const QByteArray &nick, const QByteArray &capabilities)
{
    auto raw = std::make_unique<RawClient>();
    if (!raw->connectTo(m_server.serverPort()))
        return {};
    const bool registered = capabilities.isEmpty()
        ? raw->registerAs(nick)
        : raw->registerWithCapabilities(nick, capabilities);
    return registered ? std::move(raw) : nullptr;
}

bool TestIrcV3::joinAll(const QByteArray &channel, const QList<RawClient *> &clients)
{
    for (RawClient *raw : clients) {
        raw->send("JOIN " + channel);
        if (!raw->expect(Numeric::EndOfNames))
            return false;
    }
    return true;
}

bool TestIrcV3::receivesNo(RawClient &client, const QByteArray &command)
{
    client.send("PING :marker");
    bool seen = false;
    const std::optional<Irc::IrcMessage> marker = client.expectMatch([&](const Irc::IrcMessage &m) {
        seen = seen || m.command == command;
        return m.command == "PONG" && m.param(1) == "marker";
    });
    return marker && !seen;
}

void TestIrcV3::capLsWithAndWithoutValues()
{
    RawClient raw;
    QVERIFY(raw.connectTo(m_server.serverPort()));
    raw.send("CAP LS 302");
    QCOMPARE(raw.expectLine("CAP"),
             QByteArray(":test.server CAP * LS :away-notify batch cap-notify echo-message "
                        "invite-notify labeled-response message-tags multi-prefix server-time "
                        "setname standard-replies userhost-in-names"));
    raw.send("CAP LS");
    QCOMPARE(raw.expectLine("CAP"),
             QByteArray(":test.server CAP * LS :"
                        + Irc::capabilityTokens(false, WithoutHistory).join(' ')));
    raw.send("CAP END");
    QVERIFY(raw.registerAs(nick("ls")));
}

// What ngircd 26.1 offers (multi-prefix) QtChat offers too; a client asking ngircd for QtChat's
// other capabilities is refused as a whole.
void TestIrcV3::capLsOfNgircdIsASubsetOfOurs()
{
    RawClient raw;
    QVERIFY(raw.connectTo(m_ngircd.port()));
    raw.send("CAP LS 302");
    const std::optional<Irc::IrcMessage> ls = raw.expect("CAP");
    QVERIFY(ls);
    const ByteArrays offered = ls->params.constLast().split(' ');
    QVERIFY2(offered.contains(Irc::CapName::MultiPrefix), ls->params.constLast().constData());
    for (const QByteArray &capability : offered)
        QVERIFY2(Irc::capabilityFromName(capability), capability.constData());
    raw.send("CAP REQ :multi-prefix server-time");
    QCOMPARE(raw.expect("CAP")->param(1), QByteArray("NAK"));
}

void TestIrcV3::capReqIsAllOrNothing()
{
    RawClient raw;
    QVERIFY(raw.connectTo(m_server.serverPort()));
    raw.send("CAP REQ :server-time sasl");
    QCOMPARE(raw.expectLine("CAP"), QByteArray(":test.server CAP * NAK :server-time sasl"));
    raw.send("CAP LIST");
    QCOMPARE(raw.expectLine("CAP"), QByteArray(":test.server CAP * LIST :"));
    raw.send("CAP REQ :server-time echo-message");
    QCOMPARE(raw.expectLine("CAP"), QByteArray(":test.server CAP * ACK :server-time echo-message"));
    QVERIFY(!raw.expect(Numeric::Welcome, 200)); // registration waits for CAP END
    raw.send("CAP END");
    QVERIFY(raw.registerAs(nick("atomic")));
}

void TestIrcV3::capListAndRemoval()
{
    const QByteArray me = nick("list");
    auto raw = client(me, "multi-prefix echo-message batch");
    QVERIFY(raw);
    raw->send("CAP LIST");
    QCOMPARE(raw->expectLine("CAP"),
             QByteArray(":test.server CAP " + me + " LIST :batch echo-message multi-prefix"));
    raw->send("CAP REQ :-echo-message -batch");
    QCOMPARE(raw->expectLine("CAP"),
             QByteArray(":test.server CAP " + me + " ACK :-echo-message -batch"));
    raw->send("CAP LIST");
    QCOMPARE(raw->expectLine("CAP"), QByteArray(":test.server CAP " + me + " LIST :multi-prefix"));
}

void TestIrcV3::capNotifyIsImplicitWith302()
{
    RawClient raw;
    QVERIFY(raw.connectTo(m_server.serverPort()));
    raw.send("CAP LS 302");
    QVERIFY(raw.expect("CAP"));
    raw.send("CAP LIST");
    QCOMPARE(raw.expectLine("CAP"), QByteArray(":test.server CAP * LIST :cap-notify"));
    raw.send("CAP REQ :-cap-notify");
    QCOMPARE(raw.expectLine("CAP"), QByteArray(":test.server CAP * NAK :-cap-notify"));
    RawClient old;
    QVERIFY(old.connectTo(m_server.serverPort()));
    old.send("CAP LS");
    QVERIFY(old.expect("CAP"));
    old.send("CAP LIST");
    QCOMPARE(old.expectLine("CAP"), QByteArray(":test.server CAP * LIST :"));
}

void TestIrcV3::capAfterRegistrationNamesTheNick()
{
    const QByteArray me = nick("late");
    auto raw = client(me);
    QVERIFY(raw);
    raw->send("CAP REQ :server-time");
    QCOMPARE(raw->expectLine("CAP"), QByteArray(":test.server CAP " + me + " ACK :server-time"));
    raw->send("CAP END"); // nothing to end: ignored
    QVERIFY(receivesNo(*raw, "CAP"));
}

void TestIrcV3::hostileCapRequests()
{
    const QByteArray me = nick("hostile");
    auto raw = client(me);
    QVERIFY(raw);
    QByteArray unknown, known;
    for (int i = 0; i < 500; ++i) {
        unknown += "x" + QByteArray::number(i) + ' ';
        known += "server-time ";
    }
    raw->send("CAP REQ :" + unknown.left(400));
    QCOMPARE(raw->expect("CAP")->param(1), QByteArray("NAK"));
    raw->send("CAP REQ :" + known.left(480)); // 40 times the same name, within the line limit
    QCOMPARE(raw->expect("CAP")->param(1), QByteArray("ACK"));
    raw->send("CAP REQ :" + unknown); // longer than a line: 417, nothing applied
    QVERIFY(raw->expect(Numeric::InputTooLong));
    raw->send("CAP REQ :");
    QCOMPARE(raw->expect("CAP")->param(1), QByteArray("NAK"));
    raw->send("CAP REQ :sasl=PLAIN");
    QCOMPARE(raw->expect("CAP")->param(1), QByteArray("NAK"));
    raw->send("CAP FOO");
    QVERIFY(raw->expect(Numeric::InvalidCapCommand));
    raw->send("CAP LIST");
    QCOMPARE(raw->expectLine("CAP"), QByteArray(":test.server CAP " + me + " LIST :server-time"));
}

void TestIrcV3::scripts_data()
{
    IrcScript::addColumns();
    IrcScript::addRows("multi-prefix in NAMES",
                       {"a+ multi-prefix", "a> JOIN %ch", "a< 366", "b> JOIN %ch", "b< 366",
                        "a> MODE %ch +v %a", "a< MODE %ch +v %a", "a> NAMES %ch",
                        "a< 353 = %ch :@+%a %b", "b> NAMES %ch", "b< 353 = %ch :@%a %b"});
    IrcScript::addRows("multi-prefix in WHO flags",
                       {"a+ multi-prefix", "a> JOIN %ch", "a< 366", "a> MODE %ch +v %a",
                        "a< MODE %ch +v %a", "a> WHO %ch",
                        "a< 352 %ch %a 127.0.0.1 test.server %a H@+", "b> WHO %ch",
                        "b< 352 %ch %a 127.0.0.1 test.server %a H@"},
                       "ngircd prefixes user names with ~ and names itself differently");
    IrcScript::addRows("multi-prefix in WHOIS channels",
                       {"a+ multi-prefix", "a> JOIN %ch", "a< 366", "b> JOIN %ch", "b< 366",
                        "a> MODE %ch +v %a", "a< MODE %ch +v %a", "a> WHOIS %a", "a< 319 %a :@+%ch",
                        "b> WHOIS %a", "b< 319 %a :@%ch"});
    IrcScript::addRows(
        "unknown capabilities are refused as a whole",
        {"a> PING x", "a< PONG", "a> CAP REQ :multi-prefix no-such-cap", "a< CAP %a NAK"});
}

void TestIrcV3::scripts()
{
    const IrcScript::RowResult result = IrcScript::playRow(m_server.serverPort(), m_ngircd.port(),
                                                           "v" + QByteArray::number(++m_nextTag));
    if (!result.skipReason.isEmpty())
        QSKIP(qPrintable(result.skipReason));
    QVERIFY2(result.failure.isEmpty(), qPrintable(result.failure));
}

void TestIrcV3::multiPrefixInNamesAndWho()
{
    const QByteArray a = nick("mpa"), b = nick("mpb"), channel = "#" + nick("mp");
    auto asking = client(a, "multi-prefix"), plain = client(b);
    QVERIFY(asking && plain);
    QVERIFY(joinAll(channel, {asking.get(), plain.get()}));
    asking->send("MODE " + channel + " +v " + a);
    QVERIFY(plain->expect("MODE"));
    asking->send("NAMES " + channel);
    QCOMPARE(asking->expectLine(Numeric::NamReply),
             QByteArray(":test.server 353 " + a + " = " + channel + " :@+" + a + ' ' + b));
    plain->send("NAMES " + channel);
    QCOMPARE(plain->expectLine(Numeric::NamReply),
             QByteArray(":test.server 353 " + b + " = " + channel + " :@" + a + ' ' + b));
}

void TestIrcV3::userhostInNames()
{
    const QByteArray a = nick("uha"), b = nick("uhb"), channel = "#" + nick("uh");
    auto asking = client(a, "userhost-in-names multi-prefix"), plain = client(b);
    QVERIFY(asking && plain);
    QVERIFY(joinAll(channel, {plain.get()}));
    asking->send("JOIN " + channel);
    QCOMPARE(asking->expectLine(Numeric::NamReply),
             QByteArray(":test.server 353 " + a + " = " + channel + " :@" + prefix(b) + ' '
                        + prefix(a)));
    plain->send("NAMES " + channel);
    QCOMPARE(plain->expectLine(Numeric::NamReply),
             QByteArray(":test.server 353 " + b + " = " + channel + " :@" + b + ' ' + a));
}

void TestIrcV3::awayNotify()
{
    const QByteArray a = nick("ana"), b = nick("anb"), c = nick("anc");
    const QByteArray channel = "#" + nick("an");
    auto asking = client(a, "away-notify"), plain = client(b), away = client(c);
    QVERIFY(asking && plain && away);
    QVERIFY(joinAll(channel, {asking.get(), plain.get(), away.get()}));
    away->send("AWAY :gone fishing");
    QVERIFY(away->expect(Numeric::NowAway));
    QCOMPARE(asking->expectLine("AWAY"), QByteArray(':' + prefix(c) + " AWAY :gone fishing"));
    away->send("AWAY");
    QVERIFY(away->expect(Numeric::UnAway));
    QCOMPARE(asking->expectLine("AWAY"), QByteArray(':' + prefix(c) + " AWAY"));
    QVERIFY(receivesNo(*plain, "AWAY"));
    QVERIFY(receivesNo(*away, "AWAY")); // nor to the one who went away
}

void TestIrcV3::awayNotifyOnJoin()
{
    const QByteArray a = nick("aja"), b = nick("ajb"), c = nick("ajc");
    const QByteArray channel = "#" + nick("aj");
    auto asking = client(a, "away-notify"), plain = client(b), away = client(c);
    QVERIFY(asking && plain && away);
    QVERIFY(joinAll(channel, {asking.get(), plain.get()}));
    away->send("AWAY :busy");
    QVERIFY(away->expect(Numeric::NowAway));
    away->send("JOIN " + channel);
    QCOMPARE(asking->expectLine("JOIN", prefix(c)),
             QByteArray(':' + prefix(c) + " JOIN " + channel));
    QCOMPARE(asking->expectLine("AWAY"), QByteArray(':' + prefix(c) + " AWAY busy"));
    QCOMPARE(plain->expectLine("JOIN", prefix(c)),
             QByteArray(':' + prefix(c) + " JOIN " + channel));
    QVERIFY(receivesNo(*plain, "AWAY"));
}

void TestIrcV3::inviteNotify()
{
    const QByteArray op = nick("inop"), seer = nick("inseer"), blind = nick("inblind");
    const QByteArray member = nick("inmember"), guest = nick("inguest");
    const QByteArray channel = "#" + nick("in");
    auto inviter = client(op), asking = client(seer, "invite-notify"), plain = client(blind);
    auto voiceless = client(member, "invite-notify"), invited = client(guest);
    QVERIFY(inviter && asking && plain && voiceless && invited);
    QVERIFY(joinAll(channel, {inviter.get(), asking.get(), plain.get(), voiceless.get()}));
    inviter->send("MODE " + channel + " +oo " + seer + ' ' + blind);
    QVERIFY(voiceless->expect("MODE"));
    inviter->send("INVITE " + guest + ' ' + channel);
    QVERIFY(inviter->expect(Numeric::Inviting));
    const QByteArray line = ':' + prefix(op) + " INVITE " + guest + ' ' + channel;
    QCOMPARE(invited->expectLine("INVITE"), line);
    QCOMPARE(asking->expectLine("INVITE"), line); // an operator who asked
    QVERIFY(receivesNo(*plain, "INVITE")); // an operator who did not ask
    QVERIFY(receivesNo(*voiceless, "INVITE")); // asked, but no operator
    QVERIFY(receivesNo(*inviter, "INVITE")); // had 341
}

void TestIrcV3::setname()
{
    const QByteArray a = nick("sna"), b = nick("snb"), c = nick("snc");
    const QByteArray channel = "#" + nick("sn");
    auto renamer = client(a, "setname"), plain = client(b), asking = client(c, "setname");
    QVERIFY(renamer && plain && asking);
    QVERIFY(joinAll(channel, {renamer.get(), plain.get(), asking.get()}));
    renamer->send("SETNAME :Alice Liddell");
    const QByteArray line = ':' + prefix(a) + " SETNAME :Alice Liddell";
    QCOMPARE(renamer->expectLine("SETNAME"), line);
    QCOMPARE(asking->expectLine("SETNAME"), line);
    QVERIFY(receivesNo(*plain, "SETNAME"));
    plain->send("WHO " + a);
    QCOMPARE(plain->expect(Numeric::WhoReply)->params.constLast(), QByteArray("0 Alice Liddell"));
    renamer->send("SETNAME :");
    QCOMPARE(renamer->expectLine("FAIL"),
             QByteArray(":test.server FAIL SETNAME INVALID_REALNAME :Realname is not valid"));
    plain->send("SETNAME :Bob"); // as before IRCv3: an unknown command
    QCOMPARE(plain->expectLine(Numeric::UnknownCommand),
             QByteArray(":test.server 421 " + b + " SETNAME :Unknown command"));
}

void TestIrcV3::serverTime()
{
    const QByteArray a = nick("sta"), b = nick("stb"), c = nick("stc");
    const QByteArray channel = "#" + nick("st");
    auto asking = client(a, "server-time"), plain = client(b), speaker = client(c);
    QVERIFY(asking && plain && speaker);
    QVERIFY(joinAll(channel, {asking.get(), plain.get()}));
    speaker->send("JOIN " + channel);
    QVERIFY(matchesLine(asking->expectLine("JOIN", prefix(c)),
                        '@' + TimePattern + " :" + prefix(c) + " JOIN " + channel));
    QCOMPARE(plain->expectLine("JOIN", prefix(c)),
             QByteArray(':' + prefix(c) + " JOIN " + channel));
    speaker->send("PRIVMSG " + channel + " :what time is it");
    const std::optional<QByteArray> timed = asking->expectLine("PRIVMSG");
    QVERIFY2(
        matchesLine(timed, '@' + TimePattern + " :.* PRIVMSG " + channel + " :what time is it"),
        timed.value_or("none").constData());
    const QDateTime stamp
        = QDateTime::fromString(QString::fromLatin1(tagValueOf(*timed, "time")), Qt::ISODateWithMs);
    QVERIFY(qAbs(stamp.msecsTo(QDateTime::currentDateTimeUtc())) < 60'000);
    QCOMPARE(plain->expectLine("PRIVMSG"),
             QByteArray(':' + prefix(c) + " PRIVMSG " + channel + " :what time is it"));
}

void TestIrcV3::messageTagsAndTagmsg()
{
    const QByteArray a = nick("mta"), b = nick("mtb"), c = nick("mtc");
    const QByteArray channel = "#" + nick("mt");
    auto asking = client(a, "message-tags"), plain = client(b), speaker = client(c, "message-tags");
    QVERIFY(asking && plain && speaker);
    QVERIFY(joinAll(channel, {asking.get(), plain.get(), speaker.get()}));
    // Client-only tags are passed on (escaped as the spec says); others a client sends are not.
    speaker->send("@+draft/react=a\\sb;time=forged;msgid=forged;+x PRIVMSG " + channel
                  + " :hi there");
    const std::optional<QByteArray> tagged = asking->expectLine("PRIVMSG");
    QVERIFY2(matchesLine(tagged,
                         '@' + IdPattern + R"(;\+draft/react=a\\sb;\+x :.* PRIVMSG )" + channel
                             + " :hi there"),
             tagged.value_or("none").constData());
    QCOMPARE(plain->expectLine("PRIVMSG"),
             QByteArray(':' + prefix(c) + " PRIVMSG " + channel + " :hi there"));
    speaker->send("@+typing=active TAGMSG " + channel);
    const std::optional<QByteArray> typing = asking->expectLine("TAGMSG");
    QVERIFY2(matchesLine(typing, '@' + IdPattern + R"(;\+typing=active :.* TAGMSG )" + channel),
             typing.value_or("none").constData());
    QVERIFY(receivesNo(*plain, "TAGMSG")); // not for a client that cannot read tags
    speaker->send("@+typing=active TAGMSG " + a);
    QVERIFY(matchesLine(asking->expectLine("TAGMSG"), ".*TAGMSG " + a));
    plain->send("@+typing=active TAGMSG " + channel);
    QCOMPARE(plain->expectLine(Numeric::UnknownCommand),
             QByteArray(":test.server 421 " + b + " TAGMSG :Unknown command"));
}

void TestIrcV3::clientTagsOnlyFromAskingSenders()
{
    const QByteArray a = nick("cta"), c = nick("ctc");
    const QByteArray channel = "#" + nick("ct");
    auto asking = client(a, "message-tags"), speaker = client(c);
    QVERIFY(asking && speaker);
    QVERIFY(joinAll(channel, {asking.get(), speaker.get()}));
    speaker->send("@+x=1 PRIVMSG " + channel + " :not tagged");
    QVERIFY(matchesLine(asking->expectLine("PRIVMSG"),
                        '@' + IdPattern + " :.* PRIVMSG " + channel + " :not tagged"));
}

void TestIrcV3::tagLimits()
{
    const QByteArray a = nick("tla"), c = nick("tlc");
    const QByteArray channel = "#" + nick("tl");
    auto asking = client(a, "message-tags"), speaker = client(c, "message-tags");
    QVERIFY(asking && speaker);
    QVERIFY(joinAll(channel, {asking.get(), speaker.get()}));
    const QByteArray fullTags = "+big=" + QByteArray(Irc::MaxClientTagDataBytes - 5, 'v');
    const QByteArray command = "PRIVMSG " + channel + " :";
    const QByteArray fullBody = command + QByteArray(510 - command.size(), 't');
    speaker->send('@' + fullTags + ' ' + fullBody); // the most a client may send
    const std::optional<QByteArray> relayed = asking->expectLine("PRIVMSG");
    QVERIFY(relayed);
    QCOMPARE(tagValueOf(*relayed, "+big").size(), Irc::MaxClientTagDataBytes - 5);
    QVERIFY(Irc::splitTags(*relayed).tagData.size() + 2 <= Irc::MaxTagSectionBytes);
    speaker->send('@' + fullTags + "v " + command + "over"); // a byte more tag data
    QCOMPARE(speaker->expectLine(Numeric::InputTooLong),
             QByteArray(":test.server 417 " + c + " :Input line was too long"));
    speaker->send('@' + fullTags + ' ' + fullBody + 't'); // a byte more line
    QVERIFY(speaker->expect(Numeric::InputTooLong));
    speaker->send("@;;=;+;/x;é=1 PRIVMSG " + channel + " :badly tagged"); // tags dropped, line kept
    QVERIFY(matchesLine(asking->expectLine("PRIVMSG"),
                        '@' + IdPattern + " :.* PRIVMSG " + channel + " :badly tagged"));
    QVERIFY(receivesNo(*asking, "PRIVMSG")); // nothing over the limits was relayed
}

void TestIrcV3::msgidIsSharedAndUnique()
{
    const QByteArray a = nick("mia"), b = nick("mib"), c = nick("mic");
    const QByteArray channel = "#" + nick("mi");
    auto first = client(a, "message-tags"), second = client(b, "message-tags server-time");
    auto speaker = client(c);
    QVERIFY(first && second && speaker);
    QVERIFY(joinAll(channel, {first.get(), second.get(), speaker.get()}));
    speaker->send("PRIVMSG " + channel + " :one");
    speaker->send("PRIVMSG " + channel + " :two");
    const QByteArray firstOne = first->expectLine("PRIVMSG").value_or(QByteArray());
    const QByteArray secondOne = second->expectLine("PRIVMSG").value_or(QByteArray());
    const QByteArray firstTwo = first->expectLine("PRIVMSG").value_or(QByteArray());
    QVERIFY(!tagValueOf(firstOne, "msgid").isEmpty());
    QCOMPARE(tagValueOf(secondOne, "msgid"), tagValueOf(firstOne, "msgid"));
    QVERIFY(tagValueOf(firstTwo, "msgid") != tagValueOf(firstOne, "msgid"));
    QVERIFY(tagValueOf(firstOne, "time").isEmpty()); // server-time was not asked for
    QVERIFY(!tagValueOf(secondOne, "time").isEmpty());
}

void TestIrcV3::echoMessage()
{
    const QByteArray a = nick("ema"), b = nick("emb"), c = nick("emc");
    const QByteArray channel = "#" + nick("em");
    auto echoed = client(a, "echo-message message-tags server-time");
    auto other = client(b, "message-tags server-time"), plain = client(c);
    QVERIFY(echoed && other && plain);
    QVERIFY(joinAll(channel, {echoed.get(), other.get(), plain.get()}));
    echoed->send("PRIVMSG " + channel + " :echo this");
    const std::optional<QByteArray> own = echoed->expectLine("PRIVMSG");
    const std::optional<QByteArray> theirs = other->expectLine("PRIVMSG");
    QVERIFY(own && theirs);
    QCOMPARE(*own, *theirs); // the same msgid and time
    QVERIFY(matchesLine(
        own, '@' + TimePattern + ';' + IdPattern + " :.* PRIVMSG " + channel + " :echo this"));
    echoed->send("NOTICE " + b + " :direct");
    QCOMPARE(echoed->expectLine("NOTICE"), other->expectLine("NOTICE"));
    QCOMPARE(plain->expectLine("PRIVMSG"),
             QByteArray(':' + prefix(a) + " PRIVMSG " + channel + " :echo this"));
    plain->send("PRIVMSG " + channel + " :not echoed");
    QVERIFY(receivesNo(*plain, "PRIVMSG"));
}

void TestIrcV3::labeledResponse()
{
    const QByteArray a = nick("lra"), b = nick("lrb");
    const QByteArray channel = "#" + nick("lr");
    auto labeled = client(a, "labeled-response batch"), plain = client(b);
    QVERIFY(labeled && plain);
    QVERIFY(joinAll(channel, {labeled.get(), plain.get()}));
    labeled->send("@label=p1 PING :x");
    QCOMPARE(labeled->expectLine("PONG"), QByteArray("@label=p1 :test.server PONG test.server x"));
    labeled->send("@label=m\\s1 PRIVMSG " + channel + " :no reply");
    QCOMPARE(labeled->expectLine("ACK"), QByteArray("@label=m\\s1 :test.server ACK"));
    QCOMPARE(plain->expectLine("PRIVMSG"),
             QByteArray(':' + prefix(a) + " PRIVMSG " + channel + " :no reply")); // no label
    labeled->send("@label=w1 WHOIS " + b);
    QCOMPARE(labeled->expectLine("BATCH"),
             QByteArray("@label=w1 :test.server BATCH +L1 labeled-response"));
    const std::optional<QByteArray> whois = labeled->expectLine(Numeric::WhoisUser);
    QVERIFY(whois && whois->startsWith(QByteArray("@batch=L1 :test.server 311 " + a + ' ' + b)));
    QVERIFY(labeled->expectLine(Numeric::EndOfWhois)->startsWith("@batch=L1 "));
    QCOMPARE(labeled->expectLine("BATCH"), QByteArray(":test.server BATCH -L1"));
    labeled->send("PING :unlabeled");
    QCOMPARE(labeled->expectLine("PONG"), QByteArray(":test.server PONG test.server unlabeled"));
    plain->send("@label=p2 PING :x"); // a label from a client that did not ask is ignored
    QCOMPARE(plain->expectLine("PONG"), QByteArray(":test.server PONG test.server x"));
}

void TestIrcV3::labeledResponseWithoutBatch()
{
    const QByteArray a = nick("lna");
    auto labeled = client(a, "labeled-response echo-message server-time");
    QVERIFY(labeled);
    labeled->send("@label=w2 WHOIS " + a); // several lines, and no batch to hold them
    const std::optional<QByteArray> whois = labeled->expectLine(Numeric::WhoisUser);
    QVERIFY(whois && whois->startsWith(":test.server 311 "));
    const QByteArray channel = "#" + nick("ln");
    QVERIFY(joinAll(channel, {labeled.get()}));
    labeled->send("@label=e1 PRIVMSG " + channel + " :all alone"); // the echo is the response
    QVERIFY(matchesLine(labeled->expectLine("PRIVMSG"),
                        "@label=e1;" + TimePattern + " :.* PRIVMSG " + channel + " :all alone"));
}

void TestIrcV3::standardReplies()
{
    const QByteArray a = nick("sra"), b = nick("srb");
    auto asking = client(a, "standard-replies"), plain = client(b);
    QVERIFY(asking && plain);
    asking->sendRaw("PRIVMSG " + b + " :nul" + '\0' + "byte\r\n");
    QCOMPARE(asking->expectLine("FAIL"),
             QByteArray(":test.server FAIL PRIVMSG INVALID_NUL :Line contains a NUL byte and was "
                        "ignored"));
    asking->sendRaw(QByteArray("\0\r\n", 3)); // no command to name
    QCOMPARE(asking->expectLine("FAIL"),
             QByteArray(":test.server FAIL * INVALID_NUL :Line contains a NUL byte and was "
                        "ignored"));
    plain->sendRaw(QByteArray("PRIVMSG x :\0\r\n", 14));
    QCOMPARE(
        plain->expectLine(Numeric::UnknownError),
        QByteArray(":test.server 400 " + b + " PRIVMSG :Line contains a NUL byte and was ignored"));
}

QTEST_GUILESS_MAIN(TestIrcV3)
#include "tst_ircv3.moc"
