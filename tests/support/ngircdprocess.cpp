#include "tests/support/ngircdprocess.h"

#include "tests/support/externalprogram.h"
#include "tests/support/freeport.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QHostAddress>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

namespace {

constexpr int MaxStartAttempts = 5;
constexpr qsizetype MaxLogBytes = 64 * 1024;
constexpr ExternalProgram Ngircd {"ngircd", "QTCHAT_NGIRCD", "/usr/sbin/ngircd", "ngircd"};

// ngircd's defaults (5 connections per IP, penalties for fast senders, 9-character nicks)
// would turn quick test traffic into throttled or refused connections. As root, ngircd
// refuses ServerUID 0 and switches to "nobody" after reading this file; nothing it reads
// later lives in the private temporary directory (MOTD is a phrase, no PID file), and it
// does not chroot unless ChrootDir is set. ngircd takes operator passwords only in clear: this
// is a test server's throwaway credential. OperCanUseMode lets operators moderate any channel,
// as QtChat's do.
QByteArray configText(quint16 port, const QByteArray &name, const QByteArray &motd,
                      const QByteArray &password, const QByteArray &includeDir)
{
    QByteArray text = R"([Global]
    Name = @NAME@
    Info = QtChat interoperability test server
    AdminInfo1 = QtChat tests
    AdminInfo2 = loopback only
    AdminEMail = nobody@localhost
    Listen = 127.0.0.1
    Ports = @PORT@
    MotdPhrase = @MOTD@
    PidFile =
    Password = @PASSWORD@
[Limits]
    MaxConnections = 0
    MaxConnectionsIP = 0
    MaxJoins = 0
    MaxNickLength = 30
    MaxPenaltyTime = 0
    IdleTimeout = 0
    PingTimeout = 120
    PongTimeout = 20
[Options]
    DNS = no
    Ident = no
    PAM = no
    ChrootDir =
    IncludeDir = @INCLUDEDIR@
    RequireAuthPing = no
    NoticeBeforeRegistration = no
    OperCanUseMode = yes
[Operator]
    Name = @OPERNAME@
    Password = @OPERPASSWORD@
)";
    return text.replace("@NAME@", name)
        .replace("@PORT@", QByteArray::number(port))
        .replace("@MOTD@", motd)
        .replace("@PASSWORD@", password)
        .replace("@INCLUDEDIR@", includeDir)
        .replace("@OPERNAME@", NgircdProcess::operatorName())
        .replace("@OPERPASSWORD@", NgircdProcess::operatorPassword());
}

} // namespace

NgircdProcess::NgircdProcess() = default;

NgircdProcess::~NgircdProcess()
{
    stop();
}

QString NgircdProcess::executable()
{
    return Ngircd.executable();
}

bool NgircdProcess::isAvailable()
{
    return Ngircd.isAvailable();
}

QString NgircdProcess::unavailableReason()
{
    return Ngircd.unavailableReason();
}

bool NgircdProcess::start(int timeoutMs)
{
    stop();
    if (!isAvailable()) {
        m_error = unavailableReason();
        return false;
    }
    if (!m_dir.isValid()) {
        m_error
            = QStringLiteral("cannot create a temporary directory: %1").arg(m_dir.errorString());
        return false;
    }
    const QDeadlineTimer deadline(timeoutMs);
    for (int attempt = 0; attempt < MaxStartAttempts && !deadline.hasExpired(); ++attempt) {
        const quint16 port = findFreePort();
        if (port != 0 && startOnce(port, int(deadline.remainingTime())))
            return true;
        stop();
    }
    return false;
}

void NgircdProcess::stop()
{
    if (!m_process)
        return;
    m_process->disconnect();
    if (m_process->state() != QProcess::NotRunning) {
        m_process->terminate(); // ngircd closes its sockets on SIGTERM
        if (!m_process->waitForFinished(3000)) {
            m_process->kill();
            m_process->waitForFinished(3000);
        }
    }
    m_log += m_process->readAll();
    m_process.reset();
}

bool NgircdProcess::isRunning() const
{
    return m_process && m_process->state() == QProcess::Running;
}

bool NgircdProcess::startOnce(quint16 port, int timeoutMs)
{
    if (!writeConfig(port))
        return false;
    m_log.clear();
    m_port = port;
    m_process = std::make_unique<QProcess>();
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    QObject::connect(m_process.get(), &QProcess::readyRead, m_process.get(), [this] {
        m_log += m_process->readAll();
        if (m_log.size() > MaxLogBytes)
            m_log = m_log.right(MaxLogBytes / 2);
    });
    const QString config = m_dir.filePath(QStringLiteral("ngircd.conf"));
    m_process->start(executable(),
                     {QStringLiteral("--nodaemon"), QStringLiteral("--config"), config});
    if (!m_process->waitForStarted(timeoutMs)) {
        fail(QStringLiteral("cannot run %1: %2").arg(executable(), m_process->errorString()));
        return false;
    }
    return waitUntilAccepting(timeoutMs);
}

bool NgircdProcess::writeConfig(quint16 port)
{
    const QString includeDir = m_dir.filePath(QStringLiteral("conf.d"));
    QDir().mkpath(includeDir); // empty: keeps the system's /etc/ngircd/ngircd.conf.d out
    QFile file(m_dir.filePath(QStringLiteral("ngircd.conf")));
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        m_error = QStringLiteral("cannot write %1: %2").arg(file.fileName(), file.errorString());
        return false;
    }
    file.write(
        configText(port, serverName(), motdPhrase(), m_password, QFile::encodeName(includeDir)));
    return file.error() == QFileDevice::NoError;
}

bool NgircdProcess::waitUntilAccepting(int timeoutMs)
{
    // Probe with real connection attempts, driven by the event loop until the deadline.
    QTcpSocket probe;
    const bool accepted = QTest::qWaitFor(
        [&] {
            if (!isRunning())
                return true;
            if (probe.state() == QAbstractSocket::ConnectedState)
                return true;
            if (probe.state() == QAbstractSocket::UnconnectedState)
                probe.connectToHost(QHostAddress::LocalHost, m_port);
            return false;
        },
        timeoutMs);
    const bool connected = probe.state() == QAbstractSocket::ConnectedState;
    probe.abort();
    // ngircd exits when its port is taken; a probe that reached another program's listener
    // in that short window must not count.
    if (m_process)
        m_log += m_process->readAll();
    if (accepted && connected && isRunning() && !m_log.contains("Can't bind"))
        return true;
    fail(isRunning()
             ? QStringLiteral("ngircd did not accept connections on port %1 in time").arg(m_port)
             : QStringLiteral("ngircd exited (code %1) before accepting on port %2")
                   .arg(m_process->exitCode())
                   .arg(m_port));
    return false;
}

void NgircdProcess::fail(const QString &why)
{
    if (m_process)
        m_log += m_process->readAll();
    m_error = why + QStringLiteral("\n--- ngircd log ---\n") + QString::fromUtf8(m_log.right(4096));
}

quint16 NgircdProcess::findFreePort()
{
    return freeLoopbackPort();
}
