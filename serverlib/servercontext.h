#pragma once

#include "registry.h"
#include "serverconfig.h"

#include <QByteArray>

#include <atomic>

// What every serving thread shares: the config (read-only once started) and the registry.
// Owned by ChatServer, which joins every thread before it lets go of it.
struct ServerContext
{
    explicit ServerContext(const ServerConfig &serverConfig) : config(serverConfig) { }

    const ServerConfig config;
    Registry registry;
    const QByteArray createdAt = QDateTime::currentDateTimeUtc().toString(Qt::RFC2822Date).toUtf8();
    // Relayed lines are reported to the GUI only while someone listens: it costs a queued
    // signal per line.
    std::atomic_bool observeMessages {false};
};
