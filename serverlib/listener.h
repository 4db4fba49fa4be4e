#pragma once

#include <QHostAddress>
#include <QObject>
#include <QTcpServer>

#include <functional>

class QSocketNotifier;

namespace Server {

// The server's listening socket. QTcpServer binds it (address families, SO_REUSEADDR, error
// texts); accepting is done here. Qt 6.4's QTcpServer keeps the first error its socket engine
// reports, and every accept loop ends in EAGAIN, a temporary error: when accept() later fails
// for lack of descriptors (EMFILE), it takes that for temporary too and tries again on every
// pass of the event loop, a busy loop, instead of pausing. Here such a failure pauses accepting
// and says so (acceptFailed); resumeAccepting() tries again.
class Listener : public QObject
{
    Q_OBJECT

public:
    // `accept` takes each accepted descriptor (blocking, close-on-exec) in this object's thread.
    explicit Listener(std::function<void(qintptr)> accept, QObject *parent = nullptr);

    bool listen(const QHostAddress &address, quint16 port, int backlog);
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
    void acceptPending();

    const std::function<void(qintptr)> m_accept;
    QTcpServer m_bound; // binds and owns the socket; its own accepting stays paused
    QSocketNotifier *m_notifier = nullptr;
    QString m_acceptError;
};

} // namespace Server
