// Broken and hostile clients against a real server on loopback. After each case the server must
// still answer a fresh client, the bystanders (alice and bob in #room) must have got every line
// meant for them, and memory must have stayed bounded.
#include "protocol/numerics.h"
#include "serverlib/chatserver.h"
#include "tests/support/rawclient.h"

#include <QFile>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTest>

#include <memory>

#include <sys/socket.h>

namespace Numeric = Irc::Numeric;
using ByteArrays = QList<QByteArray>;
using Clients = std::vector<std::unique_ptr<RawClient>>;

namespace {

// Resident memory of this process (server and test clients alike), in KiB.
qint64 residentKiB()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').constFirst().toLongLong();
    }
    return -1;
}

// Generous: the server holds a few KiB per client and at most a send queue per stalled one;
// the rest is the test's own clients and the allocator keeping freed memory. AddressSanitizer
// keeps freed memory in quarantine (up to 256 MiB) and adds shadow memory, so its bound is
// looser; unbounded buffering would still blow through it.
#if defined(__SANITIZE_ADDRESS__)
constexpr qint64 MaxGrowthKiB = 320 * 1024;
#else
constexpr qint64 MaxGrowthKiB = 48 * 1024;
#endif

Server::ServerConfig hostileConfig()
{
    Server::ServerConfig config;
    config.port = 0;
    config.threading = Server::ThreadingModel::Pool;
    config.workers = 2;
    config.limits.registrationTimeoutMs = 400;
    config.limits.sendQueueBytes = 64 * 1024;
    config.limits.closeGraceMs = 3000;
    config.limits.pingIntervalMs = 0; // the bystanders do not answer pings
    config.limits.noLimits = true; // flood control has its own case, with its own server
    return config;
}

void resetOnClose(QTcpSocket &socket)
{
    // SO_LINGER with a zero timeout: close() sends RST instead of FIN.
    const linger hard {1, 0};
    ::setsockopt(int(socket.socketDescriptor()), SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
}

} // namespace

class TestHostile : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void randomBytes();
    void nulBytes();
    void invalidUtf8();
    void megabyteLine();
    void linesSplitByteByByte();
    void slowlorisNeverRegisters();
    void peerThatNeverReadsWhileOthersFlood();
    void connectionResetInTheMiddleOfALine();
    void thousandConnectDisconnectCycles();
    void floodIsDisconnected();

private:
    bool startServer(const Server::ServerConfig &config);
    std::unique_ptr<RawClient> connected();
    std::unique_ptr<RawClient> member(const QByteArray &nick);
    bool bystandersStillTalk(int lines = 20);

    std::unique_ptr<Server::ChatServer> m_server;
    std::unique_ptr<RawClient> m_alice, m_bob;
    qint64 m_residentAtStart = 0;
    int m_round = 0;
};

void TestHostile::init()
{
    QVERIFY(startServer(hostileConfig()));
}

bool TestHostile::startServer(const Server::ServerConfig &config)
{
    m_alice.reset();
    m_bob.reset();
    m_server = std::make_unique<Server::ChatServer>();
    if (!m_server->start(config))
        return false;
    m_alice = member("alice");
    m_bob = member("bob");
    m_residentAtStart = residentKiB();
    return m_alice && m_bob && m_alice->expectMatch([](const Irc::IrcMessage &m) {
        return m.command == "JOIN" && m.sourceNick() == "bob";
    });
}

void TestHostile::cleanup()
{
    // The server still serves: a newcomer joins and hears the bystanders, who hear each other.
    auto newcomer = member("newcomer");
    QVERIFY(newcomer);
    QVERIFY(bystandersStillTalk());
    QVERIFY(newcomer->expectMatch([](const Irc::IrcMessage &m) { return m.command == "PRIVMSG"; }));
    const qint64 growth = residentKiB() - m_residentAtStart;
    qInfo("resident memory grew by %lld KiB", growth);
    QVERIFY2(growth < MaxGrowthKiB, qPrintable(QString::number(growth)));
    newcomer.reset();
    m_alice.reset();
    m_bob.reset();
    m_server.reset();
}

