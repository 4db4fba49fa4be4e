#include "serverlib/registry.h"

#include "protocol/names.h"
#include "serverlib/serverlogging.h"

#include <QSet>

#include <algorithm>
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

// The client `id` in `clients` (a registry's own hash, const or not), or null when the registry
// never added it: every caller holds an id that addClient() was given, so that is a bug.
template<typename Clients> auto *knownClient(Clients &clients, quint32 id, const char *operation)
{
    const auto it = clients.find(id);
    if (it != clients.end())
        return &*it;
    qCCritical(lcServer) << "Registry::" << operation << "was given the unknown client id" << id;
    Q_ASSERT_X(false, operation, "a client id the registry does not know");
    return decltype(&*it)(nullptr);
}

} // namespace

QList<QByteArray> ChannelModes::describe(bool withKey) const
{
    QByteArray letters = "+";
    QList<QByteArray> params {QByteArray()};
    const std::pair<bool, char> flags[] = {
        {inviteOnly, 'i'}, {moderated, 'm'}, {noExternal, 'n'}, {secret, 's'}, {topicLocked, 't'}};
    for (const auto &[set, letter] : flags) {
        if (set)
            letters += letter;
    }
    if (!key.isEmpty()) {
        letters += 'k';
        params.append(withKey ? key : QByteArray("*"));
    }
    if (limit > 0) {
        letters += 'l';
        params.append(QByteArray::number(limit));
    }
    params.first() = letters;
    return params;
}

QByteArray UserModes::letters() const
{
    QByteArray text = "+";
    if (invisible)
        text += 'i';
    if (wallops)
        text += 'w';
    if (serverOperator)
        text += 'o';
    return text;
}

QByteArray Registry::Client::prefix() const
{
    return nick + '!' + user + '@' + host;
}

WhowasEntry Registry::Client::whowasEntry() const
{
    return {nick, user, host, realname, QDateTime::currentSecsSinceEpoch()};
}

void Registry::addClient(quint32 id, std::shared_ptr<Mailbox> mailbox, const QByteArray &host)
{
    std::unique_lock locker(m_lock);
    Client &client = m_clients[id];
    client.mailbox = std::move(mailbox);
    client.host = host;
}

Registry::Status Registry::addRemoteClient(quint32 id, std::shared_ptr<Mailbox> mailbox,
                                           const QByteArray &nick, const QByteArray &user,
                                           const QByteArray &host, const QByteArray &realname,
                                           const QByteArray &server)
{
    std::unique_lock locker(m_lock);
    const QByteArray folded = key(nick);
    if (m_nicks.contains(folded) || m_clients.contains(id))
        return Status::NickInUse;
    Client &client = m_clients[id];
    client.mailbox = std::move(mailbox);
    client.nick = nick;
    client.user = user;
    client.host = host;
    client.realname = realname;
    client.registered = true;
    client.remote = true;
    client.server = server;
    client.signOnSecs = QDateTime::currentSecsSinceEpoch();
    m_nicks.insert(folded, id);
    m_peakUsers = qMax(m_peakUsers, ++m_registeredUsers);
    return Status::Ok;
}

void Registry::forgetNick(quint32 id, const QByteArray &nick)
{
    std::unique_lock locker(m_lock);
    const auto client = m_clients.find(id);
    if (client == m_clients.end() || client->registered || key(client->nick) != key(nick))
        return;
    m_nicks.remove(key(nick));
    client->nick.clear();
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
    if (it->registered) {
        --m_registeredUsers;
        m_whowas.record(it->whowasEntry());
    }
    countModes(it->modes, -1);
    m_clients.erase(it);
}

Registry::Status Registry::reserveNick(quint32 id, const QByteArray &nick)
{
    std::unique_lock locker(m_lock);
    const QByteArray folded = key(nick);
    Client *client = knownClient(m_clients, id, "reserveNick");
    if (!client)
        return Status::NoSuchClient;
    const quint32 holder = m_nicks.value(folded, id);
    if (holder != id)
        return Status::NickInUse;
    if (!client->nick.isEmpty())
        m_nicks.remove(key(client->nick));
    client->nick = nick;
    m_nicks.insert(folded, id);
    return Status::Ok;
}

