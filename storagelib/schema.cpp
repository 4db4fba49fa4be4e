#include "storagelib/schema.h"

#include "storagelib/sqlconnection.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>

namespace Storage::Schema {

namespace {

QString resourceDir(Backend backend)
{
    return backend == Backend::Sqlite ? QStringLiteral(":/qtchat/sql/sqlite")
                                      : QStringLiteral(":/qtchat/sql/postgresql");
}

// "007_add_reactions.sql" → 7; 0 for anything else.
int versionOf(const QString &fileName)
{
    static const QRegularExpression pattern(QStringLiteral("^(\\d{3})_.*\\.sql$"));
    const QRegularExpressionMatch match = pattern.match(fileName);
    return match.hasMatch() ? match.captured(1).toInt() : 0;
}

QString fileOf(Backend backend, int version)
{
    const QDir dir(resourceDir(backend));
    for (const QString &name : dir.entryList(QDir::Files)) {
        if (versionOf(name) == version)
            return dir.filePath(name);
    }
    return {};
}

QString withoutComments(const QString &sql)
{
    QStringList lines;
    for (const QString &line : sql.split(QLatin1Char('\n'))) {
        if (!line.trimmed().startsWith(QLatin1String("--")))
            lines << line;
    }
    return lines.join(QLatin1Char('\n'));
}

// Two servers starting together on one PostgreSQL database must not migrate at once: even
// CREATE TABLE IF NOT EXISTS fails in one of two sessions that run it together. A session
// lock, held from the first statement to the last; SQLite's BEGIN IMMEDIATE already excludes
// every other writer of the file.
class MigrationLock
{
public:
    explicit MigrationLock(SqlConnection &connection) : m_connection(connection)
    {
        m_held = connection.backend() == Backend::Sqlite
            || connection.exec(QStringLiteral("SELECT pg_advisory_lock(%1)").arg(LockKey));
    }
    ~MigrationLock()
    {
        if (m_held && m_connection.backend() == Backend::Postgresql)
            m_connection.exec(QStringLiteral("SELECT pg_advisory_unlock(%1)").arg(LockKey));
    }
    MigrationLock(const MigrationLock &) = delete;
    MigrationLock &operator=(const MigrationLock &) = delete;

    bool isHeld() const { return m_held; }

private:
    static constexpr qint64 LockKey = 0x5174436861740001; // "QtChat", 1: the schema

    SqlConnection &m_connection;
    bool m_held = false;
};

bool applyVersion(SqlConnection &connection, int version)
{
    for (const QString &statement : statements(connection.backend(), version)) {
        if (!connection.exec(statement))
            return false;
    }
    return connection.exec(QStringLiteral("DELETE FROM schema_version"))
        && connection.exec(
            QStringLiteral("INSERT INTO schema_version (version) VALUES (%1)").arg(version));
}

// One step: the next version in one transaction. Returns the version now installed, or -1.
int migrateOneStep(SqlConnection &connection, int latest, QString *error)
{
    if (!connection.begin()) {
        *error = connection.lastError();
        connection.rollback();
        return -1;
    }
    const int installed = installedVersion(connection); // read in the transaction
    if (installed < 0 || installed >= latest) {
        connection.rollback();
        if (installed > latest)
            *error = QStringLiteral("the database has schema version %1, newer than this "
                                    "program's %2")
                         .arg(installed)
                         .arg(latest);
        else if (installed < 0)
            *error = connection.lastError();
        return installed;
    }
    if (!applyVersion(connection, installed + 1) || !connection.commit()) {
        *error = QStringLiteral("migrating to schema version %1 failed: %2")
                     .arg(installed + 1)
                     .arg(connection.lastError());
        connection.rollback();
        return -1;
    }
    return installed + 1;
}

} // namespace

int latestVersion(Backend backend)
{
    int latest = 0;
    for (const QString &name : QDir(resourceDir(backend)).entryList(QDir::Files))
        latest = std::max(latest, versionOf(name));
    return latest;
}

QStringList statements(Backend backend, int version)
{
    QFile file(fileOf(backend, version));
    if (file.fileName().isEmpty() || !file.open(QIODevice::ReadOnly))
        return {};
    const QString sql = withoutComments(QString::fromUtf8(file.readAll()));
    static const QRegularExpression end(QStringLiteral(";\\s*$"),
                                        QRegularExpression::MultilineOption);
    QStringList result;
    for (const QString &statement : sql.split(end)) {
        if (!statement.trimmed().isEmpty())
            result << statement.trimmed();
    }
    return result;
}

int installedVersion(SqlConnection &connection)
{
    QSqlQuery query = connection.prepare(QStringLiteral("SELECT MAX(version) FROM schema_version"));
    if (!connection.exec(query) || !query.next())
        return -1;
    return query.value(0).toInt(); // NULL (no row yet) reads as 0
}

QString migrate(SqlConnection &connection)
{
    const MigrationLock lock(connection);
    if (!lock.isHeld())
        return connection.lastError();
    if (!connection.exec(
            QStringLiteral("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")))
        return connection.lastError();
    const int latest = latestVersion(connection.backend());
    if (latest == 0)
        return QStringLiteral("no schema for this backend is built in");
    QString error;
    for (;;) {
        const int installed = migrateOneStep(connection, latest, &error);
        if (!error.isEmpty())
            return error;
        if (installed == latest)
            return {};
    }
}

} // namespace Storage::Schema
