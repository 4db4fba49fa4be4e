// ClientSession on its own: lines in, lines and signals out, no socket. What a real server
// makes of those lines is tst_chatclient's business; this pins the protocol logic down line
// by line, including replies no test server sends on demand.
#include "clientlib/batchtracker.h"
#include "clientlib/capnegotiation.h"
#include "clientlib/channelmodel.h"
#include "clientlib/clientsession.h"
#include "clientlib/querytracker.h"
#include "protocol/capabilities.h"
#include "protocol/ircmessage.h"
#include "protocol/numerics.h"

#include <QSignalSpy>
#include <QTest>

namespace Numeric = Irc::Numeric;
using namespace Qt::StringLiterals;

namespace {

// A session with everything it sent, parsed.
class Harness
{
public:
    Harness()
    {
        QObject::connect(&session, &Client::ClientSession::lineReady, &session,
                         [this](const QByteArray &line, Client::ClientSession::Urgency urgency) {
                             rawSent.append(line.chopped(2));
                             sent.append(*Irc::IrcMessage::parse(line.chopped(2)));
                             urgent.append(urgency == Client::ClientSession::Urgency::Urgent);
                             background.append(urgency
                                               == Client::ClientSession::Urgency::Background);
                         });
    }

    void startAs(const QString &nick, const QStringList &channels = {})
    {
        Client::ClientSettings settings;
        settings.nick = nick;
        settings.channels = channels;
        session.configure(settings);
        session.reset();
        session.start();
    }
    void receive(const QByteArray &line) { session.receive(line); }
    // A numeric from the server "srv": `rest` is what follows the code.
    void reply(const QByteArray &numeric, const QByteArray &rest)
    {
        receive(":srv " + numeric + ' ' + rest);
    }
    // Registers as `nick`, then forgets what was sent so far.
    void registerAs(const QString &nick, const QList<QByteArray> &isupport = {})
    {
        startAs(nick);
        const QByteArray me = nick.toUtf8();
        reply(Numeric::Welcome, me + " :Welcome");
        if (!isupport.isEmpty())
            reply(Numeric::ISupport, me + ' ' + isupport.join(' ') + " :are supported");
        reply(Numeric::NoMotd, me + " :MOTD File is missing");
        clearSent();
    }
    // Registers as `nick` with the server offering and acknowledging `caps`.
    void registerWithCaps(const QString &nick, const QByteArray &caps,
                          const QList<QByteArray> &isupport = {})
    {
        startAs(nick);
        receive(":srv CAP * LS :" + caps);
        receive(":srv CAP * ACK :" + caps);
        const QByteArray me = nick.toUtf8();
        reply(Numeric::Welcome, me + " :Welcome");
        if (!isupport.isEmpty())
            reply(Numeric::ISupport, me + ' ' + isupport.join(' ') + " :are supported");
        reply(Numeric::NoMotd, me + " :MOTD File is missing");
        clearSent();
    }
    // Joins `channel` with `names` as its NAMES reply; forgets what was sent.
    void joinWith(const QByteArray &channel, const QByteArray &names)
    {
        const QByteArray me = session.nick();
        receive(":" + me + "!u@h JOIN " + channel);
        reply(Numeric::NamReply, me + " = " + channel + " :" + names);
        reply(Numeric::EndOfNames, me + ' ' + channel + " :End of /NAMES list");
        clearSent();
    }
    void clearSent()
    {
        sent.clear();
        rawSent.clear();
        urgent.clear();
        background.clear();
    }
    QList<QByteArray> sentCommands() const
    {
        QList<QByteArray> commands;
        for (const Irc::IrcMessage &message : sent)
            commands.append(message.command);
        return commands;
    }

    Client::ChannelModel channels;
    Client::ClientSession session {&channels};
    QList<Irc::IrcMessage> sent;
    QList<QByteArray> rawSent; // with tags
    QList<bool> urgent;
    QList<bool> background;
};

} // namespace

class tst_ClientSession : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void registrationLines();
    void capListIsAnsweredWithEnd();
    void nickInUseTriesTheNextNick_data();
    void nickInUseTriesTheNextNick();
    void nickInUseAfterRegistrationIsAnError();
    void registrationEndsAtMotdAndJoinsInBatches_data();
    void registrationEndsAtMotdAndJoinsInBatches();
    void refusedRegistrationFails_data();
    void refusedRegistrationFails();
    void pingIsAnsweredAheadOfChat();
    void nothingIsSentWhileOffline();
    void isupportOrdersTheMemberList();
    void modeParametersFollowChanmodes();
    void errorAfterQuitIsNotAFailure();
    void rawQuitIsHandedOn();

    // IRCv3 capabilities.
    void capLs302SpreadOverLinesRequestsWhatBothUnderstand();
    void capNakStillRegisters();
    void capInvalidCommandEndsNegotiation();
    void capNewAndDelAfterRegistration();
    void serverTimeDatesMessagesAndEvents();
    void echoMessageShowsOwnLinesOnce();
    void userhostInNamesAndMultiPrefix();
    void inviteAndSetName();

    // Structured replies.
    void whoisPairedByNick();
    void whoisTypedRawIsParsedAndShown();
    void whoisOfUnknownNick();
    void whoisPairedByLabel();
    void channelList_data();
    void channelList();

    // Channel state.
    void joinAsksForModesInTheBackground();
    void modesFrom324AndModeLines();
    void banListListedAndChanged();
    void awayStatesFromWhoNotifyAndReplies();
    void modeChangesFollowTheServersModesLimit();

    // Accounts.
    void saslPlainLogsInBeforeCapEnd();
    void saslFailureIsReportedAndRegistrationGoesOn_data();
    void saslFailureIsReportedAndRegistrationGoesOn();
    void withoutSaslPlainTheLoginFails_data();
    void withoutSaslPlainTheLoginFails();
    void memberAccountsFromExtendedJoinNotifyAndTags();
    void registerAccountLogsIn();
    void registerAccountFailures();
    void privateHistoryAndRecentConversations();

    // Hostile input.
    void malformedAndHugeTagsAreHarmless();
    void unansweredQueriesAndBatchesStayBounded();
    void hugeCapabilityListsStayBounded();
};

void tst_ClientSession::registrationLines()
{
    Harness harness;
    Client::ClientSettings settings;
    settings.nick = QStringLiteral("alice");
    settings.password = QStringLiteral("sesame");
    harness.session.configure(settings);
    harness.session.reset();
    QVERIFY(!harness.session.isActive());
    harness.session.start();
    const QList<Irc::IrcMessage> expected = {
        {{}, "CAP", {"LS", "302"}},
        {{}, "PASS", {"sesame"}},
        {{}, "NICK", {"alice"}},
        {{}, "USER", {"alice", "0", "*", "QtChat"}},
    };
    QCOMPARE(harness.sent, expected);
    // Unpaced: they must not use up the burst the channels' JOIN needs.
    QVERIFY(!harness.urgent.contains(false));
}

void tst_ClientSession::capListIsAnsweredWithEnd()
{
    Harness harness;
    harness.startAs(QStringLiteral("alice"));
    harness.sent.clear();
    harness.receive(":srv CAP * LS :");
    harness.receive(":srv CAP * LS :"); // a repeated LS does not end negotiation twice
    QCOMPARE(harness.sent, (QList<Irc::IrcMessage> {{{}, "CAP", {"END"}}}));
}

void tst_ClientSession::nickInUseTriesTheNextNick_data()
{
    QTest::addColumn<QByteArray>("refusal");
    QTest::newRow("433 in use") << QByteArray(Numeric::NicknameInUse);
    QTest::newRow("437 unavailable") << QByteArray(Numeric::UnavailableResource);
}

