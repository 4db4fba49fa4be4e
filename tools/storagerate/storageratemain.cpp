// Appends N history lines from W threads as fast as they go and measures how long the storage
// thread takes until every one is written: the store's sustained write rate, batches and
// commits included. The queue is sized to hold them all, so none is refused.

#include "storagelib/store.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QTextStream>
#include <QTimer>

#include <optional>
#include <thread>
#include <vector>

using namespace Storage;

namespace {

struct Options
{
    StoreConfig config;
    int lines = 100'000;
    int writers = 4;
    int targets = 10;
};

std::optional<Options> parseOptions(const QCoreApplication &app)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Measures the storage thread's write rate in lines per second."));
    parser.addHelpOption();
    const QCommandLineOption database(QStringLiteral("database"),
                                      QStringLiteral("An SQLite file, or a postgresql:// URL "
                                                     "(the database must be empty)."),
                                      QStringLiteral("spec"));
    const QCommandLineOption lines(QStringLiteral("lines"), QStringLiteral("Lines to write."),
                                   QStringLiteral("n"), QStringLiteral("100000"));
    const QCommandLineOption writers(QStringLiteral("writers"),
                                     QStringLiteral("Threads appending."), QStringLiteral("n"),
                                     QStringLiteral("4"));
    const QCommandLineOption targets(QStringLiteral("targets"),
                                     QStringLiteral("Channels the lines are spread over."),
                                     QStringLiteral("n"), QStringLiteral("10"));
    parser.addOptions({database, lines, writers, targets});
    parser.process(app);
    Options options;
    QString error;
    options.config.location = DatabaseLocation::parse(parser.value(database), &error);
    options.lines = parser.value(lines).toInt();
    options.writers = parser.value(writers).toInt();
    options.targets = parser.value(targets).toInt();
    if (error.isEmpty() && (options.lines < 1 || options.writers < 1 || options.targets < 1))
        error = QStringLiteral("--lines, --writers and --targets must be at least 1");
    if (!error.isEmpty()) {
        QTextStream(stderr) << error << '\n';
        return std::nullopt;
    }
    options.config.maxPendingWrites = options.lines;
    return options;
}

HistoryMessage benchLine(int writer, int sequence, int targets, qint64 startMs)
{
    HistoryMessage message;
    message.msgid = "w" + QByteArray::number(writer) + '-' + QByteArray::number(sequence);
    message.timeMs = startMs + sequence;
    message.target = "#bench-" + QByteArray::number(sequence % targets);
    message.sender = "bot" + QByteArray::number(writer) + "!bot@127.0.0.1";
    message.command = "PRIVMSG";
    // About the size of a chat line.
    message.text = "line " + QByteArray::number(sequence) + ' ' + QByteArray(60, 'x');
    return message;
}

void appendAll(Store &store, const Options &options)
{
    const qint64 startMs = QDateTime::currentMSecsSinceEpoch();
    std::vector<std::thread> writers;
    for (int w = 0; w < options.writers; ++w) {
        writers.emplace_back([&store, &options, w, startMs] {
            for (int i = w; i < options.lines; i += options.writers)
                store.append(benchLine(w, i, options.targets, startMs));
        });
    }
    for (std::thread &writer : writers)
        writer.join();
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const std::optional<Options> options = parseOptions(app);
    if (!options)
        return 2;
    Store store(options->config);
    QElapsedTimer elapsed;
    QTimer poll;
    QObject::connect(&store, &Store::opened, &app, [&](const QString &error) {
        if (!error.isEmpty()) {
            QTextStream(stderr) << error << '\n';
            QCoreApplication::exit(1);
            return;
        }
        elapsed.start();
        appendAll(store, *options);
        poll.start(5);
    });
    QObject::connect(&poll, &QTimer::timeout, &app, [&] {
        const quint64 done = store.storedCount() + store.notStoredCount();
        if (done < quint64(options->lines))
            return;
        poll.stop();
        const double seconds = elapsed.nsecsElapsed() / 1e9;
        QTextStream(stdout) << options->config.location.displayName() << ": " << options->lines
                            << " lines from " << options->writers << " threads in "
                            << QString::number(seconds, 'f', 2) << " s, "
                            << qRound64(options->lines / seconds) << " lines/s, "
                            << store.notStoredCount() << " not stored\n";
        QCoreApplication::exit(store.notStoredCount() == 0 ? 0 : 1);
    });
    store.open();
    return app.exec();
}
