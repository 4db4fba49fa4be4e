#include "tests/support/serversignals.h"

bool stopAndWait(Server::ChatServer &server, int timeoutMs)
{
    if (server.state() == Server::ChatServer::State::Stopped)
        return true;
    QSignalSpy stopped(&server, &Server::ChatServer::stopped);
    server.stop();
    // stopped() may come before stop() returns, when no thread needs waiting for.
    return !stopped.isEmpty() || stopped.wait(timeoutMs);
}

QStringList relayedTexts(const QSignalSpy &relayed)
{
    QStringList texts;
    for (const QList<QVariant> &signal : relayed) {
        for (const Server::RelayedMessage &message :
             signal.at(0).value<QList<Server::RelayedMessage>>())
            texts.append(message.text);
    }
    return texts;
}
