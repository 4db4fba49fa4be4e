#pragma once

#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

namespace Client {

// What a WHOIS reply said about one user (311, 312, 313, 317, 319, 301, 330), complete once
// 318 ends it.
struct WhoisInfo
{
    QString nick; // as the server spells it; as asked when the user was not found
    QString user;
    QString host;
    QString realName;
    QString server;
    QString serverInfo;
    QString account; // 330: the account the user is logged in to; empty when none
    QStringList channels; // 319, each with its status prefixes as listed ("@#a")
    QString awayMessage; // 301; empty when not away
    bool away = false;
    bool isOperator = false; // 313
    qint64 idleSeconds = -1; // 317; -1 when not told
    QDateTime signOn; // 317, UTC; invalid when not told
    bool found = false; // false: no such nick (401), or the server gave no 311
    QString error; // the server's reason when not found
};

// One channel of a LIST reply (322).
struct ChannelListEntry
{
    QString channel;
    int userCount = 0;
    QString topic;
    bool operator==(const ChannelListEntry &) const = default;
};

// A private conversation of our account with lines in the server's history (CHATHISTORY
// TARGETS): the other party, as the server names it, and when its latest line was said.
struct RecentConversation
{
    QString nick;
    QDateTime latest; // UTC
};

} // namespace Client

Q_DECLARE_METATYPE(Client::WhoisInfo)
Q_DECLARE_METATYPE(Client::ChannelListEntry)
Q_DECLARE_METATYPE(Client::RecentConversation)
