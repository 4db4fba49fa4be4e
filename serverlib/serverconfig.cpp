#include "serverlib/serverconfig.h"

#include "clusterlib/redisurl.h"
#include "serverlib/passwordhash.h"
#include "storagelib/storeconfig.h"

#include <QCoreApplication>
#include <QDir>
#include <QHostInfo>
#include <QStandardPaths>
#include <QThread>

#include <algorithm>

namespace Server {

namespace {

struct NamedModel
{
    ThreadingModel model;
    const char *name;
};

constexpr NamedModel threadingNames[] = {
    {ThreadingModel::PerConnection, "per-connection"},
    {ThreadingModel::Pool, "pool"},
    {ThreadingModel::Single, "single"},
};

constexpr int MsPerSecond = 1000;
// ServerLimits::Seconds in the unit the server keeps its timeouts in.
constexpr Range TimeoutMs {ServerLimits::Seconds.minimum * MsPerSecond,
                           ServerLimits::Seconds.maximum *MsPerSecond};
// Sweeping more often than this buys nothing; less often would make timeouts sloppy.
constexpr int MinSweepMs = 50;
constexpr int MaxSweepMs = 1000;

} // namespace

QString threadingModelName(ThreadingModel model)
{
    for (const NamedModel &entry : threadingNames) {
        if (entry.model == model)
            return QString::fromLatin1(entry.name);
    }
    return {};
}

std::optional<ThreadingModel> threadingModelFromName(QStringView name)
{
    for (const NamedModel &entry : threadingNames) {
        if (name == QLatin1StringView(entry.name))
            return entry.model;
    }
    return std::nullopt;
}

QString wireProtocolName(WireProtocol protocol)
{
    return protocol == WireProtocol::Tutorial ? QStringLiteral("tutorial") : QStringLiteral("irc");
}

std::optional<WireProtocol> wireProtocolFromName(QStringView name)
{
    if (name == u"irc")
        return WireProtocol::Irc;
    if (name == u"tutorial")
        return WireProtocol::Tutorial;
    return std::nullopt;
}

int ServerConfig::effectiveWorkerCount() const
{
    switch (threading) {
    case ThreadingModel::Single:
        return 1;
    case ThreadingModel::PerConnection:
        return 0;
    case ThreadingModel::Pool:
        break;
    }
    return workers > 0 ? workers : qMax(1, QThread::idealThreadCount());
}

ServerLimits ServerLimits::effective() const
{
    ServerLimits applied = *this;
    if (noLimits) {
        applied.floodLinesPerSecond = 0;
        applied.maxClients = 0;
        applied.maxClientsPerIp = 0;
        applied.maxChannelsPerClient = 0;
    }
    return applied;
}

int ServerLimits::sweepIntervalMs() const
{
    int shortest = MaxSweepMs * 4;
    for (int timeout : {registrationTimeoutMs, pingIntervalMs, pingTimeoutMs, closeGraceMs}) {
        if (timeout > 0)
            shortest = qMin(shortest, timeout);
    }
    return qBound(MinSweepMs, shortest / 4, MaxSweepMs);
}

QString ServerLimits::valueError() const
{
    if (!SendQueueBytes.contains(sendQueueBytes)
        || (sendQueueBytes != 0 && sendQueueBytes < MinSendQueueBytes))
        return ServerConfig::tr(
                   "The send queue must hold between %1 and %2 bytes (or 0 for no limit).")
            .arg(MinSendQueueBytes)
            .arg(SendQueueBytes.maximum);
    for (int timeout : {registrationTimeoutMs, pingIntervalMs, pingTimeoutMs, closeGraceMs}) {
        if (!TimeoutMs.contains(timeout))
            return ServerConfig::tr("Timeouts must be between %1 and %2 seconds (0 turns one off).")
                .arg(Seconds.minimum)
                .arg(Seconds.maximum);
    }
    if (!Counts.contains(floodBurstLines))
        return ServerConfig::tr("The flood burst must be between %1 and %2 lines.")
            .arg(Counts.minimum)
            .arg(Counts.maximum);
    if (!Counts.contains(floodLinesPerSecond)) // NaN too
        return ServerConfig::tr("The flood rate must be between %1 and %2 lines per second (0 "
                                "turns flood control off).")
            .arg(Counts.minimum)
            .arg(Counts.maximum);
    for (int cap : {maxClients, maxClientsPerIp, maxChannelsPerClient}) {
        if (!Counts.contains(cap))
            return ServerConfig::tr(
                       "Client and channel caps must be between %1 and %2 (0 means no cap).")
                .arg(Counts.minimum)
                .arg(Counts.maximum);
    }
    return {};
}

QString ServerLimits::combinationError() const
{
    if (pingIntervalMs > 0 && pingTimeoutMs == 0)
        return ServerConfig::tr("A ping interval needs a ping timeout.");
    if (floodLinesPerSecond > 0 && floodBurstLines < 1)
        return ServerConfig::tr("Flood control needs a burst of at least one line.");
    return {};
}

QList<OperatorCredential> ServerConfig::operatorsFromText(QStringView text)
{
    QList<OperatorCredential> operators;
    for (QStringView word : text.split(u' ', Qt::SkipEmptyParts)) {
        const qsizetype colon = word.indexOf(u':');
        operators.append({word.left(qMax<qsizetype>(colon, 0)).toUtf8(),
                          colon < 0 ? word.toUtf8() : word.mid(colon + 1).toUtf8()});
    }
    return operators;
}

QString ServerConfig::operatorsToText(const QList<OperatorCredential> &operators)
{
    QStringList words;
    for (const OperatorCredential &entry : operators)
        words << QString::fromUtf8(entry.name + ':' + entry.passwordHash);
    return words.join(u' ');
}

namespace {

QString operatorError(const OperatorCredential &entry)
{
    const bool nameValid = !entry.name.isEmpty()
        && entry.name.size() <= ServerConfig::MaxOperatorNameLength
        && std::all_of(entry.name.cbegin(), entry.name.cend(),
                       [](char c) { return uchar(c) > ' ' && c != ':' && c != 127; });
    if (!nameValid)
        return ServerConfig::tr("An operator needs a name of 1 to %1 characters without spaces or "
                                "':', written NAME:HASH.")
            .arg(ServerConfig::MaxOperatorNameLength);
    if (!PasswordHash::isHash(entry.passwordHash))
        return ServerConfig::tr("The operator %1 needs an Argon2id password hash ($argon2id$...), "
                                "as qtchat --hash-password prints it; never the password itself.")
            .arg(QString::fromUtf8(entry.name));
    return {};
}

} // namespace

QString HistoryConfig::effectiveDataDir() const
{
    if (!dataDir.isEmpty())
        return dataDir;
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
}

QString HistoryConfig::effectiveDatabase() const
{
    if (!database.isEmpty())
        return database;
    return QDir(effectiveDataDir()).filePath(QLatin1String(DefaultDatabaseFile));
}

QString HistoryConfig::valueError() const
{
    if (!database.isEmpty()) {
        QString problem;
        Storage::DatabaseLocation::parse(database, &problem);
        // Not the parser's reason: QUrl's may quote the URL, password and all.
        if (!problem.isEmpty())
            return tr("The history database must be an SQLite file or a "
                      "postgresql://[user[:password]@][host][:port]/database URL.");
    }
    if (!Days.contains(maxAgeDays))
        return tr("History may be kept between %1 (no age limit) and %2 days.")
            .arg(Days.minimum)
            .arg(Days.maximum);
    if (!LinesPerChannel.contains(maxLinesPerChannel))
        return tr("History may keep between %1 (no cap) and %2 lines per channel.")
            .arg(LinesPerChannel.minimum)
            .arg(LinesPerChannel.maximum);
    if (!ReplayLines.contains(replayOnJoin))
        return tr("A join may replay between %1 and %2 lines of history.")
            .arg(ReplayLines.minimum)
            .arg(ReplayLines.maximum);
    return {};
}

QString ClusterConfig::effectiveNodeName(quint16 port) const
{
    if (!nodeName.isEmpty())
        return nodeName;
    return QHostInfo::localHostName() + u':' + QString::number(port);
}

QString ClusterConfig::valueError() const
{
    if (!redisUrl.isEmpty()) {
        QString problem;
        if (!Cluster::RedisUrl::parse(redisUrl, &problem))
            return tr("The cluster must be a redis://HOST:PORT[/DB] URL (%1).").arg(problem);
    }
    const bool wordChars = std::all_of(nodeName.begin(), nodeName.end(), [](QChar c) {
        return c.isLetterOrNumber() || c == u'.' || c == u'-' || c == u'_' || c == u':';
    });
    if (nodeName.size() > MaxNodeNameLength || !wordChars)
        return tr("The node name must be at most %1 letters, digits or . - _ : characters.")
            .arg(MaxNodeNameLength);
    return {};
}

QString ServerConfig::valueError() const
{
    if (bindAddress.isNull())
        return ServerConfig::tr("The bind address is not a valid IP address.");
    if (!Workers.contains(workers))
        return ServerConfig::tr("The worker count must be between %1 (automatic) and %2.")
            .arg(Workers.minimum)
            .arg(Workers.maximum);
    if (serverName.isEmpty() || serverName.contains(' ') || serverName.contains(':'))
        return ServerConfig::tr("The server name must be a single word without ':'.");
    if (password.contains(' ') || password.contains('\r') || password.contains('\n'))
        return ServerConfig::tr("The password must not contain spaces or line breaks.");
    for (const OperatorCredential &entry : operators) {
        if (QString problem = operatorError(entry); !problem.isEmpty())
            return problem;
    }
    if (!WhowasEntries.contains(whowasEntries))
        return ServerConfig::tr("WHOWAS may remember between %1 and %2 nicks.")
            .arg(WhowasEntries.minimum)
            .arg(WhowasEntries.maximum);
    if (!Processes.contains(processes))
        return ServerConfig::tr("The number of server processes must be between %1 (this process "
                                "serves) and %2.")
            .arg(Processes.minimum)
            .arg(Processes.maximum);
    if (QString problem = history.valueError(); !problem.isEmpty())
        return problem;
    if (QString problem = cluster.valueError(); !problem.isEmpty())
        return problem;
    return limits.valueError();
}

QString ServerConfig::combinationError() const
{
    if (tlsCertificatePath.isEmpty() != tlsKeyPath.isEmpty())
        return ServerConfig::tr("TLS needs both a certificate file and a key file.");
    // Port 0 would give each process a port of its own.
    if (processes > 0 && port == 0)
        return ServerConfig::tr("Several server processes need a port to share, not 0.");
    return limits.combinationError();
}

QString ServerConfig::validate() const
{
    if (QString problem = valueError(); !problem.isEmpty())
        return problem;
    return combinationError();
}

} // namespace Server
