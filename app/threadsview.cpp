#include "app/threadsview.h"

#include "app/throughputchart.h"

#include <QAbstractTableModel>
#include <QEvent>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

namespace App {

namespace {

bool isAsciiDigit(QChar c)
{
    return c >= u'0' && c <= u'9';
}

// Compares the digit runs starting at a[i] and b[j] by value, and advances past them.
int compareNumbers(QStringView a, qsizetype &i, QStringView b, qsizetype &j)
{
    auto run = [](QStringView s, qsizetype &pos) {
        while (pos < s.size() && s[pos] == u'0' && pos + 1 < s.size() && isAsciiDigit(s[pos + 1]))
            ++pos;
        const qsizetype start = pos;
        while (pos < s.size() && isAsciiDigit(s[pos]))
            ++pos;
        return s.sliced(start, pos - start);
    };
    const QStringView x = run(a, i);
    const QStringView y = run(b, j);
    if (x.size() != y.size())
        return x.size() < y.size() ? -1 : 1;
    return x.compare(y);
}

// Natural order, case-insensitive; ties (e.g. "w-01" and "w-1") broken by plain comparison
// so that distinct names never compare equal.
int naturalCompare(QStringView a, QStringView b)
{
    qsizetype i = 0;
    qsizetype j = 0;
    while (i < a.size() && j < b.size()) {
        if (isAsciiDigit(a[i]) && isAsciiDigit(b[j])) {
            if (const int order = compareNumbers(a, i, b, j))
                return order;
            continue;
        }
        const char32_t x = QChar::toCaseFolded(a[i].unicode());
        const char32_t y = QChar::toCaseFolded(b[j].unicode());
        if (x != y)
            return x < y ? -1 : 1;
        ++i;
        ++j;
    }
    if (a.size() - i != b.size() - j)
        return a.size() - i < b.size() - j ? -1 : 1;
    return a.compare(b);
}

} // namespace

// The rows in natural order of thread name. updateStats() merges the new list into the old
// one, so a thread that stays keeps its row (and selection) and only real arrivals and
// departures become row insertions and removals.
class ThreadStatsModel : public QAbstractTableModel
{
public:
    using QAbstractTableModel::QAbstractTableModel;

    int rowCount(const QModelIndex &parent = QModelIndex()) const override
    {
        return parent.isValid() ? 0 : int(m_rows.size());
    }
    int columnCount(const QModelIndex &parent = QModelIndex()) const override
    {
        return parent.isValid() ? 0 : ThreadsView::ColumnCount;
    }
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    const Server::ThreadStats &stats(int row) const { return m_rows.at(row); }
    const QList<Server::ThreadStats> &rows() const { return m_rows; }
    void update(QList<Server::ThreadStats> threads);
    void clear();
    bool showsProcesses = false;
    void retranslate()
    {
        Q_EMIT headerDataChanged(Qt::Horizontal, 0, ThreadsView::ColumnCount - 1);
    }

private:
    int orderOf(int row, const QList<Server::ThreadStats> &fresh, qsizetype next) const;
    void removeRun(int row, const QList<Server::ThreadStats> &fresh, qsizetype next);
    qsizetype insertRun(int row, const QList<Server::ThreadStats> &fresh, qsizetype next);

    QList<Server::ThreadStats> m_rows;
};

QVariant ThreadStatsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Server::ThreadStats &s = m_rows.at(index.row());
    if (role == Qt::TextAlignmentRole && index.column() != ThreadsView::NameColumn)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    const QLocale locale;
    switch (index.column()) {
    case ThreadsView::NameColumn:
        return s.name;
    case ThreadsView::ClientsColumn:
        return locale.toString(s.clients);
    case ThreadsView::MessagesColumn:
        return locale.toString(s.messagesPerSecond, 'f', 1);
    case ThreadsView::DeliveriesColumn:
        return locale.toString(s.deliveriesPerSecond, 'f', 1);
    default:
        return {};
    }
}

QVariant ThreadStatsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case ThreadsView::NameColumn:
        return showsProcesses ? ThreadsView::tr("Process") : ThreadsView::tr("Thread");
    case ThreadsView::ClientsColumn:
        return ThreadsView::tr("Clients");
    case ThreadsView::MessagesColumn:
        return ThreadsView::tr("Messages/s");
    case ThreadsView::DeliveriesColumn:
        return ThreadsView::tr("Deliveries/s");
    default:
        return {};
    }
}

void ThreadStatsModel::update(QList<Server::ThreadStats> threads)
{
    std::sort(threads.begin(), threads.end(),
              [](const Server::ThreadStats &a, const Server::ThreadStats &b) {
                  return naturalCompare(a.name, b.name) < 0;
              });
    int row = 0;
    qsizetype next = 0;
    while (row < m_rows.size() || next < threads.size()) {
        const int order = orderOf(row, threads, next);
        if (order < 0) {
            removeRun(row, threads, next);
        } else if (order > 0) {
            const qsizetype added = insertRun(row, threads, next);
            row += int(added);
            next += added;
        } else {
            m_rows[row++] = threads[next++];
        }
    }
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ThreadsView::ColumnCount - 1),
                           {Qt::DisplayRole});
}

