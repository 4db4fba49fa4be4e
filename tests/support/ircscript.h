#pragma once

#include "tests/support/rawclient.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <map>
#include <memory>

// Plays a conversation between a few clients and checks every reply, so that one script runs
// against QtChat and against ngircd alike. One step per line:
//
//     a> JOIN %ch          client a sends (it is registered on first use)
//     a< 366 %ch           a waits for a 366 and compares its first parameters after the
//                          target; earlier messages are skipped
//     b< PRIVMSG %ch hi    b waits for a PRIVMSG; a command's parameters are compared from the
//                          first, and only as many as given (reply texts differ between servers)
//     b! 322 %ch           no such message may come before b's next expected one
//     c+ multi-prefix      c registers now, asking for these IRCv3 capabilities first
//
// `%a` to `%e` stand for the clients' nicks (`%A`: upper-cased) and `%ch` for a channel, unique
// per script.
class IrcScript
{
public:
    IrcScript(quint16 port, const QByteArray &tag);

    // Empty when every step passed; otherwise which step failed and what came instead.
    QString run(const QList<QByteArray> &steps);

    // Data-driven suites: each script is a row for QtChat and one for ngircd. `notOnNgircd`
    // says why ngircd is not asked (a deliberate difference, or a QtChat-only reply).
    static void addColumns();
    static void addRows(const char *name, const QList<QByteArray> &steps,
                        const char *notOnNgircd = nullptr);
    struct RowResult
    {
        QString skipReason, failure;
    };
    // Plays the current row against the server it names.
    static RowResult playRow(quint16 qtchatPort, quint16 ngircdPort, const QByteArray &tag);

private:
    RawClient *client(char name, QString *error, const QByteArray &capabilities = {});
    QByteArray expand(QByteArray text) const;
    QString expectStep(RawClient &client, const QByteArray &expected);
    static QByteArray sortedWords(const QByteArray &text);
    static bool matches(const Irc::IrcMessage &message, const QByteArray &pattern);

    quint16 m_port;
    QByteArray m_tag;
    std::map<char, std::unique_ptr<RawClient>> m_clients;
    QList<QByteArray> m_forbidden; // until the next expectation
};
