#pragma once

#include "serverlib/serverconfig.h"
#include <QCoreApplication>

#include <QCommandLineParser>
#include <QString>

namespace App {

struct SettingSpec;

// The command line, read once: what to run and the server config it asks for.
struct CommandLine
{
    Q_DECLARE_TR_FUNCTIONS(App::CommandLine)

public:
    bool headless = false;
    bool hashPassword = false; // print the hash of a password read from stdin, then exit
    Server::ServerConfig server;
    // Desktop mode: start the server at launch, the chat pane's nick, another settings file.
    bool startServer = false;
    QString nick;
    QString configFile;
    // Headless, a server process of a supervisor: print a Server::ProcessReport every second.
    bool reportStats = false;
    QString error; // non-empty: the options were invalid, say why and exit non-zero

    static CommandLine parse(const QStringList &arguments);
    // Where --secrets-from-environment finds a secret setting: QTCHAT_SECRET_PASSWORD.
    static QByteArray secretVariable(const SettingSpec &spec);
};

} // namespace App
