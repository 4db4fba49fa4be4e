#pragma once

#include "serverlib/passwordhash.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QHostAddress>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <optional>

namespace Server {

enum class ThreadingModel {
    PerConnection, // a QThread per client, the tutorial's case 1
    Pool, // N long-lived worker threads, new clients go to the least-loaded one
    Single, // one worker thread serves every client: the baseline
};

enum class WireProtocol {
    Irc,
    Tutorial, // the seed tutorial's echo server: every chunk is answered with 收到收到
};

QString threadingModelName(ThreadingModel model);
std::optional<ThreadingModel> threadingModelFromName(QStringView name);
QString wireProtocolName(WireProtocol protocol);
std::optional<WireProtocol> wireProtocolFromName(QStringView name);

// The whole numbers a value may take, both ends included. Each range below is the one place it
// is written: the server checks it, the settings, their dialog and the command line read it.
struct Range
{
    qint64 minimum = 0;
    qint64 maximum = 0;

    constexpr bool contains(double value) const { return value >= minimum && value <= maximum; }
};

// What the server tolerates from one client and in total. Each default follows what ngircd and
// InspIRCd ship with (docs/protocol.md, "Limits real servers use"), adjusted for a LAN chat.
// 0 turns a limit off. The line length (512 bytes), the line-less input cap and the socket read
// buffer are fixed protocol limits and are not configured here.
struct ServerLimits
{
    // InspIRCd's hard send queue. Far above what a reading client ever has queued (a NAMES
    // reply for a 1,000-member channel is about 20 KiB), small enough that a client that stops
    // reading costs a bounded amount of memory. Qt's write buffer is unbounded otherwise.
    qint64 sendQueueBytes = 1024 * 1024;
    // ngircd drops unregistered clients after about 20 s; a minute leaves time to type NICK and
    // USER by hand in nc, as the tutorial invites, and a slowloris still holds a socket only
    // that long.
    int registrationTimeoutMs = 60'000;
    // ngircd's and InspIRCd's PING after 120 s without input.
    int pingIntervalMs = 120'000;
    // Between ngircd's 20 s and InspIRCd's full ping interval: a laptop waking from a short
    // suspend or a Wi-Fi handover answers late but in time; a dead peer is noticed within
    // three minutes.
    int pingTimeoutMs = 60'000;
    // How long a connection the server closes may take to flush its last lines and ERROR: enough
    // for a slow LAN link, short enough that a client that stopped reading (SendQ exceeded)
    // does not hold its buffers for long. Then it is cut.
    int closeGraceMs = 5000;
    // A token bucket per client, counted in lines. Twice InspIRCd's burst threshold of 10, so
    // that a client's connect burst (CAP, NICK, USER, JOIN, then MODE and WHO per channel)
    // passes untouched; beyond it a client is slowed to the rate, and disconnected with
    // "Excess Flood" only when the lines held back pass 8 KiB (InspIRCd's receive queue).
    int floodBurstLines = 20;
    // Twice InspIRCd's 1 line/s and four times the pace of irssi and WeeChat (about one line per
    // 2 s after a burst of 5): a person typing never gets near it.
    double floodLinesPerSecond = 2.0;
    // The process's open-file limit lowers this further (see ChatServer::start).
    int maxClients = 10'000;
    // ngircd allows 5 and InspIRCd 3 per address on the Internet. On a LAN, a classroom or an
    // office may reach the server through one NAT or VPN gateway, so allow a room full; the
    // cap still stops one host from taking every slot.
    int maxClientsPerIp = 50;
    // InspIRCd's maxchans (ngircd allows 10).
    int maxChannelsPerClient = 20;
    // Benchmarks and load tests: lifts flood control, the client caps and the channel cap, not
    // the line, buffer and send-queue limits or the timeouts.
    bool noLimits = false;

    // The largest values a user may set: far beyond any sane use, small enough that seconds in
    // milliseconds and counts still fit an int. 0 turns a limit off.
    static constexpr Range Counts {0, 1'000'000}; // clients, channels, lines, lines per second
    static constexpr Range Seconds {0, 24 * 3600}; // the timeouts, in seconds
    // Below 8 KiB (but above 0) a client could not even receive a channel's NAMES reply.
    static constexpr qint64 MinSendQueueBytes = 8 * 1024;
    static constexpr Range SendQueueBytes {0, 1024 * 1024 * 1024};

    // The limits as the server applies them: with noLimits folded in.
    ServerLimits effective() const;
    // How often a worker checks its clients' timers: often enough for the shortest timeout.
    int sweepIntervalMs() const;
    // Each limit on its own: empty when every one is in its range, else the first problem.
    QString valueError() const;
    // The rules that tie two limits together: pings need a timeout, flood control a burst.
    QString combinationError() const;
};

// A server operator's credentials: OPER name password succeeds when the password matches the
// Argon2id hash (PasswordHash). The password itself is never configured.
struct OperatorCredential
{
    QByteArray name;
    QByteArray passwordHash;

