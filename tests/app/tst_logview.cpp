#include "app/logview.h"

#include <QClipboard>
#include <QComboBox>
#include <QElapsedTimer>
#include <QLineEdit>
#include <QListView>
#include <QPushButton>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTimer>
#include <QToolButton>
#include <QtTest>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

void fill(App::LogView &view, int count, int first = 0)
{
    for (int i = first; i < first + count; ++i)
        view.append(App::LogLevel::Info, QStringLiteral("worker-1"),
                    QStringLiteral("line %1").arg(i));
}

QString topLine(const App::LogView &view)
{
    return view.listView()->indexAt(QPoint(0, 0)).data().toString();
}

bool isInert(QChar c)
{
    const char16_t u = c.unicode();
    return u >= 0x20 && !(u >= 0x7f && u <= 0x9f) && u != 0x2028 && u != 0x2029 && u != 0x202e;
}

} // namespace

class TestLogView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void appendsWaitForFlush();
    void timerFlushesInOneBatch();
    void capDropsOldestInOneRemoval();
    void loweringTheCapTrimsAtOnce();
    void levelFilter_data();
    void levelFilter();
    void textFilterIsCaseInsensitiveFixedString();
    void controlCharactersAreEscaped_data();
    void controlCharactersAreEscaped();
    void markupIsShownAsText();
    void longLinesAreCut();
    void formattedLine();
    void saveRoundTrip();
    void saveReportsErrors();
    void clearButtonEmptiesModelAndQueue();
    void copyTakesSelectedLinesInOrder();
    void followsTheTailAtTheBottom();
    void pauseKeepsScrollPosition();
    void readingPositionSurvivesDroppedLines();
    void languageChangeKeepsState();
    void floodKeepsCapAndOrder();
};

void TestLogView::appendsWaitForFlush()
{
    App::LogView view;
    QSignalSpy inserted(view.model(), &QAbstractItemModel::rowsInserted);
    fill(view, 3);
    QCOMPARE(view.model()->rowCount(), 0);
    QCOMPARE(view.model()->pendingCount(), 3);
    view.model()->flush();
    QCOMPARE(view.model()->rowCount(), 3);
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(view.visibleLines().size(), 3);
}

void TestLogView::timerFlushesInOneBatch()
{
    App::LogView view;
    QSignalSpy inserted(view.model(), &QAbstractItemModel::rowsInserted);
    fill(view, 1000);
    QVERIFY(inserted.wait());
    QCOMPARE(view.model()->rowCount(), 1000);
    QCOMPARE(inserted.count(), 1);
}

void TestLogView::capDropsOldestInOneRemoval()
{
    App::LogView view;
    view.setLineCap(100);
    QCOMPARE(view.model()->lineCap(), 100);
    fill(view, 250);
    view.model()->flush();
    QCOMPARE(view.model()->rowCount(), 100);
    QCOMPARE(view.model()->entry(0).text, QStringLiteral("line 150"));
    QCOMPARE(view.model()->entry(99).text, QStringLiteral("line 249"));

    QSignalSpy removed(view.model(), &QAbstractItemModel::rowsRemoved);
    QSignalSpy inserted(view.model(), &QAbstractItemModel::rowsInserted);
    fill(view, 30, 250);
    view.model()->flush();
    QCOMPARE(removed.count(), 1);
    QCOMPARE(removed.at(0).at(1).toInt(), 0);
    QCOMPARE(removed.at(0).at(2).toInt(), 29);
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(view.model()->rowCount(), 100);
    QCOMPARE(view.model()->entry(0).text, QStringLiteral("line 180"));
    QCOMPARE(view.model()->entry(99).text, QStringLiteral("line 279"));
    QCOMPARE(view.model()->droppedCount(), quint64(180));
}

