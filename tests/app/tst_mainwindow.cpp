// The desktop app as a person uses it: click Start, chat from several windows, switch the
// threading model, switch the language, close the window while clients are connected. Real
// server, real sockets, offscreen windows.
#include "app/appsettings.h"
#include "app/chatwidget.h"
#include "app/clientwindow.h"
#include "app/loadpanel.h"
#include "app/logview.h"
#include "app/mainwindow.h"
#include "app/processserver.h"
#include "app/serverpanel.h"
#include "app/threadsview.h"
#include "clientlib/chatclient.h"
#include "protocol/numerics.h"
#include "tests/support/freeport.h"
#include "tests/support/rawclient.h"
#include "tests/support/redisprocess.h"
#include "tests/support/serversignals.h"
#include "tests/support/testcertificate.h"

#include <QComboBox>
#include <QDockWidget>
#include <QFileInfo>
#include <QLabel>
#include <QPushButton>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QScrollArea>
#include <QScrollBar>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTabWidget>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

namespace Numeric = Irc::Numeric;

namespace {

constexpr int Timeout = 10000;

bool logContains(App::LogView *log, const QString &text)
{
    log->model()->flush();
    return log->visibleLines().join(u'\n').contains(text);
}

bool transcriptContains(App::ChatWidget *chat, const QString &channel, const QString &text)
{
    App::ConversationView *view = chat->conversation(channel);
    return view && view->transcript().contains(text);
}

} // namespace

class TestMainWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void clickingStartListensAndThePaneJoinsTheLobby();
    void twoClientWindowsChatWithEachOther();
    void switchingTheThreadingModelKeepsChatWorking_data();
    void switchingTheThreadingModelKeepsChatWorking();
    void portInUseIsShownInTheWindow();
    void languageSwitchesAtRuntime();
    void tlsServerIsJoinedByTheAppsOwnWindows();
    void closingWaitsForTheServerToStopWithoutBlocking();
    void clusterLinkShowsInTheStatusLineAndTheLog();
    void processesServeThePortWithARowEach();
    void processesRefusedByRedisSayWhyInTheStatusLine();
    void relayedLinesReachTheLogInBatches();
    void unreadLinesShowInTheWindowTitle();
    void nothingIsCutOff_data();
    void nothingIsCutOff();
    void fitsAScreenScaledUpTwice();
    void docksKeepTheirPlaceAcrossRuns();

private:
    void clickStartStop();
    // Click Start (or Stop) and wait until the server runs (or has stopped).
    bool clickAndWaitFor(Server::ServerController::State state);

    QTemporaryDir m_dir;
    std::unique_ptr<App::MainWindow> m_window;
};

void TestMainWindow::initTestCase()
{
    QVERIFY(m_dir.isValid());
    App::AppSettings::setFileName(m_dir.filePath(QStringLiteral("qtchat.ini")));
    App::AppSettings::instance()->setLanguage(QStringLiteral("en"));
}

void TestMainWindow::init()
{
    App::AppSettings::instance()->setPort(freeLoopbackPort());
    m_window = std::make_unique<App::MainWindow>(QStringLiteral("tester"));
    m_window->server()->setStatsInterval(50);
    m_window->show();
}

void TestMainWindow::cleanup()
{
    m_window.reset();
}

