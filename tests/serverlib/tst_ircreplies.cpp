// What the server answers, line by line: registration, the welcome burst, every error numeric.
#include "protocol/capabilities.h"
#include "protocol/isupport.h"
#include "protocol/numerics.h"
#include "serverlib/chatserver.h"
#include "tests/support/rawclient.h"

#include <QTest>

namespace Numeric = Irc::Numeric;

using ByteArrays = QList<QByteArray>;

class TestIrcReplies : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void welcomeBurstInOrder();
    void isupportSaysWhatTheServerDoes();
    void advertisedLimitsAreEnforced_data();
    void advertisedLimitsAreEnforced();
    void topicIsCutToTopicLength();
    void motdWhenConfigured();
    void capNegotiationHoldsRegistration();
    void commandsBeforeRegistrationGet451_data();
    void commandsBeforeRegistrationGet451();
    void errorReplies_data();
    void errorReplies();
    void queries_data();
    void queries();
    void overlongLineGets417AndTheNextLineWorks();
    void endlessLineClosesTheConnection();
    void passwordIsChecked_data();
    void passwordIsChecked();
    void nicknameTakenBeforeRegistration();
    void userWithEmptyRealnameGets461();
    void lineWithNulIsNeverRelayed();

private:
    std::unique_ptr<RawClient> registered(const QByteArray &nick);
    quint16 port() const { return m_server.serverPort(); }

    Server::ChatServer m_server;
    std::unique_ptr<RawClient> m_owner; // holds the nick "owner" and the channel #other
    int m_nextNick = 0;
};

void TestIrcReplies::initTestCase()
{
    Server::ServerConfig config;
    config.port = 0;
    config.serverName = "test.server";
    QVERIFY(m_server.start(config));
    m_owner = registered("owner");
    QVERIFY(m_owner);
    m_owner->send("JOIN #other");
    QVERIFY(m_owner->expect(Numeric::EndOfNames));
}

void TestIrcReplies::cleanupTestCase()
{
    m_owner.reset();
    m_server.stop();
}

std::unique_ptr<RawClient> TestIrcReplies::registered(const QByteArray &nick)
{
    auto client = std::make_unique<RawClient>();
    if (!client->connectTo(port()) || !client->registerAs(nick))
        return {};
    return client;
}

void TestIrcReplies::welcomeBurstInOrder()
{
    RawClient client;
    QVERIFY(client.connectTo(port()));
    client.send("NICK Alice");
    client.send("USER alice 0 * :Alice Liddell");
    const ByteArrays expected {Numeric::Welcome, Numeric::YourHost,     Numeric::Created,
                               Numeric::MyInfo,  Numeric::ISupport,     Numeric::LuserClient,
                               Numeric::LuserOp, Numeric::LuserUnknown, Numeric::LuserChannels,
                               Numeric::LuserMe, Numeric::LocalUsers,   Numeric::GlobalUsers,
                               Numeric::NoMotd};
    for (const QByteArray &numeric : expected) {
        QTRY_VERIFY(!client.pending().isEmpty());
        const Irc::IrcMessage message = client.pending().constFirst();
        QCOMPARE(message.command, numeric);
        QCOMPARE(message.source, QByteArray("test.server"));
        QCOMPARE(message.param(0), QByteArray("Alice"));
        client.expect(numeric);
    }
}

void TestIrcReplies::isupportSaysWhatTheServerDoes()
{
    RawClient client;
    QVERIFY(client.connectTo(port()));
    client.send("NICK isupporter");
    client.send("USER i 0 * :i");
    const std::optional<Irc::IrcMessage> reply = client.expect(Numeric::ISupport);
    QVERIFY(reply);
    // The exact wire form.
    const ByteArrays expected {"isupporter",
                               "CASEMAPPING=ascii",
                               "CHANTYPES=#",
                               "PREFIX=(ov)@+",
                               "CHANMODES=b,k,l,imnst",
                               "NICKLEN=30",
                               "CHANNELLEN=50",
                               "TOPICLEN=390",
                               "NETWORK=QtChat",
                               "MODES=6",
                               "CHANLIMIT=#:20",
                               "MAXLIST=b:100",
                               "KEYLEN=23",
                               "are supported by this server"};
    QCOMPARE(reply->params, expected);

    Irc::ISupport parsed;
    parsed.apply(reply->params.mid(1, reply->params.size() - 2));
    QCOMPARE(parsed.tokens(), Irc::qtChatSupport().tokens());
    QCOMPARE(parsed.nickLength, Irc::MaxNickLength);
    QCOMPARE(parsed.channelLength, Irc::MaxChannelLength);
    QCOMPARE(parsed.topicLength, Irc::MaxTopicLength);
}