void Registry::releaseNick(quint32 id)
{
    std::unique_lock locker(m_lock);
    Client *client = knownClient(m_clients, id, "releaseNick");
    if (!client || client->registered || client->nick.isEmpty())
        return;
    m_nicks.remove(key(client->nick));
    client->nick.clear();
}

void Registry::completeRegistration(quint32 id, const QByteArray &user, const QByteArray &realname)
{
    std::unique_lock locker(m_lock);
    Client *client = knownClient(m_clients, id, "completeRegistration");
    if (!client)
        return;
    client->user = user;
    client->realname = realname;
    client->registered = true;
    client->signOnSecs = QDateTime::currentSecsSinceEpoch();
    client->lastMessageMs->store(client->signOnSecs * 1000, std::memory_order_relaxed);
    m_peakUsers = qMax(m_peakUsers, ++m_registeredUsers);
}

Registry::Status Registry::changeNick(quint32 id, const QByteArray &nick, QByteArray *oldPrefix,
                                      Audience *peers)
{
    std::unique_lock locker(m_lock);
    const QByteArray folded = key(nick);
    Client *client = knownClient(m_clients, id, "changeNick");
    if (!client)
        return Status::NoSuchClient;
    if (m_nicks.value(folded, id) != id)
        return Status::NickInUse;
    *oldPrefix = client->prefix();
    m_whowas.record(client->whowasEntry());
    collectPeers(id, *client, peers);
    m_nicks.remove(key(client->nick));
    m_nicks.insert(folded, id);
    client->nick = nick;
    for (const QByteArray &channelKey : client->channels) {
        Channel &channel = m_channels[channelKey];
        if (!channel.bans.isEmpty())
            channel.states[id].banned = isBanned(channel, *client);
    }
    return Status::Ok;
}

QByteArray Registry::prefixOf(quint32 id) const
{
    std::shared_lock locker(m_lock);
    const auto it = m_clients.constFind(id);
    return it == m_clients.cend() ? QByteArray() : it->prefix();
}

Registry::Status Registry::join(quint32 id, const QByteArray &name, const QByteArray &givenKey,
                                Audience *members, ChannelView *view, bool mayFound)
{
    std::unique_lock locker(m_lock);
    const QByteArray channelKey = key(name);
    Client *client = knownClient(m_clients, id, "join");
    if (!client)
        return Status::NoSuchClient;
    if (client->channels.contains(channelKey))
        return Status::AlreadyOnChannel;
    if (m_maxChannelsPerClient > 0 && client->channels.size() >= m_maxChannelsPerClient
        && !client->remote)
        return Status::TooManyChannels;
    const auto existing = m_channels.constFind(channelKey);
    if (existing != m_channels.cend() && !client->remote) {
        const Status refusal = joinRefusal(*existing, id, *client, givenKey);
        if (refusal != Status::Ok)
            return refusal;
    }
    Channel &channel = m_channels[channelKey];
    const bool founder = channel.members.isEmpty();
    if (founder) {
        channel.name = name;
        channel.created = QDateTime::currentSecsSinceEpoch();
    }
    channel.invited.removeOne(id);
    addMember(channel, id, *client);
    channel.states[id].op = founder && mayFound;
    client->channels.append(channelKey);
    appendGroups(channel, members);
    *view = viewOf(channel, id);
    return Status::Ok;
}

Registry::Status Registry::joinRefusal(const Channel &channel, quint32 id, const Client &client,
                                       const QByteArray &givenKey) const
{
    const bool invited = channel.invited.contains(id);
    if (!invited && isBanned(channel, client))
        return Status::BannedFromChannel;
    if (channel.modes.inviteOnly && !invited)
        return Status::InviteOnly;
    if (!channel.modes.key.isEmpty() && givenKey != channel.modes.key)
        return Status::BadChannelKey;
    if (channel.modes.limit > 0 && channel.members.size() >= channel.modes.limit)
        return Status::ChannelIsFull;
    return Status::Ok;
}