void TestLogView::loweringTheCapTrimsAtOnce()
{
    App::LogView view;
    fill(view, 50);
    view.model()->flush();
    QSignalSpy removed(view.model(), &QAbstractItemModel::rowsRemoved);
    view.setLineCap(10);
    QCOMPARE(removed.count(), 1);
    QCOMPARE(view.model()->rowCount(), 10);
    QCOMPARE(view.model()->entry(0).text, QStringLiteral("line 40"));
    fill(view, 50, 50); // queued lines beyond the cap go too
    view.setLineCap(5);
    QCOMPARE(view.model()->rowCount(), 5);
    QCOMPARE(view.model()->pendingCount(), 5);
    view.model()->flush();
    QCOMPARE(view.model()->entry(0).text, QStringLiteral("line 95"));
    view.setLineCap(0); // clamped: a log that keeps nothing is useless
    QCOMPARE(view.model()->lineCap(), 1);
}

void TestLogView::levelFilter_data()
{
    QTest::addColumn<int>("comboIndex");
    QTest::addColumn<QStringList>("expected");
    QTest::newRow("all") << 0 << QStringList {u"d"_s, u"i"_s, u"w"_s, u"e"_s};
    QTest::newRow("info+") << 1 << QStringList {u"i"_s, u"w"_s, u"e"_s};
    QTest::newRow("warnings+") << 2 << QStringList {u"w"_s, u"e"_s};
    QTest::newRow("errors") << 3 << QStringList {u"e"_s};
}

void TestLogView::levelFilter()
{
    QFETCH(int, comboIndex);
    QFETCH(QStringList, expected);
    App::LogView view;
    const QString thread = QStringLiteral("main");
    view.append(App::LogLevel::Debug, thread, QStringLiteral("d"));
    view.append(App::LogLevel::Info, thread, QStringLiteral("i"));
    view.append(App::LogLevel::Warning, thread, QStringLiteral("w"));
    view.append(App::LogLevel::Error, thread, QStringLiteral("e"));
    view.model()->flush();
    auto *combo = view.findChild<QComboBox *>(QStringLiteral("levelFilter"));
    QVERIFY(combo);
    combo->setCurrentIndex(comboIndex);
    QStringList texts;
    for (const QString &line : view.visibleLines())
        texts.append(line.section(u' ', -1));
    QCOMPARE(texts, expected);
    QCOMPARE(int(view.minimumLevel()), comboIndex);
}

void TestLogView::textFilterIsCaseInsensitiveFixedString()
{
    App::LogView view;
    view.append(App::LogLevel::Info, QStringLiteral("worker-1"), QStringLiteral("alice joined"));
    view.append(App::LogLevel::Info, QStringLiteral("worker-2"), QStringLiteral("bob joined"));
    view.append(App::LogLevel::Info, QStringLiteral("worker-2"), QStringLiteral("abc"));
    view.model()->flush();
    auto *edit = view.findChild<QLineEdit *>(QStringLiteral("textFilter"));
    QVERIFY(edit);
    edit->setText(QStringLiteral("ALICE"));
    QCOMPARE(view.visibleLines().size(), 1);
    QVERIFY(view.visibleLines().first().contains(u"alice joined"));
    edit->setText(QStringLiteral("a.c")); // not a pattern: "abc" must not match
    QCOMPARE(view.visibleLines().size(), 0);
    edit->setText(QStringLiteral("WORKER-2")); // the thread name counts too
    QCOMPARE(view.visibleLines().size(), 2);
    edit->clear();
    QCOMPARE(view.visibleLines().size(), 3);
    // Lines that arrive later pass through the same filter.
    view.setFilterText(QStringLiteral("bob"));
    view.append(App::LogLevel::Info, QStringLiteral("worker-3"), QStringLiteral("BOB left"));
    view.model()->flush();
    QCOMPARE(view.visibleLines().size(), 2);
}

void TestLogView::controlCharactersAreEscaped_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("shown");
    QTest::newRow("SOH") << u"a\x01z"_s << u"a\\x01z"_s;
    QTest::newRow("ESC") << u"\x1b[31mred"_s << u"\\x1B[31mred"_s;
    QTest::newRow("CRLF") << u"one\r\nfake line"_s << u"one\\x0D\\x0Afake line"_s;
    QTest::newRow("tab") << u"a\tb"_s << u"a\\x09b"_s;
    QTest::newRow("NUL") << QString(QChar(0)) << u"\\x00"_s;
    QTest::newRow("DEL") << u"\x7f"_s << u"\\x7F"_s;
    QTest::newRow("C1 NEL") << QString(QChar(0x85)) << u"\\x85"_s;
    QTest::newRow("line separator") << u"a\u2028b"_s << u"a\\u2028b"_s;
    QTest::newRow("bidi override") << u"\u202Etxt.exe"_s << u"\\u202Etxt.exe"_s;
    QTest::newRow("unicode stays") << u"收到 😀 é"_s << u"收到 😀 é"_s;
}

