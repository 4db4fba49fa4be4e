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
        connect(target, &QTcpSocket::readyRead, this, copy(target, client));
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

void TcpProxy::close(const Pair &pair)
{
    for (QTcpSocket *socket : {pair.client, pair.target}) {
        socket->disconnect(this);
        socket->abort();
        socket->deleteLater();
    }
}
