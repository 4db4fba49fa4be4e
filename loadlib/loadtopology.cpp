#include "loadlib/loadtopology.h"

#include "loadlib/monotonicclock.h"

#include <unistd.h>

namespace Load {

namespace {

// Four base-36 characters: short enough to keep nicks far below NICKLEN=30.
QByteArray makeRunTag()
{
    const quint64 seed = quint64(getpid()) * 7919 + quint64(monotonicNs() / 1000);
    return QByteArray::number(seed % (36 * 36 * 36 * 36), 36).rightJustified(4, '0');
}

} // namespace

LoadTopology::LoadTopology(const LoadOptions &options)
    : m_options(options),
      m_tag(makeRunTag()),
      m_channelName(options.channelName),
      m_capabilities(options.capabilities),
      m_channels(options.channels),
      m_joins(options.joinsPerClient),
      m_members(size_t(options.channels))
{
    for (int client = 0; client < options.clients; ++client) {
        for (int j = 0; j < m_joins; ++j)
            m_members[size_t((client + j) % m_channels)].push_back(client);
    }
}

QByteArray LoadTopology::nick(int client) const
{
    return QByteArray("ld") + m_tag + '_' + QByteArray::number(client);
}

QByteArray LoadTopology::churnNick(quint64 cycle) const
{
    return QByteArray("lc") + m_tag + '_' + QByteArray::number(cycle);
}

bool LoadTopology::isChurnNick(QByteArrayView nick) const
{
    return nick.startsWith("lc") && nick.sliced(2).startsWith(m_tag);
}

QByteArray LoadTopology::channel(int channel) const
{
    if (!m_channelName.isEmpty() && channel == 0)
        return m_channelName;
    if (!m_channelName.isEmpty())
        return m_channelName + '-' + QByteArray::number(channel);
    return QByteArray("#ld-") + m_tag + '-' + QByteArray::number(channel);
}

QList<QByteArray> LoadTopology::channelsOf(int client) const
{
    QList<QByteArray> names;
    for (int j = 0; j < m_joins; ++j)
        names.append(channel((client + j) % m_channels));
    return names;
}

int LoadTopology::probeFor(int sender, int senderCount, int threads, int shard) const
{
    const std::vector<int> &members = m_members[size_t(channelOfSender(sender))];
    const int topScore = m_options.servers.size() > 1 ? 3 : 1;
    int best = -1;
    int bestScore = -1;
    for (auto it = members.rbegin(); it != members.rend(); ++it) {
        if (*it % threads != shard || *it == sender)
            continue;
        const int score = probeScore(*it, sender, senderCount);
        if (score > bestScore) {
            best = *it;
            bestScore = score;
        }
        if (score == topScore)
            break;
    }
    return best;
}

int LoadTopology::probeScore(int member, int sender, int senderCount) const
{
    const bool otherServer = m_options.serverOf(member) != m_options.serverOf(sender);
    return (otherServer ? 2 : 0) + (member >= senderCount ? 1 : 0);
}

} // namespace Load