std::unique_ptr<RawClient> TestHostile::connected()
{
    auto client = std::make_unique<RawClient>();
    return client->connectTo(m_server->serverPort()) ? std::move(client) : nullptr;
}

std::unique_ptr<RawClient> TestHostile::member(const QByteArray &nick)
{
    auto client = connected();
    if (!client || !client->registerAs(nick))
        return {};
    client->send("JOIN #room");
    return client->expect(Numeric::EndOfNames) ? std::move(client) : nullptr;
}

bool TestHostile::bystandersStillTalk(int lines)
{
    const QByteArray round = "round " + QByteArray::number(++m_round) + ':';
    for (int i = 0; i < lines; ++i)
        m_alice->send("PRIVMSG #room :" + round + QByteArray::number(i));
    m_bob->send("PRIVMSG alice :" + round + "done");
    // In order and each one: expectMatch consumes what comes before the match.
    for (int i = 0; i < lines; ++i) {
        const QByteArray text = round + QByteArray::number(i);
        if (!m_bob->expectMatch([&](const Irc::IrcMessage &m) {
                return m.command == "PRIVMSG" && m.sourceNick() == "alice" && m.param(1) == text;
            }))
            return false;
    }
    return m_alice
        ->expectMatch([&](const Irc::IrcMessage &m) { return m.param(1) == round + "done"; })
        .has_value();
}

void TestHostile::randomBytes()
{
    QRandomGenerator random(20240501); // fixed: a failure can be replayed
    Clients noise;
    for (int c = 0; c < 4; ++c) {
        noise.push_back(connected());
        QVERIFY(noise.back());
        if (c % 2) // half of them registered, so that the bytes reach the chat commands
            QVERIFY(noise.back()->registerAs("noise" + QByteArray::number(c)));
    }
    for (int chunk = 0; chunk < 16; ++chunk) {
        for (auto &client : noise) {
            QByteArray bytes(4096, Qt::Uninitialized);
            random.fillRange(reinterpret_cast<quint32 *>(bytes.data()), bytes.size() / 4);
            client->sendRaw(bytes);
        }
        if (chunk == 8)
            QVERIFY(bystandersStillTalk(5));
    }
    for (auto &client : noise) {
        client->send("\r\nPING :end of noise"); // ends whatever line the noise left open
        // Answered, unless the noise happened to say QUIT or overflow a line: either is fine.
        QVERIFY(client->expect("PONG") || client->waitForDisconnected());
    }
}

void TestHostile::nulBytes()
{
    auto client = member("nul");
    QVERIFY(client);
    // A client written in C would read such a line only up to the NUL: it is refused whole,
    // never relayed nor executed.
    const QList<std::pair<QByteArray, QByteArray>> lines {
        {"PRIVMSG #room :" + QByteArray("a\0b\0\0c", 6), "PRIVMSG"},
        {QByteArray("NICK n\0l", 8), "NICK"},
        {QByteArray("JOIN #a\0b", 9), "JOIN"},
        {QByteArray("\0\0\0", 3), "*"},
        {QByteArray("PRIVMSG\0#room :hidden", 21), "PRIVMSG"},
    };
    for (const auto &[line, command] : lines) {
        client->send(line);
        const auto refusal = client->expect(Numeric::UnknownError);
        QVERIFY(refusal);
        QCOMPARE(refusal->param(1), command);
    }
    client->send("PRIVMSG #room :clean");
    QCOMPARE(m_bob->expect("PRIVMSG")->param(1), QByteArray("clean"));
}

