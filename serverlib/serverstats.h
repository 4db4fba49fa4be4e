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

// The chat history's side of a running server: lines handed to the store and what became of
// them. A line the store could not take (its queue full, the database failing) is counted as
// not stored, never dropped unnoticed.
struct HistoryStats
{
    bool enabled = false; // a store is in use
    quint64 stored = 0;
    quint64 notStored = 0;
    qint64 pending = 0; // waiting for the storage thread
};

} // namespace Server

Q_DECLARE_METATYPE(Server::ThreadStats)
