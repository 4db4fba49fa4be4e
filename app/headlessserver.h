#pragma once

#include "serverlib/chatserver.h"

#include <QObject>

namespace App {

// `qtchat --headless`: the server, its events on stderr, and a clean stop on SIGINT/SIGTERM.
class HeadlessServer : public QObject
{
    Q_OBJECT

public:
    explicit HeadlessServer(QObject *parent = nullptr);

    // False, with the reason on stderr, when the server could not start.
    bool start(const Server::ServerConfig &config);
    void stop();

private:
    void logEvents();

    Server::ChatServer m_server;
};

} // namespace App