// A cluster node's link to Redis, as the panel's status line and the log say it: linked, lost
// when Redis dies, linked again when it is back.
void TestMainWindow::clusterLinkShowsInTheStatusLineAndTheLog()
{
    RedisProcess redis;
    QVERIFY2(redis.start(), qPrintable(redis.errorString()));
    App::AppSettings *settings = App::AppSettings::instance();
    settings->setCluster(redis.url());
    settings->setNodeName(QStringLiteral("app-node"));
    const auto standAlone = qScopeGuard([settings] {
        settings->setCluster(QString());
        settings->setNodeName(QString());
    });
    settings->setNoStorage(true);
    const auto storage = qScopeGuard([settings] { settings->setNoStorage(false); });
    App::ServerPanel *panel = m_window->serverPanel();
    QVERIFY(clickAndWaitFor(Server::ServerController::State::Running));
    QTRY_VERIFY2_WITH_TIMEOUT(panel->statusText().contains(u"Redis linked on app-node"),
                              qPrintable(panel->statusText()), Timeout);
    QVERIFY(logContains(m_window->logView(),
                        QStringLiteral("Cluster node app-node: linked to Redis.")));

    redis.kill();
    // With the reason: the log has it whole.
    QTRY_VERIFY2_WITH_TIMEOUT(panel->statusText().contains(u"Redis link lost on app-node ("),
                              qPrintable(panel->statusText()), Timeout);
    QVERIFY(logContains(m_window->logView(),
                        QStringLiteral("Cluster node app-node: the link to Redis is lost")));
    QVERIFY2(redis.start(), qPrintable(redis.errorString()));
    QTRY_VERIFY2_WITH_TIMEOUT(panel->statusText().contains(u"Redis linked again on app-node"),
                              qPrintable(panel->statusText()), 2 * Timeout);
    QVERIFY(logContains(m_window->logView(),
                        QStringLiteral("Cluster node app-node: linked to Redis again.")));
    QVERIFY(clickAndWaitFor(Server::ServerController::State::Stopped));
}

// "Processes": the panel starts that many server processes on its port (and their private
// redis-server), the threads view has a row per process with its pid and clients, the log names
// the process that serves each client, and Stop ends the processes, then Redis.
void TestMainWindow::processesServeThePortWithARowEach()
{
    App::AppSettings *settings = App::AppSettings::instance();
    settings->setNoStorage(true);
    const auto storage = qScopeGuard([settings] {
        settings->setNoStorage(false);
        settings->setProcesses(0);
    });
    m_window->processServer()->setProgram(QStringLiteral(QTCHAT_BINARY));
    App::ServerPanel *panel = m_window->serverPanel();
    panel->threadingBox()->setCurrentIndex(App::ServerPanel::ProcessesIndex);
    QVERIFY(panel->processesBox()->isVisible());
    panel->processesBox()->setValue(2);
    clickStartStop();
    QTRY_COMPARE_WITH_TIMEOUT(m_window->serverState(), Server::ServerController::State::Running,
                              2 * Timeout);
    QCOMPARE(settings->processes(), 2);

    App::ThreadsView *rows = m_window->threadsView();
    QTRY_COMPARE_WITH_TIMEOUT(rows->rowCount(), 2, Timeout);
    QVERIFY2(rows->summaryText().startsWith(u"2 process"), qPrintable(rows->summaryText()));
    const QRegularExpression rowName(QStringLiteral("^(\\S+-[12]) \\(pid (\\d+)\\)$"));
    QList<qint64> pids;
    for (int row = 0; row < 2; ++row) {
        const QRegularExpressionMatch match = rowName.match(rows->threadName(row));
        QVERIFY2(match.hasMatch(), qPrintable(rows->threadName(row)));
        pids << match.captured(2).toLongLong();
        QVERIFY(QFileInfo::exists(QStringLiteral("/proc/%1").arg(pids.last())));
    }
    QVERIFY(pids[0] != pids[1]);
    // Each process is a node of the cluster on the private Redis, and says it is linked.
    const QString node1 = rowName.match(rows->threadName(0)).captured(1);
    const QString node2 = rowName.match(rows->threadName(1)).captured(1);
    QTRY_VERIFY2_WITH_TIMEOUT(panel->statusText().contains(u"Redis linked on")
                                  && panel->statusText().contains(node1)
                                  && panel->statusText().contains(node2),
                              qPrintable(panel->statusText()), Timeout);

    // The chat pane is one client; this is another. Both are counted, wherever they landed.
    RawClient client;
    QVERIFY(client.connectTo(quint16(settings->port())));
    QVERIFY(client.registerAs("visitor"));
    const auto clients = [rows] {
        int total = 0;
        for (int row = 0; row < rows->rowCount(); ++row)
            total += rows->cellText(row, App::ThreadsView::ClientsColumn).toInt();
        return total;
    };
    QTRY_COMPARE_WITH_TIMEOUT(clients(), 2, Timeout);
    const QString served
        = QStringLiteral("connected from 127.0.0.1:%1").arg(client.socket().localPort());
    const QRegularExpression servedBy(QStringLiteral("\\[INFO\\] \\S+-[12] (\\d+): .*%1")
                                          .arg(QRegularExpression::escape(served)));
    QTRY_VERIFY_WITH_TIMEOUT(logContains(m_window->logView(), served), Timeout);
    m_window->logView()->model()->flush();
    const QRegularExpressionMatch line
        = servedBy.match(m_window->logView()->visibleLines().join(u'\n'));
    QVERIFY2(line.hasMatch(), qPrintable(m_window->logView()->visibleLines().join(u'\n')));
    QVERIFY(pids.contains(line.captured(1).toLongLong()));
    // The figures go to the threads view, not to the log.
    QVERIFY(!logContains(m_window->logView(), QStringLiteral("qtchat-stats")));

    // The private redis-server dies: the processes say their link is lost, the supervisor
    // starts it again, and they link again. Said in the log, which keeps every step.
    const QRegularExpressionMatch redis
        = QRegularExpression(QStringLiteral("\\[INFO\\] redis-server (\\d+): "))
              .match(m_window->logView()->visibleLines().join(u'\n'));
    QVERIFY2(redis.hasMatch(), qPrintable(m_window->logView()->visibleLines().join(u'\n')));
    QCOMPARE(::kill(pid_t(redis.captured(1).toLongLong()), SIGKILL), 0);
    for (const QString &node : {node1, node2}) {
        QTRY_VERIFY_WITH_TIMEOUT(
            logContains(m_window->logView(),
                        QStringLiteral("Cluster node %1: the link to Redis is lost (").arg(node)),
            Timeout);
        QTRY_VERIFY_WITH_TIMEOUT(
            logContains(m_window->logView(),
                        QStringLiteral("Cluster node %1: linked to Redis again.").arg(node)),
            Timeout);
    }
    QVERIFY(logContains(m_window->logView(), QStringLiteral("killed by signal 9 after")));
    QTRY_VERIFY2_WITH_TIMEOUT(panel->statusText().contains(u"Redis linked again on"),
                              qPrintable(panel->statusText()), Timeout);

    clickStartStop();
    QCOMPARE(m_window->serverState(), Server::ServerController::State::Stopping);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->serverState(), Server::ServerController::State::Stopped,
                              2 * Timeout);
    QVERIFY(client.waitForDisconnected());
    for (qint64 pid : pids)
        QVERIFY(!QFileInfo::exists(QStringLiteral("/proc/%1").arg(pid)));
    QVERIFY(logContains(m_window->logView(), QStringLiteral("every process ended, then Redis")));
    QCOMPARE(rows->rowCount(), 0);
}

