#include "app/threadsview.h"
#include "app/throughputchart.h"

#include <QAbstractItemModel>
#include <QImage>
#include <QItemSelectionModel>
#include <QSignalSpy>
#include <QTableView>
#include <QtTest>

#include <set>

using namespace Qt::StringLiterals;

namespace {

Server::ThreadStats stats(const QString &name, int clients = 1, double messages = 0,
                          double deliveries = 0)
{
    Server::ThreadStats s;
    s.name = name;
    s.clients = clients;
    s.messagesPerSecond = messages;
    s.deliveriesPerSecond = deliveries;
    return s;
}

QStringList names(const App::ThreadsView &view)
{
    QStringList result;
    for (int row = 0; row < view.rowCount(); ++row)
        result.append(view.threadName(row));
    return result;
}

// Per-connection mode: one thread per client.
QList<Server::ThreadStats> perConnection(const QList<int> &clients)
{
    QList<Server::ThreadStats> threads;
    for (int id : clients)
        threads.append(stats(u"conn-%1"_s.arg(id)));
    return threads;
}

int distinctColours(const QImage &image)
{
    std::set<QRgb> colours;
    for (int y = 0; y < image.height(); y += 2) {
        for (int x = 0; x < image.width(); x += 2)
            colours.insert(image.pixel(x, y));
    }
    return int(colours.size());
}

} // namespace

class TestThreadsView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void rowsFollowThreads();
    void threadsComingAndGoingKeepSelection();
    void naturalSort_data();
    void naturalSort();
    void chartKeepsBoundedHistory();
    void chartSumsDeliveries();
    void axisMaximum_data();
    void axisMaximum();
    void clearEmptiesTableAndChart();
    void rendersTableAndChart();
    void languageChangeKeepsRows();
    void processesAreRowsOfTheirOwn();
};

void TestThreadsView::initTestCase()
{
    QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
}

void TestThreadsView::rowsFollowThreads()
{
    App::ThreadsView view;
    view.updateStats({stats(u"worker-1"_s, 2, 1.5, 3), stats(u"worker-2"_s, 1)});
    QCOMPARE(view.rowCount(), 2);
    QCOMPARE(names(view), (QStringList {u"worker-1"_s, u"worker-2"_s}));
    QCOMPARE(view.cellText(0, App::ThreadsView::ClientsColumn), u"2"_s);
    QCOMPARE(view.cellText(0, App::ThreadsView::MessagesColumn), u"1.5"_s);
    QCOMPARE(view.cellText(0, App::ThreadsView::DeliveriesColumn), u"3.0"_s);

    view.updateStats({stats(u"worker-2"_s, 5, 12.5, 1250)});
    QCOMPARE(names(view), QStringList {u"worker-2"_s});
    QCOMPARE(view.cellText(0, App::ThreadsView::ClientsColumn), u"5"_s);
    QCOMPARE(view.cellText(0, App::ThreadsView::MessagesColumn), u"12.5"_s);
    QCOMPARE(view.cellText(0, App::ThreadsView::DeliveriesColumn), u"1,250.0"_s);
    QVERIFY2(view.summaryText().contains(u"1 thread"), qPrintable(view.summaryText()));

    view.updateStats({});
    QCOMPARE(view.rowCount(), 0);
    QCOMPARE(view.threadName(0), QString());
}

void TestThreadsView::threadsComingAndGoingKeepSelection()
{
    App::ThreadsView view;
    QList<int> all;
    for (int id = 1; id <= 100; ++id)
        all.append(id);
    QAbstractItemModel *model = view.tableView()->model();
    QSignalSpy inserted(model, &QAbstractItemModel::rowsInserted);
    view.updateStats(perConnection(all));
    QCOMPARE(view.rowCount(), 100);
    QCOMPARE(inserted.count(), 1); // one batch, not a hundred

    view.tableView()->selectRow(9);
    QCOMPARE(view.threadName(9), u"conn-10"_s);
    QList<int> evens;
    for (int id = 2; id <= 100; id += 2)
        evens.append(id);
    evens.append(150); // a newcomer sorts after conn-100
    QSignalSpy removed(model, &QAbstractItemModel::rowsRemoved);
    view.updateStats(perConnection(evens));
    QCOMPARE(view.rowCount(), 51);
    QCOMPARE(removed.count(), 50);
    QCOMPARE(view.threadName(0), u"conn-2"_s);
    QCOMPARE(view.threadName(49), u"conn-100"_s);
    QCOMPARE(view.threadName(50), u"conn-150"_s);
    const QModelIndexList selected = view.tableView()->selectionModel()->selectedRows();
    QCOMPARE(selected.size(), 1);
    QCOMPARE(view.threadName(selected.first().row()), u"conn-10"_s);
}