void TestIrcReplies::advertisedLimitsAreEnforced_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QByteArray>("reply");
    const QByteArray longestNick(Irc::MaxNickLength, 'n');
    const QByteArray longestChannel = QByteArray('#' + QByteArray(Irc::MaxChannelLength - 1, 'c'));
    QTest::newRow("NICKLEN fits") << QByteArray("NICK " + longestNick) << QByteArray("NICK");
    QTest::newRow("NICKLEN + 1") << QByteArray("NICK " + longestNick + 'n')
                                 << QByteArray(Numeric::ErroneousNickname);
    QTest::newRow("CHANNELLEN fits") << QByteArray("JOIN " + longestChannel) << QByteArray("JOIN");
    QTest::newRow("CHANNELLEN + 1")
        << QByteArray("JOIN " + longestChannel + 'c') << QByteArray(Numeric::NoSuchChannel);
    QTest::newRow("CHANTYPES only")
        << QByteArray("JOIN &local") << QByteArray(Numeric::NoSuchChannel);
}

void TestIrcReplies::advertisedLimitsAreEnforced()
{
    QFETCH(QByteArray, line);
    QFETCH(QByteArray, reply);
    auto client = registered("limited" + QByteArray::number(++m_nextNick));
    QVERIFY(client);
    client->send(line);
    QVERIFY2(client->expect(reply), line.constData());
}

void TestIrcReplies::topicIsCutToTopicLength()
{
    auto client = registered("topical");
    QVERIFY(client);
    client->send("JOIN #topiclen");
    QVERIFY(client->expect(Numeric::EndOfNames));
    client->send("TOPIC #topiclen :" + QByteArray(Irc::MaxTopicLength + 10, 't'));
    const std::optional<Irc::IrcMessage> topic = client->expect("TOPIC");
    QVERIFY(topic);
    QCOMPARE(topic->param(1), QByteArray(Irc::MaxTopicLength, 't'));
}

void TestIrcReplies::motdWhenConfigured()
{
    Server::ChatServer server;
    Server::ServerConfig config;
    config.port = 0;
    config.motd = {QStringLiteral("first"), QStringLiteral("第二")};
    QVERIFY(server.start(config));
    RawClient client;
    QVERIFY(client.connectTo(server.serverPort()));
    client.send("NICK m");
    client.send("USER m 0 * :m");
    QVERIFY(client.expect(Numeric::MotdStart));
    QCOMPARE(client.expect(Numeric::Motd)->param(1), QByteArray("- first"));
    QCOMPARE(client.expect(Numeric::Motd)->param(1), QByteArray("- 第二"));
    QVERIFY(client.expect(Numeric::EndOfMotd));
}

void TestIrcReplies::capNegotiationHoldsRegistration()
{
    RawClient client;
    QVERIFY(client.connectTo(port()));
    client.send("CAP LS 302");
    client.send("NICK capper");
    client.send("USER c 0 * :c");
    auto ls = client.expect("CAP");
    QVERIFY(ls);
    // Without a store the server offers neither draft/chathistory nor accounts (sasl).
    const Irc::Capabilities offered = Irc::allCapabilities() & ~Irc::storageCapabilities();
    QCOMPARE(ls->params, (ByteArrays {"*", "LS", Irc::capabilityTokens(true, offered).join(' ')}));
    client.send("CAP REQ :sasl"); // not offered without a store
    auto nak = client.expect("CAP");
    QCOMPARE(nak->params, (ByteArrays {"*", "NAK", "sasl"}));
    QVERIFY(!client.expect(Numeric::Welcome, 200)); // held until CAP END
    client.send("CAP END");
    QVERIFY(client.expect(Numeric::Welcome));
    QVERIFY(client.expect(Numeric::NoMotd));
}

