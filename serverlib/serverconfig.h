#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <optional>

enum class ThreadingModel {
    PerConnection, // a QThread per client, the tutorial's case 1
    Pool, // N long-lived worker threads, new clients go to the least-loaded one
    Single, // one worker thread serves every client: the baseline
};

enum class WireProtocol {
    Irc,
    Tutorial, // the seed tutorial's echo server: every chunk is answered with 收到收到
};

QString threadingModelName(ThreadingModel model);
std::optional<ThreadingModel> threadingModelFromName(QStringView name);
QString wireProtocolName(WireProtocol protocol);
std::optional<WireProtocol> wireProtocolFromName(QStringView name);

// Everything a server needs to start, as a plain value: the app builds it from its settings,
// tests and the headless mode build it directly.
struct ServerConfig
{
    QHostAddress bindAddress = QHostAddress::LocalHost;
    quint16 port = 6667; // 0 picks a free port
    ThreadingModel threading = ThreadingModel::Pool;
    int workers = 0; // pool size; 0 means QThread::idealThreadCount()
    QByteArray serverName = "qtchat.local";
    QByteArray password; // empty: no PASS needed
    QStringList motd; // empty: 422
    WireProtocol protocol = WireProtocol::Irc;

    int effectiveWorkerCount() const;
    // Empty when the config can be used; otherwise why not, for the user.
    QString validate() const;
};
Q_DECLARE_METATYPE(ThreadingModel)