void tst_ClientSession::nickInUseTriesTheNextNick()
{
    QFETCH(QByteArray, refusal);
    Harness harness;
    harness.startAs(QStringLiteral("dup"));
    harness.sent.clear();
    QSignalSpy errors(&harness.session, &Client::ClientSession::serverError);
    harness.reply(refusal, "* dup :Nickname is already in use");
    harness.reply(refusal, "* dup_ :Nickname is already in use");
    const QList<Irc::IrcMessage> expected = {{{}, "NICK", {"dup_"}}, {{}, "NICK", {"dup_2"}}};
    QCOMPARE(harness.sent, expected);
    QCOMPARE(errors.size(), 0);
    QCOMPARE(harness.session.nick(), QByteArray("dup_2"));
}

void tst_ClientSession::nickInUseAfterRegistrationIsAnError()
{
    Harness harness;
    harness.registerAs(QStringLiteral("me"));
    QSignalSpy errors(&harness.session, &Client::ClientSession::serverError);
    harness.reply(Numeric::NicknameInUse, "me taken :Nickname is already in use");
    QVERIFY(harness.sent.isEmpty());
    QCOMPARE(errors.size(), 1);
    QCOMPARE(errors.first().first().toInt(), QByteArray(Numeric::NicknameInUse).toInt());
}

void tst_ClientSession::registrationEndsAtMotdAndJoinsInBatches_data()
{
    QTest::addColumn<QByteArray>("end");
    QTest::newRow("376 end of MOTD") << QByteArray(Numeric::EndOfMotd);
    QTest::newRow("422 no MOTD") << QByteArray(Numeric::NoMotd);
}

void tst_ClientSession::registrationEndsAtMotdAndJoinsInBatches()
{
    QFETCH(QByteArray, end);
    Harness harness;
    harness.startAs(QStringLiteral("me"), {QStringLiteral("#a"), QStringLiteral("#b")});
    harness.session.join(QStringLiteral("#k"), QStringLiteral("key"));
    harness.sent.clear();
    QSignalSpy registered(&harness.session, &Client::ClientSession::registered);
    harness.reply(Numeric::Welcome, "me_ :Welcome"); // the server may register another nick
    QVERIFY(!harness.session.isRegistered());
    harness.reply(end, "me_ :End");
    QCOMPARE(registered.size(), 1);
    QCOMPARE(registered.first().first().toString(), QStringLiteral("me_"));
    QVERIFY(harness.session.isRegistered());
    QCOMPARE(harness.session.serverName(), QStringLiteral("srv"));
    const QList<Irc::IrcMessage> expected = {{{}, "JOIN", {"#k", "key"}}, {{}, "JOIN", {"#a,#b"}}};
    QCOMPARE(harness.sent, expected);
}

void tst_ClientSession::refusedRegistrationFails_data()
{
    QTest::addColumn<QByteArray>("numeric");
    QTest::addColumn<QByteArray>("rest");
    QTest::newRow("432 erroneous nick")
        << QByteArray(Numeric::ErroneousNickname) << QByteArray("* 1-bad :Erroneous nickname");
    QTest::newRow("464 password") << QByteArray(Numeric::PasswordMismatch)
                                  << QByteArray("* :Password incorrect");
}

void tst_ClientSession::refusedRegistrationFails()
{
    QFETCH(QByteArray, numeric);
    QFETCH(QByteArray, rest);
    Harness harness;
    harness.startAs(QStringLiteral("1-bad"));
    QSignalSpy failed(&harness.session, &Client::ClientSession::failed);
    QSignalSpy errors(&harness.session, &Client::ClientSession::errorOccurred);
    harness.reply(numeric, rest);
    QCOMPARE(failed.size(), 1);
    // The server's ERROR that follows is expected now, not another failure.
    harness.receive("ERROR :Closing link");
    QCOMPARE(errors.size(), 0);
}

void tst_ClientSession::pingIsAnsweredAheadOfChat()
{
    Harness harness;
    harness.startAs(QStringLiteral("me"));
    harness.sent.clear();
    harness.urgent.clear();
    harness.receive("PING :token with spaces");
    QCOMPARE(harness.sent, (QList<Irc::IrcMessage> {{{}, "PONG", {"token with spaces"}}}));
    QCOMPARE(harness.urgent, QList<bool> {true});
}

void tst_ClientSession::nothingIsSentWhileOffline()
{
    Harness harness;
    Client::ClientSettings settings;
    settings.nick = QStringLiteral("me");
    harness.session.configure(settings);
    QSignalSpy errors(&harness.session, &Client::ClientSession::errorOccurred);
    harness.session.join(QStringLiteral("#later"), QString());
    harness.session.sendChat("PRIVMSG", QStringLiteral("#later"), QStringLiteral("hi"), false);
    harness.session.sendRaw("WHO #later");
    QVERIFY(harness.sent.isEmpty());
    QCOMPARE(errors.size(), 2); // the message and the raw line are refused; the join waits

    harness.session.reset();
    harness.session.start();
    harness.sent.clear();
    harness.reply(Numeric::Welcome, "me :Welcome");
    harness.reply(Numeric::EndOfMotd, "me :End of /MOTD command.");
    QCOMPARE(harness.sent, (QList<Irc::IrcMessage> {{{}, "JOIN", {"#later"}}}));
}

void tst_ClientSession::isupportOrdersTheMemberList()
{
    Harness harness;
    harness.registerAs(QStringLiteral("me"), {"PREFIX=(qov)~@+", "CASEMAPPING=ascii"});
    harness.receive(":me!u@h JOIN #chan");
    harness.reply(Numeric::NamReply, "me = #chan :+v @o ~q me");
    harness.reply(Numeric::EndOfNames, "me #chan :End of /NAMES list");
    const Client::ChannelState *channel = harness.channels.channel(QStringLiteral("#CHAN"));
    QVERIFY(channel);
    const QStringList expected
        = {QStringLiteral("q"), QStringLiteral("o"), QStringLiteral("v"), QStringLiteral("me")};
    QCOMPARE(channel->nicks(), expected);
    // CASEMAPPING=ascii: only A-Z fold, [ and { differ (under the default rfc1459 they match).
    harness.receive(":Q!u@h NICK :Q[1]");
    QVERIFY(channel->hasMember(QStringLiteral("q[1]")));
    QVERIFY(!channel->hasMember(QStringLiteral("q{1}")));
}

void tst_ClientSession::modeParametersFollowChanmodes()
{
    Harness harness;
    harness.registerAs(QStringLiteral("me"), {"PREFIX=(ov)@+", "CHANMODES=b,k,l,imnst"});
    harness.receive(":me!u@h JOIN #chan");
    harness.reply(Numeric::NamReply, "me = #chan :@me bob carol");
    harness.reply(Numeric::EndOfNames, "me #chan :End of /NAMES list");
    harness.sent.clear();
    QSignalSpy namesChanged(&harness.session, &Client::ClientSession::namesChanged);
    // l takes a parameter only when set, k always, b always, m never.
    harness.receive(":me!u@h MODE #chan +lbvm-k+o 10 x!*@* bob key carol");
    const Client::ChannelState *channel = harness.channels.channel(QStringLiteral("#chan"));
    QCOMPARE(channel->prefixesOf(QStringLiteral("bob")), QStringLiteral("+"));
    QCOMPARE(channel->prefixesOf(QStringLiteral("carol")), QStringLiteral("@"));
    QCOMPARE(namesChanged.size(), 1);
    harness.receive(":me!u@h MODE #chan -l+m");
    QCOMPARE(namesChanged.size(), 1);
    // NAMES follows a status change (it may uncover a lower status), not any other mode.
    QCOMPARE(harness.sent, (QList<Irc::IrcMessage> {{{}, "NAMES", {"#chan"}}}));
}

