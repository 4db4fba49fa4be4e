#pragma once

#include "serverlib/chatserver.h"

#include <QSignalSpy>
#include <QStringList>

// ChatServer::stop() returns at once: this stops `server` and runs the event loop until it has
// stopped. False when it did not stop within `timeoutMs` (the server's own deadline, and more).
bool stopAndWait(Server::ChatServer &server,
                 int timeoutMs = Server::ChatServer::StopDeadlineMs + 5000);

// The texts of every line in a spy on messagesRelayed (ChatServer's or ServerController's), in
// the order they came, over all batches.
QStringList relayedTexts(const QSignalSpy &relayed);
