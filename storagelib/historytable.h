#pragma once

#include "storagelib/storagetypes.h"

#include <QSqlQuery>
#include <QString>

#include <array>
#include <optional>
#include <vector>

namespace Storage {

class SqlConnection;

// A line's place in a target's history: ordered by time, then by the order it was stored in.
struct Position
{
    qint64 timeMs = 0;
    qint64 id = 0;

    friend bool operator<(const Position &a, const Position &b)
    {
        return a.timeMs < b.timeMs || (a.timeMs == b.timeMs && a.id < b.id);
    }
};

// The history table's SQL, the same text for both backends. Each call is one statement or
// one transaction; the caller decides when to run the next.
class HistoryTable
{
public:
    explicit HistoryTable(SqlConnection &connection) : m_connection(connection) { }

    // One transaction for the whole batch; on failure nothing of it is stored. A msgid that
    // is already stored is skipped (the line is there).
    bool insert(const std::vector<HistoryMessage> &batch);
    Result fetch(const HistoryQuery &query);
    Result targets(const TargetsQuery &query);
    Result count(const QByteArray &target); // empty target: every line

    // Retention, one transaction each; the number of rows deleted, or nothing on failure.
    std::optional<qint64> deleteOlderThan(qint64 cutoffMs, int maxRows);
    std::optional<QList<QByteArray>> targetsOverLimit(int maxLines);
    // The newest line of `target` beyond its `keep` newest, if there is one.
    std::optional<Position> lastBeyond(const QByteArray &target, int keep, bool *ok);
    std::optional<qint64> deleteUpTo(const QByteArray &target, Position last, int maxRows);

    QString lastError() const;

private:
    enum class Order { Ascending, Descending };
    enum class Side { Lower, Upper }; // an exclusive bound below or above the lines wanted

    // Resolves a reference to a position: NotFound when its msgid is not in the target.
    Status resolve(const QByteArray &target, const Reference &reference, Side side, Position *out);
    static Position asBound(const Reference &reference, Position resolved, Side side);
    bool select(const QByteArray &target, const std::optional<Position> &lower,
                const std::optional<Position> &upper, bool lowerInclusive, Order order, int limit,
                QList<HistoryMessage> *out);
    Result fetchBetween(const HistoryQuery &query, int limit);
    Result fetchAround(const HistoryQuery &query, int limit);
    Result failure(Status status) const;
    bool namePeers(const QByteArray &account, QList<TargetActivity> *targets);
    bool insertRun(const std::vector<HistoryMessage> &batch, qsizetype first, qsizetype rows);
    QSqlQuery &insertStatement(qsizetype rows, bool peers);

    SqlConnection &m_connection;
    // Prepared once, for one row or a chunk, of channel or private lines: parsing an INSERT of
    // many rows costs more than running it.
    std::array<std::optional<QSqlQuery>, 4> m_inserts;
};

} // namespace Storage
