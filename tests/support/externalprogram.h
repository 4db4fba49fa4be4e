#pragma once

#include <QString>

// A program a suite runs for real, where Debian installs it unless an environment variable
// says otherwise; the reason it is missing names the package to install.
struct ExternalProgram
{
    const char *name; // as the reason names it: "redis-server"
    const char *variable; // overrides `defaultPath`: "QTCHAT_REDIS_SERVER"
    const char *defaultPath;
    const char *package; // the Debian package that installs it
    // Set when `defaultPath` (or the variable) names the directory the program is in.
    const char *inDirectory = nullptr;

    // The variable's value when set, else `defaultPath`.
    QString path() const;
    // The executable itself: path(), or the program in that directory.
    QString executable() const;
    bool isAvailable() const;
    QString unavailableReason() const;
};
