#pragma once

#include <QHostAddress>
#include <QObject>
#include <QTcpServer>

#include <functional>

class QSocketNotifier;

namespace Server {

// The server's listening socket. QTcpServer binds it (address families, SO_REUSEADDR, error
// texts), unless the port is shared: then the socket is made here with SO_REUSEPORT, which
// QTcpServer never sets, and handed to it listening; accepting is done here. Qt 6.4's QTcpServer
// keeps the first error its socket engine reports, and every accept loop ends in EAGAIN, a
// temporary error: when accept() later fails for lack of descriptors (EMFILE), it takes that for
// temporary too and tries again on every pass of the event loop, a busy loop, instead of pausing.
// Here such a failure pauses accepting and says so (acceptFailed); resumeAccepting() tries again.
class Listener : public QObject
{
    Q_OBJECT

public:
    // `accept` takes each accepted descriptor (blocking, close-on-exec) in this object's thread.
    explicit Listener(std::function<void(qintptr)> accept, QObject *parent = nullptr);

    // With `sharePort`, other sockets of the same user that also ask for it may listen on the
    // same address and port, and the kernel spreads new connections over them (the processes
    // of `qtchat --processes N`).
    bool listen(const QHostAddress &address, quint16 port, int backlog, bool sharePort = false);
    void close();
    bool isListening() const { return m_bound.isListening(); }
    QHostAddress serverAddress() const { return m_bound.serverAddress(); }
    quint16 serverPort() const { return m_bound.serverPort(); }
    QString errorString() const;
    void resumeAccepting();

Q_SIGNALS:
    // Accepting is paused: the process (or the system) is out of descriptors or memory.
    void acceptFailed(const QString &error);

private:
    bool listenShared(const QHostAddress &address, quint16 port, int backlog);
    void acceptPending();

    const std::function<void(qintptr)> m_accept;
    QTcpServer m_bound; // binds and owns the socket; its own accepting stays paused
    QSocketNotifier *m_notifier = nullptr;
    QString m_acceptError;
    QString m_listenError; // of a shared port's socket, which QTcpServer did not make
};

} // namespace Server
