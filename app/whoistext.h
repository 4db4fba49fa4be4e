#pragma once

#include <QCoreApplication>
#include <QDateTime>
#include <QStringList>

namespace Client {
struct WhoisInfo;
} // namespace Client

namespace App {

// A WHOIS answer as the lines a conversation shows: who the user is (nick!user@host and real
// name), their channels, server, idle and sign-on times, away message, operator status and
// account. No numerics, no raw server text but the user's own.
struct WhoisText
{
    Q_DECLARE_TR_FUNCTIONS(App::WhoisText)

public:
    static QStringList lines(const Client::WhoisInfo &info);
    // A span of time for people: "42 s", "3 min 5 s", "2 h 7 min", "4 d 1 h".
    static QString duration(qint64 seconds);
};

} // namespace App