void TestIrcReplies::commandsBeforeRegistrationGet451_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::newRow("irssi dummy join") << QByteArray("JOIN :");
    QTest::newRow("privmsg") << QByteArray("PRIVMSG #a :hi");
    QTest::newRow("part without params") << QByteArray("PART");
    QTest::newRow("unknown command") << QByteArray("FOO");
}

void TestIrcReplies::commandsBeforeRegistrationGet451()
{
    QFETCH(QByteArray, line);
    RawClient client;
    QVERIFY(client.connectTo(port()));
    client.send(line);
    auto reply = client.expect(Numeric::NotRegistered);
    QVERIFY(reply);
    QCOMPARE(reply->params, (ByteArrays {"*", "You have not registered"}));
    client.send("PING :still-there"); // allowed before registration
    QCOMPARE(client.expect("PONG")->param(1), QByteArray("still-there"));
}

void TestIrcReplies::errorReplies_data()
{
    QTest::addColumn<ByteArrays>("setup"); // sent first, by the same client
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QByteArray>("numeric");
    QTest::addColumn<ByteArrays>("params"); // after the target nick

    const ByteArrays none;
    QTest::newRow("401 no such nick")
        << none << QByteArray("PRIVMSG nobody :hi") << QByteArray(Numeric::NoSuchNick)
        << ByteArrays {"nobody", "No such nick/channel"};
    QTest::newRow("401 no such channel")
        << none << QByteArray("PRIVMSG #void :hi") << QByteArray(Numeric::NoSuchNick)
        << ByteArrays {"#void", "No such nick/channel"};
    QTest::newRow("403 part unknown")
        << none << QByteArray("PART #void") << QByteArray(Numeric::NoSuchChannel)
        << ByteArrays {"#void", "No such channel"};
    QTest::newRow("403 bad channel name")
        << none << QByteArray("JOIN nohash") << QByteArray(Numeric::NoSuchChannel)
        << ByteArrays {"nohash", "No such channel"};
    QTest::newRow("404 not a member")
        << none << QByteArray("PRIVMSG #other :hi") << QByteArray(Numeric::CannotSendToChan)
        << ByteArrays {"#other", "Cannot send to channel"};
    QTest::newRow("409 ping without token")
        << none << QByteArray("PING") << QByteArray(Numeric::NoOrigin)
        << ByteArrays {"No origin specified"};
    QTest::newRow("411 no recipient")
        << none << QByteArray("PRIVMSG") << QByteArray(Numeric::NoRecipient)
        << ByteArrays {"No recipient given (PRIVMSG)"};
    QTest::newRow("412 no text") << none << QByteArray("PRIVMSG #other")
                                 << QByteArray(Numeric::NoTextToSend)
                                 << ByteArrays {"No text to send"};
    QTest::newRow("421 unknown") << none << QByteArray("FROB x")
                                 << QByteArray(Numeric::UnknownCommand)
                                 << ByteArrays {"FROB", "Unknown command"};
    QTest::newRow("431 no nick") << none << QByteArray("NICK")
                                 << QByteArray(Numeric::NoNicknameGiven)
                                 << ByteArrays {"No nickname given"};
    QTest::newRow("432 bad nick") << none << QByteArray("NICK 9lives")
                                  << QByteArray(Numeric::ErroneousNickname)
                                  << ByteArrays {"9lives", "Erroneous nickname"};
    QTest::newRow("433 nick taken")
        << none << QByteArray("NICK owner") << QByteArray(Numeric::NicknameInUse)
        << ByteArrays {"owner", "Nickname is already in use"};
    QTest::newRow("433 nick taken other case")
        << none << QByteArray("NICK OWNER") << QByteArray(Numeric::NicknameInUse)
        << ByteArrays {"OWNER", "Nickname is already in use"};
    QTest::newRow("442 part not member")
        << none << QByteArray("PART #other") << QByteArray(Numeric::NotOnChannel)
        << ByteArrays {"#other", "You're not on that channel"};
    QTest::newRow("442 topic not member")
        << none << QByteArray("TOPIC #other :x") << QByteArray(Numeric::NotOnChannel)
        << ByteArrays {"#other", "You're not on that channel"};
    QTest::newRow("461 join") << none << QByteArray("JOIN") << QByteArray(Numeric::NeedMoreParams)
                              << ByteArrays {"JOIN", "Not enough parameters"};
    QTest::newRow("461 topic") << none << QByteArray("TOPIC") << QByteArray(Numeric::NeedMoreParams)
                               << ByteArrays {"TOPIC", "Not enough parameters"};
    QTest::newRow("462 user again")
        << none << QByteArray("USER a 0 * :a") << QByteArray(Numeric::AlreadyRegistered)
        << ByteArrays {"You may not reregister"};
    QTest::newRow("462 pass again")
        << none << QByteArray("PASS x") << QByteArray(Numeric::AlreadyRegistered)
        << ByteArrays {"You may not reregister"};
    QTest::newRow("482 mode change")
        << none << QByteArray("MODE #other +m") << QByteArray(Numeric::ChanOpPrivsNeeded)
        << ByteArrays {"#other", "You're not channel operator"};
    QTest::newRow("501 unknown umode")
        << none << QByteArray("MODE %me +z") << QByteArray(Numeric::UModeUnknownFlag)
        << ByteArrays {"Unknown MODE flag"};
    QTest::newRow("502 other's modes")
        << none << QByteArray("MODE owner +i") << QByteArray(Numeric::UsersDontMatch)
        << ByteArrays {"Cant change mode for other users"};
}

