// The load lab as a person uses it: bots against the app's own server, Start and Stop, the
// limits question, and a GUI that keeps turning while the bots run. Real server, real sockets,
// offscreen widgets. Nothing here is timed: how responsive the GUI stays under load is a
// benchmark, bench/qtchat-guilag.
#include "app/appsettings.h"
#include "app/languagemanager.h"
#include "app/loadpanel.h"
#include "app/mainwindow.h"
#include "serverlib/chatserver.h"
#include "tests/support/freeport.h"
#include "tests/support/serversignals.h"

#include <QCheckBox>
#include <QDockWidget>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

namespace {

constexpr int Timeout = 20000;

} // namespace

class TestLoadPanel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup();

    void botsDeliverEverythingAndLeaveOnStop();
    void guiKeepsTurningWhileBotsRun();
    void serverStoppingStopsTheBotsAtOnce();
    void limitsGateTheBots();
    void badChannelIsExplained();
    void retranslatesOnLanguageChange();
    void mainWindowLiftsLimitsAndStopsBotsWithTheServer();
    void mainWindowRestartsTheServerWithoutLimits();
    void destroyingTheWindowWhileBotsRunJoinsThem();

private:
    void startServer(bool noLimits);
    void startBots(App::LoadPanel &panel, int bots, int rate);
    void stopBots(App::LoadPanel &panel);
    std::unique_ptr<App::MainWindow> openWindow();

    QTemporaryDir m_dir;
    Server::ChatServer m_server;
};

void TestLoadPanel::initTestCase()
{
    QVERIFY(m_dir.isValid());
    App::AppSettings::setFileName(m_dir.filePath(QStringLiteral("qtchat.ini")));
    App::AppSettings::instance()->setLanguage(QStringLiteral("en"));
}

void TestLoadPanel::cleanup()
{
    QVERIFY(stopAndWait(m_server));
}

void TestLoadPanel::startServer(bool noLimits)
{
    Server::ServerConfig config;
    config.port = 0;
    config.limits.noLimits = noLimits;
    QVERIFY2(m_server.start(config), qPrintable(m_server.startError()));
}

void TestLoadPanel::startBots(App::LoadPanel &panel, int bots, int rate)
{
    panel.botsBox()->setValue(bots);
    panel.rateBox()->setValue(rate);
    QVERIFY(panel.startStopButton()->isEnabled());
    panel.startStopButton()->click();
    QVERIFY2(panel.isRunning(), qPrintable(panel.statusText()));
}

void TestLoadPanel::stopBots(App::LoadPanel &panel)
{
    QSignalSpy finished(&panel, &App::LoadPanel::finished);
    panel.startStopButton()->click();
    QVERIFY(finished.wait(Timeout));
    QVERIFY(!panel.isRunning()); // the engine thread is joined
}

void TestLoadPanel::botsDeliverEverythingAndLeaveOnStop()
{
    startServer(true);
    App::LoadPanel panel;
    panel.serverStarted(QStringLiteral("127.0.0.1"), m_server.serverPort(), true);
    startBots(panel, 20, 20);
    QCOMPARE(panel.startStopButton()->text(), QStringLiteral("Stop"));
    QVERIFY(!panel.botsBox()->isEnabled());
    QTRY_VERIFY_WITH_TIMEOUT(
        panel.progress().connected == 20 && panel.progress().receivedDeliveries > 2000, Timeout);
    QCOMPARE(m_server.clientCount(), 20);
    const Load::LoadProgress running = panel.progress();
    QVERIFY2(running.failures.isEmpty(), qPrintable(running.failures.join(u'\n')));
    QCOMPARE(running.missing, 0u);
    QCOMPARE(running.outOfOrder, 0u);
    QVERIFY(running.latency.p99Ns > 0);

    stopBots(panel);
    const Load::LoadProgress done = panel.progress();
    QCOMPARE(done.phase, Load::LoadProgress::Phase::Finished);
    QVERIFY2(done.failures.isEmpty(), qPrintable(done.failures.join(u'\n')));
    QCOMPARE(done.undelivered(), 0u); // Stop waited for the lines in flight
    QCOMPARE(done.missing, 0u);
    QCOMPARE(done.duplicates, 0u);
    QCOMPARE(done.connected, 0);
    QVERIFY(panel.statusText().contains(QStringLiteral("once, in order")));
    QCOMPARE(panel.startStopButton()->text(), QStringLiteral("Start"));
    QTRY_COMPARE_WITH_TIMEOUT(m_server.clientCount(), 0, Timeout);
}

