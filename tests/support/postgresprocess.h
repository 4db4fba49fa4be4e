#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

// A real PostgreSQL for the storage tests: a new cluster (initdb) in a temporary directory,
// started with pg_ctl and listening only on a Unix socket in that directory, stopped by
// stop() or the destructor. PostgreSQL refuses to run as root, so as root the server runs as
// the "postgres" user (runuser), which then owns the directory.
//
//     PostgresProcess postgres;
//     QVERIFY2(postgres.start(), qPrintable(postgres.errorString()));
//     const QString url = postgres.createDatabase("history");   // postgresql://...
class PostgresProcess
{
public:
    PostgresProcess();
    ~PostgresProcess(); // stops the server
    PostgresProcess(const PostgresProcess &) = delete;
    PostgresProcess &operator=(const PostgresProcess &) = delete;

    // Debian's postgresql-15 programs, or $QTCHAT_POSTGRES_BIN when set.
    static QString binDir();
    static bool isAvailable();
    static QString unavailableReason();

    bool start();
    void stop();
    bool isRunning() const { return m_running; }

    QString socketDir() const { return m_dir.path(); }
    // Creates an empty database and returns its URL (empty on failure, see errorString()).
    QString createDatabase(const QString &name);
    QString errorString() const { return m_error; }

private:
    // Runs one of PostgreSQL's programs, as "postgres" when we are root; false on failure
    // (errorString() then has its output).
    bool run(const QString &program, const QStringList &arguments, int timeoutMs);
    bool handOverDirectory();
    QString dataDir() const;
    QString logFile() const;
    QByteArray logTail() const;

    QTemporaryDir m_dir;
    QString m_error;
    bool m_running = false;
};