void TestThreadsView::naturalSort_data()
{
    QTest::addColumn<QStringList>("input");
    QTest::addColumn<QStringList>("expected");
    QTest::newRow("workers") << QStringList {u"worker-10"_s, u"worker-2"_s, u"worker-1"_s}
                             << QStringList {u"worker-1"_s, u"worker-2"_s, u"worker-10"_s};
    QTest::newRow("mixed") << QStringList {u"pool-3"_s, u"main"_s, u"conn-12"_s, u"conn-9"_s}
                           << QStringList {u"conn-9"_s, u"conn-12"_s, u"main"_s, u"pool-3"_s};
    QTest::newRow("case and zeros")
        << QStringList {u"Worker-2"_s, u"worker-1"_s, u"worker-010"_s, u"worker-09"_s}
        << QStringList {u"worker-1"_s, u"Worker-2"_s, u"worker-09"_s, u"worker-010"_s};
    QTest::newRow("big numbers") << QStringList {u"t-100000000000000000001"_s, u"t-99"_s}
                                 << QStringList {u"t-99"_s, u"t-100000000000000000001"_s};
}

void TestThreadsView::naturalSort()
{
    QFETCH(QStringList, input);
    QFETCH(QStringList, expected);
    App::ThreadsView view;
    QList<Server::ThreadStats> threads;
    for (const QString &name : input)
        threads.append(stats(name));
    view.updateStats(threads);
    QCOMPARE(names(view), expected);
    // Arriving one at a time in another order ends the same.
    App::ThreadsView incremental;
    QList<Server::ThreadStats> growing;
    for (auto it = input.crbegin(); it != input.crend(); ++it) {
        growing.append(stats(*it));
        incremental.updateStats(growing);
    }
    QCOMPARE(names(incremental), expected);
    QVERIFY(App::ThreadsView::naturalLess(u"worker-2", u"worker-10"));
    QVERIFY(!App::ThreadsView::naturalLess(u"worker-10", u"worker-2"));
}

void TestThreadsView::chartKeepsBoundedHistory()
{
    App::ThreadsView view;
    App::ThroughputChart *chart = view.chart();
    QVERIFY(chart);
    for (int i = 0; i < 500; ++i)
        view.updateStats({stats(u"worker-1"_s, 1, 0, i)});
    QCOMPARE(chart->samples().size(), App::ThroughputChart::DefaultCapacity);
    QCOMPARE(chart->samples().first(), 500.0 - App::ThroughputChart::DefaultCapacity);
    QCOMPARE(chart->samples().last(), 499.0);
    chart->setCapacity(10);
    QCOMPARE(chart->samples().size(), 10);
    QCOMPARE(chart->samples().last(), 499.0);
    chart->addSample(qQNaN());
    chart->addSample(-5);
    QCOMPARE(chart->samples().mid(8), (QList<double> {0, 0}));
}

void TestThreadsView::chartSumsDeliveries()
{
    App::ThreadsView view;
    view.updateStats({stats(u"worker-1"_s, 3, 10, 300), stats(u"worker-2"_s, 2, 5, 200)});
    QCOMPARE(view.chart()->samples(), QList<double> {500});
    QVERIFY(view.chart()->seriesLabel().contains(u"Deliveries/s"));
}

