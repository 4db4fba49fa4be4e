// qtchat-guilag: the GUI's event-loop lag while the app's own server carries the fan-out (issue
// 5: p99 under 16 ms with the log view open). Run with --help for the options.
#include "app/appsettings.h"
#include "tools/guilag/guilagrun.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QTemporaryDir>

#include <csignal>
#include <cstdio>
#include <optional>

namespace {

enum ExitCode { Passed = 0, Failed = 1, Usage = 2 };

struct Arguments
{
    Server::ThreadingModel threading = Server::ThreadingModel::Pool;
    int runs = 1;
    bool json = false;
};

// As app/main.cpp does, before any thread exists: the numbers must be those of the app. The
// offscreen platform still lays out and paints every widget; it needs no display.
void prepareEnvironment()
{
    if (!qEnvironmentVariableIsSet("QT_NO_GLIB"))
        qputenv("QT_NO_GLIB", "1");
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
}

void addOptions(QCommandLineParser &parser)
{
    parser.setApplicationDescription(QStringLiteral(
        "Opens QtChat's main window with the log view, starts its server without limits,\n"
        "runs qtchat-load's fan-out preset against it in this process, and measures the GUI\n"
        "thread's event-loop lag (a 5 ms precise timer), CPU share and context switches.\n"
        "QT_QPA_PLATFORM defaults to offscreen.\n"
        "Exit status: 0 the fan-out passed in every run; 1 loss, reordering or a failed\n"
        "run; 2 bad usage. The lag is reported, never judged."));
    parser.addHelpOption();
    parser.addOption({QStringLiteral("threading"),
                      QStringLiteral("pool (default), per-connection or single."),
                      QStringLiteral("model"), QStringLiteral("pool")});
    parser.addOption({QStringLiteral("runs"),
                      QStringLiteral("Measurements, one after the other (default 1)."),
                      QStringLiteral("n"), QStringLiteral("1")});
    parser.addOption({QStringLiteral("json"),
                      QStringLiteral("One JSON object per run on stdout, one per line.")});
}

int usageError(const QString &message)
{
    std::fprintf(stderr, "qtchat-guilag: %s\n", qPrintable(message));
    return Usage;
}

// Parsed before QApplication exists, so that --help and mistakes need no window system. Empty
// when the measurement should run, otherwise the exit status.
std::optional<int> parseArguments(const QStringList &list, Arguments *arguments)
{
    QCommandLineParser parser;
    addOptions(parser);
    if (!parser.parse(list))
        return usageError(parser.errorText());
    if (parser.isSet(QStringLiteral("help")) || parser.isSet(QStringLiteral("help-all"))) {
        // Without a QCoreApplication yet, Qt cannot name the executable.
        const QString help = parser.helpText().replace(QStringLiteral("<executable_name>"),
                                                       QStringLiteral("qtchat-guilag"));
        std::fputs(qPrintable(help), stdout);
        return Passed;
    }
    if (!parser.positionalArguments().isEmpty())
        return usageError(QStringLiteral("unexpected argument: ")
                          + parser.positionalArguments().constFirst());
    const std::optional<Server::ThreadingModel> model
        = Server::threadingModelFromName(parser.value(QStringLiteral("threading")));
    if (!model)
        return usageError(QStringLiteral("--threading is pool, per-connection or single"));
    bool ok = false;
    arguments->runs = parser.value(QStringLiteral("runs")).toInt(&ok);
    if (!ok || arguments->runs < 1)
        return usageError(QStringLiteral("--runs needs a whole number from 1"));
    arguments->threading = *model;
    arguments->json = parser.isSet(QStringLiteral("json"));
    return std::nullopt;
}

void describeApplication()
{
    QCoreApplication::setApplicationName(QStringLiteral("qtchat-guilag"));
    QCoreApplication::setOrganizationName(QStringLiteral("QtChat"));
    // The server's line per client connecting and leaving would bury the result on stderr;
    // QT_LOGGING_RULES can turn it back on.
    QLoggingCategory::setFilterRules(QStringLiteral("qtchat.*.debug=false\nqtchat.*.info=false"));
}

void printRun(const GuiLagRun &result, int run, const Arguments &arguments)
{
    if (arguments.json) {
        QJsonObject json = result.toJson();
        json.insert(QStringLiteral("run"), run);
        const QByteArray line = QJsonDocument(json).toJson(QJsonDocument::Compact) + '\n';
        std::fputs(line.constData(), stdout);
    } else {
        std::fputs(qPrintable(result.toText()), stdout);
    }
    std::fflush(stdout);
}

// Never the user's settings: the app writes its window layout, port and model as it runs.
bool useTemporarySettings(const QTemporaryDir &dir)
{
    if (!dir.isValid()) {
        std::fprintf(stderr, "qtchat-guilag: no temporary directory for the settings\n");
        return false;
    }
    App::AppSettings::setFileName(dir.filePath(QStringLiteral("qtchat.ini")));
    App::AppSettings::instance()->setLanguage(QStringLiteral("en"));
    return true;
}

int measure(const Arguments &arguments)
{
    int failed = 0;
    for (int run = 1; run <= arguments.runs; ++run) {
        const GuiLagRun result = measureGuiLag(arguments.threading);
        printRun(result, run, arguments);
        failed += result.passed() ? 0 : 1;
    }
    return failed ? Failed : Passed;
}

QStringList argumentList(int argc, char *argv[])
{
    QStringList list;
    for (int i = 0; i < argc; ++i)
        list.append(QString::fromLocal8Bit(argv[i]));
    return list;
}

} // namespace

int main(int argc, char *argv[])
{
    prepareEnvironment();
    Arguments arguments;
    if (const std::optional<int> exitCode = parseArguments(argumentList(argc, argv), &arguments))
        return *exitCode;
    QApplication app(argc, argv);
    describeApplication();
    const QTemporaryDir settingsDir;
    if (!useTemporarySettings(settingsDir))
        return Failed;
    std::signal(SIGPIPE, SIG_IGN); // a bot's peer gone is a reported failure, not a crash
    return measure(arguments);
}