void TestHostile::invalidUtf8()
{
    auto client = member("bad8");
    QVERIFY(client);
    const QByteArray garbage("\xff\xfe \xc3\x28 \xed\xa0\x80 \xe2\x82 \xc0\xaf");
    client->send("PRIVMSG #room :" + garbage);
    QCOMPARE(m_bob->expect("PRIVMSG")->param(1), garbage);
    client->send("NICK \xc3\xa9t\xc3\xa9");
    QVERIFY(client->expect(Numeric::ErroneousNickname));
    client->send("JOIN #caf\xc3");
    QCOMPARE(client->expect(Numeric::EndOfNames)->param(1), QByteArray("#caf\xc3"));
    // The longest line a client may send, all of it continuation bytes: the relay adds the
    // sender's prefix, so it has to cut, and must cut near the limit, not lose the message.
    const QByteArray continuation(495, '\x80');
    client->send("PRIVMSG #room :" + continuation);
    const std::optional<Irc::IrcMessage> relayed = m_bob->expect("PRIVMSG");
    QVERIFY(relayed);
    QVERIFY2(relayed->param(1).size() > 400, QByteArray::number(relayed->param(1).size()));
    QVERIFY(continuation.startsWith(relayed->param(1)));
}

void TestHostile::megabyteLine()
{
    auto client = member("bigmouth");
    QVERIFY(client);
    const QByteArray line = "PRIVMSG #room :" + QByteArray(1024 * 1024, 'x') + "\r\n";
    client->sendRaw(line);
    const std::optional<Irc::IrcMessage> error = client->expect("ERROR");
    QVERIFY(error);
    QCOMPARE(error->param(0), QByteArray("Closing link (Input line too long without a line end)"));
    QVERIFY(client->waitForDisconnected());
    const std::optional<Irc::IrcMessage> quit = m_bob->expect("QUIT");
    QVERIFY(quit);
    QCOMPARE(quit->sourceNick(), QByteArray("bigmouth"));
    QVERIFY(!m_bob->expect("PRIVMSG", 0)); // nothing of the line reached anyone

    // Just over the line limit, with its line end: 417, and the connection stays.
    auto talker = member("talker");
    QVERIFY(talker);
    talker->send("PRIVMSG #room :" + QByteArray(600, 'y'));
    QVERIFY(talker->expect(Numeric::InputTooLong));
    talker->send("PRIVMSG #room :short again");
    QCOMPARE(m_bob->expect("PRIVMSG")->param(1), QByteArray("short again"));
}

void TestHostile::linesSplitByteByByte()
{
    auto client = member("dribble");
    QVERIFY(client);
    client->socket().setSocketOption(QAbstractSocket::LowDelayOption, 1);
    // Every kind of line end, a CR LF pair torn apart, and empty lines between.
    const QByteArray stream = "PRIVMSG #room :one\r\nPRIVMSG #room :two\nPRIVMSG #room :three\r"
                              "\r\n\n\rPRIVMSG #room :four\r\n";
    for (char byte : stream) {
        client->sendRaw(QByteArray(1, byte));
        client->socket().flush(); // one segment per byte
    }
    for (const char *expected : {"one", "two", "three", "four"}) {
        const std::optional<Irc::IrcMessage> message = m_bob->expect("PRIVMSG");
        QVERIFY(message);
        QCOMPARE(message->param(1), QByteArray(expected));
    }
    QVERIFY(!m_bob->expect("PRIVMSG", 100)); // and nothing else: no line counted twice
}

void TestHostile::slowlorisNeverRegisters()
{
    Clients slow;
    for (int i = 0; i < 20; ++i) {
        slow.push_back(connected());
        QVERIFY(slow.back());
        // Some start registering, some never finish a line, some say nothing at all.
        if (i % 3 == 0)
            slow.back()->sendRaw("NICK slow" + QByteArray::number(i) + "\r\nUSER sl");
        else if (i % 3 == 1)
            slow.back()->sendRaw("NI");
    }
    QVERIFY(bystandersStillTalk(5));
    for (auto &client : slow) {
        const std::optional<Irc::IrcMessage> error = client->expect("ERROR");
        QVERIFY(error);
        QCOMPARE(error->param(0), QByteArray("Closing link (Registration timeout)"));
        QVERIFY(client->waitForDisconnected());
    }
    QTRY_COMPARE(m_server->clientCount(), 2);
    // The nick a slowloris held is free again.
    auto late = member("slow0");
    QVERIFY(late);
}

