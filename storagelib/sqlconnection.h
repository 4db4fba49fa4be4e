#pragma once

#include "storagelib/storeconfig.h"

#include <QDeadlineTimer>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>

namespace Storage {

// One database connection and the few statements whose SQL differs between the backends.
// Lives, like its QSqlDatabase, in the thread that opened it and is used there only.
class SqlConnection
{
public:
    SqlConnection();
    ~SqlConnection();
    SqlConnection(const SqlConnection &) = delete;
    SqlConnection &operator=(const SqlConnection &) = delete;

    // Empty on success; otherwise why the database cannot be used.
    QString open(const StoreConfig &config);
    void close();
    bool isOpen() const { return m_db.isOpen(); }
    Backend backend() const { return m_backend; }

    // A write transaction. SQLite takes its write lock at once (BEGIN IMMEDIATE), so a batch
    // waits for another writer at its start instead of failing halfway through.
    bool begin();
    bool commit();
    void rollback();

    QSqlQuery prepare(const QString &sql);
    // Runs a prepared query; on failure `lastError()` says why.
    bool exec(QSqlQuery &query);
    bool exec(const QString &sql);
    QString lastError() const { return m_lastError; }

private:
    QString configureSqlite(const StoreConfig &config);
    bool switchToWal(QDeadlineTimer deadline);
    QString configurePostgres(const DatabaseLocation &location);

    QString m_name;
    QSqlDatabase m_db;
    Backend m_backend = Backend::Sqlite;
    QString m_lastError;
};

} // namespace Storage
