#pragma once

#include "protocol/names.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

namespace Client {

// What a UI shows for one joined channel: its members with their prefix symbols and its
// topic. Nicks are compared with the server's case mapping.
class ChannelState
{
public:
    struct Member
    {
        QString nick;
        QString prefixes; // "@", "+", "" ... in the server's PREFIX order
    };

    ChannelState() = default;
    ChannelState(const QString &name, Irc::CaseMapping mapping, const QByteArray &prefixSymbols);

    QString name() const { return m_name; }
    QString topic() const { return m_topic; }
    QString topicSetBy() const { return m_topicSetBy; }
    void setTopic(const QString &topic, const QString &setBy = QString());

    // Highest prefix first, then by nick, case-insensitively.
    QList<Member> members() const;
    QStringList nicks() const;
    int memberCount() const { return int(m_members.size()); }
    bool hasMember(const QString &nick) const;
    QString prefixesOf(const QString &nick) const;

    void addMember(const QString &nick, const QString &prefixes = QString());
    bool removeMember(const QString &nick);
    bool renameMember(const QString &oldNick, const QString &newNick);

    // A NAMES reply (353 lines, then 366) replaces the member list as a whole.
    void addNamesEntry(const QString &nick, const QString &prefixes);
    void finishNames();

private:
    QByteArray key(const QString &nick) const;
    int rank(const Member &member) const;

    QString m_name;
    QString m_topic;
    QString m_topicSetBy;
    Irc::CaseMapping m_mapping = Irc::CaseMapping::Ascii;
    QByteArray m_prefixSymbols;
    QHash<QByteArray, Member> m_members;
    QHash<QByteArray, Member> m_pendingNames;
    bool m_namesPending = false;
};

} // namespace Client