// "Processes" on a Redis that asks for a password the cluster URL gets wrong: each process
// serves but never links, and the status line says why, in a few words; the log has Redis'
// own. Neither ever shows the password.
void TestMainWindow::processesRefusedByRedisSayWhyInTheStatusLine()
{
    const QString password = QStringLiteral("s3cret-the-app-gets-wrong");
    RedisProcess redis;
    redis.setExtraArguments({QStringLiteral("--requirepass"), QStringLiteral("right-one")});
    QVERIFY2(redis.start(), qPrintable(redis.errorString()));
    App::AppSettings *settings = App::AppSettings::instance();
    settings->setNoStorage(true);
    settings->setCluster(
        QStringLiteral("redis://:%1@127.0.0.1:%2").arg(password).arg(redis.port()));
    settings->setNodeName(QStringLiteral("pw"));
    const auto restore = qScopeGuard([settings] {
        settings->setNoStorage(false);
        settings->setProcesses(0);
        settings->setCluster(QString());
        settings->setNodeName(QString());
    });
    m_window->processServer()->setProgram(QStringLiteral(QTCHAT_BINARY));
    App::ServerPanel *panel = m_window->serverPanel();
    panel->threadingBox()->setCurrentIndex(App::ServerPanel::ProcessesIndex);
    panel->processesBox()->setValue(2);
    clickStartStop();
    QTRY_COMPARE_WITH_TIMEOUT(m_window->serverState(), Server::ServerController::State::Running,
                              2 * Timeout);
    QTRY_VERIFY2_WITH_TIMEOUT(
        panel->statusText().contains(
            u"Redis link lost on pw-1, pw-2 (Redis password wrong or missing): local users only"),
        qPrintable(panel->statusText()), Timeout);
    QVERIFY(logContains(m_window->logView(),
                        QStringLiteral("Cluster node pw-1: the link to Redis is lost (Redis "
                                       "refused the password (WRONGPASS")));
    m_window->logView()->model()->flush();
    const QString log = m_window->logView()->visibleLines().join(u'\n');
    QVERIFY2(log.contains(QStringLiteral("redis://:****@127.0.0.1")), qPrintable(log));
    QVERIFY2(!log.contains(password), qPrintable(log));
    QVERIFY(!panel->statusText().contains(password));

    clickStartStop();
    QTRY_COMPARE_WITH_TIMEOUT(m_window->serverState(), Server::ServerController::State::Stopped,
                              2 * Timeout);
}