void TestLogView::controlCharactersAreEscaped()
{
    QFETCH(QString, text);
    QFETCH(QString, shown);
    QCOMPARE(App::LogModel::escaped(text), shown);
    App::LogView view;
    view.append(App::LogLevel::Info, u"evil\nthread"_s, text);
    view.model()->flush();
    const QString line = view.visibleLines().value(0);
    QVERIFY2(line.endsWith(u"evil\\x0Athread: " + shown), qPrintable(line));
    QVERIFY2(std::all_of(line.cbegin(), line.cend(), isInert), qPrintable(line));
    QCOMPARE(view.model()->formatted(0), line);
    QCOMPARE(view.model()->index(0).data(App::LogModel::TextRole).toString(), text);
}

void TestLogView::markupIsShownAsText()
{
    App::LogView view;
    const QString html = QStringLiteral("<b style=\"color:red\">bold</b> &amp;");
    view.append(App::LogLevel::Info, QStringLiteral("worker-1"), html);
    view.model()->flush();
    QVERIFY(view.visibleLines().value(0).endsWith(html));
}

void TestLogView::longLinesAreCut()
{
    App::LogView view;
    const QString huge(100000, u'x');
    view.append(App::LogLevel::Info, QStringLiteral("worker-1"), huge);
    view.model()->flush();
    const QString shown = view.visibleLines().value(0);
    QVERIFY(shown.size() < App::LogModel::MaxDisplayChars + 100);
    QVERIFY(shown.contains(QString(App::LogModel::MaxDisplayChars, u'x')));
    QVERIFY(shown.contains(u"98000"));
    // Saving keeps the whole line.
    QVERIFY(view.model()->formatted(0).endsWith(huge));
}

void TestLogView::formattedLine()
{
    App::LogView view;
    view.append(App::LogLevel::Warning, QStringLiteral("worker-1"), QStringLiteral("slow client"));
    view.model()->flush();
    const QString line = view.model()->formatted(0);
    static const QRegularExpression shape(
        QStringLiteral(R"(^\d\d:\d\d:\d\d\.\d\d\d \[WARN\] worker-1: slow client$)"));
    QVERIFY2(shape.match(line).hasMatch(), qPrintable(line));
    const App::LogEntry &entry = view.model()->entry(0);
    QCOMPARE(entry.level, App::LogLevel::Warning);
    QVERIFY(qAbs(entry.time.msecsTo(QDateTime::currentDateTime())) < 60000);
    QCOMPARE(view.model()->index(0).data(App::LogModel::LevelRole).toInt(),
             int(App::LogLevel::Warning));
    QCOMPARE(view.model()->index(0).data(App::LogModel::ThreadRole).toString(), u"worker-1"_s);
}

void TestLogView::saveRoundTrip()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    App::LogView view;
    view.append(App::LogLevel::Info, QStringLiteral("worker-1"),
                QStringLiteral("收到客户端发来的消息: 你好"));
    view.append(App::LogLevel::Error, QStringLiteral("worker-2"),
                QStringLiteral("bad\x01line\nfake"));
    view.model()->flush();
    view.setMinimumLevel(App::LogLevel::Error); // filters do not apply to the file
    view.append(App::LogLevel::Debug, QStringLiteral("main"), QStringLiteral("still queued"));
    const QString path = dir.filePath(QStringLiteral("log.txt"));
    QString error;
    QVERIFY2(view.saveTo(path, &error), qPrintable(error));

    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QString saved = QString::fromUtf8(file.readAll());
    QStringList lines = saved.split(u'\n');
    QCOMPARE(lines.takeLast(), QString()); // newline-terminated
    QCOMPARE(lines.size(), 3);
    for (int row = 0; row < 3; ++row)
        QCOMPARE(lines.at(row), view.model()->formatted(row));
    QVERIFY(lines.at(0).endsWith(u"收到客户端发来的消息: 你好"));
    QVERIFY(lines.at(1).endsWith(u"bad\\x01line\\x0Afake"));
    QVERIFY(lines.at(2).endsWith(u"still queued"));
}

