#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QHostAddress>
#include <QString>

namespace Server {

// What a transport tells its session, always in the session's thread. Never called from inside
// Transport::write(): a write only queues, so a fan-out loop never sees a recipient leave.
class TransportEvents
{
public:
    // Input may be waiting: read() until it returns nothing.
    virtual void transportReadable() = 0;
    // The connection is gone. `error` says why when it did not end in an orderly close.
    virtual void transportClosed(const QString &error) = 0;

protected:
    ~TransportEvents() = default;
};

// Moves a connection's bytes: input in chunks, output queued and written in batches.
class Transport
{
public:
    virtual ~Transport() = default;

    // Takes over an accepted descriptor, in the thread that will serve it.
    virtual bool open(qintptr descriptor) = 0;
    // The next chunk of input, empty when none is waiting. Valid until the next call.
    virtual QByteArrayView read() = 0;
    // Input received but not yet returned by read(), for flood control.
    virtual qint64 unreadBytes() const = 0;
    // While paused, input stays with the kernel (which slows the peer down) and nothing is
    // reported as readable.
    virtual void setReadPaused(bool paused) = 0;
    // Queues `data` (shared, not copied) and arranges for it to be written soon.
    virtual void write(const QByteArray &data) = 0;
    virtual qint64 queuedBytes() const = 0;
    // Hands what is queued to the kernel now, as far as it takes it.
    virtual void flush() = 0;
    // False while the connection cannot carry lines yet (a TLS handshake under way).
    virtual bool isReady() const { return true; }
    // Closes once everything queued is written; transportClosed() follows (once open()
    // succeeded: a transport that never opened has nothing to close).
    virtual void close() = 0;
    // Closes now, dropping what is queued; transportClosed() follows, as for close().
    virtual void abort() = 0;
};

struct PeerName
{
    QHostAddress address;
    quint16 port = 0;
};

PeerName peerNameOf(qintptr descriptor);

} // namespace Server
