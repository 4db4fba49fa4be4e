#pragma once

#include "storagelib/storagetypes.h"
#include "storagelib/storeconfig.h"

#include <QObject>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>

class QThread;

namespace Storage {

class StoreEngine;
class WriteQueue;
struct StoreCounters;

// Accounts and chat history in SQLite or PostgreSQL, through a thread of its own ("storage")
// that alone touches the database. Every method may be called from any thread and returns at
// once: nobody waits for the disk.
//
// - append() hands a line to the storage thread, which writes what has queued up in one
//   transaction per batch. The queue is bounded (StoreConfig::maxPendingWrites): a line that
//   finds it full is counted (notStoredCount()) and logged, never queued without bound, and
//   a batch the database refuses is counted the same way.
// - The other calls are requests: each returns an id at once (0: refused, too many requests
//   waiting) and is answered by finished(), emitted from the storage thread, so a receiver
//   living in another thread gets it queued, in its own thread. Connect before asking and
//   match the id. A request sees every line appended before it was made.
//
// open() and close() are asynchronous too: opened() and closed() come in the store's own
// thread. A store is opened once and closed once. The destructor closes and waits, bounded,
// for the thread: the one blocking wait, for objects destroyed without a close(). The Store
// must outlive the threads that call it.
class Store : public QObject
{
    Q_OBJECT

public:
    explicit Store(const StoreConfig &config, QObject *parent = nullptr);
    ~Store() override;

    void open();
    void close();
    bool isOpen() const;

    // Queues a PRIVMSG or NOTICE for writing; false when it was counted as not stored (the
    // queue is full, the store closed, or the message lacks a msgid, target or valid time).
    bool append(const HistoryMessage &message);

    quint64 fetchHistory(const HistoryQuery &query);
    quint64 fetchTargets(const TargetsQuery &query);
    // The same reads answered through `reply` instead of finished(), called once for every
    // request accepted, in the storage thread: for a caller that hands the answer on itself
    // (into a server worker's mailbox), so that no signal reaches every receiver.
    using Reply = std::function<void(const Result &result)>;
    quint64 fetchHistory(const HistoryQuery &query, Reply reply);
    quint64 fetchTargets(const TargetsQuery &query, Reply reply);
    quint64 countMessages(const QByteArray &target = {});
    quint64 createAccount(const Account &account);
    quint64 findAccount(const QByteArray &name);
    // The same, answered through `reply` (as fetchHistory(query, reply)).
    quint64 createAccount(const Account &account, Reply reply);
    quint64 findAccount(const QByteArray &name, Reply reply);
    quint64 setAccountVerified(const QByteArray &name);
    // Applies `retention` now, in small transactions; the result counts the rows deleted.
    quint64 prune(const Retention &retention);

    qint64 pendingWrites() const;
    quint64 storedCount() const;
    quint64 notStoredCount() const;

    const StoreConfig &config() const { return m_config; }

Q_SIGNALS:
    void opened(const QString &error); // empty: ready
    void finished(const Storage::Result &result);
    void closed();

private:
    // Posts `call` to the storage thread under a new request id; 0 when refused.
    quint64 post(std::function<void(StoreEngine &engine, quint64 requestId)> call);
    quint64 ask(std::function<Result(StoreEngine &engine)> job, Reply reply = {});
    void noteRefused();
    void noteAccepted();

    const StoreConfig m_config;
    std::shared_ptr<WriteQueue> m_queue;
    std::shared_ptr<StoreCounters> m_counters;
    std::unique_ptr<QThread> m_thread;
    StoreEngine *m_engine = nullptr; // lives in m_thread, deleted there
    std::mutex m_postMutex; // a post and close() never cross: nothing is posted after shutdown
    bool m_closing = false;
    std::atomic<quint64> m_lastRequestId {0};
    std::atomic<bool> m_refusing {false};
};

} // namespace Storage