Registry::Status Registry::part(quint32 id, const QByteArray &name, Audience *members,
                                QByteArray *channelName)
{
    std::unique_lock locker(m_lock);
    Client *client = knownClient(m_clients, id, "part");
    if (!client)
        return Status::NoSuchClient;
    const QByteArray channelKey = key(name);
    const auto channel = m_channels.constFind(channelKey);
    if (channel == m_channels.cend())
        return Status::NoSuchChannel;
    if (!channel->members.contains(id))
        return Status::NotOnChannel;
    appendGroups(*channel, members);
    *channelName = channel->name;
    client->channels.removeOne(channelKey);
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
    const auto channel = m_channels.constFind(key(name));
    if (channel == m_channels.cend())
        return Status::NoSuchChannel;
    const auto sender = channel->states.constFind(id);
    if (sender == channel->states.cend()) {
        // Looked up only here: a member, the hot path, needs no client record.
        const Client *client = knownClient(m_clients, id, "channelAudience");
        if (!client)
            return Status::NoSuchClient;
        if (channel->modes.noExternal)
            return Status::NotOnChannel;
        if (channel->modes.moderated || isBanned(*channel, *client))
            return Status::CannotSend;
    } else if (!sender->maySpeak(channel->modes)) {
        return Status::CannotSend;
    }
    appendGroups(*channel, members);
    if (channelName)
        *channelName = channel->name;
    return Status::Ok;
}

std::optional<MemberGroup> Registry::findNick(const QByteArray &nick, QByteArray *exactNick,
                                              QByteArray *away, QByteArray *account) const
{
    std::shared_lock locker(m_lock);
    const auto [id, client] = registeredClient(nick);
    if (!client)
        return std::nullopt;
    if (exactNick)
        *exactNick = client->nick;
    if (away)
        *away = client->away;
    if (account)
        *account = client->account;
    return MemberGroup {client->mailbox, {id}};
}

std::optional<UserInfo> Registry::userInfo(const QByteArray &nick, quint32 viewer) const
{
    std::shared_lock locker(m_lock);
    const auto [id, client] = registeredClient(nick);
    if (!client)
        return std::nullopt;
    UserInfo info = infoOf(*client);
    for (const QByteArray &channelKey : client->channels) {
        const Channel &channel = *m_channels.constFind(channelKey);
        // Secret channels, and all channels of an invisible user, only to fellow members.
        if ((channel.modes.secret || client->modes.invisible) && !channel.states.contains(viewer)
            && viewer != id)
            continue;
        const MemberState state = channel.states.value(id);
        info.channels.append({channel.name, state.op, state.voice});
    }
    return info;
}

QList<UserInfo> Registry::matchUsers(const QByteArray &mask, qsizetype max, quint32 viewer) const
{
    std::shared_lock locker(m_lock);
    QList<UserInfo> users;
    for (auto it = m_clients.cbegin(); it != m_clients.cend() && users.size() < max; ++it) {
        const Client &client = *it;
        const bool matches = client.registered && isVisibleTo(it.key(), client, viewer)
            && (Irc::maskMatches(mask, client.nick) || Irc::maskMatches(mask, client.user)
                || Irc::maskMatches(mask, client.host) || Irc::maskMatches(mask, client.realname));
        if (matches)
            users.append(infoOf(client));
    }
    return users;
}

UserInfo Registry::infoOf(const Client &client) const
{
    return {client.nick,
            client.user,
            client.host,
            client.realname,
            client.away,
            client.account,
            client.modes.serverOperator,
            client.signOnSecs,
            client.lastMessageMs->load(std::memory_order_relaxed),
            {},
            client.server};
}

void Registry::setAway(quint32 id, const QByteArray &message)
{
    std::unique_lock locker(m_lock);
    if (Client *client = knownClient(m_clients, id, "setAway"))
        client->away = message;
}

ActivityClock Registry::activityOf(quint32 id) const
{
    std::shared_lock locker(m_lock);
    const auto client = m_clients.constFind(id);
    return client == m_clients.cend() ? nullptr : client->lastMessageMs;
}

