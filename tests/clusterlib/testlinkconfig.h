#pragma once

#include "clusterlib/redisengine.h"
#include "clusterlib/redisurl.h"

#include <QString>

// A link's configuration for a suite's own redis-server (RedisProcess::url()): reconnects come
// quickly, so that tests of lost connections do not wait for the defaults' backoff.
inline Cluster::LinkConfig testLinkConfig(const QString &url)
{
    QString error;
    const std::optional<Cluster::RedisUrl> parsed = Cluster::RedisUrl::parse(url, &error);
    if (!parsed)
        qFatal("%s", qPrintable(error));
    Cluster::LinkConfig config;
    config.url = *parsed;
    config.timing.reconnectMinMs = 50;
    config.timing.reconnectMaxMs = 200;
    return config;
}