void TestThreadsView::axisMaximum_data()
{
    QTest::addColumn<double>("largest");
    QTest::addColumn<double>("top");
    QTest::newRow("idle") << 0.0 << 1.0;
    QTest::newRow("fraction") << 0.4 << 1.0;
    QTest::newRow("3") << 3.0 << 5.0;
    QTest::newRow("12") << 12.0 << 20.0;
    QTest::newRow("1000") << 1000.0 << 1000.0;
    QTest::newRow("1001") << 1001.0 << 2000.0;
    QTest::newRow("fan-out") << 43210.0 << 50000.0;
    QTest::newRow("nan") << qQNaN() << 1.0;
}

void TestThreadsView::axisMaximum()
{
    QFETCH(double, largest);
    QFETCH(double, top);
    QCOMPARE(App::ThroughputChart::axisMaximum(largest), top);
}

void TestThreadsView::clearEmptiesTableAndChart()
{
    App::ThreadsView view;
    view.updateStats({stats(u"worker-1"_s), stats(u"worker-2"_s)});
    view.clear();
    QCOMPARE(view.rowCount(), 0);
    QVERIFY(view.chart()->samples().isEmpty());
    view.updateStats({stats(u"worker-3"_s)});
    QCOMPARE(names(view), QStringList {u"worker-3"_s});
}

void TestThreadsView::rendersTableAndChart()
{
    App::ThreadsView view;
    view.resize(520, 420);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    const QImage empty = view.chart()->grab().toImage();
    for (int i = 0; i < 60; ++i)
        view.updateStats({stats(u"worker-1"_s, 4, i, 40 * (i % 17)), stats(u"worker-2"_s, 3)});
    const QImage whole = view.grab().toImage();
    QVERIFY(!whole.isNull());
    QVERIFY2(distinctColours(whole) > 4, "the threads view rendered blank");
    const QImage chart = view.chart()->grab().toImage();
    QCOMPARE(chart.size(), empty.size());
    QVERIFY2(chart != empty, "samples did not change the chart");
    // The series is drawn in the highlight colour.
    const QRgb line = view.chart()->palette().color(QPalette::Highlight).rgb();
    int linePixels = 0;
    for (int y = 0; y < chart.height(); ++y) {
        for (int x = 0; x < chart.width(); ++x)
            linePixels += chart.pixel(x, y) == line;
    }
    QVERIFY2(linePixels > 50, qPrintable(QString::number(linePixels)));
}

void TestThreadsView::languageChangeKeepsRows()
{
    App::ThreadsView view;
    view.updateStats({stats(u"worker-1"_s)});
    QEvent change(QEvent::LanguageChange);
    QCoreApplication::sendEvent(&view, &change);
    QCOMPARE(view.rowCount(), 1);
    QCOMPARE(view.tableView()->model()->headerData(0, Qt::Horizontal).toString(), u"Thread"_s);
    QVERIFY(!view.chart()->seriesLabel().isEmpty());
}

// The window's "Processes": a row per server process, named with its pid, in natural order;
// the headers, summary and chart say processes.
void TestThreadsView::processesAreRowsOfTheirOwn()
{
    App::ThreadsView view;
    view.setShowsProcesses(true);
    view.updateStats({stats(u"host-10 (pid 900)"_s, 1, 2, 4), stats(u"host-2 (pid 300)"_s, 3, 1)});
    QCOMPARE(names(view), (QStringList {u"host-2 (pid 300)"_s, u"host-10 (pid 900)"_s}));
    QCOMPARE(view.tableView()->model()->headerData(0, Qt::Horizontal).toString(), u"Process"_s);
    QVERIFY2(view.summaryText().startsWith(u"2 process"), qPrintable(view.summaryText()));
    QVERIFY2(view.summaryText().contains(u"4 clients"), qPrintable(view.summaryText()));
    QCOMPARE(view.chart()->seriesLabel(), u"Deliveries/s, all processes"_s);

    view.clear();
    view.setShowsProcesses(false);
    QCOMPARE(view.tableView()->model()->headerData(0, Qt::Horizontal).toString(), u"Thread"_s);
    QVERIFY2(view.summaryText().startsWith(u"0 thread"), qPrintable(view.summaryText()));
}

QTEST_MAIN(TestThreadsView)
#include "tst_threadsview.moc"
