#include "tests/support/redisprocess.h"

#include "tests/support/externalprogram.h"
#include "tests/support/freeport.h"

#include <QDeadlineTimer>

#include <QTest>
#include <signal.h>

namespace {

constexpr int MaxStartAttempts = 5;
constexpr qsizetype MaxLogBytes = 64 * 1024;
constexpr ExternalProgram RedisServer {"redis-server", "QTCHAT_REDIS_SERVER",
                                       "/usr/bin/redis-server", "redis-server"};

} // namespace

RedisProcess::RedisProcess(Endpoint endpoint) : m_endpoint(endpoint) { }

RedisProcess::~RedisProcess()
{
    stop();
}

QString RedisProcess::executable()
{
    return RedisServer.executable();
}

bool RedisProcess::isAvailable()
{
    return RedisServer.isAvailable();
}

QString RedisProcess::unavailableReason()
{
    return RedisServer.unavailableReason();
}

QString RedisProcess::socketPath() const
{
    return m_endpoint == Endpoint::UnixSocket ? m_dir.filePath(QStringLiteral("redis.sock"))
                                              : QString();
}

QString RedisProcess::url() const
{
    if (m_endpoint == Endpoint::UnixSocket)
        return QStringLiteral("unix://%1").arg(socketPath());
    return QStringLiteral("redis://127.0.0.1:%1").arg(m_port);
}

QStringList RedisProcess::listenArguments() const
{
    if (m_endpoint == Endpoint::UnixSocket)
        return {QStringLiteral("--port"),           QStringLiteral("0"),
                QStringLiteral("--unixsocket"),     socketPath(),
                QStringLiteral("--unixsocketperm"), QStringLiteral("700")};
    return {QStringLiteral("--port"), QString::number(m_port), QStringLiteral("--bind"),
            QStringLiteral("127.0.0.1")};
}

QString RedisProcess::where() const
{
    return m_endpoint == Endpoint::UnixSocket ? socketPath()
                                              : QStringLiteral("port %1").arg(m_port);
}

bool RedisProcess::start(int timeoutMs)
{
    end(false);
    if (!isAvailable()) {
        m_error = unavailableReason();
        return false;
    }
    if (!m_dir.isValid()) {
        m_error
            = QStringLiteral("cannot create a temporary directory: %1").arg(m_dir.errorString());
        return false;
    }
    if (m_endpoint == Endpoint::UnixSocket) { // no port to race another program for
        if (startOnce(timeoutMs))
            return true;
        end(false);
        return false;
    }
    const bool reusePort = m_port != 0;
    const QDeadlineTimer deadline(timeoutMs);
    for (int attempt = 0; attempt < MaxStartAttempts && !deadline.hasExpired(); ++attempt) {
        if (!reusePort)
            m_port = freeLoopbackPort();
        if (m_port != 0 && startOnce(int(deadline.remainingTime())))
            return true;
        end(false);
        if (reusePort) // the port is the point of a restart: wait for it rather than change
            QTest::qWait(100);
    }
    return false;
}

bool RedisProcess::startOnce(int timeoutMs)
{
    m_log.clear();
    m_process = std::make_unique<QProcess>();
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    m_process->setWorkingDirectory(m_dir.path());
    QObject::connect(m_process.get(), &QProcess::readyRead, m_process.get(), [this] {
        m_log += m_process->readAll();
        if (m_log.size() > MaxLogBytes)
            m_log = m_log.right(MaxLogBytes / 2);
    });
    m_process->start(executable(),
                     listenArguments()
                         + QStringList {QStringLiteral("--save"), QString(),
                                        QStringLiteral("--appendonly"), QStringLiteral("no"),
                                        QStringLiteral("--dir"), m_dir.path()}
                         + m_extraArguments);
    if (!m_process->waitForStarted(timeoutMs)) {
        fail(QStringLiteral("cannot run %1: %2").arg(executable(), m_process->errorString()));
        return false;
    }
    // Redis says so once it accepts ("Ready to accept connections" on TCP, "...ready to accept
    // connections at PATH" on a socket); a port taken by another program makes it exit instead.
    const bool ready = QTest::qWaitFor(
        [&] { return !isRunning() || m_log.toLower().contains("ready to accept connections"); },
        timeoutMs);
    if (ready && isRunning())
        return true;
    fail(isRunning() ? QStringLiteral("redis-server did not get ready on %1 in time").arg(where())
                     : QStringLiteral("redis-server exited before accepting on %1").arg(where()));
    return false;
}

void RedisProcess::stop()
{
    end(false);
}

void RedisProcess::kill()
{
    end(true);
}

void RedisProcess::pause()
{
    signal(SIGSTOP);
}

void RedisProcess::resume()
{
    signal(SIGCONT);
}

void RedisProcess::signal(int number)
{
    if (isRunning())
        ::kill(pid_t(m_process->processId()), number);
}

void RedisProcess::end(bool crash)
{
    if (!m_process)
        return;
    resume(); // a paused server would not act on SIGTERM
    m_process->disconnect();
    if (m_process->state() != QProcess::NotRunning) {
        if (crash)
            m_process->kill();
        else
            m_process->terminate();
        if (!m_process->waitForFinished(3000)) {
            m_process->kill();
            m_process->waitForFinished(3000);
        }
    }
    m_log += m_process->readAll();
    m_process.reset();
}

bool RedisProcess::isRunning() const
{
    return m_process && m_process->state() == QProcess::Running;
}

void RedisProcess::fail(const QString &why)
{
    if (m_process)
        m_log += m_process->readAll();
    m_error = why + QStringLiteral("\n--- redis-server log ---\n")
        + QString::fromUtf8(m_log.right(4096));
}
