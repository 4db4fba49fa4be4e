#pragma once

#include <QList>
#include <QMetaType>
#include <QString>

namespace Server {

// One serving thread as the GUI's threads view and the status line show it.
struct ThreadStats
{
    QString name;
    int clients = 0;
    double messagesPerSecond = 0; // chat lines received from clients
    double deliveriesPerSecond = 0; // lines written to clients
    quint64 totalMessages = 0;
};

} // namespace Server

Q_DECLARE_METATYPE(Server::ThreadStats)