void TestHostile::peerThatNeverReadsWhileOthersFlood()
{
    auto stalled = std::make_unique<RawClient>();
    QVERIFY(stalled->connectWithTinyReceiveBuffer(m_server->serverPort()));
    QVERIFY(stalled->registerAs("stalled"));
    stalled->send("JOIN #room");
    QVERIFY(stalled->expect(Numeric::EndOfNames));
    stalled->setReading(false);
    QVERIFY(m_alice->expect("JOIN")); // stalled's
    QVERIFY(m_bob->expect("JOIN"));

    // Alice talks until the server gives up on stalled, in batches that bob, who reads, takes in
    // before the next: he must get every line, in order, those after stalled's QUIT too. The
    // server's socket buffer on loopback takes about a MiB before its own send queue (64 KiB
    // here) starts to fill.
    const QByteArray padding(400, '.');
    const auto stalledQuit = [](const Irc::IrcMessage &m) {
        return m.command == "QUIT" && m.sourceNick() == "stalled";
    };
    constexpr int Batch = 100;
    int lines = 0;
    for (bool quit = false; !quit && lines < 20'000;) {
        for (int i = 0; i < Batch; ++i)
            m_alice->send("PRIVMSG #room :" + QByteArray::number(lines + i) + ' ' + padding);
        const QList<Irc::IrcMessage> got = m_bob->collect("PRIVMSG", Batch);
        QCOMPARE(got.size(), Batch);
        for (const Irc::IrcMessage &message : got)
            QCOMPARE(message.param(1).split(' ').constFirst().toInt(), lines++);
        quit = std::any_of(m_bob->pending().cbegin(), m_bob->pending().cend(), stalledQuit);
    }
    qInfo("stalled was dropped after %d lines of %d bytes", lines, int(padding.size()) + 20);
    const std::optional<Irc::IrcMessage> quit = m_bob->expectMatch(stalledQuit);
    QVERIFY(quit);
    QCOMPARE(quit->param(0), QByteArray("SendQ exceeded"));
    // The stalled client reads again, within the grace period: an unbroken run of the first
    // lines, then the ERROR, then the end.
    stalled->socket().setSocketOption(QAbstractSocket::ReceiveBufferSizeSocketOption, 1 << 20);
    stalled->setReading(true);
    // Reads as fast as the data comes (qWaitFor would pause 10 ms between reads).
    QVERIFY(stalled->socket().waitForDisconnected(10'000));
    const QList<Irc::IrcMessage> seen = stalled->collect("PRIVMSG", 0, 0);
    QVERIFY(!seen.isEmpty() && seen.size() < lines);
    for (int i = 0; i < seen.size(); ++i)
        QCOMPARE(seen[i].param(1).split(' ').constFirst().toInt(), i);
    const std::optional<Irc::IrcMessage> error = stalled->expect("ERROR", 0);
    QVERIFY(error);
    QCOMPARE(error->param(0), QByteArray("SendQ exceeded"));
    QVERIFY(stalled->pending().isEmpty()); // ERROR was the last line
    QTRY_COMPARE(m_server->clientCount(), 2);
}

void TestHostile::connectionResetInTheMiddleOfALine()
{
    auto resetter = member("resetter");
    QVERIFY(resetter);
    resetter->send("PRIVMSG #room :whole");
    resetter->sendRaw("PRIVMSG #room :half a li");
    resetter->socket().flush();
    resetOnClose(resetter->socket());
    resetter->socket().abort();
    // The whole line arrives, then the QUIT; the half line does not, and never will.
    const std::optional<Irc::IrcMessage> whole = m_bob->expect("PRIVMSG");
    QVERIFY(whole);
    QCOMPARE(whole->param(1), QByteArray("whole"));
    const std::optional<Irc::IrcMessage> quit = m_bob->expect("QUIT");
    QVERIFY(quit);
    QCOMPARE(quit->sourceNick(), QByteArray("resetter"));
    QVERIFY(m_bob->collect("PRIVMSG", 1, 0).isEmpty());
}

void TestHostile::thousandConnectDisconnectCycles()
{
    constexpr int Batches = 10;
    constexpr int PerBatch = 100;
    QSignalSpy accepted(m_server.get(), &Server::ChatServer::clientConnected);
    QSignalSpy gone(m_server.get(), &Server::ChatServer::clientDisconnected);
    for (int batch = 0; batch < Batches; ++batch) {
        std::vector<std::unique_ptr<QTcpSocket>> sockets;
        for (int i = 0; i < PerBatch; ++i) {
            sockets.push_back(std::make_unique<QTcpSocket>());
            sockets.back()->connectToHost(QHostAddress::LocalHost, m_server->serverPort());
        }
        QVERIFY(QTest::qWaitFor([&] {
            return std::all_of(sockets.cbegin(), sockets.cend(), [](const auto &socket) {
                return socket->state() == QAbstractSocket::ConnectedState;
            });
        }));
        for (int i = 0; i < PerBatch; ++i) {
            QTcpSocket &socket = *sockets[i];
            const QByteArray nick = "cycle" + QByteArray::number(batch * PerBatch + i);
            // Leave every way: quietly, half-registered, registered, with RST, with QUIT.
            switch (i % 5) {
            case 1:
                socket.write("NICK " + nick + "\r\n");
                break;
            case 2:
            case 4:
                socket.write("NICK " + nick + "\r\nUSER c 0 * :c\r\nJOIN #room\r\n");
                if (i % 5 == 4)
                    socket.write("QUIT :bye\r\n");
                break;
            case 3:
                socket.write("NICK " + nick + "\r\nUSER c 0 * :c\r\nJOIN #ro");
                socket.flush();
                resetOnClose(socket);
                break;
            default:
                break;
            }
            socket.flush();
            if (i % 5 == 3)
                socket.abort();
            else
                socket.disconnectFromHost();
        }
        if (batch == Batches / 2)
            QVERIFY(bystandersStillTalk(5));
    }
    // Every one was served and every one is gone again, whichever way it left.
    QTRY_COMPARE(accepted.size(), Batches * PerBatch);
    QTRY_COMPARE(gone.size(), Batches * PerBatch);
    QCOMPARE(m_server->clientCount(), 2);
}

void TestHostile::floodIsDisconnected()
{
    Server::ServerConfig config = hostileConfig();
    config.limits.noLimits = false;
    config.limits.floodBurstLines = 30; // the bystanders' own lines fit in
    config.limits.floodLinesPerSecond = 1;
    QVERIFY(startServer(config));
    auto flooder = member("flooder");
    QVERIFY(flooder);
    QByteArray flood;
    for (int i = 0; i < 2000; ++i)
        flood += "PRIVMSG #room :flooding " + QByteArray::number(i) + "\r\n";
    flooder->sendRaw(flood);
    const std::optional<Irc::IrcMessage> error = flooder->expect("ERROR");
    QVERIFY(error);
    QCOMPARE(error->param(0), QByteArray("Excess Flood"));
    QVERIFY(flooder->waitForDisconnected());
    const std::optional<Irc::IrcMessage> quit = m_bob->expect("QUIT");
    QVERIFY(quit);
    QCOMPARE(quit->sourceNick(), QByteArray("flooder"));
    QCOMPARE(quit->param(0), QByteArray("Excess Flood"));
    // What got through before the throttle: the rest of its burst, in order, nothing more.
    const QList<Irc::IrcMessage> relayed = m_bob->collect("PRIVMSG", 0, 0);
    QVERIFY(relayed.size() <= 30);
    for (qsizetype i = 0; i < relayed.size(); ++i)
        QCOMPARE(relayed[i].param(1), "flooding " + QByteArray::number(i));
}

QTEST_GUILESS_MAIN(TestHostile)
#include "tst_hostile.moc"
