#pragma once

#include "serverlib/serverconfig.h"
#include <QCoreApplication>

#include <QCommandLineParser>
#include <QString>

// The command line, read once: what to run and the server config it asks for.
struct CommandLine
{
    Q_DECLARE_TR_FUNCTIONS(CommandLine)

public:
    bool headless = false;
    ServerConfig server;
    // Desktop mode: start the server at launch, the chat pane's nick, another settings file.
    bool startServer = false;
    QString nick;
    QString configFile;
    QString error; // non-empty: the options were invalid, say why and exit non-zero

    static CommandLine parse(const QStringList &arguments);
};
