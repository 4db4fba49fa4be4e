#include "serverlib/serverconfig.h"

#include <QCoreApplication>
#include <QThread>

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

constexpr int MaxWorkers = 256;
// Below this a client could not even receive a channel's NAMES reply.
constexpr qint64 MinSendQueueBytes = 8 * 1024;
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

QString ServerLimits::validate() const
{
    if (sendQueueBytes != 0 && sendQueueBytes < MinSendQueueBytes)
        return ServerConfig::tr("The send queue must hold at least %1 bytes (or 0 for no limit).")
            .arg(MinSendQueueBytes);
    if (registrationTimeoutMs < 0 || pingIntervalMs < 0 || pingTimeoutMs < 0 || closeGraceMs < 0)
        return ServerConfig::tr("Timeouts must not be negative (0 turns one off).");
    if (pingIntervalMs > 0 && pingTimeoutMs == 0)
        return ServerConfig::tr("A ping interval needs a ping timeout.");
    if (floodBurstLines < 0 || floodLinesPerSecond < 0)
        return ServerConfig::tr(
            "The flood limits must not be negative (a rate of 0 turns flood control off).");
    if (floodLinesPerSecond > 0 && floodBurstLines < 1)
        return ServerConfig::tr("Flood control needs a burst of at least one line.");
    if (maxClients < 0 || maxClientsPerIp < 0 || maxChannelsPerClient < 0)
        return ServerConfig::tr("Client and channel caps must not be negative (0 means no cap).");
    return {};
}

QString ServerConfig::validate() const
{
    if (bindAddress.isNull())
        return ServerConfig::tr("The bind address is not a valid IP address.");
    if (workers < 0 || workers > MaxWorkers)
        return ServerConfig::tr("The worker count must be between 0 (automatic) and %1.")
            .arg(MaxWorkers);
    if (serverName.isEmpty() || serverName.contains(' ') || serverName.contains(':'))
        return ServerConfig::tr("The server name must be a single word without ':'.");
    if (password.contains(' ') || password.contains('\r') || password.contains('\n'))
        return ServerConfig::tr("The password must not contain spaces or line breaks.");
    if (tlsCertificatePath.isEmpty() != tlsKeyPath.isEmpty())
        return ServerConfig::tr("TLS needs both a certificate file and a key file.");
    return limits.validate();
}

} // namespace Server
