#pragma once

#include "storagelib/prunejob.h"
#include "storagelib/storagetypes.h"
#include "storagelib/storeconfig.h"

#include <QElapsedTimer>
#include <QObject>

#include <atomic>
#include <deque>
#include <functional>
#include <memory>

class QTimer;

namespace Storage {

class AccountTable;
class HistoryTable;
class SqlConnection;
class WriteQueue;

// What the store's callers and its thread both read: updated by the storage thread, read
// anywhere.
struct StoreCounters
{
    std::atomic<bool> open {false};
    std::atomic<qint64> pendingRequests {0};
    std::atomic<quint64> stored {0};
};

// The storage thread's side of a Store: it opens the database connection in that thread, and
// every use of the connection happens here. It is created by the Store, moved to the storage
// thread and deleted there when the thread finishes. Only the Store calls it, by posting.
class StoreEngine : public QObject
{
    Q_OBJECT

public:
    using Job = std::function<Result(StoreEngine &engine)>;
    using Reply = std::function<void(const Result &result)>;

    StoreEngine(const StoreConfig &config, std::shared_ptr<WriteQueue> queue,
                std::shared_ptr<StoreCounters> counters);
    ~StoreEngine() override;

    void open();
    // Writes one batch in one transaction, and posts itself again while lines wait, so that
    // reads are served between two batches.
    void drainWrites();
    // Runs a request after writing every line queued before it (a read sees them), and
    // answers it through `reply`, or with finished() when there is none.
    void answer(quint64 requestId, const Job &job, const Reply &reply = {});
    void startPrune(quint64 requestId, const Retention &retention);
    // Writes what is queued, ends the prunes, closes the database and quits the thread.
    void shutdown();

    HistoryTable &history() { return *m_history; }
    AccountTable &accounts() { return *m_accounts; }

Q_SIGNALS:
    void opened(const QString &error); // empty: ready
    void finished(const Storage::Result &result);

private:
    // Writes up to `maxLines` queued lines in one transaction; how many it took.
    qsizetype writeBatch(qsizetype maxLines);
    void writeQueued();
    void countNotStored(qsizetype lines);
    void pruneStep();
    void finishPrune(const Result &result);
    void scheduleRetention();

    const StoreConfig m_config;
    std::shared_ptr<WriteQueue> m_queue;
    std::shared_ptr<StoreCounters> m_counters;
    std::unique_ptr<SqlConnection> m_connection;
    std::unique_ptr<HistoryTable> m_history;
    std::unique_ptr<AccountTable> m_accounts;
    std::deque<PruneJob> m_prunes;
    QTimer *m_retentionTimer = nullptr;
    QElapsedTimer m_lastFailureLog;
    bool m_openDone = false; // open() has run, whether or not it succeeded
};

} // namespace Storage