void TestLogView::saveReportsErrors()
{
    QTemporaryDir dir;
    App::LogView view;
    fill(view, 2);
    QString error;
    QVERIFY(!view.saveTo(dir.filePath(QStringLiteral("missing/dir/log.txt")), &error));
    QVERIFY(!error.isEmpty());
}

void TestLogView::clearButtonEmptiesModelAndQueue()
{
    App::LogView view;
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    fill(view, 20);
    view.model()->flush();
    fill(view, 5, 20);
    auto *clear = view.findChild<QPushButton *>(QStringLiteral("clearLog"));
    QVERIFY(clear);
    QTest::mouseClick(clear, Qt::LeftButton);
    QCOMPARE(view.model()->rowCount(), 0);
    QCOMPARE(view.model()->pendingCount(), 0);
    QVERIFY(view.visibleLines().isEmpty());
    fill(view, 1, 100);
    view.model()->flush();
    QCOMPARE(view.visibleLines().size(), 1);
}

void TestLogView::copyTakesSelectedLinesInOrder()
{
    App::LogView view;
    view.append(App::LogLevel::Info, u"worker-1"_s, u"first"_s);
    view.append(App::LogLevel::Info, u"worker-1"_s, u"second\x01"_s);
    view.append(App::LogLevel::Info, u"worker-1"_s, u"third"_s);
    view.model()->flush();
    QListView *list = view.listView();
    list->selectionModel()->select(list->model()->index(2, 0), QItemSelectionModel::Select);
    list->selectionModel()->select(list->model()->index(1, 0), QItemSelectionModel::Select);
    view.copySelection();
    QCOMPARE(QGuiApplication::clipboard()->text(),
             view.model()->formatted(1) + u'\n' + view.model()->formatted(2));
    QVERIFY(QGuiApplication::clipboard()->text().contains(u"second\\x01"));
}

void TestLogView::followsTheTailAtTheBottom()
{
    App::LogView view;
    view.resize(600, 300);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QScrollBar *bar = view.listView()->verticalScrollBar();
    for (int batch = 0; batch < 3; ++batch) {
        fill(view, 200, batch * 200);
        view.model()->flush();
        QVERIFY(bar->maximum() > 0);
        QCOMPARE(bar->value(), bar->maximum());
    }
    // Scrolled up by the user: new lines do not yank the view down.
    bar->setValue(bar->maximum() / 2);
    const int reading = bar->value();
    fill(view, 200, 600);
    view.model()->flush();
    QCOMPARE(bar->value(), reading);
}

void TestLogView::pauseKeepsScrollPosition()
{
    App::LogView view;
    view.resize(600, 300);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QScrollBar *bar = view.listView()->verticalScrollBar();
    fill(view, 500);
    view.model()->flush();
    QCOMPARE(bar->value(), bar->maximum());

    auto *pause = view.findChild<QToolButton *>(QStringLiteral("pauseAutoscroll"));
    QVERIFY(pause);
    QTest::mouseClick(pause, Qt::LeftButton);
    QVERIFY(view.isAutoscrollPaused());
    const int position = bar->value();
    const QString top = topLine(view);
    fill(view, 500, 500);
    view.model()->flush();
    QCOMPARE(bar->value(), position);
    QCOMPARE(topLine(view), top);
    QVERIFY(bar->maximum() > position);

    QTest::mouseClick(pause, Qt::LeftButton); // resuming jumps to the newest line
    QVERIFY(!view.isAutoscrollPaused());
    QCOMPARE(bar->value(), bar->maximum());
}

