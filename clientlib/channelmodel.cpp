#include "clientlib/channelmodel.h"

#include <QSet>

#include <algorithm>

namespace Client {

namespace {

QByteArray folded(const ChannelState &channel)
{
    return channel.fold(channel.name());
}

} // namespace

ChannelModel::ChannelModel(QObject *parent) : QAbstractItemModel(parent) { }

ChannelModel::~ChannelModel() = default;

QModelIndex ChannelModel::index(int row, int column, const QModelIndex &parent) const
{
    if (!hasIndex(row, column, parent))
        return {};
    if (!parent.isValid())
        return createIndex(row, column, nullptr);
    // A member's index carries its channel, so that parent() can find the channel's row.
    return createIndex(row, column, m_channels.at(parent.row()).get());
}

QModelIndex ChannelModel::parent(const QModelIndex &child) const
{
    if (!child.isValid() || !child.internalPointer())
        return {};
    return indexOf(static_cast<const ChannelState *>(child.internalPointer()));
}

int ChannelModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return int(m_channels.size());
    if (parent.internalPointer() || parent.column() != 0)
        return 0; // members have no children
    return m_channels.at(parent.row())->memberCount();
}

int ChannelModel::columnCount(const QModelIndex &) const
{
    return 1;
}

QVariant ChannelModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    if (const auto *channel = static_cast<const ChannelState *>(index.internalPointer())) {
        const ChannelState::Member &member = channel->member(index.row());
        switch (role) {
        case Qt::DisplayRole:
            return QString(member.prefixes.left(1) + member.nick);
        case NameRole:
            return member.nick;
        case PrefixesRole:
            return member.prefixes;
        case AwayRole:
            return member.away;
        case AccountRole:
            return member.account;
        default:
            return {};
        }
    }
    const ChannelState &channel = *m_channels.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case NameRole:
        return channel.name();
    case TopicRole:
        return channel.topic();
    case ModesRole:
        return channel.modes();
    default:
        return {};
    }
}

Qt::ItemFlags ChannelModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    const Qt::ItemFlags flags = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    return index.internalPointer() ? flags | Qt::ItemNeverHasChildren : flags;
}

QHash<int, QByteArray> ChannelModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractItemModel::roleNames();
    names.insert(NameRole, "name");
    names.insert(PrefixesRole, "prefixes");
    names.insert(TopicRole, "topic");
    names.insert(ModesRole, "modes");
    names.insert(AwayRole, "away");
    names.insert(AccountRole, "account");
    return names;
}

QModelIndex ChannelModel::channelIndex(const QString &name) const
{
    const ChannelState *channel = find(name);
    return channel ? indexOf(channel) : QModelIndex();
}

const ChannelState *ChannelModel::channel(const QString &name) const
{
    return find(name);
}

QStringList ChannelModel::channelNames() const
{
    QStringList names;
    for (const auto &channel : m_channels)
        names.append(channel->name());
    return names;
}

void ChannelModel::setNameRules(Irc::CaseMapping mapping, const QByteArray &prefixSymbols)
{
    m_mapping = mapping;
    m_prefixSymbols = prefixSymbols;
}

void ChannelModel::addChannel(const QString &name)
{
    if (find(name))
        return;
    auto channel = std::make_unique<ChannelState>(name, m_mapping, m_prefixSymbols);
    const QByteArray key = folded(*channel);
    const auto at = std::lower_bound(
        m_channels.cbegin(), m_channels.cend(), key,
        [](const auto &existing, const QByteArray &wanted) { return folded(*existing) < wanted; });
    const int row = int(at - m_channels.cbegin());
    beginInsertRows({}, row, row);
    m_channels.insert(at, std::move(channel));
    endInsertRows();
}

bool ChannelModel::removeChannel(const QString &name)
{
    const ChannelState *channel = find(name);
    if (!channel)
        return false;
    const int row = channelRow(channel);
    beginRemoveRows({}, row, row);
    m_channels.erase(m_channels.begin() + row);
    endRemoveRows();
    return true;
}

