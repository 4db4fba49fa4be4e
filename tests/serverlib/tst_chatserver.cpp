// The server under each threading model: many clients, fan-out, notices, stop and restart; a
// stop with a peer that never reads and with a worker thread that never ends; accepting again
// after the process ran out of descriptors.
#include "protocol/numerics.h"
#include "serverlib/chatserver.h"
#include "serverlib/workerthread.h"
#include "tests/support/rawclient.h"
#include "tests/support/serversignals.h"

#include <QDir>
#include <QScopeGuard>
#include <QSemaphore>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

#include <memory>

#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

namespace Numeric = Irc::Numeric;

using Clients = std::vector<std::unique_ptr<RawClient>>;

class TestChatServer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void channelFanOutDeliversEveryLineOnceInOrder_data() { threadingModels(); }
    void channelFanOutDeliversEveryLineOnceInOrder();
    void joinPartQuitAndNickReachTheChannel_data() { threadingModels(); }
    void joinPartQuitAndNickReachTheChannel();
    void privateMessageReachesOnlyItsTarget_data() { threadingModels(); }
    void privateMessageReachesOnlyItsTarget();
    void droppedConnectionIsAnnouncedAsQuit_data() { threadingModels(); }
    void droppedConnectionIsAnnouncedAsQuit();
    void stopDeliversAcceptedLinesThenErrorAndRestarts_data() { threadingModels(); }
    void stopDeliversAcceptedLinesThenErrorAndRestarts();
    void threadsFollowTheModel_data() { threadingModels(); }
    void threadsFollowTheModel();
    void signalsNameTheServingThread_data() { threadingModels(); }
    void signalsNameTheServingThread();
    void stopCutsAPeerThatNeverReadsAfterTheGracePeriod_data() { threadingModels(); }
    void stopCutsAPeerThatNeverReadsAfterTheGracePeriod();
    void stopReportsAThreadThatDoesNotEndAndStillStops();
    void relayedLinesAreCollectedOnlyWhileObserved();
    void acceptingResumesAfterRunningOutOfDescriptors();
    void startFailsClearlyWhenThePortIsTaken();
    void serversShareAPortOnlyWhenAsked();
    void startRejectsInvalidConfig();

private:
    static void threadingModels();
    bool startServer();
    Clients joinedClients(int count, const QByteArray &channel);

    std::unique_ptr<Server::ChatServer> m_server;
};

void TestChatServer::threadingModels()
{
    QTest::addColumn<Server::ThreadingModel>("model");
    QTest::newRow("per-connection") << Server::ThreadingModel::PerConnection;
    QTest::newRow("pool") << Server::ThreadingModel::Pool;
    QTest::newRow("single") << Server::ThreadingModel::Single;
}

void TestChatServer::init()
{
    m_server = std::make_unique<Server::ChatServer>();
}

void TestChatServer::cleanup()
{
    QVERIFY(stopAndWait(*m_server));
    m_server.reset();
}

bool TestChatServer::startServer()
{
    QFETCH(Server::ThreadingModel, model);
    Server::ServerConfig config;
    config.port = 0;
    config.threading = model;
    config.workers = 3; // more workers than cores, so that hand-offs between them happen
    // Senders here go as fast as loopback allows; flood control has its own tests (tst_limits).
    config.limits.noLimits = true;
    return m_server->start(config);
}

Clients TestChatServer::joinedClients(int count, const QByteArray &channel)
{
    Clients clients;
    for (int i = 0; i < count; ++i) {
        auto client = std::make_unique<RawClient>();
        if (!client->connectTo(m_server->serverPort())
            || !client->registerAs("user" + QByteArray::number(i)))
            return {};
        client->send("JOIN " + channel);
        if (!client->expect(Numeric::EndOfNames))
            return {};
        clients.push_back(std::move(client));
    }
    // Everyone has seen the last one join, so the channel is complete for every member.
    for (int i = 0; i + 1 < count; ++i) {
        if (!clients[i]->expectMatch([&](const Irc::IrcMessage &m) {
                return m.command == "JOIN"
                    && m.sourceNick() == "user" + QByteArray::number(count - 1);
            }))
            return {};
    }
    return clients;
}

