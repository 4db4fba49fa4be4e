#pragma once

#include "clientlib/clientsettings.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QList>
#include <QString>
#include <QStringList>

namespace Client {

// A server the user keeps in the network list, as HexChat's: where, as whom, which channels to
// join, the account to log in to, and whether to connect when the app starts. The account's
// password is kept with it, in the settings file that only its owner may read.
struct SavedNetwork
{
    QString name;
    QString host;
    quint16 port = 6667;
    bool tls = false;
    QString nick;
    QStringList channels;
    QString account; // empty: none
    QString password; // the account's
    bool connectOnStart = false;

    ClientSettings toClientSettings() const;
    bool operator==(const SavedNetwork &other) const = default;
};

// The network list as the settings keep it: a JSON array of objects. Reading is lenient, entry
// by entry: an entry that is not a usable network is left out with a reason, the others stay.
class NetworkList
{
    Q_DECLARE_TR_FUNCTIONS(Client::NetworkList)

public:
    static QByteArray toJson(const QList<SavedNetwork> &networks);
    static QList<SavedNetwork> fromJson(const QByteArray &json, QStringList *problems = nullptr);
    // Translated reason why the network cannot be connected to, or empty when it can.
    static QString problem(const SavedNetwork &network);
    // "#a #b,#c" as typed into a field: the channel names, in order, without repeats.
    static QStringList parseChannels(const QString &text);
    // A name not used by any of `networks`: `base`, else "base (2)", "base (3)"...
    static QString unusedName(const QList<SavedNetwork> &networks, const QString &base);
};

} // namespace Client
