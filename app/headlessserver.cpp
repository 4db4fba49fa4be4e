#include "app/headlessserver.h"

#include <QLoggingCategory>

namespace App {

Q_LOGGING_CATEGORY(lcHeadless, "qtchat.app")

HeadlessServer::HeadlessServer(QObject *parent) : QObject(parent) { }

bool HeadlessServer::start(const Server::ServerConfig &config)
{
    // Every relayed line costs a queued signal: only watch them when they will be printed.
    if (config.protocol == Server::WireProtocol::Tutorial || lcHeadless().isDebugEnabled())
        logEvents();
    if (m_server.start(config))
        return true;
    qCCritical(lcHeadless).noquote()
        << tr("qtchat: cannot start the server: %1").arg(m_server.startError());
    return false;
}

void HeadlessServer::stop()
{
    m_server.stop();
}

void HeadlessServer::logEvents()
{
    // Tutorial mode logs every chunk the way the tutorial prints it.
    connect(&m_server, &Server::ChatServer::messageRelayed, this,
            [this](const QString &from, const QString &target, const QString &text,
                   const QString &thread) {
                if (m_server.config().protocol == Server::WireProtocol::Tutorial)
                    qCInfo(lcHeadless).noquote()
                        << QStringLiteral("[%1]").arg(thread) << tr("Message received from client:")
                        << text << QStringLiteral("(%1)").arg(from);
                else
                    qCDebug(lcHeadless).noquote()
                        << QStringLiteral("[%1]").arg(thread) << from << "->" << target << text;
            });
}

} // namespace App