void TestMainWindow::clickStartStop()
{
    QTest::mouseClick(m_window->serverPanel()->startStopButton(), Qt::LeftButton);
}

bool TestMainWindow::clickAndWaitFor(Server::ServerController::State state)
{
    clickStartStop();
    return QTest::qWaitFor([&] { return m_window->server()->state() == state; }, Timeout);
}

void TestMainWindow::clickingStartListensAndThePaneJoinsTheLobby()
{
    QPushButton *button = m_window->serverPanel()->startStopButton();
    clickStartStop();
    // Starting is a round trip to the server's thread: the button waits for it.
    QCOMPARE(m_window->server()->state(), Server::ServerController::State::Starting);
    QVERIFY(!button->isEnabled());
    QTRY_VERIFY(m_window->server()->isRunning());
    QCOMPARE(button->text(), QStringLiteral("Stop"));
    QVERIFY(button->isEnabled());
    QTRY_VERIFY_WITH_TIMEOUT(m_window->paneClient()->isJoined(QStringLiteral("#lobby")), Timeout);
    QVERIFY(m_window->chatPane()->conversation(QStringLiteral("#lobby")));
    QTRY_VERIFY(logContains(m_window->logView(), QStringLiteral("registered as tester")));

    // An outside IRC client sees the pane in #lobby.
    RawClient outsider;
    QVERIFY(outsider.connectTo(m_window->server()->serverPort()));
    QVERIFY(outsider.registerAs("outsider"));
    outsider.send("NAMES #lobby");
    auto names = outsider.expect(Numeric::NamReply);
    QVERIFY(names);
    QVERIFY(names->param(3).split(' ').contains("@tester"));
    QTRY_VERIFY(m_window->serverPanel()->statusText().contains(QStringLiteral("2 client")));

    clickStartStop();
    // Stop returns at once; the panel says so until the server has stopped.
    QCOMPARE(m_window->server()->state(), Server::ServerController::State::Stopping);
    QCOMPARE(button->text(), QStringLiteral("Stopping…"));
    QVERIFY(!button->isEnabled());
    QVERIFY(m_window->serverPanel()->statusText().startsWith(QStringLiteral("Stopping")));
    QTRY_COMPARE(m_window->server()->state(), Server::ServerController::State::Stopped);
    QCOMPARE(button->text(), QStringLiteral("Start"));
    QCOMPARE(m_window->server()->threadCount(), 0);
    QVERIFY(outsider.expect("ERROR"));
    QVERIFY(logContains(m_window->logView(), QStringLiteral("Server stopped")));
}

