#include "serverlib/registry.h"

#include "protocol/names.h"

#include <QSet>

#include <mutex>

namespace Server {

namespace {

QByteArray key(const QByteArray &name)
{
    return Irc::foldCase(name);
}

void removeId(QList<MemberGroup> &groups, const std::shared_ptr<Mailbox> &mailbox, quint32 id)
{
    for (qsizetype i = 0; i < groups.size(); ++i) {
        if (groups[i].mailbox != mailbox)
            continue;
        groups[i].ids.removeOne(id);
        if (groups[i].ids.isEmpty())
            groups.removeAt(i);
        return;
    }
}

} // namespace

QByteArray Registry::Client::prefix() const
{
    return nick + '!' + user + '@' + host;
}

void Registry::addClient(quint32 id, std::shared_ptr<Mailbox> mailbox, const QByteArray &host)
{
    std::unique_lock locker(m_lock);
    Client &client = m_clients[id];
    client.mailbox = std::move(mailbox);
    client.host = host;
}

void Registry::removeClient(quint32 id, Audience *peers)
{
    std::unique_lock locker(m_lock);
    const auto it = m_clients.constFind(id);
    if (it == m_clients.cend())
        return;
    if (peers)
        collectPeers(id, *it, peers);
    for (const QByteArray &channelKey : it->channels)
        removeMember(channelKey, id);
    if (!it->nick.isEmpty())
        m_nicks.remove(key(it->nick));
    m_clients.erase(it);
}

Registry::Status Registry::reserveNick(quint32 id, const QByteArray &nick)
{
    std::unique_lock locker(m_lock);
    const QByteArray folded = key(nick);
    const quint32 holder = m_nicks.value(folded, id);
    if (holder != id)
        return Status::NickInUse;
    Client &client = m_clients[id];
    if (!client.nick.isEmpty())
        m_nicks.remove(key(client.nick));
    client.nick = nick;
    m_nicks.insert(folded, id);
    return Status::Ok;
}

void Registry::completeRegistration(quint32 id, const QByteArray &user, const QByteArray &realname)
{
    std::unique_lock locker(m_lock);
    Client &client = m_clients[id];
    client.user = user;
    client.realname = realname;
    client.registered = true;
}

Registry::Status Registry::changeNick(quint32 id, const QByteArray &nick, QByteArray *oldPrefix,
                                      Audience *peers)
{
    std::unique_lock locker(m_lock);
    const QByteArray folded = key(nick);
    if (m_nicks.value(folded, id) != id)
        return Status::NickInUse;
    Client &client = m_clients[id];
    *oldPrefix = client.prefix();
    collectPeers(id, client, peers);
    m_nicks.remove(key(client.nick));
    m_nicks.insert(folded, id);
    client.nick = nick;
    return Status::Ok;
}

QByteArray Registry::prefixOf(quint32 id) const
{
    std::shared_lock locker(m_lock);
    const auto it = m_clients.constFind(id);
    return it == m_clients.cend() ? QByteArray() : it->prefix();
}

Registry::Status Registry::join(quint32 id, const QByteArray &name, Audience *members,
                                ChannelView *view)
{
    std::unique_lock locker(m_lock);
    const QByteArray channelKey = key(name);
    Client &client = m_clients[id];
    if (client.channels.contains(channelKey))
        return Status::AlreadyOnChannel;
    if (m_maxChannelsPerClient > 0 && client.channels.size() >= m_maxChannelsPerClient)
        return Status::TooManyChannels;
    Channel &channel = m_channels[channelKey];
    if (channel.members.isEmpty()) {
        channel.name = name;
        channel.created = QDateTime::currentSecsSinceEpoch();
        channel.operators.append(id);
    }
    addMember(channel, id, client);
    client.channels.append(channelKey);
    appendGroups(channel, members);
    *view = viewOf(channel);
    return Status::Ok;
}

Registry::Status Registry::part(quint32 id, const QByteArray &name, Audience *members,
                                QByteArray *channelName)
{
    std::unique_lock locker(m_lock);
    const QByteArray channelKey = key(name);
    const auto channel = m_channels.constFind(channelKey);
    if (channel == m_channels.cend())
        return Status::NoSuchChannel;
    if (!channel->members.contains(id))
        return Status::NotOnChannel;
    appendGroups(*channel, members);
    *channelName = channel->name;
    m_clients[id].channels.removeOne(channelKey);
    removeMember(channelKey, id);
    return Status::Ok;
}

QList<QByteArray> Registry::channelsOf(quint32 id) const
{
    std::shared_lock locker(m_lock);
    QList<QByteArray> names;
    for (const QByteArray &channelKey : m_clients.value(id).channels)
        names.append(m_channels.value(channelKey).name);
    return names;
}

Registry::Status Registry::channelAudience(quint32 id, const QByteArray &name, Audience *members,
                                           QByteArray *channelName) const
{
    std::shared_lock locker(m_lock);
    const QByteArray channelKey = key(name);
    const auto channel = m_channels.constFind(channelKey);
    if (channel == m_channels.cend())
        return Status::NoSuchChannel;
    // A client is on a handful of channels, a channel may have thousands of members.
    if (!m_clients.constFind(id)->channels.contains(channelKey))
        return Status::NotOnChannel;
    appendGroups(*channel, members);
    if (channelName)
        *channelName = channel->name;
    return Status::Ok;
}

std::optional<MemberGroup> Registry::findNick(const QByteArray &nick, QByteArray *exactNick) const
{
    std::shared_lock locker(m_lock);
    const auto [id, client] = registeredClient(nick);
    if (!client)
        return std::nullopt;
    if (exactNick)
        *exactNick = client->nick;
    return MemberGroup {client->mailbox, {id}};
}

std::optional<MemberView> Registry::userView(const QByteArray &nick) const
{
    std::shared_lock locker(m_lock);
    const Client *client = registeredClient(nick).second;
    if (!client)
        return std::nullopt;
    return MemberView {client->nick, client->user, client->host, client->realname, false};
}

std::pair<quint32, const Registry::Client *>
Registry::registeredClient(const QByteArray &nick) const
{
    const auto it = m_nicks.constFind(key(nick));
    if (it == m_nicks.cend())
        return {0, nullptr};
    const Client &client = *m_clients.constFind(*it);
    return {*it, client.registered ? &client : nullptr};
}

Registry::Status Registry::setTopic(quint32 id, const QByteArray &name, const QByteArray &topic,
                                    Audience *members, QByteArray *channelName)
{
    std::unique_lock locker(m_lock);
    const auto channel = m_channels.find(key(name));
    if (channel == m_channels.end())
        return Status::NoSuchChannel;
    if (!channel->members.contains(id))
        return Status::NotOnChannel;
    channel->topic = topic;
    channel->topicSetter = m_clients[id].nick;
    channel->topicTime = QDateTime::currentSecsSinceEpoch();
    appendGroups(*channel, members);
    *channelName = channel->name;
    return Status::Ok;
}

std::optional<ChannelView> Registry::channelView(const QByteArray &name) const
{
    std::shared_lock locker(m_lock);
    const auto channel = m_channels.constFind(key(name));
    if (channel == m_channels.cend())
        return std::nullopt;
    return viewOf(*channel);
}

bool Registry::isChannelOperator(quint32 id, const QByteArray &name) const
{
    std::shared_lock locker(m_lock);
    return m_channels.value(key(name)).operators.contains(id);
}

QList<ChannelSummary> Registry::listChannels() const
{
    std::shared_lock locker(m_lock);
    QList<ChannelSummary> summaries;
    summaries.reserve(m_channels.size());
    for (const Channel &channel : m_channels)
        summaries.append({channel.name, channel.topic, int(channel.members.size())});
    return summaries;
}

int Registry::clientCount() const
{
    std::shared_lock locker(m_lock);
    return int(m_clients.size());
}

void Registry::addMember(Channel &channel, quint32 id, const Client &client)
{
    channel.members.append(id);
    for (MemberGroup &group : channel.groups) {
        if (group.mailbox == client.mailbox) {
            group.ids.append(id);
            return;
        }
    }
    channel.groups.append({client.mailbox, {id}});
}

void Registry::removeMember(const QByteArray &channelKey, quint32 id)
{
    const auto channel = m_channels.find(channelKey);
    if (channel == m_channels.end())
        return;
    channel->members.removeOne(id);
    channel->operators.removeOne(id);
    removeId(channel->groups, m_clients.constFind(id)->mailbox, id);
    if (channel->members.isEmpty())
        m_channels.erase(channel);
}

void Registry::collectPeers(quint32 id, const Client &client, Audience *peers) const
{
    QHash<Mailbox *, qsizetype> groupOf;
    QSet<quint32> seen {id};
    for (const QByteArray &channelKey : client.channels) {
        for (const MemberGroup &group : m_channels.value(channelKey).groups) {
            for (quint32 member : group.ids) {
                if (seen.contains(member))
                    continue;
                seen.insert(member);
                const qsizetype index = groupOf.value(group.mailbox.get(), peers->size());
                if (index == peers->size()) {
                    groupOf.insert(group.mailbox.get(), index);
                    peers->append({group.mailbox, {}});
                }
                (*peers)[index].ids.append(member);
            }
        }
    }
}

ChannelView Registry::viewOf(const Channel &channel) const
{
    ChannelView view {channel.name,      channel.topic,   channel.topicSetter,
                      channel.topicTime, channel.created, {}};
    view.members.reserve(channel.members.size());
    for (quint32 member : channel.members) {
        const Client &client = *m_clients.constFind(member);
        view.members.append({client.nick, client.user, client.host, client.realname,
                             channel.operators.contains(member)});
    }
    return view;
}

void Registry::appendGroups(const Channel &channel, Audience *audience)
{
    for (const MemberGroup &group : channel.groups)
        audience->append(group);
}

} // namespace Server
