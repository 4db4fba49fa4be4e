#include "clientlib/channelstate.h"

#include <algorithm>

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

QList<ChannelState::Member> ChannelState::members() const
{
    QList<Member> sorted(m_members.cbegin(), m_members.cend());
    std::sort(sorted.begin(), sorted.end(), [this](const Member &a, const Member &b) {
        const int rankA = rank(a);
        const int rankB = rank(b);
        if (rankA != rankB)
            return rankA < rankB;
        return key(a.nick) < key(b.nick);
    });
    return sorted;
}

QStringList ChannelState::nicks() const
{
    QStringList result;
    for (const Member &member : members())
        result.append(member.nick);
    return result;
}

bool ChannelState::hasMember(const QString &nick) const
{
    return m_members.contains(key(nick));
}

QString ChannelState::prefixesOf(const QString &nick) const
{
    return m_members.value(key(nick)).prefixes;
}

void ChannelState::addMember(const QString &nick, const QString &prefixes)
{
    m_members.insert(key(nick), Member {nick, prefixes});
}

bool ChannelState::removeMember(const QString &nick)
{
    return m_members.remove(key(nick));
}

bool ChannelState::renameMember(const QString &oldNick, const QString &newNick)
{
    const auto it = m_members.constFind(key(oldNick));
    if (it == m_members.cend())
        return false;
    const QString prefixes = it->prefixes;
    m_members.erase(it);
    addMember(newNick, prefixes);
    return true;
}

void ChannelState::addNamesEntry(const QString &nick, const QString &prefixes)
{
    // The first 353 of a reply starts a fresh list; members seen so far are not kept, so
    // a NAMES refresh also forgets people whose PART we missed.
    if (!m_namesPending) {
        m_pendingNames.clear();
        m_namesPending = true;
    }
    m_pendingNames.insert(key(nick), Member {nick, prefixes});
}

void ChannelState::finishNames()
{
    if (m_namesPending)
        m_members = std::exchange(m_pendingNames, {});
    m_namesPending = false;
}

QByteArray ChannelState::key(const QString &nick) const
{
    return Irc::foldCase(nick.toUtf8(), m_mapping);
}

int ChannelState::rank(const Member &member) const
{
    int best = int(m_prefixSymbols.size());
    for (QChar symbol : member.prefixes) {
        const qsizetype index = m_prefixSymbols.indexOf(char(symbol.unicode()));
        if (index >= 0)
            best = std::min(best, int(index));
    }
    return best;
}

} // namespace Client
