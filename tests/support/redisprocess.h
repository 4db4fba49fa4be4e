#pragma once

#include <QByteArray>
#include <QProcess>
#include <QString>
#include <QTemporaryDir>

#include <memory>

// A real redis-server for the cluster tests: listening on a free loopback port, nothing
// persisted (`--save "" --appendonly no`, its directory a temporary one), stopped by stop() or
// the destructor. kill() plays a crash (SIGKILL); start() again comes back on the same port.
//
//     RedisProcess redis;
//     QVERIFY2(redis.start(), qPrintable(redis.errorString()));
//     const QString url = redis.url();   // redis://127.0.0.1:PORT
class RedisProcess
{
public:
    static constexpr int DefaultStartTimeoutMs = 10'000;

    RedisProcess();
    ~RedisProcess();
    RedisProcess(const RedisProcess &) = delete;
    RedisProcess &operator=(const RedisProcess &) = delete;

    // /usr/bin/redis-server, or $QTCHAT_REDIS_SERVER when set.
    static QString executable();
    static bool isAvailable();
    static QString unavailableReason();

    // Returns once the server accepts connections. The first start picks a free port (another
    // one if it was taken meanwhile); later starts reuse it.
    bool start(int timeoutMs = DefaultStartTimeoutMs);
    void stop(); // SIGTERM
    void kill(); // SIGKILL, as a crash
    // SIGSTOP and SIGCONT: a server that hangs, its sockets open and nothing answered.
    void pause();
    void resume();
    bool isRunning() const;

    quint16 port() const { return m_port; }
    QString url() const;
    QString errorString() const { return m_error; }
    QByteArray log() const { return m_log; }

private:
    bool startOnce(int timeoutMs);
    void end(bool crash);
    void signal(int number);
    void fail(const QString &why);

    QTemporaryDir m_dir;
    std::unique_ptr<QProcess> m_process;
    QByteArray m_log;
    QString m_error;
    quint16 m_port = 0;
};