void tst_ClientSession::errorAfterQuitIsNotAFailure()
{
    Harness harness;
    harness.registerAs(QStringLiteral("me"));
    QCOMPARE(*Irc::IrcMessage::parse(harness.session.quit(QStringLiteral("bye\nnow")).chopped(2)),
             (Irc::IrcMessage {{}, "QUIT", {"bye now"}}));
    QSignalSpy errors(&harness.session, &Client::ClientSession::errorOccurred);
    QSignalSpy status(&harness.session, &Client::ClientSession::statusMessage);
    harness.receive("ERROR :Closing link (me) [Quit: bye now]");
    QCOMPARE(errors.size(), 0);
    QCOMPARE(status.size(), 1);
}

void tst_ClientSession::rawQuitIsHandedOn()
{
    Harness harness;
    harness.registerAs(QStringLiteral("me"));
    QSignalSpy quit(&harness.session, &Client::ClientSession::quitRequested);
    harness.session.sendRaw("WHO #a\r\nQUIT :gone");
    QCOMPARE(harness.sentCommands(), QList<QByteArray> {"WHO"});
    QCOMPARE(quit.size(), 1);
    QCOMPARE(quit.first().first().toString(), QStringLiteral("gone"));
}

void tst_ClientSession::capLs302SpreadOverLinesRequestsWhatBothUnderstand()
{
    Harness harness;
    harness.startAs(QStringLiteral("me"));
    harness.clearSent();
    QSignalSpy caps(&harness.session, &Client::ClientSession::capabilitiesChanged);
    harness.receive(":srv CAP * LS * :multi-prefix sasl=PLAIN,EXTERNAL away-notify");
    QVERIFY(harness.sent.isEmpty()); // the list goes on
    harness.receive(":srv CAP * LS :server-time draft/foo batch labeled-response echo-message");
    const Irc::IrcMessage request {
        {},
        "CAP",
        {"REQ", "away-notify batch echo-message labeled-response multi-prefix server-time"}};
    QCOMPARE(harness.sent, QList<Irc::IrcMessage> {request});
    QCOMPARE(harness.session.offeredCapabilities().value("sasl"), QByteArray("PLAIN,EXTERNAL"));

    harness.receive(":srv CAP me ACK :away-notify batch echo-message labeled-response multi-prefix "
                    "server-time");
    QCOMPARE(harness.sent.last(), (Irc::IrcMessage {{}, "CAP", {"END"}}));
    const QStringList enabled = {u"away-notify"_s,      u"batch"_s,        u"echo-message"_s,
                                 u"labeled-response"_s, u"multi-prefix"_s, u"server-time"_s};
    QCOMPARE(harness.session.enabledCapabilities(), enabled);
    QCOMPARE(caps.size(), 1);
    QCOMPARE(caps.first().first().toStringList(), enabled);
    QVERIFY(!harness.session.hasCapability("sasl")); // offered, not wanted without an account
}

void tst_ClientSession::capNakStillRegisters()
{
    Harness harness;
    harness.startAs(QStringLiteral("me"));
    harness.clearSent();
    QSignalSpy registered(&harness.session, &Client::ClientSession::registered);
    harness.receive(":srv CAP * LS :multi-prefix");
    QCOMPARE(harness.sent, (QList<Irc::IrcMessage> {{{}, "CAP", {"REQ", "multi-prefix"}}}));
    harness.receive(":srv CAP * NAK :multi-prefix");
    QCOMPARE(harness.sent.last(), (Irc::IrcMessage {{}, "CAP", {"END"}}));
    QVERIFY(harness.session.enabledCapabilities().isEmpty());
    harness.reply(Numeric::Welcome, "me :Welcome");
    harness.reply(Numeric::NoMotd, "me :MOTD File is missing");
    QCOMPARE(registered.size(), 1);
    QCOMPARE(harness.sentCommands().count("CAP"), 2);
}

void tst_ClientSession::capInvalidCommandEndsNegotiation()
{
    Harness harness;
    harness.startAs(QStringLiteral("me"));
    harness.receive(":srv CAP * LS :multi-prefix");
    harness.clearSent();
    harness.reply(Numeric::InvalidCapCommand, "me FOO :Invalid CAP command");
    QCOMPARE(harness.sent, (QList<Irc::IrcMessage> {{{}, "CAP", {"END"}}}));
    harness.receive(":srv CAP * ACK :multi-prefix"); // late: nothing more to end
    QCOMPARE(harness.sent.size(), 1);
}

void tst_ClientSession::capNewAndDelAfterRegistration()
{
    Harness harness;
    harness.registerWithCaps(QStringLiteral("me"), "cap-notify multi-prefix");
    QSignalSpy caps(&harness.session, &Client::ClientSession::capabilitiesChanged);
    harness.receive(":srv CAP me NEW :away-notify example.org/unknown");
    QCOMPARE(harness.sent, (QList<Irc::IrcMessage> {{{}, "CAP", {"REQ", "away-notify"}}}));
    harness.receive(":srv CAP me ACK :away-notify");
    QCOMPARE(harness.sent.size(), 1); // registered: no CAP END any more
    QVERIFY(harness.session.hasCapability("away-notify"));
    harness.receive(":srv CAP me DEL :away-notify multi-prefix");
    QCOMPARE(harness.session.enabledCapabilities(), QStringList {u"cap-notify"_s});
    QVERIFY(!harness.session.offeredCapabilities().contains("away-notify"));
    QCOMPARE(caps.size(), 2);
    harness.receive(":srv CAP me NEW :multi-prefix"); // offered again: asked again
    QCOMPARE(harness.sent.last(), (Irc::IrcMessage {{}, "CAP", {"REQ", "multi-prefix"}}));
}

void tst_ClientSession::serverTimeDatesMessagesAndEvents()
{
    Harness harness;
    harness.registerWithCaps(QStringLiteral("me"), "server-time message-tags");
    QSignalSpy messages(&harness.session, &Client::ClientSession::messageReceived);
    QSignalSpy joins(&harness.session, &Client::ClientSession::joined);
    QSignalSpy topics(&harness.session, &Client::ClientSession::topicChanged);
    const QDateTime sent(QDate(2020, 1, 2), QTime(3, 4, 5, 678), Qt::UTC);
    harness.receive("@time=2020-01-02T03:04:05.678Z :me!u@h JOIN #c");
    harness.receive("@time=2020-01-02T03:04:05.678Z;msgid=abc\\s1 :bob!u@h PRIVMSG #c :hi");
    harness.receive("@time=2020-01-02T04:05:06+01:00 :bob!u@h TOPIC #c :new");
    QCOMPARE(joins.size(), 1);
    QCOMPARE(joins.first().at(3).toDateTime(), sent);
    const auto message = messages.first().first().value<Client::ChatMessage>();
    QCOMPARE(message.timestamp, sent);
    QCOMPARE(message.timestamp.timeSpec(), Qt::UTC);
    QCOMPARE(message.id, QStringLiteral("abc 1"));
    QCOMPARE(topics.first().at(3).toDateTime(),
             QDateTime(QDate(2020, 1, 2), QTime(3, 5, 6), Qt::UTC));

    // Without the tag, or with one that is no time: when the line was read.
    const QDateTime before = QDateTime::currentDateTimeUtc();
    harness.receive(":bob!u@h PRIVMSG #c :untimed");
    harness.receive("@time=yesterday :bob!u@h PRIVMSG #c :bad time");
    const QDateTime after = QDateTime::currentDateTimeUtc();
    for (int i : {1, 2}) {
        const QDateTime stamp = messages.at(i).first().value<Client::ChatMessage>().timestamp;
        QVERIFY(stamp >= before && stamp <= after);
    }
}