void TestLogView::readingPositionSurvivesDroppedLines()
{
    App::LogView view;
    view.resize(600, 300);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setLineCap(1000);
    fill(view, 1000);
    view.model()->flush();
    view.setAutoscrollPaused(true);
    QListView *list = view.listView();
    list->scrollTo(list->model()->index(500, 0), QAbstractItemView::PositionAtTop);
    const QString top = topLine(view);
    QVERIFY(top.endsWith(u"line 500"));
    fill(view, 200, 1000); // drops lines 0-199: the text the user reads must not move
    view.model()->flush();
    QCOMPARE(view.model()->entry(0).text, QStringLiteral("line 200"));
    QCOMPARE(topLine(view), top);
}

void TestLogView::languageChangeKeepsState()
{
    App::LogView view;
    auto *combo = view.findChild<QComboBox *>(QStringLiteral("levelFilter"));
    combo->setCurrentIndex(2);
    view.setFilterText(QStringLiteral("abc"));
    QEvent change(QEvent::LanguageChange);
    QCoreApplication::sendEvent(&view, &change);
    QCOMPARE(combo->currentIndex(), 2);
    QCOMPARE(combo->count(), 4);
    QCOMPARE(combo->itemText(2), QStringLiteral("Warnings and above"));
    QCOMPARE(view.filterText(), QStringLiteral("abc"));
    QCOMPARE(view.findChild<QToolButton *>(QStringLiteral("pauseAutoscroll"))->text(),
             QStringLiteral("Pause autoscroll"));
}

// Tens of thousands of lines per second for seconds, fed from a timer so that the event loop
// (flush timer, painting) runs in between, as it does when the server relays a flood.
void TestLogView::floodKeepsCapAndOrder()
{
    constexpr int Total = 200000;
    constexpr int PerSecond = 50000;
    constexpr int Cap = 20000;
    App::LogView view;
    view.resize(900, 400);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setLineCap(Cap);

    int appended = 0;
    int flushes = 0;
    int largest = 0;
    bool ordered = true;
    connect(view.model(), &App::LogModel::flushed, this, [&] {
        ++flushes;
        App::LogModel *model = view.model();
        largest = std::max(largest, model->rowCount());
        const int last = model->rowCount() - 1;
        ordered = ordered && model->entry(0).text.toInt() < model->entry(last).text.toInt();
    });
    QElapsedTimer clock;
    QTimer producer;
    producer.setInterval(5);
    connect(&producer, &QTimer::timeout, this, [&] {
        const int due = int(std::min<qint64>(Total, clock.elapsed() * PerSecond / 1000));
        for (; appended < due; ++appended)
            view.append(App::LogLevel::Debug, QStringLiteral("worker-1"),
                        QString::number(appended));
        if (appended == Total)
            producer.stop();
    });
    QList<qint64> gaps;
    QElapsedTimer sinceProbe;
    QTimer probe;
    probe.setInterval(5);
    probe.setTimerType(Qt::PreciseTimer);
    connect(&probe, &QTimer::timeout, this, [&] { gaps.append(sinceProbe.restart()); });

    clock.start();
    sinceProbe.start();
    producer.start();
    probe.start();
    QTRY_VERIFY_WITH_TIMEOUT(appended == Total && view.model()->pendingCount() == 0, 60000);
    probe.stop();

    App::LogModel *model = view.model();
    QCOMPARE(model->rowCount(), Cap);
    QVERIFY(largest <= Cap);
    QVERIFY(ordered);
    QCOMPARE(model->entry(Cap - 1).text, QString::number(Total - 1));
    for (int row = 1; row < Cap; ++row)
        QVERIFY(model->entry(row - 1).text.toInt() < model->entry(row).text.toInt());
    QCOMPARE(view.visibleLines().size(), Cap);

    std::sort(gaps.begin(), gaps.end());
    // Lag: how late a 5 ms timer fired. Printed for the benchmark notes, never asserted.
    const qint64 p99 = gaps.isEmpty() ? 0 : gaps.at(gaps.size() * 99 / 100) - 5;
    const qint64 worst = gaps.isEmpty() ? 0 : gaps.last() - 5;
    qInfo("%d lines in %lld ms, %d flushes; event-loop lag p99 %lld ms, max %lld ms", Total,
          qint64(clock.elapsed()), flushes, p99, worst);
}

QTEST_MAIN(TestLogView)
#include "tst_logview.moc"
