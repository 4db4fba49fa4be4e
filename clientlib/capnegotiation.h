#pragma once

#include "protocol/ircmessage.h"

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QSet>

namespace Client {

// IRCv3 capability negotiation (CAP LS 302, REQ, ACK/NAK, NEW/DEL, END), without a socket:
// CAP messages in, the lines to answer with out. It asks for every capability the client
// understands that the server offers, and ends negotiation (CAP END) once every request is
// answered, so registration goes on whether the server ACKs, NAKs or knows no CAP at all.
class CapNegotiation
{
public:
    // What this client understands and asks for when a server offers it.
    static const QList<QByteArray> &understood();

    // The first line of a connection: `CAP LS 302`. Forgets the last connection.
    QByteArray start();
    // Whether to ask for `sasl` (where it offers PLAIN): the user gave an account. While an
    // authentication runs, CAP END waits for authenticationDone().
    void setWantsSasl(bool wanted) { m_wantsSasl = wanted; }
    bool isAuthenticating() const { return m_authenticating; }
    QList<QByteArray> authenticationDone();
    // One CAP message from the server; the lines to answer with.
    QList<QByteArray> handle(const Irc::IrcMessage &message);
    // The server gave up on negotiation (410) or registered us without it: no END is owed.
    QList<QByteArray> abandon();
    void registrationDone() { m_negotiating = false; }

    bool isEnabled(QByteArrayView name) const { return m_enabled.contains(name.toByteArray()); }
    // Sorted.
    QList<QByteArray> enabled() const;
    // Name -> value (CAP LS 302 values such as `sasl=PLAIN`), as the server last listed them.
    const QMap<QByteArray, QByteArray> &offered() const { return m_offered; }
    // Whether the last handle() changed what is enabled.
    bool enabledChanged() const { return m_changed; }

private:
    void takeList(const QByteArray &list);
    bool wants(const QByteArray &name) const;
    QList<QByteArray> requestWanted(const QList<QByteArray> &names);
    QList<QByteArray> answered();
    void acknowledge(const QByteArray &list);
    void remove(const QByteArray &list);

    QMap<QByteArray, QByteArray> m_offered;
    QMap<QByteArray, QByteArray> m_listing; // an LS reply spread over several lines
    QSet<QByteArray> m_enabled;
    int m_outstanding = 0; // REQ lines not yet answered
    bool m_negotiating = false; // LS sent, END not yet
    bool m_wantsSasl = false;
    bool m_authenticating = false; // sasl acknowledged while negotiating, no verdict yet
    bool m_changed = false;
};

} // namespace Client
