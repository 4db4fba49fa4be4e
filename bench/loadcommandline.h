#pragma once

#include "loadlib/loadoptions.h"

#include <QCommandLineParser>
#include <QStringList>

#include <functional>

// Turns argv into LoadOptions: the scenario's preset first, then every option given.
class LoadCommandLine
{
public:
    enum class Result { Ok, Help, Error };

    LoadCommandLine();
    Result parse(const QStringList &arguments);
    const Load::LoadOptions &options() const { return m_options; }
    // The help text for Help, the reason for Error.
    QString message() const { return m_message; }

private:
    void addOptions();
    bool applyOverrides();
    template<typename Count>
    bool readCount(const QString &name, qint64 minimum, qint64 maximum, Count *out);
    bool readNumber(const QString &name, double *out);
    bool readServers();
    bool readServerPids();
    bool readList(const QString &name, const std::function<bool(const QString &)> &take);
    static QByteArray capabilityList(const QString &value);
    bool fail(const QString &message);

    QCommandLineParser m_parser;
    Load::LoadOptions m_options;
    QString m_message;
};
