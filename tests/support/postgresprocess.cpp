#include "tests/support/postgresprocess.h"

#include "tests/support/externalprogram.h"

#include <QDir>
#include <QFile>
#include <QProcess>

#include <pwd.h>
#include <unistd.h>

namespace {

constexpr int InitTimeoutMs = 60'000;
constexpr int StartTimeoutMs = 30'000;
const char ServerUser[] = "postgres";
// pg_ctl stands for all of PostgreSQL's programs: they come in one package.
constexpr ExternalProgram PgCtl {"pg_ctl", "QTCHAT_POSTGRES_BIN", "/usr/lib/postgresql/15/bin",
                                 "postgresql-15", "pg_ctl"};

bool runningAsRoot()
{
    return ::geteuid() == 0;
}

} // namespace

PostgresProcess::PostgresProcess() : m_dir(QDir::tempPath() + QStringLiteral("/qtchat-pg-XXXXXX"))
{ }

PostgresProcess::~PostgresProcess()
{
    stop();
}

QString PostgresProcess::binDir()
{
    return PgCtl.path();
}

bool PostgresProcess::isAvailable()
{
    return PgCtl.isAvailable();
}

QString PostgresProcess::unavailableReason()
{
    return PgCtl.unavailableReason();
}

bool PostgresProcess::start()
{
    if (!isAvailable()) {
        m_error = unavailableReason();
        return false;
    }
    if (!m_dir.isValid()) {
        m_error = QStringLiteral("no temporary directory: %1").arg(m_dir.errorString());
        return false;
    }
    if (!handOverDirectory())
        return false;
    // No fsync: the tests need a real server, not a durable one, and it saves seconds.
    if (!run(QStringLiteral("initdb"),
             {QStringLiteral("-D"), dataDir(), QStringLiteral("-U"), QLatin1String(ServerUser),
              QStringLiteral("-A"), QStringLiteral("trust"), QStringLiteral("-E"),
              QStringLiteral("UTF8"), QStringLiteral("--locale=C"), QStringLiteral("--no-sync")},
             InitTimeoutMs))
        return false;
    const QString options = QStringLiteral("-c listen_addresses='' -c unix_socket_directories='%1' "
                                           "-c fsync=off -c full_page_writes=off")
                                .arg(socketDir());
    m_running = run(QStringLiteral("pg_ctl"),
                    {QStringLiteral("-D"), dataDir(), QStringLiteral("-l"), logFile(),
                     QStringLiteral("-o"), options, QStringLiteral("-w"), QStringLiteral("-t"),
                     QString::number(StartTimeoutMs / 1000), QStringLiteral("start")},
                    StartTimeoutMs + 5000);
    if (!m_running)
        m_error += QStringLiteral("\n--- server log ---\n") + QString::fromUtf8(logTail());
    return m_running;
}

void PostgresProcess::stop()
{
    if (!m_running)
        return;
    m_running = false;
    run(QStringLiteral("pg_ctl"),
        {QStringLiteral("-D"), dataDir(), QStringLiteral("-m"), QStringLiteral("fast"),
         QStringLiteral("-w"), QStringLiteral("stop")},
        StartTimeoutMs);
}

QString PostgresProcess::createDatabase(const QString &name)
{
    if (!run(QStringLiteral("createdb"),
             {QStringLiteral("-h"), socketDir(), QStringLiteral("-U"), QLatin1String(ServerUser),
              name},
             StartTimeoutMs))
        return {};
    return QStringLiteral("postgresql://%1@/%2?host=%3")
        .arg(QLatin1String(ServerUser), name, socketDir());
}

bool PostgresProcess::run(const QString &program, const QStringList &arguments, int timeoutMs)
{
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.setWorkingDirectory(socketDir()); // one the server's user may enter
    const QString path = binDir() + QLatin1Char('/') + program;
    if (runningAsRoot())
        process.start(QStringLiteral("runuser"),
                      QStringList {QStringLiteral("-u"), QLatin1String(ServerUser),
                                   QStringLiteral("--"), path}
                          + arguments);
    else
        process.start(path, arguments);
    const bool finished = process.waitForFinished(timeoutMs);
    if (finished && process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0)
        return true;
    if (!finished)
        process.kill();
    m_error
        = QStringLiteral("%1 failed (%2): %3")
              .arg(program, finished ? QString::number(process.exitCode()) : process.errorString(),
                   QString::fromLocal8Bit(process.readAll().right(4096)));
    return false;
}

// As root the cluster belongs to "postgres", which must own the directory it lives in.
bool PostgresProcess::handOverDirectory()
{
    if (!runningAsRoot())
        return true;
    const passwd *user = ::getpwnam(ServerUser);
    if (!user) {
        m_error = QStringLiteral("there is no \"postgres\" user (the postgresql-15 package "
                                 "creates it)");
        return false;
    }
    if (::chown(QFile::encodeName(m_dir.path()).constData(), user->pw_uid, user->pw_gid) != 0) {
        m_error = QStringLiteral("cannot hand %1 to postgres").arg(m_dir.path());
        return false;
    }
    return true;
}

QString PostgresProcess::dataDir() const
{
    return m_dir.filePath(QStringLiteral("data"));
}

QString PostgresProcess::logFile() const
{
    return m_dir.filePath(QStringLiteral("server.log"));
}

QByteArray PostgresProcess::logTail() const
{
    QFile log(logFile());
    return log.open(QIODevice::ReadOnly) ? log.readAll().right(4096) : QByteArray();
}
