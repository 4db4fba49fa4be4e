#pragma once

#include "protocol/names.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

namespace Client {

// One joined channel: its name, topic and members. Members are kept in display order --
// highest prefix first, then by nick in the server's case mapping -- so that a member's row
// in ChannelModel is its index here. The model announces each change at the rows this class
// reports and then makes it; nothing else changes a ChannelState.
class ChannelState
{
public:
    struct Member
    {
        QString nick;
        QString prefixes; // "@", "+", "@+", "" ... in the server's PREFIX order
    };

    ChannelState() = default;
    ChannelState(const QString &name, Irc::CaseMapping mapping, const QByteArray &prefixSymbols);

    QString name() const { return m_name; }
    QString topic() const { return m_topic; }
    QString topicSetBy() const { return m_topicSetBy; }
    void setTopic(const QString &topic, const QString &setBy = QString());

    int memberCount() const { return int(m_members.size()); }
    const Member &member(int row) const { return m_members.at(row).member; }
    // In display order.
    QStringList nicks() const;
    bool hasMember(const QString &nick) const { return rowOf(nick) >= 0; }
    QString prefixesOf(const QString &nick) const;

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
    Irc::CaseMapping m_mapping = Irc::CaseMapping::Ascii;
    QByteArray m_prefixSymbols;
    QList<Entry> m_members;
    QHash<QByteArray, Member> m_pendingNames;
    bool m_namesPending = false;
};

} // namespace Client
