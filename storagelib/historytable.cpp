#include "storagelib/historytable.h"

#include "storagelib/sqlconnection.h"

#include <QHash>
#include <QSqlQuery>

#include <algorithm>
#include <limits>

namespace Storage {

namespace {

constexpr qint64 MaxId = std::numeric_limits<qint64>::max();
const QLatin1String Columns("id, msgid, time_ms, target, sender, command, text, tags, recipient");

// A null QByteArray would be bound as SQL NULL.
QVariant bytes(const QByteArray &value)
{
    return value.isNull() ? QByteArray("") : value;
}

HistoryMessage readMessage(const QSqlQuery &query)
{
    HistoryMessage message;
    message.id = query.value(0).toLongLong();
    message.msgid = query.value(1).toByteArray();
    message.timeMs = query.value(2).toLongLong();
    message.target = query.value(3).toByteArray();
    message.sender = query.value(4).toByteArray();
    message.command = query.value(5).toByteArray();
    message.text = query.value(6).toByteArray();
    message.tags = query.value(7).toByteArray();
    message.recipient = query.value(8).toByteArray(); // NULL for a channel's line
    return message;
}

// A private conversation's target is "a,b": its two parties, kept in columns of their own so
// that either one finds it, with the nick the line was sent to. A channel line leaves all three
// empty, and is stored without binding them.
bool hasPeers(const HistoryMessage &message)
{
    return message.target.contains(',');
}

void bindPeers(QSqlQuery &query, const QByteArray &target)
{
    const qsizetype comma = target.indexOf(',');
    query.addBindValue(QVariant(target.left(comma)));
    query.addBindValue(QVariant(target.mid(comma + 1)));
}

// Rows per INSERT statement: one round trip to PostgreSQL for many lines, and far below both
// backends' limits on bound values.
constexpr qsizetype RowsPerInsert = 100;

QString insertSql(qsizetype rows, bool peers)
{
    const QString row = peers ? QStringLiteral("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                              : QStringLiteral("(?, ?, ?, ?, ?, ?, ?)");
    const QString columns = peers ? QStringLiteral("msgid, time_ms, target, peer_a, peer_b, "
                                                   "recipient, sender, command, text, tags")
                                  : QStringLiteral("msgid, time_ms, target, sender, command, "
                                                   "text, tags");
    return QStringLiteral("INSERT INTO history (%1) VALUES %2 ON CONFLICT (msgid) DO NOTHING")
        .arg(columns, QStringList(rows, row).join(QStringLiteral(", ")));
}

void bindMessage(QSqlQuery &query, const HistoryMessage &message, bool peers)
{
    query.addBindValue(bytes(message.msgid));
    query.addBindValue(message.timeMs);
    query.addBindValue(bytes(message.target));
    if (peers) {
        bindPeers(query, message.target);
        query.addBindValue(bytes(message.recipient));
    }
    query.addBindValue(bytes(message.sender));
    query.addBindValue(bytes(message.command));
    query.addBindValue(bytes(message.text));
    query.addBindValue(bytes(message.tags));
}

// How many rows from `first` on are of the same kind (channel or private), at most `limit`.
qsizetype sameKindRun(const std::vector<HistoryMessage> &batch, qsizetype first, qsizetype limit)
{
    const bool peers = hasPeers(batch[std::size_t(first)]);
    qsizetype run = 1;
    while (run < limit && first + run < qsizetype(batch.size())
           && hasPeers(batch[std::size_t(first + run)]) == peers)
        ++run;
    return run;
}

int clampedLimit(int limit)
{
    return std::clamp(limit, 1, MaxQueryLimit);
}

Result invalid(const QString &why)
{
    Result result;
    result.status = Status::InvalidRequest;
    result.error = why;
    return result;
}

} // namespace

// Runs of the same kind of line: whole chunks of RowsPerInsert rows, the rest row by row, each
// through a statement prepared once.
bool HistoryTable::insert(const std::vector<HistoryMessage> &batch)
{
    if (!m_connection.begin())
        return false;
    for (qsizetype first = 0, run = 0; first < qsizetype(batch.size()); first += run) {
        run = sameKindRun(batch, first, RowsPerInsert);
        if (!insertRun(batch, first, run)) {
            m_connection.rollback();
            return false;
        }
    }
    if (m_connection.commit())
        return true;
    m_connection.rollback();
    return false;
}

bool HistoryTable::insertRun(const std::vector<HistoryMessage> &batch, qsizetype first,
                             qsizetype rows)
{
    const bool peers = hasPeers(batch[std::size_t(first)]);
    const qsizetype perStatement = rows == RowsPerInsert ? RowsPerInsert : 1;
    QSqlQuery &statement = insertStatement(perStatement, peers);
    for (qsizetype done = 0; done < rows; done += perStatement) {
        for (qsizetype i = first + done; i < first + done + perStatement; ++i)
            bindMessage(statement, batch[std::size_t(i)], peers);
        if (!m_connection.exec(statement))
            return false;
    }
    return true;
}

QSqlQuery &HistoryTable::insertStatement(qsizetype rows, bool peers)
{
    std::optional<QSqlQuery> &statement = m_inserts[(rows == 1 ? 0 : 2) + (peers ? 1 : 0)];
    if (!statement)
        statement = m_connection.prepare(insertSql(rows, peers));
    return *statement;
}

Result HistoryTable::fetch(const HistoryQuery &query)
{
    if (const QString problem = query.problem(); !problem.isEmpty())
        return invalid(problem);
    const int limit = clampedLimit(query.limit);
    if (query.kind == HistoryQuery::Kind::Around)
        return fetchAround(query, limit);
    if (query.kind == HistoryQuery::Kind::Between)
        return fetchBetween(query, limit);
    Result result;
    Position reference;
    const bool hasReference = query.from.kind != Reference::Kind::None;
    const bool before = query.kind == HistoryQuery::Kind::Before;
    if (hasReference) {
        const Status status
            = resolve(query.target, query.from, before ? Side::Upper : Side::Lower, &reference);
        if (status != Status::Ok)
            return failure(status);
    }
    std::optional<Position> lower, upper;
    if (hasReference)
        (before ? upper : lower) = reference;
    // LATEST and BEFORE want the newest lines of their range, AFTER the oldest.
    const Order order
        = query.kind == HistoryQuery::Kind::After ? Order::Ascending : Order::Descending;
    if (!select(query.target, lower, upper, false, order, limit, &result.messages))
        return failure(Status::Unavailable);
    return result;
}

// Half the limit before the reference, the rest from it on (a msgid's own line included).
Result HistoryTable::fetchAround(const HistoryQuery &query, int limit)
{
    Position reference;
    if (const Status status = resolve(query.target, query.from, Side::Upper, &reference);
        status != Status::Ok)
        return failure(status);
    Result result;
    const int before = limit / 2;
    if (before > 0
        && !select(query.target, {}, reference, false, Order::Descending, before, &result.messages))
        return failure(Status::Unavailable);
    if (!select(query.target, reference, {}, true, Order::Ascending, limit - before,
                &result.messages))
        return failure(Status::Unavailable);
    return result;
}

// Strictly between the two references, taken from the first one's side.
Result HistoryTable::fetchBetween(const HistoryQuery &query, int limit)
{
    Position first, second;
    Status status = resolve(query.target, query.from, Side::Upper, &first);
    if (status == Status::Ok)
        status = resolve(query.target, query.to, Side::Upper, &second);
    if (status != Status::Ok)
        return failure(status);
    const bool forward = first < second;
    const Position lower = forward ? asBound(query.from, first, Side::Lower)
                                   : asBound(query.to, second, Side::Lower);
    const Position upper = forward ? asBound(query.to, second, Side::Upper)
                                   : asBound(query.from, first, Side::Upper);
    Result result;
    if (!select(query.target, lower, upper, false, forward ? Order::Ascending : Order::Descending,
                limit, &result.messages))
        return failure(Status::Unavailable);
    return result;
}

// A time excludes its own millisecond on either side; a msgid is one line's place.
Position HistoryTable::asBound(const Reference &reference, Position resolved, Side side)
{
    if (reference.kind != Reference::Kind::Time)
        return resolved;
    return {reference.timeMs, side == Side::Lower ? MaxId : 0};
}

Status HistoryTable::resolve(const QByteArray &target, const Reference &reference, Side side,
                             Position *out)
{
    if (reference.kind == Reference::Kind::Time) {
        *out = asBound(reference, {}, side);
        return Status::Ok;
    }
    QSqlQuery query = m_connection.prepare(
        QStringLiteral("SELECT time_ms, id FROM history WHERE target = ? AND msgid = ?"));
    query.addBindValue(bytes(target));
    query.addBindValue(bytes(reference.msgid));
    if (!m_connection.exec(query))
        return Status::Unavailable;
    if (!query.next())
        return Status::NotFound;
    *out = {query.value(0).toLongLong(), query.value(1).toLongLong()};
    return Status::Ok;
}

bool HistoryTable::select(const QByteArray &target, const std::optional<Position> &lower,
                          const std::optional<Position> &upper, bool lowerInclusive, Order order,
                          int limit, QList<HistoryMessage> *out)
{
    QString sql = QStringLiteral("SELECT %1 FROM history WHERE target = ?").arg(Columns);
    if (lower)
        sql += lowerInclusive ? QStringLiteral(" AND (time_ms, id) >= (?, ?)")
                              : QStringLiteral(" AND (time_ms, id) > (?, ?)");
    if (upper)
        sql += QStringLiteral(" AND (time_ms, id) < (?, ?)");
    sql += order == Order::Ascending ? QStringLiteral(" ORDER BY time_ms, id LIMIT ?")
                                     : QStringLiteral(" ORDER BY time_ms DESC, id DESC LIMIT ?");
    QSqlQuery query = m_connection.prepare(sql);
    query.addBindValue(bytes(target));
    for (const std::optional<Position> &bound : {lower, upper}) {
        if (bound) {
            query.addBindValue(bound->timeMs);
            query.addBindValue(bound->id);
        }
    }
    query.addBindValue(limit);
    if (!m_connection.exec(query))
        return false;
    QList<HistoryMessage> rows;
    while (query.next())
        rows << readMessage(query);
    if (order == Order::Descending)
        std::reverse(rows.begin(), rows.end());
    *out << rows;
    return true;
}

Result HistoryTable::targets(const TargetsQuery &targetsQuery)
{
    if (const QString problem = targetsQuery.problem(); !problem.isEmpty())
        return invalid(problem);
    Result result;
    QStringList visible;
    if (!targetsQuery.channels.isEmpty())
        visible << QStringLiteral("target IN (%1)")
                       .arg(QStringList(targetsQuery.channels.size(), QStringLiteral("?"))
                                .join(QLatin1Char(',')));
    if (!targetsQuery.account.isEmpty())
        visible << QStringLiteral("peer_a = ? OR peer_b = ?");
    if (visible.isEmpty())
        return result;
    const bool forward = targetsQuery.fromMs <= targetsQuery.toMs;
    QSqlQuery query = m_connection.prepare(
        QStringLiteral("SELECT target, MAX(time_ms) AS latest FROM history "
                       "WHERE time_ms > ? AND time_ms < ? AND (%1) GROUP BY target "
                       "ORDER BY latest %2, target LIMIT ?")
            .arg(visible.join(QLatin1String(" OR ")),
                 forward ? QLatin1String("ASC") : QLatin1String("DESC")));
    query.addBindValue(std::min(targetsQuery.fromMs, targetsQuery.toMs));
    query.addBindValue(std::max(targetsQuery.fromMs, targetsQuery.toMs));
    for (const QByteArray &channel : targetsQuery.channels)
        query.addBindValue(bytes(channel));
    if (!targetsQuery.account.isEmpty()) {
        query.addBindValue(targetsQuery.account);
        query.addBindValue(targetsQuery.account);
    }
    query.addBindValue(clampedLimit(targetsQuery.limit));
    if (!m_connection.exec(query))
        return failure(Status::Unavailable);
    while (query.next())
        result.targets << TargetActivity {
            query.value(0).toByteArray(), query.value(1).toLongLong(), {}};
    if (!forward)
        std::reverse(result.targets.begin(), result.targets.end());
    if (!targetsQuery.account.isEmpty() && !namePeers(targetsQuery.account, &result.targets))
        return failure(Status::Unavailable);
    return result;
}

// Each conversation's other party, as its account is registered (folded when there is no such
// account any more), in one query for all of them.
bool HistoryTable::namePeers(const QByteArray &account, QList<TargetActivity> *targets)
{
    QList<QByteArray> peers;
    for (TargetActivity &target : *targets) {
        const qsizetype comma = target.target.indexOf(',');
        if (comma < 0)
            continue;
        const QByteArray first = target.target.left(comma);
        target.peer = first == account ? target.target.mid(comma + 1) : first;
        peers.append(target.peer);
    }
    if (peers.isEmpty())
        return true;
    QSqlQuery query = m_connection.prepare(
        QStringLiteral("SELECT folded_name, name FROM accounts WHERE folded_name IN (%1)")
            .arg(QStringList(peers.size(), QStringLiteral("?")).join(QLatin1Char(','))));
    for (const QByteArray &peer : std::as_const(peers))
        query.addBindValue(peer);
    if (!m_connection.exec(query))
        return false;
    QHash<QByteArray, QByteArray> names;
    while (query.next())
        names.insert(query.value(0).toByteArray(), query.value(1).toByteArray());
    for (TargetActivity &target : *targets)
        target.peer = names.value(target.peer, target.peer);
    return true;
}

Result HistoryTable::count(const QByteArray &target)
{
    QSqlQuery query = m_connection.prepare(
        target.isEmpty() ? QStringLiteral("SELECT COUNT(*) FROM history")
                         : QStringLiteral("SELECT COUNT(*) FROM history WHERE target = ?"));
    if (!target.isEmpty())
        query.addBindValue(target);
    if (!m_connection.exec(query) || !query.next())
        return failure(Status::Unavailable);
    Result result;
    result.count = query.value(0).toLongLong();
    return result;
}

std::optional<qint64> HistoryTable::deleteOlderThan(qint64 cutoffMs, int maxRows)
{
    QSqlQuery query = m_connection.prepare(
        QStringLiteral("DELETE FROM history WHERE id IN "
                       "(SELECT id FROM history WHERE time_ms < ? ORDER BY id LIMIT ?)"));
    query.addBindValue(cutoffMs);
    query.addBindValue(maxRows);
    if (!m_connection.exec(query))
        return std::nullopt;
    return query.numRowsAffected();
}

std::optional<QList<QByteArray>> HistoryTable::targetsOverLimit(int maxLines)
{
    QSqlQuery query = m_connection.prepare(
        QStringLiteral("SELECT target FROM history GROUP BY target HAVING COUNT(*) > ?"));
    query.addBindValue(maxLines);
    if (!m_connection.exec(query))
        return std::nullopt;
    QList<QByteArray> targets;
    while (query.next())
        targets << query.value(0).toByteArray();
    return targets;
}

std::optional<Position> HistoryTable::lastBeyond(const QByteArray &target, int keep, bool *ok)
{
    QSqlQuery query
        = m_connection.prepare(QStringLiteral("SELECT time_ms, id FROM history WHERE target = ? "
                                              "ORDER BY time_ms DESC, id DESC LIMIT 1 OFFSET ?"));
    query.addBindValue(bytes(target));
    query.addBindValue(keep);
    *ok = m_connection.exec(query);
    if (!*ok || !query.next())
        return std::nullopt;
    return Position {query.value(0).toLongLong(), query.value(1).toLongLong()};
}

std::optional<qint64> HistoryTable::deleteUpTo(const QByteArray &target, Position last, int maxRows)
{
    QSqlQuery query = m_connection.prepare(
        QStringLiteral("DELETE FROM history WHERE id IN (SELECT id FROM history "
                       "WHERE target = ? AND (time_ms, id) <= (?, ?) LIMIT ?)"));
    query.addBindValue(bytes(target));
    query.addBindValue(last.timeMs);
    query.addBindValue(last.id);
    query.addBindValue(maxRows);
    if (!m_connection.exec(query))
        return std::nullopt;
    return query.numRowsAffected();
}

QString HistoryTable::lastError() const
{
    return m_connection.lastError();
}

Result HistoryTable::failure(Status status) const
{
    Result result;
    result.status = status;
    result.error = status == Status::NotFound
        ? QStringLiteral("no message with that msgid in this target")
        : m_connection.lastError();
    return result;
}

} // namespace Storage
