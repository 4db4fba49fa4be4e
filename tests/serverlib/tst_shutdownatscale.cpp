// stop() with a thousand clients connected: every thread ended, every line the server accepted
// delivered before each client's ERROR. How long it takes from stop() to stopped() is printed,
// not asserted: speed is for benchmarks (scripts/check-shutdown-time), never a timed assertion
// here.
#include "protocol/numerics.h"
#include "serverlib/chatserver.h"
#include "tests/support/rawclient.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

#include <memory>

#include <sys/resource.h>

namespace Numeric = Irc::Numeric;

using Clients = std::vector<std::unique_ptr<RawClient>>;

namespace {

constexpr int ClientCount = 1000;
constexpr int Channels = 50; // 20 members each
constexpr int LinesPerClient = 5;

// Each client costs two descriptors in this process: its own socket and the server's.
bool raiseOpenFileLimit(rlim_t wanted)
{
    rlimit limit {};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0)
        return false;
    if (limit.rlim_cur >= wanted)
        return true;
    limit.rlim_cur = qMin(wanted, limit.rlim_max);
    return setrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur >= wanted;
}

QByteArray channelOf(int client)
{
    return "#c" + QByteArray::number(client % Channels);
}

} // namespace

class TestShutdownAtScale : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void stopDeliversEverythingThenErrorToEveryone_data() { threadingModels(); }
    void stopDeliversEverythingThenErrorToEveryone();
    void stopInMidTrafficCutsEveryRecipientAtTheSameLine_data() { threadingModels(); }
    void stopInMidTrafficCutsEveryRecipientAtTheSameLine();

private:
    static void threadingModels();
    bool startWithClients(Server::ChatServer &server);
    void stopAndMeasure(Server::ChatServer &server);
    // Every client got `ERROR :Server shutting down` last; returns what each got before it.
    static QList<QList<Irc::IrcMessage>> linesBeforeError(Clients &clients);

    Clients m_clients;
};

void TestShutdownAtScale::initTestCase()
{
    QVERIFY2(raiseOpenFileLimit(2 * ClientCount + 512),
             "the open-file limit is too low for 1,000 clients and their server in one process");
}

void TestShutdownAtScale::threadingModels()
{
    QTest::addColumn<Server::ThreadingModel>("model");
    QTest::newRow("pool") << Server::ThreadingModel::Pool;
    QTest::newRow("per-connection") << Server::ThreadingModel::PerConnection;
}