ServerCounts Registry::counts() const
{
    std::shared_lock locker(m_lock);
    // Kept as running totals: the welcome includes LUSERS, so a walk over every client here
    // would make registering N clients cost N².
    ServerCounts counts;
    counts.users = m_registeredUsers;
    counts.unregistered = int(m_clients.size()) - m_registeredUsers;
    counts.invisible = m_invisibleUsers;
    counts.operators = m_operators;
    counts.channels = int(m_channels.size());
    counts.peakUsers = m_peakUsers;
    return counts;
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
    const Client *client = knownClient(m_clients, id, "setTopic");
    if (!client)
        return Status::NoSuchClient;
    const auto channel = m_channels.find(key(name));
    if (channel == m_channels.end())
        return Status::NoSuchChannel;
    if (!channel->states.contains(id) && !mayOverride(id))
        return Status::NotOnChannel;
    if (channel->modes.topicLocked && !mayModerate(*channel, id))
        return Status::NotChannelOperator;
    channel->topic = topic;
    channel->topicSetter = client->nick;
    channel->topicTime = QDateTime::currentSecsSinceEpoch();
    appendGroups(*channel, members);
    *channelName = channel->name;
    return Status::Ok;
}

std::optional<ChannelView> Registry::channelView(const QByteArray &name, quint32 viewer) const
{
    std::shared_lock locker(m_lock);
    const auto channel = m_channels.constFind(key(name));
    if (channel == m_channels.cend())
        return std::nullopt;
    return viewOf(*channel, viewer);
}

std::optional<QList<BanEntry>> Registry::banList(const QByteArray &name) const
{
    std::shared_lock locker(m_lock);
    const auto channel = m_channels.constFind(key(name));
    if (channel == m_channels.cend())
        return std::nullopt;
    return channel->bans;
}

Registry::Status Registry::changeModes(quint32 id, const QByteArray &name,
                                       const QList<Irc::ModeChange> &changes, ModeOutcome *outcome,
                                       Audience *members)
{
    std::unique_lock locker(m_lock);
    const auto channel = m_channels.find(key(name));
    if (channel == m_channels.end())
        return Status::NoSuchChannel;
    if (!mayModerate(*channel, id))
        return Status::NotChannelOperator;
    const Client &setter = *m_clients.constFind(id);
    outcome->channelName = channel->name;
    for (Irc::ModeChange change : changes) {
        Refusal refusal {};
        const ModeStep step = applyMode(*channel, setter, change, &refusal);
        if (step == ModeStep::Applied)
            outcome->applied.append(change);
        else if (step == ModeStep::Refused)
            outcome->refused.append({refusal, change});
    }
    appendGroups(*channel, members);
    return Status::Ok;
}

Registry::Status Registry::kick(quint32 id, const QByteArray &name, const QByteArray &nick,
                                Audience *members, QByteArray *channelName, QByteArray *exactNick)
{
    std::unique_lock locker(m_lock);
    const QByteArray channelKey = key(name);
    const auto channel = m_channels.constFind(channelKey);
    if (channel == m_channels.cend())
        return Status::NoSuchChannel;
    if (!channel->states.contains(id) && !mayOverride(id))
        return Status::NotOnChannel;
    if (!mayModerate(*channel, id))
        return Status::NotChannelOperator;
    const auto [targetId, target] = registeredClient(nick);
    if (!target)
        return Status::NoSuchNick;
    if (!channel->states.contains(targetId))
        return Status::UserNotInChannel;
    appendGroups(*channel, members);
    *channelName = channel->name;
    *exactNick = target->nick;
    m_clients[targetId].channels.removeOne(channelKey);
    removeMember(channelKey, targetId);
    return Status::Ok;
}

Registry::Status Registry::invite(quint32 id, const QByteArray &nick, const QByteArray &name,
                                  MemberGroup *target, QByteArray *exactNick,
                                  QByteArray *channelName)
{
    std::unique_lock locker(m_lock);
    const auto [targetId, client] = registeredClient(nick);
    if (!client)
        return Status::NoSuchNick;
    const auto channel = m_channels.find(key(name));
    if (channel == m_channels.end())
        return Status::NoSuchChannel;
    if (!channel->states.contains(id) && !isServerOperator(id))
        return Status::NotOnChannel;
    if (channel->states.contains(targetId))
        return Status::UserOnChannel;
    if (channel->modes.inviteOnly && !mayModerate(*channel, id))
        return Status::NotChannelOperator;
    if (!channel->invited.contains(targetId))
        channel->invited.append(targetId);
    *target = {client->mailbox, {targetId}};
    *exactNick = client->nick;
    *channelName = channel->name;
    return Status::Ok;
}

