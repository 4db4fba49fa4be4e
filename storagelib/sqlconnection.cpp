#include "storagelib/sqlconnection.h"

#include <QAtomicInteger>
#include <QDeadlineTimer>
#include <QDir>
#include <QFileInfo>
#include <QSqlError>
#include <QThread>

namespace Storage {

namespace {

constexpr int WalRetryMs = 20;

QString connectionName()
{
    static QAtomicInteger<int> counter;
    return QStringLiteral("qtchat-storage-%1").arg(counter.fetchAndAddRelaxed(1));
}

QString driverName(Backend backend)
{
    return backend == Backend::Sqlite ? QStringLiteral("QSQLITE") : QStringLiteral("QPSQL");
}

QString missingDriver(Backend backend)
{
    const char *package = backend == Backend::Sqlite ? "libqt6sql6-sqlite" : "libqt6sql6-psql";
    return QStringLiteral("the Qt SQL driver %1 is not installed (Debian: %2)")
        .arg(driverName(backend), QLatin1String(package));
}

} // namespace

SqlConnection::SqlConnection() : m_name(connectionName()) { }

SqlConnection::~SqlConnection()
{
    close();
}

QString SqlConnection::open(const StoreConfig &config)
{
    m_backend = config.location.backend;
    if (!QSqlDatabase::isDriverAvailable(driverName(m_backend)))
        return missingDriver(m_backend);
    m_db = QSqlDatabase::addDatabase(driverName(m_backend), m_name);
    const QString error = m_backend == Backend::Sqlite ? configureSqlite(config)
                                                       : configurePostgres(config.location);
    if (!error.isEmpty())
        close();
    return error;
}

QString SqlConnection::configureSqlite(const StoreConfig &config)
{
    const QString path = config.location.path;
    QDir().mkpath(QFileInfo(path).absolutePath());
    m_db.setDatabaseName(path);
    m_db.setConnectOptions(
        QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(config.sqliteBusyTimeoutMs));
    if (!m_db.open())
        return QStringLiteral("cannot open %1: %2").arg(path, m_db.lastError().text());
    // WAL: readers never block the writer and a commit is one append to the log.
    // synchronous=NORMAL keeps the database consistent after a crash; a power cut may lose
    // the last commits, which a chat history can afford.
    if (!switchToWal(QDeadlineTimer(config.sqliteBusyTimeoutMs)))
        return QStringLiteral("cannot switch %1 to WAL mode: %2").arg(path, m_lastError);
    if (!exec(QStringLiteral("PRAGMA synchronous=NORMAL")))
        return m_lastError;
    return {};
}

// The switch needs the file to itself, and SQLite's busy timeout does not cover it: a second
// process opening a new file at the same moment retries until the first has switched it.
bool SqlConnection::switchToWal(QDeadlineTimer deadline)
{
    for (;;) {
        QSqlQuery wal(m_db);
        if (wal.exec(QStringLiteral("PRAGMA journal_mode=WAL")) && wal.next()
            && wal.value(0).toString().compare(QLatin1String("wal"), Qt::CaseInsensitive) == 0)
            return true;
        m_lastError = wal.lastError().text();
        if (deadline.hasExpired())
            return false;
        QThread::msleep(WalRetryMs);
    }
}

QString SqlConnection::configurePostgres(const DatabaseLocation &location)
{
    m_db.setDatabaseName(location.database);
    if (!location.host.isEmpty())
        m_db.setHostName(location.host);
    if (location.port > 0)
        m_db.setPort(location.port);
    m_db.setUserName(location.user);
    m_db.setPassword(location.password);
    if (!m_db.open())
        return QStringLiteral("cannot open %1: %2")
            .arg(location.displayName(), m_db.lastError().text());
    // CREATE ... IF NOT EXISTS would otherwise send a NOTICE on every start.
    if (!exec(QStringLiteral("SET client_min_messages TO WARNING")))
        return m_lastError;
    return {};
}

void SqlConnection::close()
{
    if (!m_db.isValid())
        return;
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_name);
}

bool SqlConnection::begin()
{
    return exec(m_backend == Backend::Sqlite ? QStringLiteral("BEGIN IMMEDIATE")
                                             : QStringLiteral("BEGIN"));
}

bool SqlConnection::commit()
{
    return exec(QStringLiteral("COMMIT"));
}

void SqlConnection::rollback()
{
    const QString error = m_lastError; // the reason for the rollback is the one worth keeping
    exec(QStringLiteral("ROLLBACK"));
    m_lastError = error;
}

QSqlQuery SqlConnection::prepare(const QString &sql)
{
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    if (!query.prepare(sql))
        m_lastError = query.lastError().text();
    return query;
}

bool SqlConnection::exec(QSqlQuery &query)
{
    if (query.exec())
        return true;
    m_lastError = query.lastError().text();
    return false;
}

bool SqlConnection::exec(const QString &sql)
{
    QSqlQuery query(m_db);
    if (query.exec(sql))
        return true;
    m_lastError = QStringLiteral("%1 (in: %2)").arg(query.lastError().text(), sql.left(200));
    return false;
}

} // namespace Storage
