#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

namespace Load {

enum class Scenario {
    Fanout, // many receivers in one channel, a few senders as fast as the window allows
    Latency, // paced senders: latency when the server is not saturated
    Connections, // many registered clients over many channels: set-up time and memory
    Churn, // connect, register, join, quit, again and again
};

QString scenarioName(Scenario scenario);
std::optional<Scenario> scenarioFromName(QStringView name);

// One server a run's clients connect to.
struct ServerAddress
{
    QByteArray host;
    quint16 port = 6667;
};

// Everything one run needs, as a plain value. Presets fill it per scenario; the command line
// overrides single fields.
struct LoadOptions
{
    Scenario scenario = Scenario::Fanout;
    QByteArray host = "127.0.0.1";
    quint16 port = 6667;
    // Several servers of one network (a cluster, linked servers): client i connects to
    // servers[(i / threads) % size], round-robin within each generator thread. Empty: host:port.
    QList<ServerAddress> servers;
    int clients = 100;
    int channels = 1;
    int joinsPerClient = 1; // client i joins channels i, i+1, ... (mod channels)
    int senders = 10; // clients 0..senders-1; sender s writes to channel s % channels
    quint32 messages = 2000; // per sender
    double rate = 0; // lines per second per sender (churn: cycles per second); 0 = no pacing
    double durationS = 0; // with a rate: how long to send (or churn)
    quint32 window = 100; // unpaced: lines per sender not yet seen by its probe receiver; 0 = off
    int sourceAddresses = 1; // bind to 127.0.0.1 .. 127.0.0.N: more than ~28k ports per target
    int setupConcurrency = 256; // clients connecting/registering/joining at the same time
    int threads = 2; // traffic scenarios: epoll threads, each serving every n-th client
    // Traffic scenarios: send until RunControl::requestStop() instead of `messages` lines per
    // sender, for the app's load lab; `timeoutS` then bounds the set-up only.
    bool untilStopped = false;
    // Empty: a channel name made up per run (see LoadTopology). Otherwise channel 0 has this
    // name and channel n > 0 the name + "-n", so that people can join and watch.
    QByteArray channelName;
    // At the end, every registered client sends QUIT and waits (briefly) for the server to
    // close, so that the server sees clients leave rather than connections reset.
    bool quitAtEnd = false;
    // IRCv3 capabilities every client asks for before it registers (space-separated), all or
    // nothing: a server that refuses one serves the client without any. Empty: no CAP at all.
    QByteArray capabilities;
    double timeoutS = 120;
    double idleTimeoutS = 10; // no delivery and no send for this long: the run is stuck
    // The processes whose CPU and memory the report sums: every server, and what they share.
    QList<qint64> serverPids;
    bool json = false;
    bool quiet = false;

    static LoadOptions preset(Scenario scenario);
    bool isPaced() const { return rate > 0; }
    // `servers`, or host:port alone.
    QList<ServerAddress> serverAddresses() const;
    // Which of serverAddresses() client `client` connects to.
    int serverOf(int client) const;
    // Empty when usable; otherwise why not.
    QString validate() const;
};

} // namespace Load
