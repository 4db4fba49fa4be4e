#pragma once

#include "serverlib/chatserver.h"
#include "tests/support/ircscript.h"
#include "tests/support/ngircdprocess.h"

#include <QByteArray>
#include <QString>

// QtChat and ngircd side by side, for the suites whose IrcScript rows run against both.
//
//     void initTestCase() { QVERIFY2(m_servers.start(config), qPrintable(m_servers.errorString()));
//     } void scripts() { QTCHAT_PLAY_SCRIPT_ROW(m_servers); }
class ScriptedServers
{
public:
    // `tagPrefix` starts each row's channel and nicks, so that suites never share names.
    explicit ScriptedServers(const QByteArray &tagPrefix) : m_tagPrefix(tagPrefix) { }
    ~ScriptedServers() { stop(); }

    // QtChat on a free port with its limits lifted (the rest of `config` as given), and ngircd.
    // False with errorString() set when either cannot start: a missing ngircd is a failure.
    bool start(Server::ServerConfig config = {});
    void stop();
    QString errorString() const { return m_error; }

    // Plays the current data row against the server it names, with a fresh tag.
    IrcScript::RowResult playRow();

    Server::ChatServer &qtchat() { return m_server; }
    NgircdProcess &ngircd() { return m_ngircd; }

private:
    QByteArray m_tagPrefix;
    Server::ChatServer m_server;
    NgircdProcess m_ngircd;
    QString m_error;
    int m_nextTag = 0;
};

// The body of a data-driven `scripts()` test: skips the rows ngircd is not asked, fails with
// the step that went wrong.
#define QTCHAT_PLAY_SCRIPT_ROW(servers)                                                            \
    do {                                                                                           \
        const IrcScript::RowResult result = (servers).playRow();                                   \
        if (!result.skipReason.isEmpty())                                                          \
            QSKIP(qPrintable(result.skipReason));                                                  \
        QVERIFY2(result.failure.isEmpty(), qPrintable(result.failure));                            \
    } while (false)