void TestIrcReplies::errorReplies()
{
    QFETCH(ByteArrays, setup);
    QFETCH(QByteArray, line);
    QFETCH(QByteArray, numeric);
    QFETCH(ByteArrays, params);

    const QByteArray nick = "tester" + QByteArray::number(++m_nextNick);
    auto client = registered(nick);
    QVERIFY(client);
    for (const QByteArray &setupLine : setup)
        client->send(setupLine);
    client->send(QByteArray(line).replace("%me", nick));
    auto reply
        = client->expectMatch([](const Irc::IrcMessage &m) { return m.command.toInt() >= 400; });
    QVERIFY(reply);
    QCOMPARE(reply->command, numeric);
    QCOMPARE(reply->param(0), nick);
    QCOMPARE(reply->params.mid(1), params);
}

void TestIrcReplies::queries_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<ByteArrays>("numerics"); // in order, the last ends the reply

    QTest::newRow("names") << QByteArray("NAMES #q")
                           << ByteArrays {Numeric::NamReply, Numeric::EndOfNames};
    QTest::newRow("who") << QByteArray("WHO #q")
                         << ByteArrays {Numeric::WhoReply, Numeric::EndOfWho};
    QTest::newRow("mode query") << QByteArray("MODE #q")
                                << ByteArrays {Numeric::ChannelModeIs, Numeric::CreationTime};
    QTest::newRow("ban list") << QByteArray("MODE #q b") << ByteArrays {Numeric::EndOfBanList};
    QTest::newRow("list") << QByteArray("LIST")
                          << ByteArrays {Numeric::ListStart, Numeric::List, Numeric::ListEnd};
    QTest::newRow("topic unset") << QByteArray("TOPIC #q") << ByteArrays {Numeric::NoTopic};
    QTest::newRow("user mode") << QByteArray("MODE %me") << ByteArrays {Numeric::UModeIs};
}

void TestIrcReplies::queries()
{
    QFETCH(QByteArray, line);
    QFETCH(ByteArrays, numerics);
    const QByteArray nick = "querier" + QByteArray::number(++m_nextNick);
    auto client = registered(nick);
    QVERIFY(client);
    client->send("JOIN #q");
    QVERIFY(client->expect(Numeric::EndOfNames));
    client->send(QByteArray(line).replace("%me", nick));
    for (const QByteArray &numeric : numerics) {
        // In order; LIST may show other tests' channels around ours.
        auto reply = client->expectMatch([&numeric](const Irc::IrcMessage &m) {
            return m.command == numeric && (numeric != Numeric::List || m.param(1) == "#q");
        });
        QVERIFY2(reply, numeric.constData());
        if (numeric != Numeric::UModeIs && numeric != Numeric::ListStart
            && numeric != Numeric::ListEnd)
            QVERIFY(reply->params.contains("#q"));
    }
}

