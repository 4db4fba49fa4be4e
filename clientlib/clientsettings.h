#pragma once

#include <QList>
#include <QSslCertificate>
#include <QString>
#include <QStringList>

namespace Client {

// Where and as whom a ChatClient connects, as a plain value the app fills from its settings.
struct ClientSettings
{
    QString host = QStringLiteral("127.0.0.1");
    quint16 port = 6667;
    QString nick;
    QString userName; // empty: the nick
    QString realName; // empty: "QtChat"
    QString password; // the server's password; empty: no PASS
    // The account to log in to with SASL PLAIN while registering; empty: none. The password
    // is sent only inside AUTHENTICATE, and never logged or shown.
    QString account;
    QString accountPassword;
    QStringList channels; // joined after every (re)registration
    bool autoReconnect = true;
    // TLS from the first byte (the server is TLS-only). The system's CAs are trusted; a
    // certificate listed in pinnedCertificates is accepted as it is, whatever its issuer and
    // names — how the app's own windows trust the self-signed certificate of the local server.
    bool tls = false;
    QList<QSslCertificate> pinnedCertificates;

    // Outgoing pacing, as irssi does it: `sendBurst` lines at once, then one line per
    // `sendIntervalMs`. Servers disconnect clients that flood; 0 turns pacing off.
    int sendBurst = 5;
    int sendIntervalMs = 2000;
};

} // namespace Client