    friend bool operator==(const OperatorCredential &, const OperatorCredential &) = default;
};

// Chat history: where the server keeps it and how much (docs/protocol.md, "Chat history").
struct HistoryConfig
{
    Q_DECLARE_TR_FUNCTIONS(Server::HistoryConfig)

public:
    // Off (--no-storage): nothing is stored, draft/chathistory is not offered.
    bool enabled = true;
    QString dataDir; // empty: the platform's application data folder
    // A PostgreSQL URL (postgresql://...) or an SQLite file; empty: history.sqlite in dataDir.
    QString database;
    int maxAgeDays = 0; // 0: kept whatever its age
    int maxLinesPerChannel = 0; // 0: no cap
    // Lines a client that does not speak draft/chathistory gets when it joins a channel.
    int replayOnJoin = 0;
    // Lines waiting for the storage thread; past it a line is counted as not stored. Not a
    // setting: the tests lower it to provoke a full queue.
    int maxPendingWrites = 20'000;

    // About 270 years: any age the store can keep.
    static constexpr Range Days {0, 100'000};
    static constexpr Range LinesPerChannel {0, 1'000'000'000};
    // draft/chathistory's CHATHISTORY=100: a join never replays more than one query may ask.
    static constexpr Range ReplayLines {0, 100};
    static constexpr char DefaultDatabaseFile[] = "history.sqlite";

    // The folder, with the default filled in.
    QString effectiveDataDir() const;
    // The database as Storage::DatabaseLocation::parse reads it, with the default filled in.
    QString effectiveDatabase() const;
    QString valueError() const;
};

// Several servers as one IRC network, through a Redis they share (docs/cluster.md).
struct ClusterConfig
{
    Q_DECLARE_TR_FUNCTIONS(Server::ClusterConfig)

public:
    // redis://[[USER]:PASSWORD@]HOST:PORT[/DB] (Cluster::RedisUrl); empty: a standalone server.
    // It may hold a password: logged only as Cluster::RedisUrl::toString() or redacted().
    QString redisUrl;
    // How the other nodes and the users' QUIT reasons name this server; empty: the host name
    // and the port.
    QString nodeName;
    // A node that stops refreshing its liveness key is taken for dead this long after, plus a
    // sweep (a fifth of it). Not a setting: the tests shorten it.
    int nodeTtlMs = 10'000;

    // A word of Redis keys and of the frames between nodes: no spaces.
    static constexpr qsizetype MaxNodeNameLength = 63;
    // Where `qtchat --headless` finds the URL when --cluster is not given, and where
    // ProcessSupervisor gives it to its children: a password in it stays out of the process
    // list.
    static constexpr char UrlVariable[] = "QTCHAT_CLUSTER_URL";

    bool enabled() const { return !redisUrl.isEmpty(); }
    QString effectiveNodeName(quint16 port) const;
    QString valueError() const;
};

// Everything a server needs to start, as a plain value: the app builds it from its settings,
// tests and the headless mode build it directly.
struct ServerConfig
{
    Q_DECLARE_TR_FUNCTIONS(Server::ServerConfig)

public:
    QHostAddress bindAddress = QHostAddress::LocalHost;
    quint16 port = 6667; // 0 picks a free port
    ThreadingModel threading = ThreadingModel::Pool;
    int workers = 0; // pool size; 0 means QThread::idealThreadCount()
    QByteArray serverName = "qtchat.local";
    QByteArray password; // empty: no PASS needed
    QStringList motd; // empty: 422
    QList<OperatorCredential> operators; // empty: OPER gets 491
    // Nicks given up (quits, nick changes) that WHOWAS remembers; the oldest go first.
    int whowasEntries = 100;
    WireProtocol protocol = WireProtocol::Irc;
    ServerLimits limits;
    HistoryConfig history;
    ClusterConfig cluster;
    // PEM files; both empty: plain TCP. Both set: every client must speak TLS.
    QString tlsCertificatePath;
    QString tlsKeyPath;
    // The Argon2id cost of the passwords REGISTER hashes for new accounts. Not a setting: the
    // tests lower it so that a suite may register accounts by the dozen.
    PasswordHash::Cost accountHashCost = PasswordHash::Cost::Interactive;
    // Listen with SO_REUSEPORT, so that the other processes of `qtchat --headless --processes
    // N` (run by the same user) serve the same port. Not a setting: the supervisor asks its
    // children for it (the hidden --share-port).
    bool sharePort = false;
    // How many server processes `qtchat --headless` runs under a supervisor
    // (ProcessSupervisor), each a server of its own on the shared port; 0: no supervisor, this
    // process serves. ChatServer itself ignores it.
    int processes = 0;

    // 0: the system picks a free port (the server reports which).
    static constexpr Range Ports {0, 65535};
    // 0: one per core.
    static constexpr Range Workers {0, 256};
    // An entry holds at most a few hundred bytes (nick, user, host, real name).
    static constexpr Range WhowasEntries {0, 100'000};
    // Far more than the cores of any machine it is meant for; each is a whole server.
    static constexpr Range Processes {0, 64};
    static constexpr qsizetype MaxOperatorNameLength = 30;

    // `NAME:HASH` words separated by spaces, the form of the setting and of --oper.
    static QList<OperatorCredential> operatorsFromText(QStringView text);
    static QString operatorsToText(const QList<OperatorCredential> &operators);

    int effectiveWorkerCount() const;
    // Each value on its own (the limits' too): empty when every one is acceptable.
    QString valueError() const;
    // The rules that tie two values together: TLS needs both files, and the limits' pairs.
    QString combinationError() const;
    // Empty when the config can be used; otherwise why not, for the user.
    QString validate() const;
};

} // namespace Server

Q_DECLARE_METATYPE(Server::ThreadingModel)
