// ClientSession on its own: lines in, lines and signals out, no socket. What a real server
// makes of those lines is tst_chatclient's business; this pins the protocol logic down line
// by line, including replies no test server sends on demand.
#include "clientlib/channelmodel.h"
#include "clientlib/clientsession.h"
#include "protocol/ircmessage.h"
#include "protocol/numerics.h"

#include <QSignalSpy>
#include <QTest>

namespace Numeric = Irc::Numeric;

namespace {

// A session with everything it sent, parsed.
class Harness
{
public:
    Harness()
    {
        QObject::connect(&session, &Client::ClientSession::lineReady, &session,
                         [this](const QByteArray &line, Client::ClientSession::Urgency urgency) {
                             sent.append(*Irc::IrcMessage::parse(line.chopped(2)));
                             urgent.append(urgency == Client::ClientSession::Urgency::Urgent);
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
        sent.clear();
        urgent.clear();
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
    QList<bool> urgent;
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
    QVERIFY(!harness.urgent.contains(true));
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

QTEST_GUILESS_MAIN(tst_ClientSession)
#include "tst_clientsession.moc"