void TestChatServer::channelFanOutDeliversEveryLineOnceInOrder()
{
    QVERIFY(startServer());
    constexpr int Members = 24;
    constexpr int Senders = 6;
    constexpr int Lines = 40;
    Clients clients = joinedClients(Members, "#fan");
    QCOMPARE(int(clients.size()), Members);

    for (int line = 0; line < Lines; ++line) {
        for (int s = 0; s < Senders; ++s)
            clients[s]->send("PRIVMSG #fan :" + QByteArray::number(s) + ' '
                             + QByteArray::number(line));
    }
    for (int member = 0; member < Members; ++member) {
        const int expected = (member < Senders ? Senders - 1 : Senders) * Lines;
        const QList<Irc::IrcMessage> got = clients[member]->collect("PRIVMSG", expected, 10000);
        QCOMPARE(got.size(), expected);
        QList<int> nextLine(Senders, 0);
        for (const Irc::IrcMessage &message : got) {
            const QList<QByteArray> words = message.param(1).split(' ');
            const int sender = words[0].toInt();
            QCOMPARE(message.sourceNick(), "user" + words[0]);
            QVERIFY2(sender != member, "a sender got its own line back");
            QCOMPARE(words[1].toInt(), nextLine[sender]++);
        }
    }
    // Nothing more arrives: every line came exactly once.
    QVERIFY(!clients.back()->expect("PRIVMSG", 200));
}

void TestChatServer::joinPartQuitAndNickReachTheChannel()
{
    QVERIFY(startServer());
    Clients clients = joinedClients(3, "#room");
    QCOMPARE(int(clients.size()), 3);
    RawClient &watcher = *clients[0];

    clients[1]->send("NICK renamed");
    auto nick = watcher.expect("NICK");
    QVERIFY(nick);
    QCOMPARE(nick->source.left(nick->source.indexOf('!')), QByteArray("user1"));
    QCOMPARE(nick->param(0), QByteArray("renamed"));
    QVERIFY(clients[1]->expect("NICK")); // the renamed user hears it too

    clients[1]->send("PART #room :see you");
    auto part = watcher.expect("PART");
    QVERIFY(part);
    QCOMPARE(part->sourceNick(), QByteArray("renamed"));
    QCOMPARE(part->params, (QList<QByteArray> {"#room", "see you"}));
    QVERIFY(clients[1]->expect("PART"));

    clients[2]->send("QUIT :gone fishing");
    auto quit = watcher.expect("QUIT");
    QVERIFY(quit);
    QCOMPARE(quit->sourceNick(), QByteArray("user2"));
    QCOMPARE(quit->param(0), QByteArray("Quit: gone fishing"));
    auto error = clients[2]->expect("ERROR");
    QVERIFY(error);
    QVERIFY(error->param(0).startsWith("Closing link"));
    QVERIFY(clients[2]->waitForDisconnected());

    clients[1]->send("PRIVMSG user0 :after part");
    auto direct = watcher.expect("PRIVMSG");
    QVERIFY(direct);
    QCOMPARE(direct->param(1), QByteArray("after part"));
}

void TestChatServer::privateMessageReachesOnlyItsTarget()
{
    QVERIFY(startServer());
    Clients clients = joinedClients(3, "#room");
    QCOMPARE(int(clients.size()), 3);
    clients[0]->send("PRIVMSG USER2 :psst"); // nicks compare case-insensitively
    auto got = clients[2]->expect("PRIVMSG");
    QVERIFY(got);
    QCOMPARE(got->params, (QList<QByteArray> {"user2", "psst"}));
    QCOMPARE(got->sourceNick(), QByteArray("user0"));
    clients[0]->send("NOTICE user2 :hint");
    QCOMPARE(clients[2]->expect("NOTICE")->param(1), QByteArray("hint"));
    QVERIFY(!clients[1]->expect("PRIVMSG", 200));
}

void TestChatServer::droppedConnectionIsAnnouncedAsQuit()
{
    QVERIFY(startServer());
    Clients clients = joinedClients(2, "#room");
    QCOMPARE(int(clients.size()), 2);
    clients[1]->socket().abort();
    auto quit = clients[0]->expect("QUIT");
    QVERIFY(quit);
    QCOMPARE(quit->sourceNick(), QByteArray("user1"));
    QVERIFY(!quit->param(0).isEmpty());
}