void tst_ClientSession::echoMessageShowsOwnLinesOnce()
{
    Harness harness;
    harness.registerWithCaps(QStringLiteral("me"), "echo-message server-time");
    harness.joinWith("#c", "@me bob");
    QSignalSpy messages(&harness.session, &Client::ClientSession::messageReceived);
    harness.session.sendChat("PRIVMSG", QStringLiteral("#c"), QStringLiteral("hello"), false);
    harness.session.sendChat("PRIVMSG", QStringLiteral("bob"), QStringLiteral("psst"), true);
    QCOMPARE(harness.sentCommands(), (QList<QByteArray> {"PRIVMSG", "PRIVMSG"}));
    QCOMPARE(messages.size(), 0); // shown when the server relays it, not before

    harness.receive("@time=2020-01-02T03:04:05Z :me!u@h PRIVMSG #c :hello");
    harness.receive(":me!u@h PRIVMSG bob :\x01"
                    "ACTION psst\x01");
    QCOMPARE(messages.size(), 2);
    const auto channel = messages.at(0).first().value<Client::ChatMessage>();
    QVERIFY(channel.own);
    QCOMPARE(channel.conversation, QStringLiteral("#c"));
    QCOMPARE(channel.timestamp, QDateTime(QDate(2020, 1, 2), QTime(3, 4, 5), Qt::UTC));
    const auto query = messages.at(1).first().value<Client::ChatMessage>();
    QVERIFY(query.own && query.action);
    QCOMPARE(query.conversation, QStringLiteral("bob"));

    // Our own CTCP query, echoed, is not answered by ourselves.
    harness.clearSent();
    harness.receive(":me!u@h PRIVMSG bob :\x01VERSION\x01");
    QVERIFY(harness.sent.isEmpty());
}

void tst_ClientSession::userhostInNamesAndMultiPrefix()
{
    Harness harness;
    harness.registerWithCaps(QStringLiteral("me"), "multi-prefix userhost-in-names",
                             {"PREFIX=(ov)@+"});
    harness.joinWith("#c", "@+me!u@h +bob!b@host carol!c@host");
    const Client::ChannelState *channel = harness.channels.channel(QStringLiteral("#c"));
    QCOMPARE(channel->nicks(), (QStringList {u"me"_s, u"bob"_s, u"carol"_s}));
    QCOMPARE(channel->prefixesOf(QStringLiteral("me")), QStringLiteral("@+"));
    // With multi-prefix every status is known: taking one shows the next, no NAMES needed.
    harness.receive(":x!u@h MODE #c -o me");
    QCOMPARE(channel->prefixesOf(QStringLiteral("me")), QStringLiteral("+"));
    QVERIFY(harness.sent.isEmpty());
}

void tst_ClientSession::inviteAndSetName()
{
    Harness harness;
    harness.registerWithCaps(QStringLiteral("me"), "invite-notify setname");
    QSignalSpy invites(&harness.session, &Client::ClientSession::invited);
    QSignalSpy names(&harness.session, &Client::ClientSession::realNameChanged);
    harness.receive(":alice!u@h INVITE me #secret");
    harness.receive(":alice!u@h INVITE bob #ops"); // invite-notify
    QCOMPARE(invites.size(), 2);
    QCOMPARE(invites.at(0).mid(0, 4), (QVariantList {u"#secret"_s, u"me"_s, u"alice"_s, true}));
    QCOMPARE(invites.at(1).mid(0, 4), (QVariantList {u"#ops"_s, u"bob"_s, u"alice"_s, false}));
    harness.receive(":bob!u@h SETNAME :Robert Tables");
    QCOMPARE(names.first().mid(0, 2), (QVariantList {u"bob"_s, u"Robert Tables"_s}));
    harness.session.setRealName(QStringLiteral("Me Myself"));
    QCOMPARE(harness.sent, (QList<Irc::IrcMessage> {{{}, "SETNAME", {"Me Myself"}}}));
}

namespace {

// The WHOIS reply QtChat's server gives for bob, after `prefix` (tags).
QList<QByteArray> whoisReply(const QByteArray &prefix = {})
{
    return {
        prefix + ":srv 311 me Bob bob host.example * :Bob Builder",
        prefix + ":srv 312 me Bob irc.example :QtChat",
        prefix + ":srv 319 me Bob :@#a +#b #c",
        prefix + ":srv 301 me Bob :gone fishing",
        prefix + ":srv 313 me Bob :is an IRC operator",
        prefix + ":srv 330 me Bob bobacct :is logged in as",
        prefix + ":srv 317 me Bob 42 1600000000 :seconds idle, signon time",
        prefix + ":srv 318 me Bob :End of /WHOIS list",
    };
}

void checkBob(const Client::WhoisInfo &info)
{
    QCOMPARE(info.nick, QStringLiteral("Bob"));
    QVERIFY(info.found);
    QCOMPARE(info.user, QStringLiteral("bob"));
    QCOMPARE(info.host, QStringLiteral("host.example"));
    QCOMPARE(info.realName, QStringLiteral("Bob Builder"));
    QCOMPARE(info.server, QStringLiteral("irc.example"));
    QCOMPARE(info.serverInfo, QStringLiteral("QtChat"));
    QCOMPARE(info.channels, (QStringList {u"@#a"_s, u"+#b"_s, u"#c"_s}));
    QVERIFY(info.away);
    QCOMPARE(info.awayMessage, QStringLiteral("gone fishing"));
    QVERIFY(info.isOperator);
    QCOMPARE(info.account, QStringLiteral("bobacct"));
    QCOMPARE(info.idleSeconds, 42);
    QCOMPARE(info.signOn, QDateTime::fromSecsSinceEpoch(1600000000, Qt::UTC));
}

} // namespace

void tst_ClientSession::whoisPairedByNick()
{
    Harness harness;
    harness.registerAs(QStringLiteral("me"));
    QSignalSpy whois(&harness.session, &Client::ClientSession::whoisReceived);
    QSignalSpy status(&harness.session, &Client::ClientSession::statusMessage);
    harness.session.requestWhois(QStringLiteral("bob"));
    QCOMPARE(harness.rawSent, QList<QByteArray> {"WHOIS bob"});
    // Another nick's reply in between is not mixed in.
    harness.receive(":srv 311 me carol c h * :Carol");
    for (const QByteArray &line : whoisReply())
        harness.receive(line);
    QCOMPARE(whois.size(), 1);
    checkBob(whois.first().first().value<Client::WhoisInfo>());
    // Asked through the API: the signal is the answer, not status lines (carol's was not).
    QCOMPARE(status.size(), 1);
}

void tst_ClientSession::whoisTypedRawIsParsedAndShown()
{
    Harness harness;
    harness.registerAs(QStringLiteral("me"));
    QSignalSpy whois(&harness.session, &Client::ClientSession::whoisReceived);
    QSignalSpy status(&harness.session, &Client::ClientSession::statusMessage);
    harness.session.sendRaw("WHOIS Bob");
    for (const QByteArray &line : whoisReply())
        harness.receive(line);
    QCOMPARE(whois.size(), 1);
    checkBob(whois.first().first().value<Client::WhoisInfo>());
    QCOMPARE(status.size(), whoisReply().size());
}

void tst_ClientSession::whoisOfUnknownNick()
{
    Harness harness;
    harness.registerAs(QStringLiteral("me"));
    QSignalSpy whois(&harness.session, &Client::ClientSession::whoisReceived);
    QSignalSpy errors(&harness.session, &Client::ClientSession::serverError);
    harness.session.requestWhois(QStringLiteral("ghost"));
    harness.reply(Numeric::NoSuchNick, "me ghost :No such nick/channel");
    harness.reply(Numeric::EndOfWhois, "me ghost :End of /WHOIS list");
    QCOMPARE(whois.size(), 1);
    const auto info = whois.first().first().value<Client::WhoisInfo>();
    QVERIFY(!info.found);
    QCOMPARE(info.nick, QStringLiteral("ghost"));
    QCOMPARE(info.error, QStringLiteral("No such nick/channel"));
    QCOMPARE(errors.size(), 0);
    // A 401 no WHOIS waits for is an error as before (a message to someone gone).
    harness.reply(Numeric::NoSuchNick, "me ghost :No such nick/channel");
    QCOMPARE(errors.size(), 1);
}