void ChannelModel::clear()
{
    if (m_channels.empty())
        return;
    beginRemoveRows({}, 0, int(m_channels.size()) - 1);
    m_channels.clear();
    endRemoveRows();
}

bool ChannelModel::setTopic(const QString &channel, const QString &topic, const QString &setBy)
{
    ChannelState *state = find(channel);
    if (!state)
        return false;
    state->setTopic(topic, setBy);
    announceChannelChange(*state, TopicRole);
    return true;
}

bool ChannelModel::addMember(const QString &channel, const QString &nick, const QString &account)
{
    ChannelState *state = find(channel);
    if (!state || state->hasMember(nick))
        return false;
    insertMember(*state, {nick, QString(), false, account});
    return true;
}

bool ChannelModel::removeMember(const QString &channel, const QString &nick)
{
    ChannelState *state = find(channel);
    const int row = state ? state->rowOf(nick) : -1;
    if (row < 0)
        return false;
    removeMemberAt(*state, row);
    return true;
}

QStringList ChannelModel::removeMemberEverywhere(const QString &nick)
{
    QStringList channels;
    for (const auto &channel : m_channels) {
        const int row = channel->rowOf(nick);
        if (row >= 0) {
            removeMemberAt(*channel, row);
            channels.append(channel->name());
        }
    }
    return channels;
}

QStringList ChannelModel::renameMember(const QString &oldNick, const QString &newNick)
{
    QStringList channels;
    for (const auto &channel : m_channels) {
        const int row = channel->rowOf(oldNick);
        if (row >= 0) {
            ChannelState::Member renamed = channel->member(row);
            renamed.nick = newNick;
            updateMember(*channel, row, renamed);
            channels.append(channel->name());
        }
    }
    return channels;
}

bool ChannelModel::setMemberStatus(const QString &channel, const QString &nick, QChar symbol,
                                   bool on)
{
    ChannelState *state = find(channel);
    const int row = state ? state->rowOf(nick) : -1;
    if (row < 0)
        return false;
    ChannelState::Member member = state->member(row);
    const QString prefixes = state->withPrefix(member.prefixes, symbol, on);
    if (prefixes == member.prefixes)
        return false;
    member.prefixes = prefixes;
    updateMember(*state, row, member);
    return true;
}

bool ChannelModel::setModes(const QString &channel, const QList<Irc::ModeChange> &changes,
                            bool replace)
{
    ChannelState *state = find(channel);
    if (!state)
        return false;
    const QMap<char, QString> before = state->modeMap();
    if (replace)
        state->clearModes();
    for (const Irc::ModeChange &change : changes)
        state->setMode(change.mode, change.adding, QString::fromUtf8(change.param));
    if (state->modeMap() == before)
        return false;
    announceChannelChange(*state, ModesRole);
    return true;
}

bool ChannelModel::setCreatedAt(const QString &channel, const QDateTime &time)
{
    ChannelState *state = find(channel);
    if (!state)
        return false;
    state->setCreatedAt(time);
    return true;
}

bool ChannelModel::setBan(const QString &channel, const ChannelState::Ban &ban, bool on)
{
    ChannelState *state = find(channel);
    if (!state)
        return false;
    return on ? state->addBan(ban) : state->removeBan(ban.mask);
}

void ChannelModel::addBanListEntry(const QString &channel, const ChannelState::Ban &ban)
{
    if (ChannelState *state = find(channel))
        state->addBanListEntry(ban);
}

bool ChannelModel::finishBanList(const QString &channel)
{
    ChannelState *state = find(channel);
    if (!state)
        return false;
    state->finishBanList();
    return true;
}

QStringList ChannelModel::setAway(const QString &nick, bool away)
{
    QStringList channels;
    for (const auto &channel : m_channels) {
        const int row = channel->rowOf(nick);
        if (row < 0 || channel->member(row).away == away)
            continue;
        ChannelState::Member member = channel->member(row);
        member.away = away;
        updateMember(*channel, row, member);
        channels.append(channel->name());
    }
    return channels;
}

