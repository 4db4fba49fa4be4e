#pragma once

#include "serverlib/serverstats.h"

#include <QList>
#include <QWidget>

class QLabel;
class QTableView;

namespace App {

class ThreadStatsModel;
class ThroughputChart;

// The server's threads as they come and go: one row per serving thread (per-connection mode
// has one per client, the pool a fixed few, single mode one), and the total throughput over
// time underneath, so switching threading models shows in both. With the server run as
// processes, one row per process instead (setShowsProcesses()).
class ThreadsView : public QWidget
{
    Q_OBJECT

public:
    enum Column { NameColumn, ClientsColumn, MessagesColumn, DeliveriesColumn, ColumnCount };

    explicit ThreadsView(QWidget *parent = nullptr);

    int rowCount() const;
    QString threadName(int row) const;
    // The cell as shown, e.g. "12.5" in the Messages/s column.
    QString cellText(int row, int column) const;
    QTableView *tableView() const { return m_table; }
    ThroughputChart *chart() const { return m_chart; }
    QString summaryText() const;
    // Rows are processes ("host-1 (pid 4242)"), not threads: the headers and summary say so.
    void setShowsProcesses(bool processes);
    bool showsProcesses() const { return m_processes; }

    // "worker-2" before "worker-10": digit runs compare as numbers.
    static bool naturalLess(QStringView a, QStringView b);

public Q_SLOTS:
    void updateStats(const QList<Server::ThreadStats> &threads);
    void clear();

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void updateSummary();

    ThreadStatsModel *m_model;
    QTableView *m_table;
    ThroughputChart *m_chart;
    QLabel *m_summary;
    bool m_processes = false;
};

} // namespace App
