#include "storagelib/storeengine.h"

#include "storagelib/accounttable.h"
#include "storagelib/historytable.h"
#include "storagelib/prunejob.h"
#include "storagelib/schema.h"
#include "storagelib/sqlconnection.h"
#include "storagelib/storagelogging.h"
#include "storagelib/writequeue.h"

#include <QDateTime>
#include <QThread>
#include <QTimer>

namespace Storage {

namespace {

constexpr int FailureLogIntervalMs = 10'000;

Result unavailable(quint64 requestId, const QString &why)
{
    Result result;
    result.requestId = requestId;
    result.status = Status::Unavailable;
    result.error = why;
    return result;
}

} // namespace

StoreEngine::StoreEngine(const StoreConfig &config, std::shared_ptr<WriteQueue> queue,
                         std::shared_ptr<StoreCounters> counters)
    : m_config(config), m_queue(std::move(queue)), m_counters(std::move(counters))
{ }

StoreEngine::~StoreEngine() = default;

void StoreEngine::open()
{
    m_connection = std::make_unique<SqlConnection>();
    QString error = m_connection->open(m_config);
    if (error.isEmpty())
        error = Schema::migrate(*m_connection);
    if (!error.isEmpty()) {
        qCCritical(lcStorage).noquote()
            << "cannot use" << m_config.location.displayName() << "-" << error;
        m_connection.reset();
        m_openDone = true;
        Q_EMIT opened(error);
        drainWrites(); // counts what was queued meanwhile as not stored
        return;
    }
    m_history = std::make_unique<HistoryTable>(*m_connection);
    m_accounts = std::make_unique<AccountTable>(*m_connection);
    m_counters->open = true;
    m_openDone = true;
    qCInfo(lcStorage).noquote() << "storing in" << m_config.location.displayName()
                                << "schema version"
                                << Schema::latestVersion(m_connection->backend());
    scheduleRetention();
    Q_EMIT opened({});
    drainWrites(); // lines may have been queued while the database opened
}

void StoreEngine::drainWrites()
{
    if (!m_openDone)
        return; // open() drains when it is done
    writeBatch(m_config.maxBatchRows);
    if (m_queue->size() > 0)
        QMetaObject::invokeMethod(this, &StoreEngine::drainWrites, Qt::QueuedConnection);
}

qsizetype StoreEngine::writeBatch(qsizetype maxLines)
{
    if (!m_openDone)
        return 0; // lines appended before open() wait for it
    const std::vector<HistoryMessage> batch
        = m_queue->take(std::min<qsizetype>(maxLines, m_config.maxBatchRows));
    if (batch.empty())
        return 0;
    if (m_history && m_history->insert(batch))
        m_counters->stored += batch.size();
    else
        countNotStored(qsizetype(batch.size()));
    return qsizetype(batch.size());
}

// What is queued now, not what arrives meanwhile: a read waits for the lines appended before
// it, never for a stream that does not end.
void StoreEngine::writeQueued()
{
    for (qsizetype left = m_queue->size(); left > 0;) {
        const qsizetype written = writeBatch(left);
        if (written == 0)
            break;
        left -= written;
    }
}

// Logged at most every 10 s, with the total: a database that is gone fails every batch.
void StoreEngine::countNotStored(qsizetype lines)
{
    m_queue->addNotStored(lines);
    if (m_lastFailureLog.isValid() && !m_lastFailureLog.hasExpired(FailureLogIntervalMs))
        return;
    m_lastFailureLog.start();
    qCWarning(lcStorage).noquote()
        << lines << "lines not stored:"
        << (m_history ? m_history->lastError() : QStringLiteral("the database is not open"))
        << QStringLiteral("(%1 not stored in all)").arg(m_queue->notStored());
}

void StoreEngine::answer(quint64 requestId, const Job &job, const Reply &reply)
{
    writeQueued();
    --m_counters->pendingRequests;
    Result result = m_history ? job(*this)
                              : unavailable(requestId, QStringLiteral("the database is not open"));
    result.requestId = requestId;
    if (reply)
        reply(result);
    else
        Q_EMIT finished(result);
}

void StoreEngine::startPrune(quint64 requestId, const Retention &retention)
{
    m_prunes.emplace_back(requestId, retention, QDateTime::currentMSecsSinceEpoch(),
                          m_config.pruneBatchRows);
    if (m_prunes.size() == 1)
        QMetaObject::invokeMethod(this, &StoreEngine::pruneStep, Qt::QueuedConnection);
}

// One batch, then back to the event loop: writes and reads queued meanwhile go first.
void StoreEngine::pruneStep()
{
    if (m_prunes.empty())
        return;
    PruneJob &job = m_prunes.front();
    if (!m_history) {
        finishPrune(unavailable(job.requestId(), QStringLiteral("the database is not open")));
    } else if (job.step(*m_history)) {
        finishPrune(job.result());
    }
    if (!m_prunes.empty())
        QMetaObject::invokeMethod(this, &StoreEngine::pruneStep, Qt::QueuedConnection);
}

void StoreEngine::finishPrune(const Result &result)
{
    m_prunes.pop_front();
    if (!result.ok())
        qCWarning(lcStorage).noquote() << "retention failed:" << result.error;
    else
        qCInfo(lcStorage) << "retention deleted" << result.count << "lines in" << result.batches
                          << "transactions";
    if (result.requestId == 0)
        return; // the store's own schedule: nobody asked
    --m_counters->pendingRequests;
    Q_EMIT finished(result);
}

void StoreEngine::scheduleRetention()
{
    const Retention &retention = m_config.retention;
    if (m_config.pruneIntervalMs <= 0
        || (retention.maxAgeDays <= 0 && retention.maxLinesPerTarget <= 0))
        return;
    m_retentionTimer = new QTimer(this);
    connect(m_retentionTimer, &QTimer::timeout, this, [this] {
        if (m_prunes.empty()) // a run still going covers this one
            startPrune(0, m_config.retention);
    });
    m_retentionTimer->start(m_config.pruneIntervalMs);
    startPrune(0, retention); // a server restarted after a long pause catches up at once
}

void StoreEngine::shutdown()
{
    m_openDone = true; // a store closed before it opened counts its lines as not stored
    writeQueued(); // the queue is closed: this is everything
    while (!m_prunes.empty())
        finishPrune(unavailable(m_prunes.front().requestId(), QStringLiteral("the store closed")));
    m_counters->open = false;
    m_history.reset();
    m_accounts.reset();
    m_connection.reset();
    thread()->quit();
}

} // namespace Storage
