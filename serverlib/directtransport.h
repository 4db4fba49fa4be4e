#pragma once

#include "serverlib/ioloop.h"
#include "serverlib/transport.h"

#include <QCoreApplication>

#include <vector>

namespace Server {

// A plain TCP connection served straight from its descriptor through the worker's IoLoop.
// Holds no buffer while idle: input goes from the loop's shared read buffer into the session's
// line splitter, and queued output is a list of references to lines that are shared between
// all their recipients, written with one sendmsg() per batch.
class DirectTransport final : public Transport, private IoHandler
{
    Q_DECLARE_TR_FUNCTIONS(Server::DirectTransport)

public:
    DirectTransport(IoLoop &loop, TransportEvents &events);
    ~DirectTransport() override;

    bool open(qintptr descriptor) override;
    QByteArrayView read() override;
    qint64 unreadBytes() const override;
    void setReadPaused(bool paused) override;
    void write(const QByteArray &data) override;
    qint64 queuedBytes() const override { return m_queuedBytes; }
    void flush() override;
    void close() override;
    void abort() override;

private:
    void handleIo(quint32 epollEvents) override;
    void flushOutput() override;
    void writeQueued();
    void dropWritten(qsizetype bytes);
    void emptyQueue();
    void updateInterest();
    void finish(const QString &error);
    void drainInput();
    QString pendingSocketError() const;

    IoLoop &m_loop;
    TransportEvents &m_events;
    int m_descriptor = -1;
    std::vector<QByteArray> m_queue;
    qsizetype m_headWritten = 0; // bytes of m_queue.front() already written
    qint64 m_queuedBytes = 0;
    quint32 m_interest = 0;
    QString m_peerGone; // set by read() when the peer closed or failed: finish at once
    bool m_readPaused = false;
    bool m_mayHaveInput = false; // the kernel reported input not read yet
    bool m_flushRequested = false;
    bool m_closeWhenWritten = false;
};

} // namespace Server
