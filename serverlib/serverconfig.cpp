#include "serverconfig.h"

#include <QCoreApplication>
#include <QThread>

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

QString tr(const char *text)
{
    return QCoreApplication::translate("ServerConfig", text);
}

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

QString ServerConfig::validate() const
{
    if (bindAddress.isNull())
        return tr("The bind address is not a valid IP address.");
    if (workers < 0 || workers > MaxWorkers)
        return tr("The worker count must be between 0 (automatic) and %1.").arg(MaxWorkers);
    if (serverName.isEmpty() || serverName.contains(' ') || serverName.contains(':'))
        return tr("The server name must be a single word without ':'.");
    if (password.contains(' ') || password.contains('\r') || password.contains('\n'))
        return tr("The password must not contain spaces or line breaks.");
    return {};
}
