#include "storagelib/prunejob.h"

#include <algorithm>

namespace Storage {

namespace {

constexpr qint64 MsPerDay = 24 * 3600 * 1000;

} // namespace

PruneJob::PruneJob(quint64 requestId, Retention retention, qint64 nowMs, int batchRows)
    : m_requestId(requestId),
      m_retention(retention),
      m_cutoffMs(nowMs - qint64(std::max(retention.maxAgeDays, 0)) * MsPerDay),
      m_batchRows(std::max(batchRows, 1))
{
    m_result.requestId = requestId;
}

bool PruneJob::step(HistoryTable &history)
{
    switch (m_phase) {
    case Phase::Age:
        stepAge(history);
        break;
    case Phase::FindTargets:
        stepFindTargets(history);
        break;
    case Phase::Lines:
        stepLines(history);
        break;
    case Phase::Done:
        break;
    }
    return m_phase == Phase::Done;
}

void PruneJob::stepAge(HistoryTable &history)
{
    if (m_retention.maxAgeDays <= 0) {
        m_phase = Phase::FindTargets;
        return;
    }
    const std::optional<qint64> deleted = history.deleteOlderThan(m_cutoffMs, m_batchRows);
    if (!deleted)
        return fail(history);
    m_result.count += *deleted;
    ++m_result.batches;
    if (*deleted < m_batchRows)
        m_phase = Phase::FindTargets;
}

void PruneJob::stepFindTargets(HistoryTable &history)
{
    if (m_retention.maxLinesPerTarget <= 0) {
        m_phase = Phase::Done;
        return;
    }
    const std::optional<QList<QByteArray>> targets
        = history.targetsOverLimit(m_retention.maxLinesPerTarget);
    if (!targets)
        return fail(history);
    m_targets = *targets;
    m_phase = m_targets.isEmpty() ? Phase::Done : Phase::Lines;
}

void PruneJob::stepLines(HistoryTable &history)
{
    const QByteArray target = m_targets.first();
    if (!m_lastToDelete) {
        bool ok = false;
        m_lastToDelete = history.lastBeyond(target, m_retention.maxLinesPerTarget, &ok);
        if (!ok)
            return fail(history);
    }
    std::optional<qint64> deleted = 0;
    if (m_lastToDelete)
        deleted = history.deleteUpTo(target, *m_lastToDelete, m_batchRows);
    if (!deleted)
        return fail(history);
    if (*deleted > 0) {
        m_result.count += *deleted;
        ++m_result.batches;
    }
    if (*deleted < m_batchRows) {
        m_targets.removeFirst();
        m_lastToDelete.reset();
        if (m_targets.isEmpty())
            m_phase = Phase::Done;
    }
}

void PruneJob::fail(HistoryTable &history)
{
    m_result.status = Status::Unavailable;
    m_result.error = history.lastError();
    m_phase = Phase::Done;
}

} // namespace Storage
