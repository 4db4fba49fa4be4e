#include "tools/guilag/guilagrun.h"

#include "app/appsettings.h"
#include "app/loadpanel.h"
#include "app/logview.h"
#include "app/mainwindow.h"
#include "app/serverpanel.h"
#include "loadlib/loadengine.h"

#include <QCheckBox>
#include <QComboBox>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QGuiApplication>
#include <QJsonArray>
#include <QTcpServer>
#include <QTimer>

namespace {

// A 60 Hz frame is 16.7 ms; a 5 ms tick resolves lag well below that at little cost.
constexpr int ProbeIntervalMs = 5;
// Beyond the engine's own time-out, so that a stuck run reports itself before this gives up.
constexpr int GraceMs = 15'000;
// The log takes well under a second to catch up on a fan-out; this only bounds a broken one.
constexpr int CatchUpBoundMs = 30'000;
// Starting takes a few milliseconds; these only bound a broken start or stop.
constexpr int StartBoundMs = 10'000;
constexpr int StopBoundMs = Server::ChatServer::StopDeadlineMs + 5'000;

// The panel's port box has no "any port", so ask the kernel for one that is free now.
quint16 freeLoopbackPort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    return probe.serverPort();
}

// Runs the event loop until `signal` of the server's controller, or `boundMs`.
template<typename Signal> void awaitServer(App::MainWindow &window, Signal signal, int boundMs)
{
    QEventLoop loop;
    QObject::connect(window.server(), signal, &loop, &QEventLoop::quit);
    QObject::connect(window.server(), &Server::ServerController::startFailed, &loop,
                     &QEventLoop::quit);
    QTimer::singleShot(boundMs, &loop, &QEventLoop::quit);
    loop.exec();
}

// The way a user sets the window up for this: pick the model, tick "lift the limits", Start.
void startServer(App::MainWindow &window, GuiLagRun &run)
{
    QComboBox *models = window.serverPanel()->threadingBox();
    models->setCurrentIndex(models->findData(int(run.threading)));
    window.loadPanel()->liftLimitsBox()->setChecked(true);
    window.startServer();
    awaitServer(window, &Server::ServerController::started, StartBoundMs);
    if (!window.server()->isRunning())
        run.failures << QStringLiteral("the server did not start: ")
                + window.serverPanel()->statusText();
    else if (!window.logView()->isVisible())
        run.failures << QStringLiteral("the log view is not on screen");
}

// The bots' lines reach the log through the GUI thread's event queue and then the log's 80 ms
// batches: when the last bot has its last line, the GUI is still busy with the fan-out. A call
// queued now runs after every line queued before it, and the log has caught up once it has
// also flushed them; the probe runs on until then.
void awaitLog(LagProbe &probe, App::MainWindow &window, GuiLagRun &run)
{
    QElapsedTimer clock;
    clock.start();
    bool queueDrained = false;
    QObject context; // takes the queued call with it if this gives up first
    QMetaObject::invokeMethod(
        &context, [&queueDrained] { queueDrained = true; }, Qt::QueuedConnection);
    const App::LogModel *log = window.logView()->model();
    if (probe.runUntil([&] { return queueDrained && log->pendingCount() == 0; }, CatchUpBoundMs))
        run.logCatchUpMs = double(clock.nsecsElapsed()) / 1e6;
}

bool awaitFanout(LagProbe &probe, const Load::LoadEngine &engine, int boundMs, GuiLagRun &run)
{
    if (probe.runUntil([&engine] { return engine.hasFinished(); }, boundMs))
        return true;
    run.failures << QStringLiteral("the fan-out did not end within %1 s").arg(boundMs / 1000);
    return false;
}

