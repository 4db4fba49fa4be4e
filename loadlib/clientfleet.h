#pragma once

#include "loadlib/latencyhistogram.h"

#include <memory>
#include <vector>

namespace Load {

class EpollLoop;
class Endpoints;
class LoadClient;
class LoadClientListener;
class LoadTopology;

// A share of the run's long-lived clients and their set-up: clients first, first + stride, ...
// below `total` (one generator thread's share). At most `concurrency` of them connect, register
// and join at once, so that a large run does not overflow the server's listen backlog and
// measures set-up rather than SYN retries.
class ClientFleet
{
public:
    struct Share
    {
        int first = 0;
        int stride = 1;
        int total = 0; // clients in the whole run
    };

    ClientFleet(Share share, int concurrency, const LoadTopology &topology,
                const Endpoints &endpoints, EpollLoop &loop, LoadClientListener &listener);
    ~ClientFleet();

    void startSetup();
    // A client became ready or failed during set-up: frees its slot.
    void clientSettled(LoadClient &client);
    bool setupDone() const { return m_settled == size(); }

    int size() const { return int(m_clients.size()); }
    // `local` counts within this fleet; LoadClient::index() is the run-wide index.
    LoadClient &client(int local) const { return *m_clients[size_t(local)]; }
    int localIndexOf(int index) const { return (index - m_share.first) / m_share.stride; }
    bool contains(const LoadClient &client) const;
    int readyCount() const { return m_ready; }
    int failedCount() const { return m_settled - m_ready; }
    qint64 setupStartedNs() const { return m_setupStartedNs; }
    qint64 setupFinishedNs() const { return m_setupFinishedNs; }
    const LatencyHistogram &setupTimes() const { return m_setupTimes; }

private:
    void startWaiting();

    Share m_share;
    std::vector<std::unique_ptr<LoadClient>> m_clients;
    int m_concurrency;
    int m_nextToStart = 0;
    int m_settled = 0;
    int m_ready = 0;
    bool m_starting = false;
    qint64 m_setupStartedNs = 0;
    qint64 m_setupFinishedNs = 0;
    LatencyHistogram m_setupTimes;
};

} // namespace Load