void TestMainWindow::twoClientWindowsChatWithEachOther()
{
    QVERIFY(clickAndWaitFor(Server::ServerController::State::Running));
    App::ClientWindow *first = m_window->openClientWindow();
    App::ClientWindow *second = m_window->openClientWindow();
    QCOMPARE(m_window->clientWindows().size(), 2);
    QTRY_VERIFY_WITH_TIMEOUT(first->client()->isJoined(QStringLiteral("#lobby")), Timeout);
    QTRY_VERIFY_WITH_TIMEOUT(second->client()->isJoined(QStringLiteral("#lobby")), Timeout);

    first->chat()->submit(QStringLiteral("hello from the first window 你好"));
    QTRY_VERIFY(transcriptContains(second->chat(), QStringLiteral("#lobby"),
                                   QStringLiteral("hello from the first window 你好")));
    QTRY_VERIFY(transcriptContains(m_window->chatPane(), QStringLiteral("#lobby"),
                                   QStringLiteral("hello from the first window")));
    QTRY_VERIFY(logContains(m_window->logView(),
                            QStringLiteral("Message received from client: hello from the first")));

    const QString secondNick = second->client()->nick();
    second->close();
    QTRY_VERIFY(transcriptContains(first->chat(), QStringLiteral("#lobby"),
                                   secondNick + QStringLiteral(" quit")));
    QTRY_COMPARE(m_window->clientWindows().size(), 1);
}

void TestMainWindow::switchingTheThreadingModelKeepsChatWorking_data()
{
    QTest::addColumn<int>("modelIndex");
    QTest::addColumn<QString>("threadPrefix");
    QTest::newRow("per-connection") << 0 << QStringLiteral("conn-");
    QTest::newRow("pool") << 1 << QStringLiteral("worker-");
    QTest::newRow("single") << 2 << QStringLiteral("single");
}

void TestMainWindow::switchingTheThreadingModelKeepsChatWorking()
{
    QFETCH(int, modelIndex);
    QFETCH(QString, threadPrefix);
    QVERIFY(clickAndWaitFor(Server::ServerController::State::Running)); // with the saved model
    QVERIFY(clickAndWaitFor(Server::ServerController::State::Stopped)); // as a user switching does
    m_window->serverPanel()->threadingBox()->setCurrentIndex(modelIndex);
    QVERIFY(clickAndWaitFor(Server::ServerController::State::Running));
    App::ClientWindow *guest = m_window->openClientWindow();
    QTRY_VERIFY_WITH_TIMEOUT(guest->client()->isJoined(QStringLiteral("#lobby")), Timeout);
    QTRY_VERIFY_WITH_TIMEOUT(m_window->paneClient()->isJoined(QStringLiteral("#lobby")), Timeout);
    guest->chat()->submit(QStringLiteral("model check"));
    QTRY_VERIFY(transcriptContains(m_window->chatPane(), QStringLiteral("#lobby"),
                                   QStringLiteral("model check")));
    App::ThreadsView *threads = m_window->threadsView();
    QTRY_COMPARE(threads->rowCount(), m_window->server()->threadCount());
    QVERIFY2(threads->threadName(0).startsWith(threadPrefix), qPrintable(threads->threadName(0)));
}

void TestMainWindow::portInUseIsShownInTheWindow()
{
    QTcpServer occupant;
    QVERIFY(occupant.listen(QHostAddress::LocalHost, 0));
    App::AppSettings::instance()->setPort(occupant.serverPort());
    m_window = std::make_unique<App::MainWindow>(QStringLiteral("tester"));
    QSignalSpy failed(m_window->server(), &Server::ServerController::startFailed);
    clickStartStop();
    QVERIFY(failed.wait());
    QVERIFY(!m_window->server()->isRunning());
    QVERIFY2(m_window->serverPanel()->statusText().contains(QString::number(occupant.serverPort())),
             qPrintable(m_window->serverPanel()->statusText()));
    QCOMPARE(m_window->serverPanel()->startStopButton()->text(), QStringLiteral("Start"));
    QVERIFY(m_window->serverPanel()->startStopButton()->isEnabled());
}

void TestMainWindow::languageSwitchesAtRuntime()
{
    QPushButton *button = m_window->serverPanel()->startStopButton();
    QCOMPARE(button->text(), QStringLiteral("Start"));
    auto backToEnglish = qScopeGuard([this] { m_window->setLanguage(QStringLiteral("en")); });
    m_window->setLanguage(QStringLiteral("zh_CN"));
    QTRY_COMPARE(button->text(), QStringLiteral("启动"));
    QVERIFY(m_window->windowTitle().contains(QStringLiteral("QtChat")));
    QVERIFY(clickAndWaitFor(Server::ServerController::State::Running));
    clickStartStop();
    QCOMPARE(button->text(), QStringLiteral("正在停止…"));
    QTRY_COMPARE(button->text(), QStringLiteral("启动"));
    m_window->setLanguage(QStringLiteral("en"));
    QTRY_COMPARE(button->text(), QStringLiteral("Start"));
}

