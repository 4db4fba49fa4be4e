#pragma once

#include <QHash>
#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QTcpServer>

class QTcpSocket;

// A TCP forwarder on a free loopback port, in the test's thread: what connects to port() is
// connected on to the target, bytes copied both ways. cut() plays a network cut: every
// connection through it is reset and new ones are refused until restore(), which listens on
// the same port again. A component between a server and its Redis, to cut one node off alone.
// holdRepliesFrom() plays a client that stops reading: what the target sends from `marker` on
// is kept back until releaseReplies().
class TcpProxy : public QObject
{
    Q_OBJECT

public:
    explicit TcpProxy(quint16 targetPort, QObject *parent = nullptr);
    ~TcpProxy() override;

    bool start();
    quint16 port() const { return m_port; }
    QString redisUrl() const { return QStringLiteral("redis://127.0.0.1:%1").arg(m_port); }
    void cut();
    bool restore();
    void holdRepliesFrom(const QByteArray &marker) { m_holdMarker = marker; }
    void releaseReplies();

private:
    struct Pair
    {
        QTcpSocket *client;
        QTcpSocket *target;
        bool operator==(const Pair &) const = default;
    };
    // What one connection's target sent from the hold marker on, and the end of what it sent
    // before (the marker may start in one read and end in the next).
    struct Held
    {
        QByteArray tail;
        QByteArray bytes;
        bool holding = false;
    };
    void accept();
    void forwardReply(QTcpSocket *target, QTcpSocket *client);
    void close(const Pair &pair);

    const quint16 m_targetPort;
    QTcpServer m_server;
    quint16 m_port = 0;
    QList<Pair> m_pairs;
    QByteArray m_holdMarker;
    QHash<QTcpSocket *, Held> m_held; // by target
};
