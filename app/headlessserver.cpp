#include "app/headlessserver.h"

#include <QLoggingCategory>

namespace App {

Q_LOGGING_CATEGORY(lcHeadless, "qtchat.app")

HeadlessServer::HeadlessServer(QObject *parent) : QObject(parent)
{
    connect(&m_server, &Server::ServerController::startFailed, this, [this](const QString &reason) {
        qCCritical(lcHeadless).noquote() << tr("qtchat: cannot start the server: %1").arg(reason);
        finish(Failed);
    });
    connect(&m_server, &Server::ServerController::threadsStranded, this,
            [this] { m_threadsStranded = true; });
    connect(&m_server, &Server::ServerController::stopped, this,
            [this] { finish(m_threadsStranded ? Failed : Stopped); });
}

void HeadlessServer::start(const Server::ServerConfig &config)
{
    // Relayed lines are collected only while something listens: only when they are printed.
    if (config.protocol == Server::WireProtocol::Tutorial || lcHeadless().isDebugEnabled())
        connect(&m_server, &Server::ServerController::messagesRelayed, this,
                &HeadlessServer::logRelayed);
    m_server.start(config);
}

void HeadlessServer::stop()
{
    m_server.stop();
}

void HeadlessServer::finish(int exitCode)
{
    if (m_finished)
        return;
    m_finished = true;
    Q_EMIT finished(exitCode);
}

void HeadlessServer::logRelayed(const QList<Server::RelayedMessage> &messages)
{
    // Tutorial mode logs every chunk the way the tutorial prints it.
    const bool tutorial = m_server.config().protocol == Server::WireProtocol::Tutorial;
    for (const Server::RelayedMessage &message : messages) {
        if (tutorial)
            qCInfo(lcHeadless).noquote()
                << QStringLiteral("[%1]").arg(message.thread) << tr("Message received from client:")
                << message.text << QStringLiteral("(%1)").arg(message.from);
        else
            qCDebug(lcHeadless).noquote() << QStringLiteral("[%1]").arg(message.thread)
                                          << message.from << "->" << message.target << message.text;
    }
}

} // namespace App
