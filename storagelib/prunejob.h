#pragma once

#include "storagelib/historytable.h"
#include "storagelib/storagetypes.h"

#include <QList>

#include <optional>

namespace Storage {

// One run of the retention rules, done a small transaction at a time: each step() deletes at
// most `batchRows` rows and returns, so the storage thread serves writes and reads between
// two steps and a large store is never locked for long (Quassel's users know why).
class PruneJob
{
public:
    PruneJob(quint64 requestId, Retention retention, qint64 nowMs, int batchRows);

    // One transaction (or one look-up); true once the job is finished or has failed.
    bool step(HistoryTable &history);
    quint64 requestId() const { return m_requestId; }
    Result result() const { return m_result; }

private:
    enum class Phase { Age, FindTargets, Lines, Done };

    void stepAge(HistoryTable &history);
    void stepFindTargets(HistoryTable &history);
    void stepLines(HistoryTable &history);
    void fail(HistoryTable &history);

    const quint64 m_requestId;
    const Retention m_retention;
    const qint64 m_cutoffMs;
    const int m_batchRows;
    Phase m_phase = Phase::Age;
    QList<QByteArray> m_targets; // over the line limit, the first one being pruned
    std::optional<Position> m_lastToDelete; // of the first target
    Result m_result;
};

} // namespace Storage