void TestIrcReplies::overlongLineGets417AndTheNextLineWorks()
{
    auto client = registered("longwinded");
    QVERIFY(client);
    client->sendRaw("PRIVMSG #x :" + QByteArray(600, 'a') + "\r\n");
    client->send("PING :after");
    auto reply = client->expect(Numeric::InputTooLong);
    QVERIFY(reply);
    QCOMPARE(reply->params, (ByteArrays {"longwinded", "Input line was too long"}));
    QCOMPARE(client->expect("PONG")->param(1), QByteArray("after"));
}

void TestIrcReplies::endlessLineClosesTheConnection()
{
    RawClient client;
    QVERIFY(client.connectTo(port()));
    client.sendRaw(QByteArray(64 * 1024, 'x'));
    auto error = client.expect("ERROR");
    QVERIFY(error);
    QVERIFY(client.waitForDisconnected());
    auto other = registered("survivor"); // the server still serves
    QVERIFY(other);
}

void TestIrcReplies::passwordIsChecked_data()
{
    QTest::addColumn<QByteArray>("password");
    QTest::addColumn<bool>("accepted");
    QTest::newRow("right") << QByteArray("sesame") << true;
    QTest::newRow("wrong") << QByteArray("wrong") << false;
    QTest::newRow("none") << QByteArray() << false;
}

void TestIrcReplies::passwordIsChecked()
{
    QFETCH(QByteArray, password);
    QFETCH(bool, accepted);
    Server::ChatServer server;
    Server::ServerConfig config;
    config.port = 0;
    config.password = "sesame";
    QVERIFY(server.start(config));
    RawClient client;
    QVERIFY(client.connectTo(server.serverPort()));
    if (!password.isEmpty())
        client.send("PASS " + password);
    if (accepted) {
        QVERIFY(client.registerAs("friend"));
        return;
    }
    client.send("NICK intruder");
    client.send("USER i 0 * :i");
    QCOMPARE(client.expect(Numeric::PasswordMismatch)->params,
             (ByteArrays {"*", "Password incorrect"}));
    QVERIFY(client.expect("ERROR"));
    QVERIFY(client.waitForDisconnected());
}

void TestIrcReplies::nicknameTakenBeforeRegistration()
{
    auto holder = registered("holder");
    QVERIFY(holder);
    RawClient client;
    QVERIFY(client.connectTo(port()));
    client.send("NICK Holder");
    QCOMPARE(client.expect(Numeric::NicknameInUse)->params,
             (ByteArrays {"*", "Holder", "Nickname is already in use"}));
    client.send("NICK holder2");
    client.send("USER h 0 * :h");
    QCOMPARE(client.expect(Numeric::Welcome)->param(0), QByteArray("holder2"));
}

void TestIrcReplies::userWithEmptyRealnameGets461()
{
    RawClient client;
    QVERIFY(client.connectTo(port()));
    client.send("NICK norealname");
    client.send("USER n 0 * :");
    QCOMPARE(client.expect(Numeric::NeedMoreParams)->params,
             (ByteArrays {"*", "USER", "Not enough parameters"}));
    client.send("USER n 0 * :Real Name");
    QVERIFY(client.expect(Numeric::Welcome));
}

void TestIrcReplies::lineWithNulIsNeverRelayed()
{
    auto speaker = registered("nulspeaker");
    auto listener = registered("nullistener");
    QVERIFY(speaker && listener);
    speaker->send("JOIN #nul");
    QVERIFY(speaker->expect(Numeric::EndOfNames));
    listener->send("JOIN #nul");
    QVERIFY(listener->expect(Numeric::EndOfNames));
    const char line[] = "PRIVMSG #nul :before\0after\r\n";
    speaker->sendRaw(QByteArray(line, sizeof line - 1));
    const auto reply = speaker->expect(Numeric::UnknownError);
    QVERIFY(reply);
    QCOMPARE(reply->params.mid(0, 2), (ByteArrays {"nulspeaker", "PRIVMSG"}));
    speaker->send("PRIVMSG #nul :clean");
    QCOMPARE(listener->expect("PRIVMSG")->param(1), QByteArray("clean"));
}

QTEST_GUILESS_MAIN(TestIrcReplies)
#include "tst_ircreplies.moc"
