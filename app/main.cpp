#include "commandline.h"
#include "headlessserver.h"
#include "unixsignalwatcher.h"

#include <QCoreApplication>
#include <QLoggingCategory>

#include <cstdio>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("qtchat"));
    QCoreApplication::setOrganizationName(QStringLiteral("QtChat"));
    QCoreApplication::setApplicationVersion(QStringLiteral(QTCHAT_VERSION));
    // Per-line debug output would flood stderr under load; QT_LOGGING_RULES can turn it on.
    QLoggingCategory::setFilterRules(QStringLiteral("qtchat.*.debug=false"));
    qSetMessagePattern(QStringLiteral("%{time hh:mm:ss.zzz} %{category}: %{message}"));

    const CommandLine commandLine = CommandLine::parse(QCoreApplication::arguments());
    if (!commandLine.error.isEmpty()) {
        std::fprintf(stderr, "qtchat: %s\n", qUtf8Printable(commandLine.error));
        return 2;
    }
    HeadlessServer server;
    if (!server.start(commandLine.server))
        return 1;
    UnixSignalWatcher signals;
    QObject::connect(&signals, &UnixSignalWatcher::terminationRequested, &app, [&] {
        server.stop();
        QCoreApplication::quit();
    });
    return QCoreApplication::exec();
}
