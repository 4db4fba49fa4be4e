#include "serverlib/relayfeed.h"

template class Concurrent::WakingQueue<Server::RelayedMessage>;

namespace Server {

void RelayFeed::addObservers(int delta)
{
    int current = m_observers.load(std::memory_order_relaxed);
    while (!m_observers.compare_exchange_weak(current, qMax(0, current + delta),
                                              std::memory_order_relaxed)) { }
}

} // namespace Server