Registry::Status Registry::mayInvite(quint32 id, const QByteArray &name,
                                     QByteArray *channelName) const
{
    std::shared_lock locker(m_lock);
    const auto channel = m_channels.constFind(key(name));
    if (channel == m_channels.cend())
        return Status::NoSuchChannel;
    if (!channel->states.contains(id) && !isServerOperator(id))
        return Status::NotOnChannel;
    if (channel->modes.inviteOnly && !mayModerate(*channel, id))
        return Status::NotChannelOperator;
    *channelName = channel->name;
    return Status::Ok;
}

void Registry::addInvitation(quint32 id, const QByteArray &name)
{
    std::unique_lock locker(m_lock);
    const auto channel = m_channels.find(key(name));
    if (channel != m_channels.end() && !channel->invited.contains(id))
        channel->invited.append(id);
}

Registry::Status Registry::channelMembers(const QByteArray &name, Audience *members) const
{
    std::shared_lock locker(m_lock);
    const auto channel = m_channels.constFind(key(name));
    if (channel == m_channels.cend())
        return Status::NoSuchChannel;
    appendGroups(*channel, members);
    return Status::Ok;
}

bool Registry::hasMembersOutside(const QByteArray &name, const Mailbox *except) const
{
    std::shared_lock locker(m_lock);
    const auto channel = m_channels.constFind(key(name));
    if (channel == m_channels.cend())
        return false;
    return std::any_of(
        channel->groups.cbegin(), channel->groups.cend(),
        [except](const MemberGroup &group) { return group.mailbox.get() != except; });
}

QList<ChannelSummary> Registry::listChannels(quint32 viewer) const
{
    std::shared_lock locker(m_lock);
    QList<ChannelSummary> summaries;
    summaries.reserve(m_channels.size());
    for (const Channel &channel : m_channels) {
        if (!channel.modes.secret || channel.states.contains(viewer))
            summaries.append({channel.name, channel.topic, int(channel.members.size())});
    }
    return summaries;
}

void Registry::setUserModes(quint32 id, const UserModes &modes)
{
    std::unique_lock locker(m_lock);
    if (Client *client = knownClient(m_clients, id, "setUserModes")) {
        countModes(client->modes, -1);
        client->modes = modes;
        countModes(client->modes, +1);
    }
}

void Registry::countModes(const UserModes &modes, int change)
{
    m_invisibleUsers += modes.invisible ? change : 0;
    m_operators += modes.serverOperator ? change : 0;
}

Audience Registry::wallopsAudience() const
{
    std::shared_lock locker(m_lock);
    Audience audience;
    for (auto it = m_clients.cbegin(); it != m_clients.cend(); ++it) {
        if (!it->registered || !it->modes.wallops)
            continue;
        const auto group
            = std::find_if(audience.begin(), audience.end(),
                           [&it](const MemberGroup &g) { return g.mailbox == it->mailbox; });
        if (group == audience.end())
            audience.append({it->mailbox, {it.key()}});
        else
            group->ids.append(it.key());
    }
    return audience;
}

QList<WhowasEntry> Registry::whowas(const QByteArray &nick, qsizetype max) const
{
    std::shared_lock locker(m_lock);
    return m_whowas.find(nick, max);
}

int Registry::clientCount() const
{
    std::shared_lock locker(m_lock);
    return int(m_clients.size());
}

QList<QByteArray> Registry::nicksOutside(const Mailbox *except) const
{
    std::shared_lock locker(m_lock);
    QList<QByteArray> nicks;
    for (const Client &client : m_clients) {
        if (client.registered && client.mailbox.get() != except)
            nicks.append(client.nick);
    }
    return nicks;
}