void tst_ClientSession::whoisPairedByLabel()
{
    Harness harness;
    harness.registerWithCaps(QStringLiteral("me"), "batch labeled-response message-tags");
    QSignalSpy whois(&harness.session, &Client::ClientSession::whoisReceived);
    QSignalSpy status(&harness.session, &Client::ClientSession::statusMessage);
    QSignalSpy errors(&harness.session, &Client::ClientSession::serverError);
    harness.session.requestWhois(QStringLiteral("bob"));
    harness.session.requestWhois(QStringLiteral("ghost"));
    harness.session.requestWhois(QStringLiteral("quiet"));
    QCOMPARE(harness.rawSent,
             (QList<QByteArray> {"@label=qc1 WHOIS bob", "@label=qc2 WHOIS ghost",
                                 "@label=qc3 WHOIS quiet"}));

    // bob's answer comes as a batch, ghost's as one labeled line inside it: the label pairs
    // them even though ghost's reply has no 318.
    harness.receive("@label=qc1 :srv BATCH +b1 labeled-response");
    const QList<QByteArray> bob = whoisReply("@batch=b1 ");
    for (qsizetype i = 0; i < bob.size(); ++i) {
        harness.receive(bob.at(i));
        if (i == 2)
            harness.receive("@label=qc2 :srv 401 me ghost :No such nick");
    }
    harness.receive(":srv BATCH -b1");
    QCOMPARE(whois.size(), 2);
    const auto ghost = whois.at(0).first().value<Client::WhoisInfo>();
    QCOMPARE(ghost.nick, QStringLiteral("ghost"));
    QVERIFY(!ghost.found);
    checkBob(whois.at(1).first().value<Client::WhoisInfo>());

    // An ACK (no reply at all) ends a query too.
    harness.receive("@label=qc3 :srv ACK");
    QCOMPARE(whois.size(), 3);
    QVERIFY(!whois.at(2).first().value<Client::WhoisInfo>().found);
    QCOMPARE(status.size(), 0);
    QCOMPARE(errors.size(), 0);
}

void tst_ClientSession::channelList_data()
{
    QTest::addColumn<QByteArray>("caps");
    QTest::addColumn<QByteArray>("batchStart");
    QTest::addColumn<QByteArray>("tag");
    QTest::addColumn<QByteArray>("batchEnd");
    QTest::newRow("paired by order")
        << QByteArray("multi-prefix") << QByteArray() << QByteArray() << QByteArray();
    QTest::newRow("labeled batch") << QByteArray("batch labeled-response")
                                   << QByteArray("@label=qc1 :srv BATCH +L labeled-response")
                                   << QByteArray("@batch=L ") << QByteArray(":srv BATCH -L");
}

void tst_ClientSession::channelList()
{
    QFETCH(QByteArray, caps);
    QFETCH(QByteArray, batchStart);
    QFETCH(QByteArray, tag);
    QFETCH(QByteArray, batchEnd);
    Harness harness;
    harness.registerWithCaps(QStringLiteral("me"), caps);
    QSignalSpy lists(&harness.session, &Client::ClientSession::channelListReceived);
    QSignalSpy status(&harness.session, &Client::ClientSession::statusMessage);
    harness.session.requestChannelList(QStringLiteral("#q*"));
    QCOMPARE(harness.sent, (QList<Irc::IrcMessage> {{{}, "LIST", {"#q*"}}}));
    if (!batchStart.isEmpty())
        harness.receive(batchStart);
    harness.receive(tag + ":srv 321 me Channel :Users  Name");
    harness.receive(tag + ":srv 322 me #qt 12 :Qt talk: 6.4");
    harness.receive(tag + ":srv 322 me #quiet 1 :");
    harness.receive(tag + ":srv 323 me :End of /LIST");
    if (!batchEnd.isEmpty())
        harness.receive(batchEnd);
    QCOMPARE(lists.size(), 1);
    const QList<Client::ChannelListEntry> expected
        = {{QStringLiteral("#qt"), 12, QStringLiteral("Qt talk: 6.4")},
           {QStringLiteral("#quiet"), 1, QString()}};
    QCOMPARE(lists.first().first().value<QList<Client::ChannelListEntry>>(), expected);
    QCOMPARE(status.size(), 0);
}

void tst_ClientSession::joinAsksForModesInTheBackground()
{
    Harness harness;
    harness.registerWithCaps(QStringLiteral("me"), "away-notify");
    harness.receive(":me!u@h JOIN #c");
    const QList<Irc::IrcMessage> expected = {{{}, "MODE", {"#c"}}, {{}, "WHO", {"#c"}}};
    QCOMPARE(harness.sent, expected);
    QCOMPARE(harness.background, (QList<bool> {true, true}));

    Harness plain; // without away-notify a WHO would go stale: modes only
    plain.registerAs(QStringLiteral("me"));
    plain.receive(":me!u@h JOIN #c");
    QCOMPARE(plain.sent, (QList<Irc::IrcMessage> {{{}, "MODE", {"#c"}}}));
}

void tst_ClientSession::modesFrom324AndModeLines()
{
    Harness harness;
    harness.registerAs(QStringLiteral("me"), {"PREFIX=(ov)@+", "CHANMODES=beI,k,l,imnst"});
    QSignalSpy status(&harness.session, &Client::ClientSession::statusMessage);
    QSignalSpy modesChanged(&harness.session, &Client::ClientSession::channelModesChanged);
    QSignalSpy modeLines(&harness.session, &Client::ClientSession::modeChanged);
    harness.joinWith("#c", "@me bob");
    harness.reply(Numeric::ChannelModeIs, "me #c +ntkl sesame 10");
    harness.reply(Numeric::CreationTime, "me #c 1600000000");
    const Client::ChannelState *channel = harness.channels.channel(QStringLiteral("#c"));
    QCOMPARE(channel->modes(), QStringLiteral("+klnt"));
    QCOMPARE(channel->key(), QStringLiteral("sesame"));
    QCOMPARE(channel->limit(), 10);
    QCOMPARE(channel->createdAt(), QDateTime::fromSecsSinceEpoch(1600000000, Qt::UTC));
    QCOMPARE(modesChanged.size(), 1);
    QCOMPARE(status.size(), 0); // asked by the client itself

    // e takes a mask (CHANMODES group A) and is not tracked; its parameter is skipped.
    harness.receive(":bob!u@h MODE #c -k+im-l+eo sesame *!*@spam me");
    QCOMPARE(channel->modes(), QStringLiteral("+imnt"));
    QCOMPARE(channel->key(), QString());
    QCOMPARE(modesChanged.size(), 2);
    QCOMPARE(modeLines.last().mid(0, 3),
             (QVariantList {u"#c"_s, u"bob"_s, u"-k+im-l+eo sesame *!*@spam me"_s}));
    QCOMPARE(
        harness.channels.channelIndex(QStringLiteral("#c")).data(Client::ChannelModel::ModesRole),
        QVariant(QStringLiteral("+imnt")));

    // A MODE #c typed by the user is shown as before.
    harness.reply(Numeric::ChannelModeIs, "me #c +imnt");
    harness.reply(Numeric::CreationTime, "me #c 1600000000");
    QCOMPARE(status.size(), 2);
    QCOMPARE(modesChanged.size(), 2); // nothing changed
}

