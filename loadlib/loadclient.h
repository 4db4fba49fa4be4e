#pragma once

#include "loadlib/iohandler.h"

#include "protocol/linesplitter.h"

#include <QByteArray>
#include <QList>

#include <netinet/in.h>

#include <optional>

namespace Irc {
struct IrcMessage;
} // namespace Irc

namespace Load {

class EpollLoop;
class LoadClientListener;

struct ClientSetup
{
    QByteArray nick;
    QList<QByteArray> channels;
    sockaddr_in server {};
    std::optional<in_addr> source;
    QByteArray capabilities; // for CAP REQ before NICK and USER; empty: none
};

// One IRC connection on a non-blocking socket: connects, registers (CAP REQ if it asks for
// IRCv3 capabilities, NICK/USER, CAP END, then 376 or 422), joins its channels (one 366 each), then
// hands every line to the listener. It never buffers without bound: input goes through
// LineSplitter's limits, and output is only what the run queued, which the run keeps small
// (pendingOutput()).
class LoadClient : public IoHandler
{
public:
    enum class State { Idle, Connecting, Registering, Joining, Ready, Quitting, Closed, Failed };

    LoadClient(int index, ClientSetup setup, EpollLoop &loop, LoadClientListener &listener);
    ~LoadClient() override;
    LoadClient(const LoadClient &) = delete;
    LoadClient &operator=(const LoadClient &) = delete;

    void start();
    void queue(const QByteArray &line);
    void flush();
    void quit(QByteArrayView reason);
    // Closes the connection without QUIT and without telling the listener: the run is ending.
    void abort();
    void setWantsWritable(bool wants);

    int index() const { return m_index; }
    State state() const { return m_state; }
    bool isOpen() const { return m_fd >= 0; }
    const QByteArray &nick() const { return m_setup.nick; }
    const QByteArray &failure() const { return m_failure; }
    qsizetype pendingOutput() const { return m_out.size() - m_outSent; }
    qint64 startedNs() const { return m_startedNs; }
    qint64 readyNs() const { return m_readyNs; }

    void handleIo(quint32 events) override;

private:
    bool openSocket();
    void finishConnect();
    void readInput();
    bool takeLines(qint64 readNs);
    void handleMessage(const Irc::IrcMessage &message, qint64 readNs);
    void handleSetupReply(const Irc::IrcMessage &message);
    void sendJoins();
    void becomeReady();
    void onPeerClosed();
    void writePending();
    void updateInterest();
    void fail(const QByteArray &reason);
    void closeSocket();

    int m_index;
    ClientSetup m_setup;
    EpollLoop &m_loop;
    LoadClientListener &m_listener;
    Irc::LineSplitter m_splitter;
    QByteArray m_out;
    qsizetype m_outSent = 0;
    QByteArray m_failure;
    State m_state = State::Idle;
    int m_fd = -1;
    quint32 m_interest = 0;
    int m_channelsJoined = 0;
    bool m_wantsWritable = false;
    qint64 m_startedNs = 0;
    qint64 m_readyNs = 0;
};

} // namespace Load