bool TestShutdownAtScale::startWithClients(Server::ChatServer &server)
{
    QFETCH(Server::ThreadingModel, model);
    Server::ServerConfig config;
    config.port = 0;
    config.threading = model;
    config.workers = 4;
    config.limits.noLimits = true; // a thousand clients from one address, talking fast
    if (!server.start(config))
        return false;
    m_clients.clear();
    for (int i = 0; i < ClientCount; ++i) {
        m_clients.push_back(std::make_unique<RawClient>());
        m_clients.back()->socket().connectToHost(QHostAddress::LocalHost, server.serverPort());
    }
    const auto allConnected = [this] {
        return std::all_of(m_clients.cbegin(), m_clients.cend(),
                           [](const auto &client) { return client->isConnected(); });
    };
    if (!QTest::qWaitFor(allConnected, 30'000))
        return false;
    for (int i = 0; i < ClientCount; ++i) {
        const QByteArray nick = "user" + QByteArray::number(i);
        m_clients[i]->sendRaw("NICK " + nick + "\r\nUSER u 0 * :u\r\nJOIN " + channelOf(i)
                              + "\r\n");
    }
    // Once every client has its NAMES, every channel is complete.
    return std::all_of(
               m_clients.cbegin(), m_clients.cend(),
               [](const auto &client) { return client->expect(Numeric::EndOfNames, 30'000); })
        && server.clientCount() == ClientCount;
}

void TestShutdownAtScale::stopAndMeasure(Server::ChatServer &server)
{
    QSignalSpy stopped(&server, &Server::ChatServer::stopped);
    QElapsedTimer elapsed;
    elapsed.start();
    server.stop();
    const qint64 returnedMs = elapsed.elapsed();
    QVERIFY(stopped.wait(Server::ChatServer::StopDeadlineMs + 5000));
    qInfo("stop() with %d clients and %s threading took %lld ms (it returned after %lld ms)",
          ClientCount, qPrintable(Server::threadingModelName(server.config().threading)),
          elapsed.elapsed(), returnedMs);
    QCOMPARE(server.threadCount(), 0);
    QCOMPARE(server.strandedThreadCount(), 0); // every thread ended
}

QList<QList<Irc::IrcMessage>> TestShutdownAtScale::linesBeforeError(Clients &clients)
{
    QList<QList<Irc::IrcMessage>> lines;
    for (auto &client : clients) {
        [[maybe_unused]] const bool closed = client->waitForDisconnected(30'000);
        lines.append(client->collect("PRIVMSG", 0, 0));
        const std::optional<Irc::IrcMessage> error = client->expect("ERROR", 0);
        if (!closed || !error || error->param(0) != "Server shutting down"
            || !client->pending().isEmpty()) { // ERROR must be the last line
            qWarning("client %d: closed %d, ERROR %d, %d lines after it", int(lines.size()), closed,
                     error.has_value(), int(client->pending().size()));
            return {};
        }
    }
    return lines;
}

void TestShutdownAtScale::stopDeliversEverythingThenErrorToEveryone()
{
    Server::ChatServer server;
    QVERIFY(startWithClients(server));
    for (int i = 0; i < ClientCount; ++i) {
        for (int line = 0; line < LinesPerClient; ++line)
            m_clients[i]->send("PRIVMSG " + channelOf(i) + " :" + QByteArray::number(i) + ' '
                               + QByteArray::number(line));
        m_clients[i]->send("PING :fence");
    }
    // Each sender's PONG comes after its lines: the server has accepted all of them. (collect()
    // takes the PONG and leaves the chat lines that came before it.)
    for (auto &client : m_clients)
        QCOMPARE(client->collect("PONG", 1, 30'000).size(), 1);
    stopAndMeasure(server);
    if (QTest::currentTestFailed())
        return;
    const QList<QList<Irc::IrcMessage>> lines = linesBeforeError(m_clients);
    QCOMPARE(lines.size(), ClientCount);
    constexpr int Expected = (ClientCount / Channels - 1) * LinesPerClient;
    for (const QList<Irc::IrcMessage> &received : lines)
        QCOMPARE(received.size(), Expected);
}

void TestShutdownAtScale::stopInMidTrafficCutsEveryRecipientAtTheSameLine()
{
    Server::ChatServer server;
    QVERIFY(startWithClients(server));
    constexpr int Lines = 10;
    for (int i = 0; i < ClientCount; ++i) {
        for (int line = 0; line < Lines; ++line)
            m_clients[i]->send("PRIVMSG " + channelOf(i) + " :" + QByteArray::number(i) + ' '
                               + QByteArray::number(line));
        m_clients[i]->socket().flush(); // into the kernel now: the workers read while we stop
    }
    stopAndMeasure(server);
    if (QTest::currentTestFailed())
        return;
    const QList<QList<Irc::IrcMessage>> lines = linesBeforeError(m_clients);
    QCOMPARE(lines.size(), ClientCount);
    // A line the server accepted reached every member of the channel; one it did not accept
    // reached none. So each member got the same first lines of each sender, in order.
    QList<int> accepted(ClientCount, -1); // per sender, as the first member saw it
    int total = 0;
    for (int member = 0; member < ClientCount; ++member) {
        QMap<int, int> fromSender;
        for (const Irc::IrcMessage &message : lines[member]) {
            const QList<QByteArray> words = message.param(1).split(' ');
            const int sender = words[0].toInt();
            QCOMPARE(words[1].toInt(), fromSender[sender]++);
        }
        for (int sender = member % Channels; sender < ClientCount; sender += Channels) {
            if (sender == member)
                continue;
            if (accepted[sender] < 0)
                accepted[sender] = fromSender.value(sender);
            QCOMPARE(fromSender.value(sender), accepted[sender]);
            total += fromSender.value(sender);
        }
    }
    qInfo("%d of %d lines were delivered before ERROR", total,
          ClientCount * Lines * (ClientCount / Channels - 1));
}

QTEST_GUILESS_MAIN(TestShutdownAtScale)
#include "tst_shutdownatscale.moc"
