#include "storagelib/store.h"

#include "storagelib/accounttable.h"
#include "storagelib/historytable.h"
#include "storagelib/storagelogging.h"
#include "storagelib/storeengine.h"
#include "storagelib/writequeue.h"

#include <QDeadlineTimer>
#include <QThread>

namespace Storage {

namespace {

// Enough for the last batch to be written when the disk is merely slow.
constexpr int CloseDeadlineMs = 10'000;

QString appendProblem(const HistoryMessage &message)
{
    if (message.msgid.isEmpty() || message.msgid.size() > MaxKeyLength)
        return QStringLiteral("the msgid is empty or too long");
    if (message.target.isEmpty() || message.target.size() > MaxKeyLength)
        return QStringLiteral("the target is empty or too long");
    if (message.timeMs < MinTimeMs || message.timeMs > MaxTimeMs)
        return QStringLiteral("the time is out of range");
    if (message.command != "PRIVMSG" && message.command != "NOTICE")
        return QStringLiteral("only PRIVMSG and NOTICE are stored");
    return {};
}

} // namespace

Store::Store(const StoreConfig &config, QObject *parent)
    : QObject(parent),
      m_config(config),
      m_counters(std::make_shared<StoreCounters>()),
      m_thread(std::make_unique<QThread>())
{
    m_thread->setObjectName(QStringLiteral("storage"));
    // m_engine is set before anything can be pushed; close() stops the wakes before the
    // engine can be deleted.
    m_queue = std::make_shared<WriteQueue>(config.maxPendingWrites, [this] {
        QMetaObject::invokeMethod(m_engine, &StoreEngine::drainWrites, Qt::QueuedConnection);
    });
    m_engine = new StoreEngine(config, m_queue, m_counters);
    m_engine->moveToThread(m_thread.get());
    connect(m_thread.get(), &QThread::finished, m_engine, &QObject::deleteLater);
    // opened() is the owner's business: queued to the store's thread. finished() is emitted
    // in the storage thread, so each receiver gets it queued in its own, with one hop.
    connect(m_engine, &StoreEngine::opened, this, &Store::opened);
    connect(m_engine, &StoreEngine::finished, this, &Store::finished, Qt::DirectConnection);
    connect(m_thread.get(), &QThread::finished, this, &Store::closed);
}

Store::~Store()
{
    close();
    if (!m_thread->wait(QDeadlineTimer(CloseDeadlineMs))) {
        // Destroying a running QThread would abort the program.
        qCCritical(lcStorage) << "the storage thread did not end in time; it is left running";
        (void)m_thread.release();
    }
}

void Store::open()
{
    std::lock_guard lock(m_postMutex);
    if (m_closing || m_thread->isRunning())
        return;
    m_thread->start();
    QMetaObject::invokeMethod(m_engine, &StoreEngine::open, Qt::QueuedConnection);
}

void Store::close()
{
    std::lock_guard lock(m_postMutex);
    if (m_closing)
        return;
    m_closing = true;
    m_queue->close();
    if (!m_thread->isRunning())
        m_thread->start(); // never opened: the engine still ends in its own thread
    QMetaObject::invokeMethod(m_engine, &StoreEngine::shutdown, Qt::QueuedConnection);
}

bool Store::isOpen() const
{
    return m_counters->open;
}

bool Store::append(const HistoryMessage &message)
{
    if (const QString problem = appendProblem(message); !problem.isEmpty()) {
        m_queue->addNotStored(1);
        qCWarning(lcStorage).noquote() << "a line was not stored:" << problem;
        return false;
    }
    if (m_queue->push(message) != WriteQueue::Push::Queued) {
        noteRefused();
        return false;
    }
    if (m_refusing.load(std::memory_order_relaxed))
        noteAccepted();
    return true;
}

// Logged once when the queue starts refusing and once when it accepts again, not per line.
void Store::noteRefused()
{
    if (!m_refusing.exchange(true))
        qCWarning(lcStorage).noquote()
            << QStringLiteral("the storage queue is full or closed (%1 lines waiting): lines "
                              "are counted as not stored until it drains")
                   .arg(m_queue->size());
}

void Store::noteAccepted()
{
    if (m_refusing.exchange(false))
        qCWarning(lcStorage).noquote()
            << QStringLiteral("the storage queue accepts lines again; %1 not stored so far")
                   .arg(m_queue->notStored());
}

quint64 Store::post(std::function<void(StoreEngine &engine, quint64 requestId)> call)
{
    std::lock_guard lock(m_postMutex);
    if (m_closing || m_counters->pendingRequests >= m_config.maxPendingRequests)
        return 0;
    ++m_counters->pendingRequests;
    const quint64 id = ++m_lastRequestId;
    StoreEngine *engine = m_engine;
    QMetaObject::invokeMethod(
        engine, [engine, id, call = std::move(call)] { call(*engine, id); }, Qt::QueuedConnection);
    return id;
}

quint64 Store::ask(std::function<Result(StoreEngine &engine)> job, Reply reply)
{
    return post([job = std::move(job), reply = std::move(reply)](StoreEngine &engine, quint64 id) {
        engine.answer(id, job, reply);
    });
}

quint64 Store::fetchHistory(const HistoryQuery &query)
{
    return ask([query](StoreEngine &engine) { return engine.history().fetch(query); });
}

quint64 Store::fetchTargets(const TargetsQuery &query)
{
    return ask([query](StoreEngine &engine) { return engine.history().targets(query); });
}

quint64 Store::fetchHistory(const HistoryQuery &query, Reply reply)
{
    return ask([query](StoreEngine &engine) { return engine.history().fetch(query); },
               std::move(reply));
}

quint64 Store::fetchTargets(const TargetsQuery &query, Reply reply)
{
    return ask([query](StoreEngine &engine) { return engine.history().targets(query); },
               std::move(reply));
}

quint64 Store::countMessages(const QByteArray &target)
{
    return ask([target](StoreEngine &engine) { return engine.history().count(target); });
}

quint64 Store::createAccount(const Account &account)
{
    return ask([account](StoreEngine &engine) { return engine.accounts().create(account); });
}

quint64 Store::findAccount(const QByteArray &name)
{
    return ask([name](StoreEngine &engine) { return engine.accounts().find(name); });
}

quint64 Store::createAccount(const Account &account, Reply reply)
{
    return ask([account](StoreEngine &engine) { return engine.accounts().create(account); },
               std::move(reply));
}

quint64 Store::findAccount(const QByteArray &name, Reply reply)
{
    return ask([name](StoreEngine &engine) { return engine.accounts().find(name); },
               std::move(reply));
}

quint64 Store::setAccountVerified(const QByteArray &name)
{
    return ask([name](StoreEngine &engine) { return engine.accounts().setVerified(name); });
}

quint64 Store::prune(const Retention &retention)
{
    return post([retention](StoreEngine &engine, quint64 id) { engine.startPrune(id, retention); });
}

qint64 Store::pendingWrites() const
{
    return m_queue->size();
}

quint64 Store::storedCount() const
{
    return m_counters->stored;
}

quint64 Store::notStoredCount() const
{
    return m_queue->notStored();
}

} // namespace Storage