void TestChatServer::stopDeliversAcceptedLinesThenErrorAndRestarts()
{
    QVERIFY(startServer());
    const quint16 port = m_server->serverPort();
    Clients clients = joinedClients(4, "#room");
    QCOMPARE(int(clients.size()), 4);
    constexpr int Lines = 50;
    for (int i = 0; i < Lines; ++i)
        clients[0]->send("PRIVMSG #room :" + QByteArray::number(i));
    // The server has accepted every line once the sender's own PING is answered after them.
    clients[0]->send("PING :fence");
    QVERIFY(clients[0]->expect("PONG"));

    QSignalSpy stopped(m_server.get(), &Server::ChatServer::stopped);
    m_server->stop();
    // It returns at once: the threads end, and stopped() follows, while the event loop runs.
    QCOMPARE(m_server->state(), Server::ChatServer::State::Stopping);
    QVERIFY(stopped.isEmpty());
    QVERIFY(stopped.wait());
    QCOMPARE(m_server->state(), Server::ChatServer::State::Stopped);
    QCOMPARE(m_server->threadCount(), 0);
    QCOMPARE(m_server->strandedThreadCount(), 0);
    for (int c = 1; c < 4; ++c) {
        QVERIFY(clients[c]->waitForDisconnected());
        const QList<Irc::IrcMessage> lines = clients[c]->collect("PRIVMSG", Lines, 100);
        QCOMPARE(lines.size(), Lines);
        auto error = clients[c]->expect("ERROR", 100);
        QVERIFY(error);
        QCOMPARE(error->param(0), QByteArray("Server shutting down"));
        QVERIFY(clients[c]->pending().isEmpty()); // ERROR is the last line
    }

    Server::ServerConfig again = m_server->config();
    again.port = port;
    QVERIFY2(m_server->start(again), qPrintable(m_server->startError()));
    RawClient fresh;
    QVERIFY(fresh.connectTo(port));
    QVERIFY(fresh.registerAs("user0")); // the old registry is gone with the old run
}

void TestChatServer::threadsFollowTheModel()
{
    QFETCH(Server::ThreadingModel, model);
    QVERIFY(startServer());
    const int idleThreads = m_server->threadCount();
    QCOMPARE(idleThreads,
             model == Server::ThreadingModel::PerConnection ? 0
                 : model == Server::ThreadingModel::Single  ? 1
                                                            : 3);
    Clients clients = joinedClients(5, "#t");
    QCOMPARE(int(clients.size()), 5);
    QCOMPARE(m_server->clientCount(), 5);
    QCOMPARE(m_server->threadCount(),
             model == Server::ThreadingModel::PerConnection ? 5 : idleThreads);

    clients.clear();
    QTRY_COMPARE(m_server->clientCount(), 0);
    QTRY_COMPARE(m_server->threadCount(), idleThreads);
}

void TestChatServer::signalsNameTheServingThread()
{
    QFETCH(Server::ThreadingModel, model);
    QSignalSpy connected(m_server.get(), &Server::ChatServer::clientConnected);
    QSignalSpy registered(m_server.get(), &Server::ChatServer::clientRegistered);
    QSignalSpy relayed(m_server.get(), &Server::ChatServer::messagesRelayed);
    QSignalSpy stats(m_server.get(), &Server::ChatServer::statsUpdated);
    m_server->setStatsInterval(50);
    QVERIFY(startServer());
    Clients clients = joinedClients(2, "#s");
    QCOMPARE(int(clients.size()), 2);
    QCOMPARE(connected.size(), 2);
    QCOMPARE(registered.size(), 2);
    const QString thread = connected.at(1).at(2).toString();
    const QString expected = model == Server::ThreadingModel::PerConnection
        ? QStringLiteral("conn-2")
        : model == Server::ThreadingModel::Single ? QStringLiteral("single")
                                                  : QStringLiteral("worker-");
    QVERIFY2(thread.startsWith(expected), qPrintable(thread));
    QCOMPARE(registered.at(1).at(1).toString(), QStringLiteral("user1"));

    clients[0]->send("PRIVMSG #s :hello 你好");
    QVERIFY(relayed.wait());
    const auto batch = relayed.at(0).at(0).value<QList<Server::RelayedMessage>>();
    QCOMPARE(batch.size(), 1);
    QCOMPARE(batch[0].from, QStringLiteral("user0"));
    QCOMPARE(batch[0].target, QStringLiteral("#s"));
    QCOMPARE(batch[0].text, QStringLiteral("hello 你好"));
    QCOMPARE(batch[0].thread, connected.at(0).at(2).toString());
    QTRY_VERIFY(!stats.isEmpty());
    const auto threads = stats.constLast().at(0).value<QList<Server::ThreadStats>>();
    QCOMPARE(int(threads.size()), m_server->threadCount());
}