Audience Registry::peersOf(quint32 id) const
{
    std::shared_lock locker(m_lock);
    Audience peers;
    if (const Client *client = knownClient(m_clients, id, "peersOf"))
        collectPeers(id, *client, &peers);
    return peers;
}

void Registry::setRealname(quint32 id, const QByteArray &realname, Audience *peers)
{
    std::unique_lock locker(m_lock);
    Client *client = knownClient(m_clients, id, "setRealname");
    if (!client)
        return;
    client->realname = realname;
    collectPeers(id, *client, peers);
}

void Registry::setAccount(quint32 id, const QByteArray &account, Audience *peers)
{
    std::unique_lock locker(m_lock);
    Client *client = knownClient(m_clients, id, "setAccount");
    if (!client)
        return;
    client->account = account;
    if (peers)
        collectPeers(id, *client, peers);
}

Registry::Status Registry::channelOperators(const QByteArray &name, Audience *operators) const
{
    std::shared_lock locker(m_lock);
    const auto channel = m_channels.constFind(key(name));
    if (channel == m_channels.cend())
        return Status::NoSuchChannel;
    for (const MemberGroup &group : channel->groups) {
        MemberGroup ops {group.mailbox, {}};
        for (quint32 member : group.ids) {
            if (channel->states.value(member).op)
                ops.ids.append(member);
        }
        if (!ops.ids.isEmpty())
            operators->append(std::move(ops));
    }
    return Status::Ok;
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
    channel->states.remove(id);
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

ChannelView Registry::viewOf(const Channel &channel, quint32 viewer) const
{
    ChannelView view {channel.name,        channel.topic,
                      channel.topicSetter, channel.topicTime,
                      channel.created,     {},
                      channel.modes,       channel.states.contains(viewer)};
    view.members.reserve(channel.members.size());
    for (quint32 member : channel.members) {
        const Client &client = *m_clients.constFind(member);
        const MemberState state = channel.states.value(member);
        view.members.append({client.nick, client.user, client.host, client.realname, state.op,
                             state.voice, client.account});
    }
    return view;
}

bool Registry::isBanned(const Channel &channel, const Client &client) const
{
    if (channel.bans.isEmpty())
        return false;
    const QByteArray prefix = client.prefix();
    return std::any_of(channel.bans.cbegin(), channel.bans.cend(), [&prefix](const BanEntry &ban) {
        return Irc::maskMatches(ban.mask, prefix);
    });
}

void Registry::refreshBans(Channel &channel)
{
    for (auto it = channel.states.begin(); it != channel.states.end(); ++it)
        it->banned = isBanned(channel, *m_clients.constFind(it.key()));
}

bool Registry::isServerOperator(quint32 id) const
{
    const auto client = m_clients.constFind(id);
    return client != m_clients.cend() && client->modes.serverOperator;
}

bool Registry::mayOverride(quint32 id) const
{
    const auto client = m_clients.constFind(id);
    return client != m_clients.cend() && (client->remote || client->modes.serverOperator);
}

bool Registry::sharesChannel(const Client &client, quint32 viewer) const
{
    return std::any_of(client.channels.cbegin(), client.channels.cend(),
                       [this, viewer](const QByteArray &channelKey) {
                           const auto channel = m_channels.constFind(channelKey);
                           return channel != m_channels.cend() && channel->states.contains(viewer);
                       });
}

bool Registry::isVisibleTo(quint32 id, const Client &client, quint32 viewer) const
{
    return !client.modes.invisible || id == viewer || isServerOperator(viewer)
        || sharesChannel(client, viewer);
}

bool Registry::mayModerate(const Channel &channel, quint32 id) const
{
    return channel.states.value(id).op || mayOverride(id);
}

Registry::ModeStep Registry::applyMode(Channel &channel, const Client &setter,
                                       Irc::ModeChange &change, Refusal *refusal)
{
    switch (change.mode) {
    case 'o':
    case 'v':
        return applyMemberMode(channel, change, refusal);
    case 'b':
        return applyBan(channel, setter, change, refusal);
    case 'k':
        return applyKey(channel.modes, change, refusal);
    case 'l':
        return applyLimit(channel.modes, change, refusal);
    default:
        return applyFlag(channel.modes, change);
    }
}

Registry::ModeStep Registry::applyMemberMode(Channel &channel, Irc::ModeChange &change,
                                             Refusal *refusal)
{
    const auto [targetId, target] = registeredClient(change.param);
    if (!target) {
        *refusal = Refusal::NoSuchNick;
        return ModeStep::Refused;
    }
    const auto state = channel.states.find(targetId);
    if (state == channel.states.end()) {
        *refusal = Refusal::UserNotInChannel;
        return ModeStep::Refused;
    }
    bool &flag = change.mode == 'o' ? state->op : state->voice;
    change.param = target->nick;
    if (flag == change.adding)
        return ModeStep::Unchanged;
    flag = change.adding;
    return ModeStep::Applied;
}

Registry::ModeStep Registry::applyBan(Channel &channel, const Client &setter,
                                      Irc::ModeChange &change, Refusal *refusal)
{
    change.param = Irc::normalizedMask(change.param);
    const QByteArray folded = key(change.param);
    const auto existing
        = std::find_if(channel.bans.begin(), channel.bans.end(),
                       [&folded](const BanEntry &ban) { return key(ban.mask) == folded; });
    if (change.adding == (existing != channel.bans.end()))
        return ModeStep::Unchanged;
    if (!change.adding) {
        change.param = existing->mask;
        channel.bans.erase(existing);
    } else if (channel.bans.size() >= MaxBans) {
        *refusal = Refusal::BanListFull;
        return ModeStep::Refused;
    } else {
        channel.bans.append({change.param, setter.prefix(), QDateTime::currentSecsSinceEpoch()});
    }
    refreshBans(channel);
    return ModeStep::Applied;
}

Registry::ModeStep Registry::applyFlag(ChannelModes &modes, const Irc::ModeChange &change)
{
    bool *flag = nullptr;
    switch (change.mode) {
    case 'i':
        flag = &modes.inviteOnly;
        break;
    case 'm':
        flag = &modes.moderated;
        break;
    case 'n':
        flag = &modes.noExternal;
        break;
    case 's':
        flag = &modes.secret;
        break;
    case 't':
        flag = &modes.topicLocked;
        break;
    default:
        return ModeStep::Unchanged;
    }
    if (*flag == change.adding)
        return ModeStep::Unchanged;
    *flag = change.adding;
    return ModeStep::Applied;
}

Registry::ModeStep Registry::applyKey(ChannelModes &modes, Irc::ModeChange &change,
                                      Refusal *refusal)
{
    if (!change.adding) {
        if (modes.key.isEmpty())
            return ModeStep::Unchanged;
        change.param = "*";
        modes.key.clear();
        return ModeStep::Applied;
    }
    const bool valid = !change.param.isEmpty() && change.param.size() <= MaxKeyLength
        && !change.param.contains(',') && !change.param.contains(' ')
        && !change.param.startsWith(':');
    if (!valid) {
        *refusal = Refusal::InvalidParam;
        return ModeStep::Refused;
    }
    if (modes.key == change.param)
        return ModeStep::Unchanged;
    modes.key = change.param;
    return ModeStep::Applied;
}

Registry::ModeStep Registry::applyLimit(ChannelModes &modes, Irc::ModeChange &change,
                                        Refusal *refusal)
{
    if (!change.adding) {
        if (modes.limit == 0)
            return ModeStep::Unchanged;
        modes.limit = 0;
        return ModeStep::Applied;
    }
    bool ok = false;
    const int limit = change.param.toInt(&ok);
    if (!ok || limit <= 0) {
        *refusal = Refusal::InvalidParam;
        return ModeStep::Refused;
    }
    change.param = QByteArray::number(limit);
    if (modes.limit == limit)
        return ModeStep::Unchanged;
    modes.limit = limit;
    return ModeStep::Applied;
}

void Registry::appendGroups(const Channel &channel, Audience *audience)
{
    for (const MemberGroup &group : channel.groups)
        audience->append(group);
}

} // namespace Server
