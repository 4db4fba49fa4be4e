#pragma once

#include <QByteArray>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>

// A real redis-server for the cluster tests: listening on a free loopback port, or only on a
// Unix socket in its temporary directory (no TCP port at all), nothing persisted (`--save ""
// --appendonly no`, its directory a temporary one), stopped by stop() or the destructor. kill()
// plays a crash (SIGKILL); start() again comes back on the same port or socket.
//
//     RedisProcess redis;
//     QVERIFY2(redis.start(), qPrintable(redis.errorString()));
//     const QString url = redis.url();   // redis://127.0.0.1:PORT
//     RedisProcess local(RedisProcess::Endpoint::UnixSocket);   // url():
//     unix:///tmp/.../redis.sock
class RedisProcess
{
public:
    static constexpr int DefaultStartTimeoutMs = 10'000;
    enum class Endpoint { LoopbackPort, UnixSocket };

    explicit RedisProcess(Endpoint endpoint = Endpoint::LoopbackPort);
    ~RedisProcess();
    RedisProcess(const RedisProcess &) = delete;
    RedisProcess &operator=(const RedisProcess &) = delete;

    // /usr/bin/redis-server, or $QTCHAT_REDIS_SERVER when set.
    static QString executable();
    static bool isAvailable();
    static QString unavailableReason();

    // More of redis-server's options for the next start(), such as {"--requirepass", "pw"}.
    void setExtraArguments(const QStringList &arguments) { m_extraArguments = arguments; }

    // Returns once the server accepts connections. The first start picks a free port (another
    // one if it was taken meanwhile); later starts reuse it.
    bool start(int timeoutMs = DefaultStartTimeoutMs);
    void stop(); // SIGTERM
    void kill(); // SIGKILL, as a crash
    // SIGSTOP and SIGCONT: a server that hangs, its sockets open and nothing answered.
    void pause();
    void resume();
    bool isRunning() const;

    quint16 port() const { return m_port; } // 0 on a Unix socket
    QString socketPath() const; // empty on a loopback port
    QString url() const;
    QString errorString() const { return m_error; }
    QByteArray log() const { return m_log; }

private:
    bool startOnce(int timeoutMs);
    QStringList listenArguments() const;
    QString where() const;
    void end(bool crash);
    void signal(int number);
    void fail(const QString &why);

    const Endpoint m_endpoint;
    QTemporaryDir m_dir;
    std::unique_ptr<QProcess> m_process;
    QByteArray m_log;
    QString m_error;
    QStringList m_extraArguments;
    quint16 m_port = 0;
};