QStringList ChannelModel::setAccount(const QString &nick, const QString &account)
{
    QStringList channels;
    for (const auto &channel : m_channels) {
        const int row = channel->rowOf(nick);
        if (row < 0 || channel->member(row).account == account)
            continue;
        ChannelState::Member member = channel->member(row);
        member.account = account;
        updateMember(*channel, row, member);
        channels.append(channel->name());
    }
    return channels;
}

void ChannelModel::addNamesEntry(const QString &channel, const QString &nick,
                                 const QString &prefixes)
{
    if (ChannelState *state = find(channel))
        state->addNamesEntry(nick, prefixes);
}

bool ChannelModel::finishNames(const QString &channel)
{
    ChannelState *state = find(channel);
    if (!state || !state->hasPendingNames())
        return false; // a stray 366 changes nothing
    mergeNames(*state, state->takeNames());
    return true;
}

ChannelState *ChannelModel::find(const QString &name) const
{
    for (const auto &channel : m_channels) {
        if (channel->fold(name) == folded(*channel))
            return channel.get();
    }
    return nullptr;
}

int ChannelModel::channelRow(const ChannelState *channel) const
{
    const auto it = std::find_if(m_channels.cbegin(), m_channels.cend(),
                                 [channel](const auto &owned) { return owned.get() == channel; });
    return int(it - m_channels.cbegin());
}

QModelIndex ChannelModel::indexOf(const ChannelState *channel) const
{
    return createIndex(channelRow(channel), 0, nullptr);
}

void ChannelModel::announceChannelChange(const ChannelState &channel, int role)
{
    const QModelIndex changed = indexOf(&channel);
    Q_EMIT dataChanged(changed, changed, {role});
}

void ChannelModel::insertMember(ChannelState &channel, const ChannelState::Member &member)
{
    const int row = channel.insertionRow(member);
    beginInsertRows(indexOf(&channel), row, row);
    channel.insertAt(row, member);
    endInsertRows();
}

void ChannelModel::removeMemberAt(ChannelState &channel, int row)
{
    beginRemoveRows(indexOf(&channel), row, row);
    channel.removeAt(row);
    endRemoveRows();
}

void ChannelModel::updateMember(ChannelState &channel, int row, const ChannelState::Member &member)
{
    const QModelIndex parent = indexOf(&channel);
    // Where it belongs, counted with the old entry still in place.
    const int destination = channel.insertionRow(member);
    const bool moves = destination != row && destination != row + 1;
    const int to = destination > row ? destination - 1 : destination;
    if (moves)
        beginMoveRows(parent, row, row, parent, destination);
    channel.replace(row, moves ? to : row, member);
    if (moves)
        endMoveRows();
    const QModelIndex changed = index(moves ? to : row, 0, parent);
    Q_EMIT dataChanged(changed, changed);
}

void ChannelModel::mergeNames(ChannelState &channel, const QList<ChannelState::Member> &names)
{
    if (channel.memberCount() == 0) {
        // Right after our JOIN: the whole list arrives at once.
        if (names.isEmpty())
            return;
        beginInsertRows(indexOf(&channel), 0, int(names.size()) - 1);
        channel.assign(names);
        endInsertRows();
        return;
    }
    // A refresh: only the differences, so that the rows that stay keep their place in views.
    QSet<QByteArray> listed;
    for (const ChannelState::Member &member : names)
        listed.insert(channel.fold(member.nick));
    for (int row = channel.memberCount() - 1; row >= 0; --row) {
        if (!listed.contains(channel.fold(channel.member(row).nick)))
            removeMemberAt(channel, row);
    }
    for (ChannelState::Member member : names) {
        const int row = channel.rowOf(member.nick);
        if (row < 0) {
            insertMember(channel, member);
            continue;
        }
        // NAMES does not say; keep what we know.
        member.away = channel.member(row).away;
        member.account = channel.member(row).account;
        if (channel.member(row).prefixes != member.prefixes
            || channel.member(row).nick != member.nick)
            updateMember(channel, row, member);
    }
}

} // namespace Client