void tst_ClientSession::banListListedAndChanged()
{
    Harness harness;
    harness.registerAs(QStringLiteral("me"));
    harness.joinWith("#c", "@me");
    QSignalSpy bans(&harness.session, &Client::ClientSession::banListChanged);
    QSignalSpy status(&harness.session, &Client::ClientSession::statusMessage);
    harness.session.requestBanList(QStringLiteral("#c"));
    QCOMPARE(harness.sent, (QList<Irc::IrcMessage> {{{}, "MODE", {"#c", "+b"}}}));
    harness.reply(Numeric::BanList, "me #c *!*@spam.example op!o@h 1600000000");
    harness.reply(Numeric::BanList, "me #c troll!*@*");
    QCOMPARE(bans.size(), 0);
    harness.reply(Numeric::EndOfBanList, "me #c :End of channel ban list");
    QCOMPARE(bans.size(), 1);
    const Client::ChannelState *channel = harness.channels.channel(QStringLiteral("#c"));
    QVERIFY(channel->isBanListKnown());
    const QList<Client::ChannelState::Ban> listed
        = {{QStringLiteral("*!*@spam.example"), QStringLiteral("op"),
            QDateTime::fromSecsSinceEpoch(1600000000, Qt::UTC)},
           {QStringLiteral("troll!*@*"), QString(), QDateTime()}};
    QCOMPARE(channel->bans(), listed);
    QCOMPARE(status.size(), 0);

    harness.receive("@time=2020-01-02T03:04:05Z :me!u@h MODE #c +b-b new!*@* TROLL!*@*");
    QCOMPARE(bans.size(), 2);
    const QList<Client::ChannelState::Ban> changed
        = {listed.first(),
           {QStringLiteral("new!*@*"), QStringLiteral("me"),
            QDateTime(QDate(2020, 1, 2), QTime(3, 4, 5), Qt::UTC)}};
    QCOMPARE(channel->bans(), changed);
}

void tst_ClientSession::awayStatesFromWhoNotifyAndReplies()
{
    Harness harness;
    harness.registerWithCaps(QStringLiteral("me"), "away-notify");
    harness.joinWith("#c", "@me bob carol");
    QSignalSpy away(&harness.session, &Client::ClientSession::awayChanged);
    QSignalSpy status(&harness.session, &Client::ClientSession::statusMessage);
    const Client::ChannelState *channel = harness.channels.channel(QStringLiteral("#c"));
    const auto isAway = [&](const char *nick) {
        return channel->member(channel->rowOf(QString::fromLatin1(nick))).away;
    };
    // The WHO asked for at the join.
    harness.reply(Numeric::WhoReply, "me #c u h srv me H@ :0 Me");
    harness.reply(Numeric::WhoReply, "me #c u h srv bob G :0 Bob");
    harness.reply(Numeric::WhoReply, "me #c u h srv carol H* :0 Carol");
    harness.reply(Numeric::EndOfWho, "me #c :End of WHO list");
    QVERIFY(isAway("bob"));
    QVERIFY(!isAway("carol"));
    QCOMPARE(away.size(), 1);
    QCOMPARE(status.size(), 0);
    QCOMPARE(harness.channels
                 .index(channel->rowOf(QStringLiteral("bob")), 0,
                        harness.channels.channelIndex(QStringLiteral("#c")))
                 .data(Client::ChannelModel::AwayRole),
             QVariant(true));

    harness.receive(":carol!u@h AWAY :lunch");
    QVERIFY(isAway("carol"));
    QCOMPARE(away.last().mid(0, 3), (QVariantList {u"carol"_s, true, u"lunch"_s}));
    harness.receive(":bob!u@h AWAY");
    QVERIFY(!isAway("bob"));
    QCOMPARE(away.last().mid(0, 3), (QVariantList {u"bob"_s, false, u""_s}));
    // NAMES does not say who is away: a refresh keeps what is known.
    harness.reply(Numeric::NamReply, "me = #c :@me bob +carol");
    harness.reply(Numeric::EndOfNames, "me #c :End of /NAMES list");
    QVERIFY(isAway("carol"));

    // 301 after writing to someone away; our own AWAY confirmed by 306 and 305.
    harness.reply(Numeric::Away, "me bob :back soon");
    QVERIFY(isAway("bob"));
    harness.session.setAway(QStringLiteral("busy"));
    QCOMPARE(harness.sent.last(), (Irc::IrcMessage {{}, "AWAY", {"busy"}}));
    harness.reply(Numeric::NowAway, "me :You have been marked as being away");
    QVERIFY(harness.session.isAway());
    QVERIFY(isAway("me"));
    harness.session.setAway(QString());
    QCOMPARE(harness.sent.last(), (Irc::IrcMessage {{}, "AWAY", {}}));
    harness.reply(Numeric::UnAway, "me :You are no longer marked as being away");
    QVERIFY(!harness.session.isAway());
    QCOMPARE(away.last().mid(0, 2), (QVariantList {u"me"_s, false}));
}

void tst_ClientSession::malformedAndHugeTagsAreHarmless()
{
    Harness harness;
    harness.registerWithCaps(QStringLiteral("me"), "message-tags server-time batch");
    harness.joinWith("#c", "@me");
    QSignalSpy messages(&harness.session, &Client::ClientSession::messageReceived);
    const QByteArray huge = "@a=" + QByteArray(Irc::MaxTagSectionBytes - 4, 'x') + ' ';
    QCOMPARE(huge.size(), Irc::MaxTagSectionBytes);
    harness.receive(huge + ":bob!u@h PRIVMSG #c :after huge tags");
    harness.receive("@;;=;time=\\;batch=nope :bob!u@h PRIVMSG #c :after broken tags");
    harness.receive("@ :bob!u@h PRIVMSG #c :after an empty tag section");
    harness.receive("@time=2020-01-02T03:04:05Z"); // tags and no command
    harness.receive(":srv BATCH"); // no reference
    harness.receive(":srv BATCH -never-opened");
    QCOMPARE(messages.size(), 3);
    QCOMPARE(messages.at(0).first().value<Client::ChatMessage>().text,
             QStringLiteral("after huge tags"));
}

void tst_ClientSession::unansweredQueriesAndBatchesStayBounded()
{
    Client::BatchTracker batches;
    for (int i = 0; i < 1000; ++i)
        batches.apply({{}, "BATCH", {"+b" + QByteArray::number(i), "netsplit"}}, {});
    QVERIFY(batches.openCount() <= 64);
    // Lines of a batch not tracked stand alone.
    QCOMPARE(batches.labelOf({{"batch", "b999"}}), QByteArray());

    Client::QueryTracker queries;
    for (int i = 0; i < 1000; ++i)
        queries.add({Client::QueryTracker::Kind::Whois, QByteArray::number(i), false});
    QCOMPARE(queries.size(), Client::QueryTracker::MaxPending);
    QVERIFY(queries.find(Client::QueryTracker::Kind::Whois, "999", {}));
    QVERIFY(!queries.find(Client::QueryTracker::Kind::Whois, "0", {}));
}

void tst_ClientSession::hugeCapabilityListsStayBounded()
{
    Harness harness;
    harness.startAs(QStringLiteral("me"));
    harness.clearSent();
    // 50 continued LS lines of 20 made-up names each, then the ones the client wants.
    for (int line = 0; line < 50; ++line) {
        QByteArray names;
        for (int i = 0; i < 20; ++i)
            names += "vendor.example/cap-" + QByteArray::number(line * 20 + i) + ' ';
        harness.receive(":srv CAP * LS * :" + names);
    }
    harness.receive(":srv CAP * LS :multi-prefix server-time");
    QVERIFY(harness.session.offeredCapabilities().size()
            <= 256 + Client::CapNegotiation::understood().size());
    QCOMPARE(harness.sent,
             (QList<Irc::IrcMessage> {{{}, "CAP", {"REQ", "multi-prefix server-time"}}}));
    harness.receive(":srv CAP * ACK :multi-prefix server-time");
    QCOMPARE(harness.sent.last(), (Irc::IrcMessage {{}, "CAP", {"END"}}));
}

