#include "loadlib/clientfleet.h"

#include "loadlib/endpoints.h"
#include "loadlib/loadclient.h"
#include "loadlib/loadtopology.h"
#include "loadlib/monotonicclock.h"

namespace Load {

ClientFleet::ClientFleet(Share share, int concurrency, const LoadTopology &topology,
                         const Endpoints &endpoints, EpollLoop &loop, LoadClientListener &listener)
    : m_share(share), m_concurrency(concurrency)
{
    for (int index = share.first; index < share.total; index += share.stride) {
        ClientSetup setup {topology.nick(index), topology.channelsOf(index),
                           endpoints.serverFor(index), endpoints.sourceFor(index),
                           topology.capabilities()};
        m_clients.push_back(std::make_unique<LoadClient>(index, setup, loop, listener));
    }
}

ClientFleet::~ClientFleet() = default;

void ClientFleet::startSetup()
{
    m_setupStartedNs = monotonicNs();
    if (setupDone())
        m_setupFinishedNs = m_setupStartedNs; // an empty share
    startWaiting();
}

void ClientFleet::clientSettled(LoadClient &client)
{
    ++m_settled;
    if (client.state() == LoadClient::State::Ready) {
        ++m_ready;
        m_setupTimes.record(client.readyNs() - client.startedNs());
    }
    if (setupDone())
        m_setupFinishedNs = monotonicNs();
    startWaiting();
}

bool ClientFleet::contains(const LoadClient &client) const
{
    const int offset = client.index() - m_share.first;
    if (offset < 0 || offset % m_share.stride != 0 || offset / m_share.stride >= size())
        return false;
    return &this->client(offset / m_share.stride) == &client;
}

// A client that fails inside start() settles at once and calls back in here: the flag turns
// that recursion (one level per failing client) into this loop.
void ClientFleet::startWaiting()
{
    if (m_starting)
        return;
    m_starting = true;
    while (m_nextToStart < size() && m_nextToStart - m_settled < m_concurrency)
        m_clients[size_t(m_nextToStart++)]->start();
    m_starting = false;
}

} // namespace Load