// < 0: the thread of the old row at `row` ended; > 0: fresh[next] is a new thread; 0: same.
int ThreadStatsModel::orderOf(int row, const QList<Server::ThreadStats> &fresh,
                              qsizetype next) const
{
    if (row == m_rows.size())
        return 1;
    if (next == fresh.size())
        return -1;
    return naturalCompare(m_rows[row].name, fresh[next].name);
}

// Removes the old rows from `row` on that sort before fresh[next]: threads that ended.
void ThreadStatsModel::removeRun(int row, const QList<Server::ThreadStats> &fresh, qsizetype next)
{
    int last = row;
    while (last + 1 < m_rows.size() && orderOf(last + 1, fresh, next) < 0)
        ++last;
    beginRemoveRows(QModelIndex(), row, last);
    m_rows.remove(row, last - row + 1);
    endRemoveRows();
}

// Inserts the fresh threads from `next` on that sort before the old row at `row`.
qsizetype ThreadStatsModel::insertRun(int row, const QList<Server::ThreadStats> &fresh,
                                      qsizetype next)
{
    qsizetype end = next + 1;
    while (end < fresh.size() && orderOf(row, fresh, end) > 0)
        ++end;
    beginInsertRows(QModelIndex(), row, row + int(end - next) - 1);
    m_rows.insert(row, end - next, Server::ThreadStats());
    std::copy(fresh.begin() + next, fresh.begin() + end, m_rows.begin() + row);
    endInsertRows();
    return end - next;
}

void ThreadStatsModel::clear()
{
    beginResetModel();
    m_rows.clear();
    endResetModel();
}

ThreadsView::ThreadsView(QWidget *parent)
    : QWidget(parent),
      m_model(new ThreadStatsModel(this)),
      m_table(new QTableView(this)),
      m_chart(new ThroughputChart(this)),
      m_summary(new QLabel(this))
{
    m_table->setObjectName(QStringLiteral("threadsTable"));
    m_table->setModel(m_model);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_chart->setObjectName(QStringLiteral("throughputChart"));
    m_summary->setObjectName(QStringLiteral("threadsSummary"));

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_table);
    splitter->addWidget(m_chart);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    splitter->setChildrenCollapsible(false);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_summary);
    layout->addWidget(splitter, 1);
    retranslateUi();
}

void ThreadsView::setShowsProcesses(bool processes)
{
    if (processes == m_processes)
        return;
    m_processes = processes;
    m_model->showsProcesses = processes;
    retranslateUi();
}

void ThreadsView::retranslateUi()
{
    m_chart->setSeriesLabel(m_processes ? tr("Deliveries/s, all processes")
                                        : tr("Deliveries/s, all threads"));
    m_model->retranslate();
    updateSummary();
}

void ThreadsView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void ThreadsView::updateStats(const QList<Server::ThreadStats> &threads)
{
    m_model->update(threads);
    double deliveries = 0;
    for (const Server::ThreadStats &thread : threads)
        deliveries += thread.deliveriesPerSecond;
    m_chart->addSample(deliveries);
    updateSummary();
}

void ThreadsView::clear()
{
    m_model->clear();
    m_chart->clear();
    updateSummary();
}

int ThreadsView::rowCount() const
{
    return m_model->rowCount();
}

QString ThreadsView::threadName(int row) const
{
    return row >= 0 && row < rowCount() ? m_model->stats(row).name : QString();
}

QString ThreadsView::cellText(int row, int column) const
{
    return m_model->index(row, column).data().toString();
}

QString ThreadsView::summaryText() const
{
    return m_summary->text();
}

bool ThreadsView::naturalLess(QStringView a, QStringView b)
{
    return naturalCompare(a, b) < 0;
}

void ThreadsView::updateSummary()
{
    int clients = 0;
    double messages = 0;
    double deliveries = 0;
    for (const Server::ThreadStats &thread : m_model->rows()) {
        clients += thread.clients;
        messages += thread.messagesPerSecond;
        deliveries += thread.deliveriesPerSecond;
    }
    const QLocale locale;
    const QString summary = m_processes
        ? tr("%n process(es) · %1 clients · %2 messages/s · %3 deliveries/s", nullptr, rowCount())
        : tr("%n thread(s) · %1 clients · %2 messages/s · %3 deliveries/s", nullptr, rowCount());
    m_summary->setText(summary.arg(locale.toString(clients), locale.toString(messages, 'f', 0),
                                   locale.toString(deliveries, 'f', 0)));
}

} // namespace App