void TestLoadPanel::guiKeepsTurningWhileBotsRun()
{
    startServer(true);
    App::LoadPanel panel;
    panel.show();
    panel.serverStarted(QStringLiteral("127.0.0.1"), m_server.serverPort(), true);
    startBots(panel, 50, 20); // 49,000 deliveries a second
    QTRY_VERIFY_WITH_TIMEOUT(panel.progress().phase == Load::LoadProgress::Phase::Sending, Timeout);
    QSignalSpy polled(&panel, &App::LoadPanel::progressUpdated);
    // A poll every 250 ms: eight are about 2 s of the GUI turning while the bots run.
    QTRY_VERIFY_WITH_TIMEOUT(polled.count() >= 8, Timeout);
    QCOMPARE(panel.progress().missing, 0u);
    stopBots(panel);
    QTRY_COMPARE_WITH_TIMEOUT(m_server.clientCount(), 0, Timeout);
}

void TestLoadPanel::serverStoppingStopsTheBotsAtOnce()
{
    startServer(true);
    App::LoadPanel panel;
    QSignalSpy finished(&panel, &App::LoadPanel::finished);
    panel.serverStarted(QStringLiteral("127.0.0.1"), m_server.serverPort(), true);
    startBots(panel, 10, 50);
    QTRY_VERIFY_WITH_TIMEOUT(panel.progress().receivedDeliveries > 500, Timeout);
    panel.serverStopping();
    QVERIFY(!panel.isRunning()); // joined before the call returned
    QCOMPARE(finished.count(), 1);
    QCOMPARE(panel.progress().connected, 0);
    QVERIFY(panel.progress().failures.isEmpty()); // they left; nobody was cut off
    QVERIFY(panel.statusText().contains(QStringLiteral("server stopped")));
    QVERIFY(!panel.startStopButton()->isEnabled());
    QTRY_COMPARE_WITH_TIMEOUT(m_server.clientCount(), 0, Timeout);
}

void TestLoadPanel::limitsGateTheBots()
{
    startServer(false);
    App::LoadPanel panel;
    QVERIFY(!panel.startStopButton()->isEnabled()); // no server yet
    panel.serverStarted(QStringLiteral("127.0.0.1"), m_server.serverPort(), false);
    QVERIFY(!panel.startStopButton()->isEnabled());
    QVERIFY(!panel.startLoad());
    QVERIFY(!panel.isRunning());
    QVERIFY(panel.statusText().contains(QStringLiteral("restart the server")));
    QVERIFY(panel.restartButton()->isHidden());

    QSignalSpy restart(&panel, &App::LoadPanel::restartServerRequested);
    panel.liftLimitsBox()->setChecked(true);
    QVERIFY(panel.liftsLimits());
    QVERIFY(!panel.restartButton()->isHidden());
    panel.restartButton()->click();
    QCOMPARE(restart.count(), 1);
    panel.serverStopping();
    panel.serverStarted(QStringLiteral("127.0.0.1"), m_server.serverPort(), true);
    QVERIFY(panel.restartButton()->isHidden());
    QVERIFY(panel.startStopButton()->isEnabled());
}

void TestLoadPanel::badChannelIsExplained()
{
    startServer(true);
    App::LoadPanel panel;
    panel.serverStarted(QStringLiteral("127.0.0.1"), m_server.serverPort(), true);
    panel.channelEdit()->setText(QStringLiteral("load room"));
    QVERIFY(!panel.startLoad());
    QVERIFY(!panel.isRunning());
    QVERIFY(panel.statusText().contains(QStringLiteral("not a channel name")));
    panel.channelEdit()->setText(QStringLiteral("#load"));
    QVERIFY(!panel.statusText().contains(QStringLiteral("not a channel name")));
}