void TestMainWindow::tlsServerIsJoinedByTheAppsOwnWindows()
{
    const QString problem = makeTestCertificate(m_dir.path());
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    App::AppSettings *settings = App::AppSettings::instance();
    settings->setTlsCertificatePath(m_dir.filePath(QStringLiteral("cert.pem")));
    settings->setTlsKeyPath(m_dir.filePath(QStringLiteral("key.pem")));
    auto forgetTls = qScopeGuard([settings] {
        settings->setTlsCertificatePath(QString());
        settings->setTlsKeyPath(QString());
    });
    m_window = std::make_unique<App::MainWindow>(QStringLiteral("tester"));
    QVERIFY2(clickAndWaitFor(Server::ServerController::State::Running),
             qPrintable(m_window->serverPanel()->statusText()));
    QTRY_VERIFY_WITH_TIMEOUT(m_window->paneClient()->isJoined(QStringLiteral("#lobby")), Timeout);
    App::ClientWindow *guest = m_window->openClientWindow();
    QTRY_VERIFY_WITH_TIMEOUT(guest->client()->isJoined(QStringLiteral("#lobby")), Timeout);
    guest->chat()->submit(QStringLiteral("over TLS"));
    QTRY_VERIFY(transcriptContains(m_window->chatPane(), QStringLiteral("#lobby"),
                                   QStringLiteral("over TLS")));
}

void TestMainWindow::closingWaitsForTheServerToStopWithoutBlocking()
{
    QVERIFY(clickAndWaitFor(Server::ServerController::State::Running));
    RawClient outsider;
    QVERIFY(outsider.connectTo(m_window->server()->serverPort()));
    QVERIFY(outsider.registerAs("outsider"));
    App::ClientWindow *guest = m_window->openClientWindow();
    QTRY_VERIFY_WITH_TIMEOUT(guest->client()->isJoined(QStringLiteral("#lobby")), Timeout);

    QSignalSpy stopped(m_window->server(), &Server::ServerController::stopped);
    // The first close only asks the server to stop: it returns at once, the window stays.
    QVERIFY(!m_window->close());
    QVERIFY(m_window->isVisible());
    QCOMPARE(m_window->server()->state(), Server::ServerController::State::Stopping);
    QCOMPARE(m_window->serverPanel()->startStopButton()->text(), QStringLiteral("Stopping…"));
    QVERIFY(!m_window->close()); // a second close while stopping changes nothing
    // The window keeps serving events meanwhile; it closes once the server has stopped.
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->isVisible(), Timeout);
    QCOMPARE(stopped.size(), 1);
    QCOMPARE(m_window->server()->state(), Server::ServerController::State::Stopped);
    QVERIFY(outsider.expect("ERROR"));
    QVERIFY(m_window->clientWindows().isEmpty() || !guest->isVisible());
}

void TestMainWindow::relayedLinesReachTheLogInBatches()
{
    QVERIFY(clickAndWaitFor(Server::ServerController::State::Running));
    QVERIFY(m_window->server()->isCollectingRelays()); // the log listens
    RawClient talker;
    QVERIFY(talker.connectTo(m_window->server()->serverPort()));
    QVERIFY(talker.registerAs("talker"));
    talker.send("JOIN #lobby");
    QVERIFY(talker.expect(Numeric::EndOfNames));
    QSignalSpy relayed(m_window->server(), &Server::ServerController::messagesRelayed);
    constexpr int Lines = 12; // within the flood control's burst
    for (int i = 0; i < Lines; ++i)
        talker.send("PRIVMSG #lobby :batch line " + QByteArray::number(i));
    QTRY_VERIFY(
        logContains(m_window->logView(),
                    QStringLiteral("Message received from client: batch line %1").arg(Lines - 1)));
    QVERIFY(logContains(m_window->logView(), QStringLiteral("batch line 0  [talker → #lobby]")));
    QCOMPARE(relayedTexts(relayed).size(), Lines);
    QVERIFY2(relayed.size() < Lines, "a queued signal per line rather than per batch");
}