void runFanout(App::MainWindow &window, GuiLagRun &run)
{
    Load::LoadOptions options = Load::LoadOptions::preset(Load::Scenario::Fanout);
    options.port = window.server()->serverPort();
    options.quiet = true;
    Load::LoadEngine engine;
    LagProbe probe(ProbeIntervalMs);
    probe.start();
    QString error;
    if (!engine.start(options, &error))
        run.failures << QStringLiteral("the load engine did not start: ") + error;
    else if (awaitFanout(probe, engine, int(options.timeoutS * 1000) + GraceMs, run))
        awaitLog(probe, window, run);
    run.probe = probe.stop();
    engine.stop(Load::LoadEngine::StopMode::Now); // at once if it has finished
    run.fanout = engine.report();
}

QString fanoutText(const Load::LoadReport &report)
{
    const Load::LoadReport::Traffic &traffic = report.traffic;
    return QStringLiteral("  fan-out: %1 of %2 deliveries at %3/s, loss %4, out of order %5, "
                          "duplicates %6, delivery p99 %7 ms\n")
        .arg(traffic.receivedDeliveries)
        .arg(traffic.expectedDeliveries)
        .arg(traffic.deliveriesPerSecond(), 0, 'f', 0)
        .arg(traffic.loss())
        .arg(traffic.outOfOrder)
        .arg(traffic.duplicates)
        .arg(double(traffic.latency.p99Ns) / 1e6, 0, 'f', 2);
}

QString logText(const GuiLagRun &run)
{
    if (!run.logCatchUpMs)
        return QStringLiteral("  log: %1 lines; it had not taken every line when the "
                              "measurement ended\n")
            .arg(run.logLines);
    return QStringLiteral("  log: %1 lines; it had taken every line %2 ms after the fan-out "
                          "ended\n")
        .arg(run.logLines)
        .arg(*run.logCatchUpMs, 0, 'f', 0);
}

} // namespace

bool GuiLagRun::passed() const
{
    return failures.isEmpty() && fanout && fanout->passed();
}

QJsonObject GuiLagRun::toJson() const
{
    QJsonObject json {{QStringLiteral("tool"), QStringLiteral("qtchat-guilag")},
                      {QStringLiteral("threading"), Server::threadingModelName(threading)},
                      {QStringLiteral("platform"), QGuiApplication::platformName()},
                      {QStringLiteral("passed"), passed()},
                      {QStringLiteral("lag"), probe.lagJson()},
                      {QStringLiteral("gui_thread"), probe.threadJson()},
                      {QStringLiteral("log_lines"), logLines},
                      {QStringLiteral("log_catch_up_ms"),
                       logCatchUpMs ? QJsonValue(*logCatchUpMs) : QJsonValue()},
                      {QStringLiteral("failures"), QJsonArray::fromStringList(failures)}};
    if (fanout)
        json.insert(QStringLiteral("load"), fanout->toJson());
    return json;
}

QString GuiLagRun::toText() const
{
    QString text
        = QStringLiteral("qtchat-guilag, %1 threading: %2\n")
              .arg(Server::threadingModelName(threading),
                   passed() ? QStringLiteral("fan-out PASSED") : QStringLiteral("fan-out FAILED"));
    text += probe.toText();
    if (fanout)
        text += fanoutText(*fanout) + logText(*this);
    for (const QString &failure : failures)
        text += QStringLiteral("  failure: ") + failure + u'\n';
    if (fanout && !fanout->passed())
        text += fanout->toText();
    return text;
}

GuiLagRun measureGuiLag(Server::ThreadingModel threading)
{
    GuiLagRun run;
    run.threading = threading;
    App::AppSettings::instance()->setPort(freeLoopbackPort());
    App::MainWindow window;
    window.show();
    startServer(window, run);
    if (run.failures.isEmpty())
        runFanout(window, run);
    run.logLines = window.logView()->model()->rowCount();
    window.close(); // stops the server, as the user's Quit does; closes once it has stopped
    if (window.server()->state() != Server::ServerController::State::Stopped)
        awaitServer(window, &Server::ServerController::stopped, StopBoundMs);
    return run;
}