void TestChatServer::stopCutsAPeerThatNeverReadsAfterTheGracePeriod()
{
    QFETCH(Server::ThreadingModel, model);
    Server::ServerConfig config;
    config.port = 0;
    config.threading = model;
    config.workers = 2;
    config.limits.noLimits = true;
    // Room for all of it in the server's own queue: the peer is to be cut by the stop, not by
    // the send-queue limit.
    config.limits.sendQueueBytes = 64 * 1024 * 1024;
    QVERIFY(m_server->start(config));
    Clients readers = joinedClients(2, "#room");
    QCOMPARE(int(readers.size()), 2);
    auto stalled = std::make_unique<RawClient>();
    QVERIFY(stalled->connectWithTinyReceiveBuffer(m_server->serverPort()));
    QVERIFY(stalled->registerAs("stalled"));
    stalled->send("JOIN #room");
    QVERIFY(stalled->expect(Numeric::EndOfNames));
    QVERIFY(readers[1]->expect("JOIN"));
    stalled->setReading(false);

    // More than the kernel's largest socket send buffer (4 MiB), so that the buffer is full and
    // the rest waits in the server's queue. The reader takes each batch before the next.
    const QByteArray padding(400, '.');
    constexpr int Batch = 500;
    constexpr int Lines = 12'000;
    for (int sent = 0; sent < Lines; sent += Batch) {
        for (int i = sent; i < sent + Batch; ++i)
            readers[0]->send("PRIVMSG #room :" + QByteArray::number(i) + ' ' + padding);
        QCOMPARE(readers[1]->collect("PRIVMSG", Batch, 10'000).size(), Batch);
    }

    QSignalSpy stopped(m_server.get(), &Server::ChatServer::stopped);
    m_server->stop();
    // The reader hears ERROR at once; the stop itself waits out the stalled peer's grace.
    auto error = readers[1]->expect("ERROR");
    QVERIFY(error);
    QCOMPARE(error->param(0), QByteArray("Server shutting down"));
    QVERIFY(readers[1]->waitForDisconnected());
    QVERIFY(stopped.isEmpty());
    QVERIFY(stopped.wait(Server::ChatServer::StopDeadlineMs));
    QCOMPARE(m_server->strandedThreadCount(), 0);

    // Cut, not closed in order: what the kernel held arrives, the ERROR queued after the rest
    // never does.
    stalled->socket().setSocketOption(QAbstractSocket::ReceiveBufferSizeSocketOption, 1 << 20);
    stalled->setReading(true);
    QVERIFY(stalled->socket().waitForDisconnected(10'000));
    const QList<Irc::IrcMessage> seen = stalled->collect("PRIVMSG", 0, 0);
    QVERIFY2(seen.size() < Lines, qPrintable(QString::number(seen.size())));
    QVERIFY(!stalled->expect("ERROR", 0));
}

void TestChatServer::stopReportsAThreadThatDoesNotEndAndStillStops()
{
    Server::ServerConfig config;
    config.port = 0;
    config.threading = Server::ThreadingModel::Pool;
    config.workers = 2;
    config.limits.noLimits = true;
    QSignalSpy connected(m_server.get(), &Server::ChatServer::clientConnected);
    QVERIFY(m_server->start(config));
    Clients clients = joinedClients(2, "#room"); // one on each worker
    QCOMPARE(int(clients.size()), 2);
    QCOMPARE(connected.size(), 2);
    const QString stuckName = connected.at(1).at(2).toString();
    QVERIFY(stuckName != connected.at(0).at(2).toString());

    // Worker 2's thread stops serving, as a bug would (an endless loop, a deadlock).
    Server::WorkerThread *stuck
        = m_server->m_workers.at(stuckName == QStringLiteral("worker-1") ? 0 : 1);
    QCOMPARE(stuck->name(), stuckName);
    // Shared with the worker's thread, which may outlive this test if it fails.
    const auto entered = std::make_shared<QSemaphore>();
    const auto release = std::make_shared<QSemaphore>();
    auto unblock = qScopeGuard([release] { release->release(); });
    QMetaObject::invokeMethod(
        stuck->worker(),
        [entered, release] {
            entered->release();
            release->acquire();
        },
        Qt::QueuedConnection);
    QVERIFY(entered->tryAcquire(1, 5000));

    QSignalSpy stranded(m_server.get(), &Server::ChatServer::threadsStranded);
    QSignalSpy stopped(m_server.get(), &Server::ChatServer::stopped);
    m_server->stop();
    // The other worker's client is let go without waiting for the stuck thread.
    auto error = clients[0]->expect("ERROR", Server::ChatServer::StopDeadlineMs);
    QVERIFY(error);
    QVERIFY(clients[0]->waitForDisconnected());
    QVERIFY(stopped.isEmpty());
    // At the deadline the stuck thread is named, and the server stops all the same.
    QVERIFY(stopped.wait(Server::ChatServer::StopDeadlineMs + 5000));
    QCOMPARE(stranded.size(), 1);
    QCOMPARE(stranded.at(0).at(0).toStringList(), QStringList {stuckName});
    QCOMPARE(m_server->strandedThreadCount(), 1);

    // It starts again beside the stuck thread, with a registry of its own.
    QVERIFY(m_server->start(config));
    RawClient fresh;
    QVERIFY(fresh.connectTo(m_server->serverPort()));
    QVERIFY(fresh.registerAs("user1"));

    // Once it runs again, the stuck thread finishes its stop and is deleted.
    release->release();
    unblock.dismiss();
    error = clients[1]->expect("ERROR");
    QVERIFY(error);
    QCOMPARE(error->param(0), QByteArray("Server shutting down"));
    QTRY_COMPARE(m_server->strandedThreadCount(), 0);
}

void TestChatServer::relayedLinesAreCollectedOnlyWhileObserved()
{
    Server::ServerConfig config;
    config.port = 0;
    config.limits.noLimits = true;
    QVERIFY(m_server->start(config));
    Clients clients = joinedClients(2, "#o");
    QCOMPARE(int(clients.size()), 2);
    QVERIFY(!m_server->isCollectingRelays());
    clients[0]->send("PRIVMSG #o :unobserved");
    QVERIFY(clients[1]->expect("PRIVMSG"));

    constexpr int Lines = 40;
    {
        QSignalSpy relayed(m_server.get(), &Server::ChatServer::messagesRelayed);
        QVERIFY(m_server->isCollectingRelays());
        for (int i = 0; i < Lines; ++i)
            clients[0]->send("PRIVMSG #o :" + QByteArray::number(i));
        QTRY_COMPARE(relayedTexts(relayed).size(), Lines);
        QStringList expected;
        for (int i = 0; i < Lines; ++i)
            expected.append(QString::number(i));
        QCOMPARE(relayedTexts(relayed), expected); // in order, without the unobserved line
        QVERIFY2(relayed.size() < Lines, "a signal per line rather than per batch");
    }
    QVERIFY(!m_server->isCollectingRelays()); // the spy is gone

    QObject receiver;
    const auto connection
        = connect(m_server.get(), &Server::ChatServer::messagesRelayed, &receiver, [] {});
    QVERIFY(m_server->isCollectingRelays());
    disconnect(connection);
    QVERIFY(!m_server->isCollectingRelays());
    connect(m_server.get(), &Server::ChatServer::messagesRelayed, &receiver, [] {});
    QVERIFY(m_server->isCollectingRelays());
    m_server->disconnect(&receiver);
    QVERIFY(!m_server->isCollectingRelays());
}

namespace {

int openDescriptors()
{
    return int(QDir(QStringLiteral("/proc/self/fd")).entryList(QDir::NoDotAndDotDot).size());
}

} // namespace

void TestChatServer::acceptingResumesAfterRunningOutOfDescriptors()
{
    Server::ServerConfig config;
    config.port = 0;
    QVERIFY(m_server->start(config)); // its client cap follows the open-file limit as it is now
    RawClient early;
    QVERIFY(early.connectTo(m_server->serverPort()));
    QVERIFY(early.registerAs("early"));

    // Lower this process's open-file limit and fill the table, but for one descriptor: the new
    // client's socket takes it, and the server has none left to accept that client with.
    rlimit original {};
    QCOMPARE(getrlimit(RLIMIT_NOFILE, &original), 0);
    std::vector<int> fillers;
    const auto freeDescriptors = [&] {
        for (int fd : fillers)
            ::close(fd);
        fillers.clear();
        setrlimit(RLIMIT_NOFILE, &original);
    };
    auto restoreOnFailure = qScopeGuard(freeDescriptors);
    rlimit lowered = original;
    lowered.rlim_cur = rlim_t(openDescriptors() + 16);
    QCOMPARE(setrlimit(RLIMIT_NOFILE, &lowered), 0);
    for (int fd; (fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC)) >= 0;)
        fillers.push_back(fd);
    QCOMPARE(errno, EMFILE);
    ::close(fillers.back());
    fillers.pop_back();

    QTest::ignoreMessage(
        QtWarningMsg,
        QRegularExpression(QStringLiteral("accepting a connection failed.*trying again")));
    RawClient late;
    QVERIFY(late.connectTo(m_server->serverPort())); // the kernel completes it, in the backlog
    late.send("NICK late");
    late.send("USER late 0 * :late");
    // The server keeps running: the client it has is served, the new one waits.
    early.send("PING :still there");
    QVERIFY(early.expect("PONG"));
    QVERIFY(!late.expect(Numeric::Welcome, 1000)); // past a retry or two
    QVERIFY(m_server->isRunning());

    freeDescriptors(); // the next retry accepts
    QVERIFY(late.expect(Numeric::Welcome));
}

void TestChatServer::startFailsClearlyWhenThePortIsTaken()
{
    QTcpServer occupant;
    QVERIFY(occupant.listen(QHostAddress::LocalHost, 0));
    Server::ServerConfig config;
    config.port = occupant.serverPort();
    QSignalSpy failed(m_server.get(), &Server::ChatServer::startFailed);
    QVERIFY(!m_server->start(config));
    QVERIFY2(m_server->startError().contains(QString::number(config.port)),
             qPrintable(m_server->startError()));
    QCOMPARE(failed.size(), 1);
    QCOMPARE(failed.at(0).at(0).toString(), m_server->startError());
    QCOMPARE(m_server->threadCount(), 0);
    config.port = 0;
    QVERIFY(m_server->start(config)); // a failed start leaves nothing behind
}

// SO_REUSEPORT, as the processes of `qtchat --processes N` use it: two servers on one port,
// the kernel spreading connections over both; a server that did not ask cannot join them.
void TestChatServer::serversShareAPortOnlyWhenAsked()
{
    Server::ServerConfig config;
    config.port = 0;
    config.sharePort = true;
    QVERIFY2(m_server->start(config), qPrintable(m_server->startError()));
    config.port = m_server->serverPort();
    Server::ChatServer second;
    QVERIFY2(second.start(config), qPrintable(second.startError()));
    QCOMPARE(second.serverPort(), config.port);
    Server::ChatServer unshared;
    config.sharePort = false;
    QVERIFY(!unshared.start(config));
    QVERIFY2(unshared.startError().contains(QString::number(config.port)),
             qPrintable(unshared.startError()));

    QSignalSpy firstServed(m_server.get(), &Server::ChatServer::clientConnected);
    QSignalSpy secondServed(&second, &Server::ChatServer::clientConnected);
    // The kernel picks a listener by a hash of each connection's addresses: a few dozen
    // connections reach both unless sharing does not work.
    constexpr int MaxClients = 64;
    Clients clients;
    while ((firstServed.isEmpty() || secondServed.isEmpty()) && clients.size() < MaxClients) {
        clients.push_back(std::make_unique<RawClient>());
        QVERIFY(clients.back()->connectTo(config.port));
        QVERIFY(clients.back()->registerAs("user" + QByteArray::number(clients.size())));
    }
    QVERIFY2(!firstServed.isEmpty() && !secondServed.isEmpty(),
             qPrintable(QStringLiteral("%1 and %2 of %3 clients")
                            .arg(firstServed.size())
                            .arg(secondServed.size())
                            .arg(clients.size())));
    QVERIFY(stopAndWait(second));
    // The port goes on serving with one listener left.
    RawClient after;
    QVERIFY(after.connectTo(config.port));
    QVERIFY(after.registerAs("after"));
}

void TestChatServer::startRejectsInvalidConfig()
{
    Server::ServerConfig config;
    config.port = 0;
    config.serverName = "two words";
    QVERIFY(!m_server->start(config));
    QVERIFY(!m_server->startError().isEmpty());
    config.serverName = "ok";
    config.workers = -1;
    QVERIFY(!m_server->start(config));
    QVERIFY(!m_server->isRunning());
}

QTEST_GUILESS_MAIN(TestChatServer)
#include "tst_chatserver.moc"
