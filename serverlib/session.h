#pragma once

#include <QByteArray>
#include <QObject>
#include <QString>

class QTcpSocket;
class Worker;

// One client connection, living in its worker's thread. Owns the socket it creates there.
// Subclasses speak a protocol; this class moves bytes and reports the end of the connection.
class Session : public QObject
{
    Q_OBJECT

public:
    Session(quint32 id, Worker &worker);
    ~Session() override;

    // Creates the socket for an accepted descriptor, in the calling (the worker's) thread.
    bool open(qintptr descriptor);

    quint32 id() const { return m_id; }
    QString peer() const { return m_peer; }
    QByteArray peerHost() const;
    virtual QByteArray nick() const { return {}; }

    void send(const QByteArray &line);
    // Sends `ERROR :text` after everything queued, then closes once it has been written.
    void closeWithError(const QByteArray &text);
    void stopReading();
    void abort();

protected:
    // The socket is connected and set up; called once, from open().
    virtual void opened() { }
    virtual void processInput() = 0;
    // The connection is gone; `reason` says why, for peers and the log.
    virtual void connectionClosed(const QString &reason) = 0;

    QTcpSocket *socket() const { return m_socket; }
    Worker &worker() const { return m_worker; }
    bool isReading() const { return m_reading; }
    void setCloseReason(const QString &reason) { m_closeReason = reason; }

private:
    void onDisconnected();

    const quint32 m_id;
    Worker &m_worker;
    QTcpSocket *m_socket = nullptr;
    QString m_peer;
    QString m_closeReason;
    bool m_reading = true;
    bool m_finished = false;
};