void tst_ClientSession::modeChangesFollowTheServersModesLimit()
{
    Harness harness;
    harness.registerAs(QStringLiteral("me"), {"MODES=2"});
    const QList<Irc::ModeChange> changes
        = {{true, 'm', {}}, {true, 'k', "sesame"}, {false, 'b', "x!*@*"}};
    harness.session.changeModes(QStringLiteral("#c"), changes);
    QCOMPARE(harness.rawSent, (QList<QByteArray> {"MODE #c +mk sesame", "MODE #c -b x!*@*"}));

    // A parameter that would split the line refuses the whole request, and says so.
    harness.clearSent();
    QSignalSpy errors(&harness.session, &Client::ClientSession::errorOccurred);
    harness.session.changeModes(QStringLiteral("#c"), {{true, 'm', {}}, {true, 'k', "two words"}});
    QVERIFY(harness.sent.isEmpty());
    QCOMPARE(errors.size(), 1);
}

namespace {

void startWithAccount(Harness &harness, const QString &account, const QString &password)
{
    Client::ClientSettings settings;
    settings.nick = u"me"_s;
    settings.account = account;
    settings.accountPassword = password;
    harness.session.configure(settings);
    harness.session.reset();
    harness.session.start();
    harness.clearSent();
}

} // namespace

void tst_ClientSession::saslPlainLogsInBeforeCapEnd()
{
    Harness harness;
    startWithAccount(harness, u"alice"_s, u"sesame"_s);
    QSignalSpy account(&harness.session, &Client::ClientSession::accountChanged);
    QSignalSpy failed(&harness.session, &Client::ClientSession::loginFailed);
    harness.receive(":srv CAP * LS :multi-prefix sasl=PLAIN,EXTERNAL");
    QCOMPARE(harness.sent, (QList<Irc::IrcMessage> {{{}, "CAP", {"REQ", "multi-prefix sasl"}}}));
    harness.receive(":srv CAP * ACK :multi-prefix sasl");
    // The authentication runs before CAP END.
    QCOMPARE(harness.sent.last(), (Irc::IrcMessage {{}, "AUTHENTICATE", {"PLAIN"}}));
    QVERIFY(harness.urgent.last());
    harness.receive("AUTHENTICATE +");
    QCOMPARE(harness.sent.last(), (Irc::IrcMessage {{}, "AUTHENTICATE", {"AGFsaWNlAHNlc2FtZQ=="}}));
    harness.reply(Numeric::LoggedIn, "me me!u@h alice :You are now logged in as alice");
    QCOMPARE(harness.session.account(), u"alice"_s);
    QCOMPARE(account.size(), 1);
    QCOMPARE(account.first().first().toString(), u"alice"_s);
    QVERIFY(harness.sentCommands().count("CAP") == 1); // the REQ only, still no END
    harness.reply(Numeric::SaslSuccess, "me :SASL authentication successful");
    QCOMPARE(harness.sent.last(), (Irc::IrcMessage {{}, "CAP", {"END"}}));
    harness.reply(Numeric::Welcome, "me :Welcome");
    QVERIFY(failed.isEmpty());
    // The connection ends: so does the login (which the end of the connection says).
    harness.session.end();
    QVERIFY(harness.session.account().isEmpty());
    QCOMPARE(account.size(), 1);
}

void tst_ClientSession::saslFailureIsReportedAndRegistrationGoesOn_data()
{
    QTest::addColumn<QByteArray>("verdict");
    QTest::newRow("904 wrong password") << QByteArray(":srv 904 me :SASL authentication failed");
    QTest::newRow("905 too long") << QByteArray(":srv 905 me :SASL message too long");
    QTest::newRow("906 aborted") << QByteArray(":srv 906 me :SASL authentication aborted");
    QTest::newRow("902 nick locked") << QByteArray(":srv 902 me :You must use a nick assigned");
}

void tst_ClientSession::saslFailureIsReportedAndRegistrationGoesOn()
{
    QFETCH(QByteArray, verdict);
    Harness harness;
    startWithAccount(harness, u"alice"_s, u"wrong"_s);
    QSignalSpy failed(&harness.session, &Client::ClientSession::loginFailed);
    QSignalSpy errors(&harness.session, &Client::ClientSession::serverError);
    QSignalSpy registered(&harness.session, &Client::ClientSession::registered);
    harness.receive(":srv CAP * LS :sasl");
    harness.receive(":srv CAP * ACK :sasl");
    harness.receive("AUTHENTICATE +");
    harness.receive(verdict);
    QCOMPARE(failed.size(), 1);
    const QString reason = failed.first().first().toString();
    QVERIFY2(reason.contains(u"alice"_s), qPrintable(reason));
    QVERIFY2(!reason.contains(u"wrong"_s), qPrintable(reason)); // never the password
    QCOMPARE(harness.sent.last(), (Irc::IrcMessage {{}, "CAP", {"END"}}));
    QVERIFY(errors.isEmpty());
    harness.reply(Numeric::Welcome, "me :Welcome");
    harness.reply(Numeric::NoMotd, "me :MOTD File is missing");
    QCOMPARE(registered.size(), 1);
    QVERIFY(harness.session.account().isEmpty());
    QCOMPARE(failed.size(), 1); // not again at 001
}

void tst_ClientSession::withoutSaslPlainTheLoginFails_data()
{
    QTest::addColumn<QByteArray>("offered");
    QTest::addColumn<QString>("reasonPart");
    QTest::newRow("no sasl") << QByteArray("multi-prefix") << u"does not offer SASL"_s;
    QTest::newRow("EXTERNAL only")
        << QByteArray("multi-prefix sasl=EXTERNAL") << u"does not take SASL PLAIN"_s;
}

void tst_ClientSession::withoutSaslPlainTheLoginFails()
{
    QFETCH(QByteArray, offered);
    QFETCH(QString, reasonPart);
    Harness harness;
    startWithAccount(harness, u"alice"_s, u"sesame"_s);
    QSignalSpy failed(&harness.session, &Client::ClientSession::loginFailed);
    harness.receive(":srv CAP * LS :" + offered);
    QCOMPARE(harness.sent, (QList<Irc::IrcMessage> {{{}, "CAP", {"REQ", "multi-prefix"}}}));
    harness.receive(":srv CAP * ACK :multi-prefix");
    QCOMPARE(harness.sent.last(), (Irc::IrcMessage {{}, "CAP", {"END"}}));
    QVERIFY(!harness.sentCommands().contains("AUTHENTICATE"));
    harness.reply(Numeric::Welcome, "me :Welcome");
    QCOMPARE(failed.size(), 1);
    QVERIFY2(failed.first().first().toString().contains(reasonPart),
             qPrintable(failed.first().first().toString()));
}

void tst_ClientSession::memberAccountsFromExtendedJoinNotifyAndTags()
{
    Harness harness;
    harness.registerWithCaps(u"me"_s, "account-notify extended-join account-tag");
    QCOMPARE(harness.session.enabledCapabilities(),
             (QStringList {u"account-notify"_s, u"account-tag"_s, u"extended-join"_s}));
    harness.joinWith("#qt", "me");
    harness.receive(":bob!u@h JOIN #qt bobby :Bob Real");
    harness.receive(":carol!u@h JOIN #qt * :Carol Real");
    const QModelIndex channel = harness.channels.channelIndex(u"#qt"_s);
    const auto accountOf = [&](const QString &nick) {
        for (int row = 0; row < harness.channels.rowCount(channel); ++row) {
            const QModelIndex member = harness.channels.index(row, 0, channel);
            if (member.data(Client::ChannelModel::NameRole).toString() == nick)
                return member.data(Client::ChannelModel::AccountRole).toString();
        }
        return u"(not a member)"_s;
    };
    QCOMPARE(accountOf(u"bob"_s), u"bobby"_s);
    QCOMPARE(accountOf(u"carol"_s), QString());

    QSignalSpy members(&harness.session, &Client::ClientSession::memberAccountChanged);
    harness.receive(":carol!u@h ACCOUNT caz");
    harness.receive(":bob!u@h ACCOUNT *");
    QCOMPARE(accountOf(u"carol"_s), u"caz"_s);
    QCOMPARE(accountOf(u"bob"_s), QString());
    QCOMPARE(members.size(), 2);

    QSignalSpy own(&harness.session, &Client::ClientSession::accountChanged);
    harness.receive(":me!u@h ACCOUNT mine");
    QCOMPARE(harness.session.account(), u"mine"_s);
    QCOMPARE(own.size(), 1);

    QSignalSpy messages(&harness.session, &Client::ClientSession::messageReceived);
    harness.receive("@account=caz :carol!u@h PRIVMSG #qt :hi");
    QCOMPARE(messages.size(), 1);
    QCOMPARE(messages.first().first().value<Client::ChatMessage>().account, u"caz"_s);
}