void TestLoadPanel::retranslatesOnLanguageChange()
{
    App::LoadPanel panel;
    panel.startStopButton()->setText(QString());
    panel.liftLimitsBox()->setText(QString());
    QEvent change(QEvent::LanguageChange);
    QCoreApplication::sendEvent(&panel, &change);
    QCOMPARE(panel.startStopButton()->text(), QStringLiteral("Start"));
    QVERIFY(!panel.liftLimitsBox()->text().isEmpty());

    App::LanguageManager language;
    QVERIFY(language.apply(QStringLiteral("zh_CN"))); // posts LanguageChange to every window
    QTRY_COMPARE(panel.startStopButton()->text(), QStringLiteral("启动"));
    QVERIFY(language.apply(QStringLiteral("en")));
    QTRY_COMPARE(panel.startStopButton()->text(), QStringLiteral("Start"));
}

std::unique_ptr<App::MainWindow> TestLoadPanel::openWindow()
{
    App::AppSettings::instance()->setPort(freeLoopbackPort());
    auto window = std::make_unique<App::MainWindow>(QStringLiteral("tester"));
    window->server()->setStatsInterval(100);
    window->show();
    return window;
}

void TestLoadPanel::mainWindowLiftsLimitsAndStopsBotsWithTheServer()
{
    std::unique_ptr<App::MainWindow> window = openWindow();
    App::LoadPanel *panel = window->loadPanel();
    auto *dock = window->findChild<QDockWidget *>(QStringLiteral("loadDock"));
    QVERIFY(dock);
    QCOMPARE(dock->widget(), panel);
    QCOMPARE(dock->windowTitle(), QStringLiteral("Load"));

    panel->liftLimitsBox()->setChecked(true);
    window->startServer();
    QTRY_VERIFY(window->server()->isRunning());
    QVERIFY(window->server()->config().limits.noLimits);
    startBots(*panel, 10, 10);
    QTRY_VERIFY_WITH_TIMEOUT(panel->progress().receivedDeliveries > 200, Timeout);

    window->stopServer(); // what the server panel's Stop does
    // The bots are gone before the server is asked to stop.
    QVERIFY(!panel->isRunning());
    QCOMPARE(panel->progress().connected, 0);
    QVERIFY(panel->progress().failures.isEmpty());
    QCOMPARE(window->server()->state(), Server::ServerController::State::Stopping);
    QTRY_COMPARE_WITH_TIMEOUT(window->server()->state(), Server::ServerController::State::Stopped,
                              Timeout);
}

void TestLoadPanel::mainWindowRestartsTheServerWithoutLimits()
{
    std::unique_ptr<App::MainWindow> window = openWindow();
    App::LoadPanel *panel = window->loadPanel();
    panel->liftLimitsBox()->setChecked(false);
    window->startServer();
    QTRY_VERIFY(window->server()->isRunning());
    QVERIFY(!window->server()->config().limits.noLimits);
    QVERIFY(!panel->startStopButton()->isEnabled());

    QSignalSpy stopped(window->server(), &Server::ServerController::stopped);
    QSignalSpy started(window->server(), &Server::ServerController::started);
    panel->liftLimitsBox()->setChecked(true);
    panel->restartButton()->click();
    QTRY_COMPARE_WITH_TIMEOUT(started.size(), 1, Timeout);
    QCOMPARE(stopped.size(), 1); // the new start waited for the old stop
    QVERIFY(window->server()->isRunning());
    QVERIFY(window->server()->config().limits.noLimits);
    QVERIFY(panel->startStopButton()->isEnabled());
    window->close(); // stops the server, and with it anything the panel runs
    QTRY_VERIFY_WITH_TIMEOUT(!window->isVisible(), Timeout);
    QCOMPARE(stopped.size(), 2);
}

// Without closeEvent: ~MainWindow sends the bots away, then its server stops; ~LoadPanel joins
// the engine's thread.
void TestLoadPanel::destroyingTheWindowWhileBotsRunJoinsThem()
{
    std::unique_ptr<App::MainWindow> window = openWindow();
    App::LoadPanel *panel = window->loadPanel();
    panel->liftLimitsBox()->setChecked(true);
    window->startServer();
    QTRY_VERIFY(window->server()->isRunning());
    startBots(*panel, 10, 20);
    QTRY_VERIFY_WITH_TIMEOUT(panel->progress().receivedDeliveries > 100, Timeout);
    window.reset(); // must return: a hang here is the failure
}

QTEST_MAIN(TestLoadPanel)
#include "tst_loadpanel.moc"