void TestMainWindow::unreadLinesShowInTheWindowTitle()
{
    QVERIFY(clickAndWaitFor(Server::ServerController::State::Running));
    QTRY_VERIFY_WITH_TIMEOUT(m_window->paneClient()->isJoined(QStringLiteral("#lobby")), Timeout);
    m_window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    App::ChatWidget *chat = m_window->chatPane();
    // The server has no MOTD: its 422 is information, not an error.
    QVERIFY(chat->statusView()->transcript().contains(QStringLiteral("MOTD File is missing")));
    QVERIFY(!chat->statusView()->transcript().contains(QStringLiteral("Error")));
    QCOMPARE(m_window->windowTitle(), QStringLiteral("QtChat"));

    RawClient outsider;
    QVERIFY(outsider.connectTo(m_window->server()->serverPort()));
    QVERIFY(outsider.registerAs("outsider"));
    outsider.send(QStringLiteral("PRIVMSG tester :你好 tester，在吗？").toUtf8());
    QTRY_COMPARE(m_window->windowTitle(), QStringLiteral("(1, mentioned) QtChat"));
    chat->tabs()->setCurrentWidget(chat->conversation(QStringLiteral("outsider")));
    QCOMPARE(m_window->windowTitle(), QStringLiteral("QtChat"));
    QVERIFY(clickAndWaitFor(Server::ServerController::State::Stopped));
}

void TestMainWindow::nothingIsCutOff_data()
{
    QTest::addColumn<QSize>("size");
    QTest::newRow("default size") << QSize();
    QTest::newRow("1366x768") << QSize(1366, 768);
}

void TestMainWindow::nothingIsCutOff()
{
    QFETCH(QSize, size);
    if (size.isValid())
        m_window->resize(size);
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
    // The load lab's explanations are read in full, without scrolling and without a line
    // squeezed out of its label.
    auto *scroll = m_window->loadPanel()->findChild<QScrollArea *>();
    QVERIFY(scroll);
    QTRY_COMPARE(scroll->verticalScrollBar()->maximum(), 0);
    QCOMPARE(scroll->horizontalScrollBar()->maximum(), 0);
    for (QLabel *label : m_window->findChildren<QLabel *>()) {
        if (label->isVisible() && label->wordWrap() && !label->text().isEmpty())
            QVERIFY2(label->height() >= label->heightForWidth(label->width()),
                     qPrintable(label->text()));
    }
}

void TestMainWindow::fitsAScreenScaledUpTwice()
{
    // At QT_SCALE_FACTOR=2 a 1920x1080 screen is 960x540 of the window's own pixels (sizes
    // and fonts are in those, whatever the factor): the window must shrink to fit it.
    const QSize minimum = m_window->minimumSizeHint().expandedTo(m_window->minimumSize());
    QVERIFY2(minimum.width() <= 960 && minimum.height() <= 540,
             qPrintable(QStringLiteral("%1x%2").arg(minimum.width()).arg(minimum.height())));
}

void TestMainWindow::docksKeepTheirPlaceAcrossRuns()
{
    auto *load = m_window->findChild<QDockWidget *>(QStringLiteral("loadDock"));
    QVERIFY(load);
    QCOMPARE(m_window->dockWidgetArea(load), Qt::LeftDockWidgetArea);
    m_window->addDockWidget(Qt::RightDockWidgetArea, load);
    QVERIFY(m_window->close()); // the server is not running: it closes at once
    m_window = std::make_unique<App::MainWindow>(QStringLiteral("tester"));
    m_window->show();
    load = m_window->findChild<QDockWidget *>(QStringLiteral("loadDock"));
    QCOMPARE(m_window->dockWidgetArea(load), Qt::RightDockWidgetArea);
    // Back where it was, for the tests that follow.
    m_window->addDockWidget(Qt::LeftDockWidgetArea, load);
    QVERIFY(m_window->close());
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
