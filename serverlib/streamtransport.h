#pragma once

#include "serverlib/transport.h"

#include <QSslConfiguration>

#include <memory>

class QSslSocket;

namespace Server {

// A TLS connection, through QSslSocket (created in the serving thread, from the descriptor).
// Qt's socket keeps its own buffers and notifiers; encryption is what it is needed for.
class StreamTransport final : public Transport
{
public:
    StreamTransport(TransportEvents &events, const QSslConfiguration &tls);
    ~StreamTransport() override;

    bool open(qintptr descriptor) override;
    QByteArrayView read() override;
    qint64 unreadBytes() const override;
    // Qt stops reading by itself once its bounded read buffer is full.
    void setReadPaused(bool) override { }
    void write(const QByteArray &data) override;
    qint64 queuedBytes() const override;
    void flush() override;
    bool isReady() const override;
    void close() override;
    void abort() override;

private:
    TransportEvents &m_events;
    const QSslConfiguration m_tls;
    std::unique_ptr<QSslSocket> m_socket;
    QByteArray m_chunk;
    QString m_error;
};

} // namespace Server
