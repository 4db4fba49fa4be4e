#include "app/appsettings.h"
#include "app/commandline.h"
#include "app/hashpasswordcommand.h"
#include "app/headlessserver.h"
#include "app/mainwindow.h"
#include "app/unixsignalwatcher.h"

#include <QApplication>
#include <QIcon>
#include <QLoggingCategory>

#include <cstdio>
#include <cstring>

namespace {

// The kind of application object must be chosen before Qt can parse the command line; help,
// version and the headless server need no window system.
bool needsNoWindow(int argc, char *argv[])
{
    for (int i = 1; i < argc; ++i) {
        for (const char *option :
             {"--headless", "--hash-password", "--help", "-h", "--help-all", "--version", "-v"}) {
            if (std::strcmp(argv[i], option) == 0)
                return true;
        }
    }
    return false;
}

bool hasWindowSystem()
{
    return !qEnvironmentVariableIsEmpty("DISPLAY")
        || !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY")
        || !qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM");
}

int runHeadless(const App::CommandLine &commandLine)
{
    App::HeadlessServer server;
    App::UnixSignalWatcher signals;
    QObject::connect(&signals, &App::UnixSignalWatcher::terminationRequested, &server,
                     &App::HeadlessServer::stop);
    QObject::connect(&server, &App::HeadlessServer::finished, &server, &QCoreApplication::exit);
    server.setReportStats(commandLine.reportStats);
    server.start(commandLine.server);
    return QCoreApplication::exec();
}

int runDesktop(const App::CommandLine &commandLine)
{
    if (!commandLine.configFile.isEmpty())
        App::AppSettings::setFileName(commandLine.configFile);
    QIcon icon;
    for (int size : {16, 32, 48, 64, 128, 256})
        icon.addFile(QStringLiteral(":/icons/qtchat-%1.png").arg(size), QSize(size, size));
    QApplication::setWindowIcon(icon);
    App::MainWindow window(commandLine.nick);
    window.show();
    window.connectStartupNetworks();
    App::UnixSignalWatcher signals;
    QObject::connect(&signals, &App::UnixSignalWatcher::terminationRequested, &window,
                     &QWidget::close);
    if (commandLine.startServer)
        window.startServer();
    return QApplication::exec();
}

void describeApplication()
{
    QCoreApplication::setApplicationName(QStringLiteral("qtchat"));
    QCoreApplication::setOrganizationName(QStringLiteral("QtChat"));
    QCoreApplication::setApplicationVersion(QStringLiteral(QTCHAT_VERSION));
    // Per-line debug output would flood stderr under load; QT_LOGGING_RULES can turn it on.
    QLoggingCategory::setFilterRules(QStringLiteral("qtchat.*.debug=false"));
    qSetMessagePattern(QStringLiteral("%{time hh:mm:ss.zzz} %{category}: %{message}"));
}

} // namespace

int main(int argc, char *argv[])
{
    // Qt's plain Unix event dispatcher instead of glib's for every thread, the workers' above
    // all: with 10,000 clients it cut the server's set-up CPU from 15.7 s to 6.9 s and the CPU
    // per delivered line from 7.0 to 1.4 us (BENCHMARKS.md). Set before any thread exists;
    // an empty QT_NO_GLIB in the environment keeps glib.
    if (!qEnvironmentVariableIsSet("QT_NO_GLIB"))
        qputenv("QT_NO_GLIB", "1");
    const bool windowless = needsNoWindow(argc, argv);
    if (!windowless && !hasWindowSystem()) {
        std::fprintf(stderr,
                     "qtchat: no display to open a window on (DISPLAY is not set).\n"
                     "Start it from a desktop session, or run the server without a "
                     "window: qtchat --headless\n");
        return 1;
    }
    std::unique_ptr<QCoreApplication> app(windowless ? new QCoreApplication(argc, argv)
                                                     : new QApplication(argc, argv));
    describeApplication();
    const App::CommandLine commandLine = App::CommandLine::parse(QCoreApplication::arguments());
    if (!commandLine.error.isEmpty()) {
        std::fprintf(stderr, "qtchat: %s\n", qUtf8Printable(commandLine.error));
        return 2;
    }
    if (commandLine.hashPassword)
        return App::HashPasswordCommand::run();
    return commandLine.headless ? runHeadless(commandLine) : runDesktop(commandLine);
}
