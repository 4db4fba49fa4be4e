#pragma once

#include "protocol/names.h"

#include <QByteArray>
#include <QDateTime>
#include <QHash>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

namespace Client {

// One joined channel: its name, topic, modes, ban list and members. Members are kept in display
// order -- highest prefix first, then by nick in the server's case mapping -- so that a member's
// row in ChannelModel is its index here. The model announces each change at the rows this class
// reports and then makes it; nothing else changes a ChannelState.
class ChannelState
{
public:
    struct Member
    {
        QString nick;
        QString prefixes; // "@", "+", "@+", "" ... in the server's PREFIX order
        bool away = false; // as away-notify, WHO (G) or 301 last said
        QString account {}; // as extended-join or account-notify last said; empty: none known
    };

    // One entry of the ban list (367, or MODE +b seen while we are in the channel).
    struct Ban
    {
        QString mask;
        QString setBy; // empty when the server did not say
        QDateTime setAt; // UTC; invalid when the server did not say
        bool operator==(const Ban &) const = default;
    };

    // Bans kept per channel; a server's list longer than this is cut (memory stays bounded).
    static constexpr qsizetype MaxBans = 1000;

    ChannelState() = default;
    ChannelState(const QString &name, Irc::CaseMapping mapping, const QByteArray &prefixSymbols);

    QString name() const { return m_name; }
    QString topic() const { return m_topic; }
    QString topicSetBy() const { return m_topicSetBy; }
    void setTopic(const QString &topic, const QString &setBy = QString());

    // The channel's modes without lists and member statuses: "+klnt", letters in order.
    QString modes() const;
    bool hasMode(char mode) const { return m_modes.contains(mode); }
    // Every set mode with its parameter (empty for flags).
    const QMap<char, QString> &modeMap() const { return m_modes; }
    // The parameter of a set mode (the key of k, the limit of l); empty for flags.
    QString modeParameter(char mode) const { return m_modes.value(mode); }
    QString key() const { return modeParameter('k'); }
    int limit() const { return modeParameter('l').toInt(); }
    // Sets (or unsets) one mode; false when that changed nothing.
    bool setMode(char mode, bool on, const QString &parameter = QString());
    // 324 lists every mode: the ones it does not list are unset.
    void clearModes() { m_modes.clear(); }
    QDateTime createdAt() const { return m_createdAt; }
    void setCreatedAt(const QDateTime &time) { m_createdAt = time; }

    // The ban list as last listed (367/368) and changed since; complete only once listed.
    const QList<Ban> &bans() const { return m_bans; }
    bool isBanListKnown() const { return m_banListKnown; }
    bool addBan(const Ban &ban);
    bool removeBan(const QString &mask);
    // A ban list reply (367 lines, then 368) is collected here and then replaces the list.
    void addBanListEntry(const Ban &ban);
    bool hasPendingBanList() const { return m_banListPending; }
    void finishBanList();

    int memberCount() const { return int(m_members.size()); }
    const Member &member(int row) const { return m_members.at(row).member; }
    // In display order.
    QStringList nicks() const;
    bool hasMember(const QString &nick) const { return rowOf(nick) >= 0; }
    QString prefixesOf(const QString &nick) const;
    // Whether `nick` is a channel operator: `@`, or a status above it (`&`, `~`) where the
    // server's PREFIX has them.
    bool hasOperatorStatus(const QString &nick) const;

    // The row of `nick`, or -1.
    int rowOf(const QString &nick) const;
    // Where `member` belongs in the current order (its lower bound).
    int insertionRow(const Member &member) const;
    void insertAt(int row, const Member &member);
    void removeAt(int row);
    // Replaces the member at `from`, which must then sort at `to` (counted without it).
    void replace(int from, int to, const Member &member);
    // Fills an empty channel at once, in any order.
    void assign(const QList<Member> &members);
    // `prefixes` with `symbol` added or removed, kept in the server's PREFIX order.
    QString withPrefix(const QString &prefixes, QChar symbol, bool add) const;

    // A NAMES reply (353 lines, then 366) is collected here and then replaces the members.
    void addNamesEntry(const QString &nick, const QString &prefixes);
    bool hasPendingNames() const { return m_namesPending; }
    QList<Member> takeNames();
    QByteArray fold(const QString &nick) const;

private:
    struct Entry
    {
        Member member;
        int rank; // the index of its highest prefix in PREFIX; no prefix ranks last
        QByteArray key; // the folded nick
    };

    Entry entry(const Member &member) const;
    int rank(const QString &prefixes) const;
    int lowerBound(int wantedRank, const QByteArray &key) const;

    QString m_name;
    QString m_topic;
    QString m_topicSetBy;
    QMap<char, QString> m_modes; // letter -> parameter (empty for flags)
    QDateTime m_createdAt;
    QList<Ban> m_bans;
    QList<Ban> m_pendingBans;
    bool m_banListKnown = false;
    bool m_banListPending = false;
    Irc::CaseMapping m_mapping = Irc::CaseMapping::Ascii;
    QByteArray m_prefixSymbols;
    QList<Entry> m_members;
    QHash<QByteArray, Member> m_pendingNames;
    bool m_namesPending = false;
};

} // namespace Client
