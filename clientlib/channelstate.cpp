#include "clientlib/channelstate.h"

#include <algorithm>
#include <tuple>

namespace Client {

ChannelState::ChannelState(const QString &name, Irc::CaseMapping mapping,
                           const QByteArray &prefixSymbols)
    : m_name(name), m_mapping(mapping), m_prefixSymbols(prefixSymbols)
{ }

void ChannelState::setTopic(const QString &topic, const QString &setBy)
{
    m_topic = topic;
    m_topicSetBy = setBy;
}

QString ChannelState::modes() const
{
    QString letters = QStringLiteral("+");
    for (auto it = m_modes.cbegin(); it != m_modes.cend(); ++it)
        letters += QLatin1Char(it.key());
    return letters.size() > 1 ? letters : QString();
}

bool ChannelState::setMode(char mode, bool on, const QString &parameter)
{
    if (!on)
        return m_modes.remove(mode) > 0;
    const auto it = m_modes.constFind(mode);
    if (it != m_modes.cend() && it.value() == parameter)
        return false;
    m_modes.insert(mode, parameter);
    return true;
}

bool ChannelState::addBan(const Ban &ban)
{
    const QByteArray key = fold(ban.mask);
    const bool known = std::any_of(m_bans.cbegin(), m_bans.cend(),
                                   [&](const Ban &existing) { return fold(existing.mask) == key; });
    if (known || m_bans.size() >= MaxBans)
        return false;
    m_bans.append(ban);
    return true;
}

bool ChannelState::removeBan(const QString &mask)
{
    const QByteArray key = fold(mask);
    return m_bans.removeIf([&](const Ban &ban) { return fold(ban.mask) == key; }) > 0;
}

void ChannelState::addBanListEntry(const Ban &ban)
{
    if (!m_banListPending) {
        m_pendingBans.clear();
        m_banListPending = true;
    }
    if (m_pendingBans.size() < MaxBans)
        m_pendingBans.append(ban);
}

void ChannelState::finishBanList()
{
    m_bans = std::exchange(m_pendingBans, {});
    m_banListPending = false;
    m_banListKnown = true;
}

QStringList ChannelState::nicks() const
{
    QStringList result;
    result.reserve(m_members.size());
    for (const Entry &entry : m_members)
        result.append(entry.member.nick);
    return result;
}

QString ChannelState::prefixesOf(const QString &nick) const
{
    const int row = rowOf(nick);
    return row < 0 ? QString() : member(row).prefixes;
}

bool ChannelState::hasOperatorStatus(const QString &nick) const
{
    const qsizetype op = m_prefixSymbols.indexOf('@');
    const int row = rowOf(nick);
    return op >= 0 && row >= 0 && rank(member(row).prefixes) <= op;
}

int ChannelState::rowOf(const QString &nick) const
{
    // The prefix is not known here, so look in each rank's run: a few binary searches.
    const QByteArray key = fold(nick);
    for (int r = 0; r <= m_prefixSymbols.size(); ++r) {
        const int row = lowerBound(r, key);
        if (row < m_members.size() && m_members.at(row).rank == r && m_members.at(row).key == key)
            return row;
    }
    return -1;
}

int ChannelState::insertionRow(const Member &member) const
{
    return lowerBound(rank(member.prefixes), fold(member.nick));
}

void ChannelState::insertAt(int row, const Member &member)
{
    m_members.insert(row, entry(member));
}

void ChannelState::removeAt(int row)
{
    m_members.remove(row);
}

void ChannelState::replace(int from, int to, const Member &member)
{
    m_members.move(from, to);
    m_members[to] = entry(member);
}

void ChannelState::assign(const QList<Member> &members)
{
    m_members.clear();
    m_members.reserve(members.size());
    for (const Member &member : members)
        m_members.append(entry(member));
    std::sort(m_members.begin(), m_members.end(), [](const Entry &a, const Entry &b) {
        return std::tie(a.rank, a.key) < std::tie(b.rank, b.key);
    });
}

QString ChannelState::withPrefix(const QString &prefixes, QChar symbol, bool add) const
{
    QString result;
    for (char known : m_prefixSymbols) {
        const QLatin1Char candidate(known);
        const bool wanted = candidate == symbol ? add : prefixes.contains(candidate);
        if (wanted)
            result += QLatin1Char(known);
    }
    return result;
}

void ChannelState::addNamesEntry(const QString &nick, const QString &prefixes)
{
    // The first 353 of a reply starts a fresh list.
    if (!m_namesPending) {
        m_pendingNames.clear();
        m_namesPending = true;
    }
    m_pendingNames.insert(fold(nick), Member {nick, prefixes});
}

QList<ChannelState::Member> ChannelState::takeNames()
{
    m_namesPending = false;
    const QList<Member> names(m_pendingNames.cbegin(), m_pendingNames.cend());
    m_pendingNames.clear();
    return names;
}

QByteArray ChannelState::fold(const QString &nick) const
{
    return Irc::foldCase(nick.toUtf8(), m_mapping);
}

ChannelState::Entry ChannelState::entry(const Member &member) const
{
    return Entry {member, rank(member.prefixes), fold(member.nick)};
}

int ChannelState::rank(const QString &prefixes) const
{
    int best = int(m_prefixSymbols.size());
    for (QChar symbol : prefixes) {
        const qsizetype index = m_prefixSymbols.indexOf(char(symbol.unicode()));
        if (index >= 0)
            best = std::min(best, int(index));
    }
    return best;
}

int ChannelState::lowerBound(int wantedRank, const QByteArray &key) const
{
    const auto wanted = std::tie(wantedRank, key);
    const auto it = std::lower_bound(m_members.cbegin(), m_members.cend(), wanted,
                                     [](const Entry &entry, const auto &wanted) {
                                         return std::tie(entry.rank, entry.key) < wanted;
                                     });
    return int(it - m_members.cbegin());
}

} // namespace Client
