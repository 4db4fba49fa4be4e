#pragma once

#include "loadlib/loadoptions.h"

#include <QByteArray>
#include <QList>

#include <vector>

namespace Load {

// Names and membership of one run: which nick each client uses, which channels it joins, who
// listens to each channel. Names carry a per-run tag so that runs against the same server (or
// a run next to real users) never collide.
class LoadTopology
{
public:
    explicit LoadTopology(const LoadOptions &options);

    // What every client asks for with CAP REQ (LoadOptions::capabilities).
    const QByteArray &capabilities() const { return m_capabilities; }

    QByteArray nick(int client) const;
    QByteArray churnNick(quint64 cycle) const;
    bool isChurnNick(QByteArrayView nick) const;
    QByteArray channel(int channel) const;
    QList<QByteArray> channelsOf(int client) const;
    int channelOfSender(int sender) const { return sender % m_channels; }
    int memberCount(int channel) const { return int(m_members[channel].size()); }
    const std::vector<int> &membersOf(int channel) const { return m_members[size_t(channel)]; }
    // A member whose progress paces `sender` in window mode, among those served by generator
    // thread `shard` (index % threads == shard): preferably one connected to another server
    // than the sender (the longer way, with several servers) and one that does not send itself,
    // so that it reads nothing but deliveries. -1 when there is none.
    int probeFor(int sender, int senderCount, int threads, int shard) const;

private:
    int probeScore(int member, int sender, int senderCount) const;

    LoadOptions m_options; // for serverOf()
    QByteArray m_tag;
    QByteArray m_channelName; // empty: made up from the tag
    QByteArray m_capabilities;
    int m_channels;
    int m_joins;
    std::vector<std::vector<int>> m_members;
};

} // namespace Load