void tst_ClientSession::registerAccountLogsIn()
{
    Harness harness;
    harness.startAs(u"me"_s);
    harness.receive(":srv CAP * LS :draft/account-registration=before-connect multi-prefix");
    harness.receive(":srv CAP * ACK :multi-prefix");
    harness.reply(Numeric::Welcome, "me :Welcome");
    harness.reply(Numeric::NoMotd, "me :MOTD File is missing");
    harness.clearSent();
    QVERIFY(harness.session.canRegisterAccount());
    QVERIFY(!harness.session.hasCapability(Irc::CapName::AccountRegistration)); // not asked for
    QSignalSpy registered(&harness.session, &Client::ClientSession::accountRegistered);
    QSignalSpy account(&harness.session, &Client::ClientSession::accountChanged);
    harness.session.registerAccount(u"open sesame"_s);
    QCOMPARE(harness.sent, (QList<Irc::IrcMessage> {{{}, "REGISTER", {"me", "*", "open sesame"}}}));
    harness.receive(":srv REGISTER SUCCESS me :Account created");
    QCOMPARE(registered.size(), 1);
    QCOMPARE(registered.first().first().toString(), u"me"_s);
    QCOMPARE(harness.session.account(), u"me"_s);
    QCOMPARE(account.size(), 1);
    // A reconnect logs in to it.
    QCOMPARE(harness.session.settings().account, u"me"_s);
    QCOMPARE(harness.session.settings().accountPassword, u"open sesame"_s);
    harness.reply(Numeric::LoggedIn, "me me!u@h me :You are now logged in as me");
    QCOMPARE(account.size(), 1); // the same account: no news
}

void tst_ClientSession::registerAccountFailures()
{
    Harness harness;
    QSignalSpy failed(&harness.session, &Client::ClientSession::accountRegistrationFailed);
    harness.session.registerAccount(u"pw"_s);
    QCOMPARE(failed.size(), 1); // not connected

    harness.registerWithCaps(u"me"_s, "multi-prefix");
    QVERIFY(!harness.session.canRegisterAccount());
    harness.session.registerAccount(u"pw"_s);
    QCOMPARE(failed.size(), 2);
    QVERIFY2(failed.last().first().toString().contains(u"does not offer"_s),
             qPrintable(failed.last().first().toString()));
    QVERIFY(harness.sent.isEmpty());

    harness.registerWithCaps(u"me"_s, "draft/account-registration");
    harness.session.registerAccount(u"two\nlines"_s);
    QCOMPARE(failed.size(), 3);
    QVERIFY(harness.sent.isEmpty());

    harness.session.registerAccount(u"pw"_s);
    QCOMPARE(harness.sentCommands(), QList<QByteArray> {"REGISTER"});
    harness.receive(":srv FAIL REGISTER ACCOUNT_EXISTS me :Account already exists");
    QCOMPARE(failed.size(), 4);
    QCOMPARE(failed.last().first().toString(), u"Account already exists"_s);
    QVERIFY(harness.session.account().isEmpty());
    QVERIFY(harness.session.settings().account.isEmpty());

    harness.session.registerAccount(u"pw"_s);
    harness.receive(":srv REGISTER VERIFICATION_REQUIRED me :Check your email");
    QCOMPARE(failed.size(), 5);
    QVERIFY(failed.last().first().toString().contains(u"Check your email"_s));
    QVERIFY(harness.session.account().isEmpty());
}

// Logged in with SASL on a server with history: TARGETS after registration, its nicks (no
// channels) handed on; a private batch's lines belong to its conversation whatever nicks they
// went between, and ours are ours without echo-message.
void tst_ClientSession::privateHistoryAndRecentConversations()
{
    Harness harness;
    startWithAccount(harness, u"alice"_s, u"sesame"_s);
    harness.receive(":srv CAP * LS :sasl=PLAIN batch draft/chathistory message-tags server-time");
    harness.receive(":srv CAP * ACK :" + harness.sent.last().param(1));
    harness.receive("AUTHENTICATE +");
    harness.reply(Numeric::LoggedIn, "me me!u@h alice :You are now logged in as alice");
    harness.reply(Numeric::SaslSuccess, "me :SASL authentication successful");
    harness.reply(Numeric::Welcome, "me :Welcome");
    harness.clearSent();
    harness.reply(Numeric::NoMotd, "me :MOTD File is missing");
    QCOMPARE(harness.sentCommands(), QList<QByteArray> {"CHATHISTORY"});
    const Irc::IrcMessage targets = harness.sent.first();
    QCOMPARE(targets.param(0), "TARGETS");
    QVERIFY2(targets.param(1) > targets.param(2), targets.toLine().constData()); // newest first
    QVERIFY(targets.param(2).startsWith("timestamp="));
    QCOMPARE(targets.param(3), "20");
    QVERIFY(harness.background.first());

    QSignalSpy offered(&harness.session, &Client::ClientSession::recentConversationsReceived);
    harness.receive(":srv BATCH +t1 draft/chathistory-targets");
    harness.receive("@batch=t1 :srv CHATHISTORY TARGETS #lobby 2026-12-02T09:00:00.000Z");
    harness.receive("@batch=t1 :srv CHATHISTORY TARGETS bob 2026-12-02T10:00:00.000Z");
    QVERIFY(offered.isEmpty());
    harness.receive(":srv BATCH -t1");
    QCOMPARE(offered.size(), 1);
    const auto conversations = offered.first().first().value<QList<Client::RecentConversation>>();
    QCOMPARE(conversations.size(), 1);
    QCOMPARE(conversations.first().nick, u"bob"_s);
    QCOMPARE(conversations.first().latest, QDateTime(QDate(2026, 12, 2), QTime(10, 0), Qt::UTC));

    harness.clearSent();
    QVERIFY(!harness.session.requestConversationHistory(u"#lobby"_s));
    QVERIFY(harness.session.requestConversationHistory(u"bob"_s));
    QCOMPARE(harness.sent,
             (QList<Irc::IrcMessage> {{{}, "CHATHISTORY", {"LATEST", "bob", "*", "50"}}}));
    QVERIFY(!harness.background.first()); // before whatever the user says next

    QSignalSpy history(&harness.session, &Client::ClientSession::historyReceived);
    QSignalSpy live(&harness.session, &Client::ClientSession::messageReceived);
    harness.receive(":srv BATCH +h1 chathistory bob");
    harness.receive("@batch=h1;msgid=m1 :me!u@h PRIVMSG robert :hello robert");
    harness.receive("@batch=h1;msgid=m2 :robert!u@h PRIVMSG me :call me bob now");
    harness.receive(":srv BATCH -h1");
    QVERIFY(live.isEmpty());
    QCOMPARE(history.size(), 1);
    QCOMPARE(history.first().first().toString(), u"bob"_s);
    const auto lines = history.first().at(1).value<QList<Client::ChatMessage>>();
    QCOMPARE(lines.size(), 2);
    QCOMPARE(lines.at(0).conversation, u"bob"_s);
    QVERIFY(lines.at(0).own);
    QCOMPARE(lines.at(1).conversation, u"bob"_s);
    QVERIFY(!lines.at(1).own);
    QCOMPARE(lines.at(1).id, u"m2"_s);
}

QTEST_GUILESS_MAIN(tst_ClientSession)
#include "tst_clientsession.moc"
