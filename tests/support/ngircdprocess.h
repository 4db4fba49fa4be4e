#pragma once

#include <QByteArray>
#include <QProcess>
#include <QString>
#include <QTemporaryDir>

#include <memory>

// A real ngircd for interoperability tests: its own generated config in a temporary
// directory, listening on a free loopback port, with every limit that would slow a test
// lifted. Works as root (ngircd then drops to "nobody" by itself) and as a normal user.
//
//     NgircdProcess ngircd;
//     QVERIFY2(NgircdProcess::isAvailable(), qPrintable(NgircdProcess::unavailableReason()));
//     QVERIFY2(ngircd.start(), qPrintable(ngircd.errorString()));
//     client.connectTo(ngircd.port());
class NgircdProcess
{
public:
    static constexpr int DefaultStartTimeoutMs = 10'000;

    NgircdProcess();
    ~NgircdProcess(); // stops the server
    NgircdProcess(const NgircdProcess &) = delete;
    NgircdProcess &operator=(const NgircdProcess &) = delete;

    // /usr/sbin/ngircd, or $QTCHAT_NGIRCD when set.
    static QString executable();
    static bool isAvailable();
    static QString unavailableReason();

    // Starts ngircd and returns once its port accepts connections. Picks another port and
    // retries when the chosen one was taken in the meantime.
    bool start(int timeoutMs = DefaultStartTimeoutMs);
    // Before start(): clients must send this PASS. ngircd answers a wrong one with ERROR only.
    void setPassword(const QByteArray &password) { m_password = password; }
    void stop();
    bool isRunning() const;

    quint16 port() const { return m_port; }
    QByteArray serverName() const { return "irc.qtchat.test"; }
    QByteArray motdPhrase() const { return "QtChat test ngircd"; }
    // The [Operator] block: OPER with these succeeds. QtChat test servers take the same name
    // with a hash of the password, so that one script runs against both.
    static QByteArray operatorName() { return "testoper"; }
    static QByteArray operatorPassword() { return "oper-secret"; }
    // Why start() failed, with the end of ngircd's log.
    QString errorString() const { return m_error; }
    QByteArray log() const { return m_log; }

private:
    bool startOnce(quint16 port, int timeoutMs);
    bool writeConfig(quint16 port);
    bool waitUntilAccepting(int timeoutMs);
    void fail(const QString &why);
    static quint16 findFreePort();

    QTemporaryDir m_dir;
    std::unique_ptr<QProcess> m_process;
    QByteArray m_log;
    QString m_error;
    QByteArray m_password;
    quint16 m_port = 0;
};
