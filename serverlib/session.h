#pragma once

#include "protocol/capabilities.h"
#include "serverlib/transport.h"

#include <QByteArray>
#include <QHostAddress>
#include <QObject>
#include <QString>

#include <memory>

namespace Server {

class Worker;

// A line as queued for one client: the IRCv3 tags it gets (`@time=... `, empty for none) and the
// line itself, both shared with the other recipients of the same variant.
struct TaggedOutput
{
    QByteArray tags, line;
};

// One client connection, living in its worker's thread. Owns the transport it opens there.
// Subclasses speak a protocol; this class moves bytes, bounds what is queued for the client and
// reports the end of the connection.
class Session : public QObject, private TransportEvents
{
    Q_OBJECT

public:
    Session(quint32 id, Worker &worker);
    ~Session() override;

    // Takes over an accepted descriptor, in the calling (the worker's) thread. `peer` is as the
    // server admitted it; its address is released with the session.
    bool open(qintptr descriptor, const PeerName &peer);

    quint32 id() const { return m_id; }
    QString peer() const { return m_peer; }
    QHostAddress address() const { return m_address; }
    QByteArray peerHost() const;
    virtual QByteArray nick() const { return {}; }
    // What the client negotiated: the fan-out picks each recipient's variant of a line by it.
    Irc::Capabilities capabilities() const { return m_capabilities; }

    // Queues a line for the client. A client whose queue would pass the send-queue limit gets
    // `ERROR :SendQ exceeded` and is closed; nothing more is queued for it.
    void send(const QByteArray &line) { send(QByteArray(), line); }
    // The tags and the line as two shared pieces, queued together or not at all.
    void send(const QByteArray &tags, const QByteArray &line);
    // Sends `ERROR :text` after everything queued, tells the subclass the client is leaving,
    // then closes once the ERROR has been written (or, for a peer that does not read, after a
    // grace period, see checkTimers()).
    void closeWithError(const QByteArray &text);
    void stopReading();
    void abort();
    // Called by the worker's sweep about once a second (more often with short timeouts).
    virtual void checkTimers(qint64 nowMs);

protected:
    // The connection is set up; called once, from open().
    virtual void opened() { }
    virtual void processInput() = 0;
    // False while the subclass holds input back (flood control): it stays with the kernel.
    virtual bool wantsInput() const { return true; }
    // The client is leaving, `reason` says why (for peers and the log). Called once: when the
    // server closes the connection (before the socket is gone), or when the peer dropped it.
    virtual void connectionClosed(const QString &reason) = 0;

    Transport &transport() const { return *m_transport; }
    Worker &worker() const { return m_worker; }
    bool isReading() const { return m_reading; }
    // Closes after what is queued, without a last word: the tutorial protocol has none.
    void hangUp();
    void setCloseReason(const QString &reason) { m_closeReason = reason; }
    qint64 openedAtMs() const { return m_openedAtMs; }
    qint64 lastInputMs() const { return m_lastInputMs; }
    void updateReadInterest();
    void setCapabilities(Irc::Capabilities capabilities) { m_capabilities = capabilities; }
    // While set, what is sent to this client is collected in `lines` instead (labeled-response
    // wraps a command's replies); null: sent as usual.
    void setCapture(QList<TaggedOutput> *lines) { m_capture = lines; }
    bool isCapturing() const { return m_capture != nullptr; }

private:
    void transportReadable() override;
    void transportClosed(const QString &error) override;
    void overflowSendQueue();
    void leave();
    QString closeReason() const;

    const quint32 m_id;
    Worker &m_worker;
    std::unique_ptr<Transport> m_transport;
    const qint64 m_sendQueueLimit;
    const qint64 m_closeGraceMs;
    QHostAddress m_address;
    QString m_peer;
    QString m_closeReason;
    QList<TaggedOutput> *m_capture = nullptr;
    Irc::Capabilities m_capabilities;
    qint64 m_openedAtMs = 0;
    qint64 m_lastInputMs = 0;
    qint64 m_closingSinceMs = 0;
    bool m_reading = true;
    bool m_sendQueueFull = false;
    bool m_closing = false; // ERROR sent: nothing more is written
    bool m_left = false; // connectionClosed() called
    bool m_finished = false; // the connection is gone
};

} // namespace Server
