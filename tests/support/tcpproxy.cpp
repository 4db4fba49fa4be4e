#include "tests/support/tcpproxy.h"

#include <QTcpSocket>

TcpProxy::TcpProxy(quint16 targetPort, QObject *parent) : QObject(parent), m_targetPort(targetPort)
{
    connect(&m_server, &QTcpServer::newConnection, this, &TcpProxy::accept);
}

TcpProxy::~TcpProxy()
{
    cut();
}

bool TcpProxy::start()
{
    if (!m_server.listen(QHostAddress::LocalHost, m_port))
        return false;
    m_port = m_server.serverPort();
    return true;
}

void TcpProxy::cut()
{
    m_server.close();
    const QList<Pair> pairs = std::exchange(m_pairs, {});
    for (const Pair &pair : pairs)
        close(pair);
}

bool TcpProxy::restore()
{
    return m_server.isListening() || start();
}

void TcpProxy::accept()
{
    while (QTcpSocket *client = m_server.nextPendingConnection()) {
        auto *target = new QTcpSocket(this);
        client->setParent(this);
        const Pair pair {client, target};
        m_pairs.append(pair);
        const auto copy = [](QTcpSocket *from, QTcpSocket *to) {
            return [from, to] {
                if (to->state() == QAbstractSocket::ConnectedState)
                    to->write(from->readAll());
            };
        };
        connect(client, &QTcpSocket::readyRead, this, copy(client, target));
        connect(target, &QTcpSocket::readyRead, this,
                [this, target, client] { forwardReply(target, client); });
        // Bytes the client sends before the target is connected wait in its socket.
        connect(target, &QTcpSocket::connected, this, copy(client, target));
        for (QTcpSocket *socket : {client, target}) {
            connect(socket, &QTcpSocket::disconnected, this, [this, pair] {
                if (m_pairs.removeOne(pair))
                    close(pair);
            });
            connect(socket, &QTcpSocket::errorOccurred, this, [this, pair] {
                if (m_pairs.removeOne(pair))
                    close(pair);
            });
        }
        target->connectToHost(QHostAddress::LocalHost, m_targetPort);
    }
}

void TcpProxy::forwardReply(QTcpSocket *target, QTcpSocket *client)
{
    QByteArray data = target->readAll();
    if (!m_holdMarker.isEmpty()) {
        Held &held = m_held[target];
        if (held.holding) {
            held.bytes += data;
            return;
        }
        const QByteArray seen = held.tail + data;
        const qsizetype at = seen.indexOf(m_holdMarker);
        if (at >= 0) {
            const qsizetype start = qMax<qsizetype>(0, at - held.tail.size());
            held.bytes = data.mid(start);
            held.holding = true;
            data.truncate(start);
        } else {
            held.tail = seen.right(m_holdMarker.size() - 1);
        }
    }
    if (client->state() == QAbstractSocket::ConnectedState)
        client->write(data);
}

void TcpProxy::releaseReplies()
{
    m_holdMarker.clear();
    for (const Pair &pair : std::as_const(m_pairs)) {
        const Held held = m_held.take(pair.target);
        if (pair.client->state() == QAbstractSocket::ConnectedState)
            pair.client->write(held.bytes);
        forwardReply(pair.target, pair.client);
    }
    m_held.clear();
}

void TcpProxy::close(const Pair &pair)
{
    m_held.remove(pair.target);
    for (QTcpSocket *socket : {pair.client, pair.target}) {
        socket->disconnect(this);
        socket->abort();
        socket->deleteLater();
    }
}
