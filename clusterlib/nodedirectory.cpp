#include "clusterlib/nodedirectory.h"

#include "clusterlib/clusterlogging.h"
#include "clusterlib/redislink.h"

#include <QRandomGenerator>
#include <QTimer>

namespace Cluster {

namespace {

// A node that joins again (Redis lost its data, or the node was taken for dead) opens the
// re-entry window: until each node has joined again and re-entered its channels, nobody can
// tell from Redis who has members where. KEYS: the nodes hash, the node's liveness key, the
// events channel, the re-entry window's key. ARGV: id, name, ttl, "1" when joining again.
constexpr char JoinScript[] = R"(
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
if ARGV[4] == '1' then redis.call('SET', KEYS[4], ARGV[1], 'PX', ARGV[3]) end
redis.call('PUBLISH', KEYS[3], 'joined ' .. ARGV[1] .. ' ' .. ARGV[2])
return 1)";

// Only while the node is still in the hash: a swept node must notice, not come back silently.
// KEYS: the nodes hash, the liveness key. ARGV: id, name, ttl.
constexpr char RefreshScript[] = R"(
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
return 1)";

// Removes a node whose liveness key is gone (or any node, forced: one leaving), frees its
// names (and what it told of them), takes it off its channels and announces it; 0 when the node
// is alive or someone else removed it first. KEYS: the nodes hash, the liveness key, the node's
// names, the events channel, the node's channels. ARGV: id, the name-key prefix, "1" to force,
// the reason, the channel-key prefix, the facts-key prefix.
constexpr char SweepScript[] = R"(
if ARGV[3] ~= '1' and redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
if redis.call('HDEL', KEYS[1], ARGV[1]) == 0 then return 0 end
for _, name in ipairs(redis.call('SMEMBERS', KEYS[3])) do
  local key = ARGV[2] .. name
  if redis.call('GET', key) == ARGV[1] then redis.call('DEL', key, ARGV[6] .. name) end
end
for _, channel in ipairs(redis.call('SMEMBERS', KEYS[5])) do
  redis.call('SREM', ARGV[5] .. channel, ARGV[1])
end
redis.call('DEL', KEYS[3], KEYS[2], KEYS[5])
redis.call('PUBLISH', KEYS[4], 'left ' .. ARGV[1] .. ' ' .. ARGV[4])
return 1)";

// KEYS: the name's key, the node's names. ARGV: id, name. 1: held by this node.
constexpr char ClaimScript[] = R"(
if redis.call('SET', KEYS[1], ARGV[1], 'NX') then
  redis.call('SADD', KEYS[2], ARGV[2])
  return 1
end
if redis.call('GET', KEYS[1]) == ARGV[1] then return 1 end
return 0)";

// The other nodes there, or -1 when Redis cannot tell: the node is not in the cluster (Redis
// lost its data, or took the node for dead: it joins again, then enters its channels again),
// or the re-entry window is open (another node did so and may not have re-entered yet).
// KEYS: the channel's nodes, the node's channels, the nodes hash, the re-entry window's key.
// ARGV: id, channel.
constexpr char EnterChannelScript[] = R"(
if redis.call('HEXISTS', KEYS[3], ARGV[1]) == 0 then return -1 end
redis.call('SADD', KEYS[1], ARGV[1])
redis.call('SADD', KEYS[2], ARGV[2])
if redis.call('EXISTS', KEYS[4]) == 1 then return -1 end
return redis.call('SCARD', KEYS[1]) - 1)";

constexpr char LeaveChannelScript[] = R"(
redis.call('SREM', KEYS[1], ARGV[1])
redis.call('SREM', KEYS[2], ARGV[2])
return 1)";

// KEYS: the name's key, the node's names, the name's facts. ARGV: id, name.
constexpr char ReleaseScript[] = R"(
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1], KEYS[3]) end
redis.call('SREM', KEYS[2], ARGV[2])
return 1)";

// Only while the node holds the name: never over the facts of another node's user.
// KEYS: the name's key, its facts. ARGV: id, then field and value pairs.
constexpr char DescribeScript[] = R"(
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[2])
redis.call('HSET', KEYS[2], 'node', ARGV[1], unpack(ARGV, 2))
return 1)";

// KEYS: the name's key, its facts. {holder, {field, value, ...}}, or nil when nobody holds it.
constexpr char LookUpScript[] = R"(
local holder = redis.call('GET', KEYS[1])
if not holder then return false end
return {holder, redis.call('HGETALL', KEYS[2])})";

QByteArray newIncarnation()
{
    return QByteArray::number(QRandomGenerator::system()->generate64(), 16);
}

// "word rest of the line" -> {word, rest}.
std::pair<QByteArray, QByteArray> splitWord(const QByteArray &text)
{
    const qsizetype space = text.indexOf(' ');
    if (space < 0)
        return {text, {}};
    return {text.left(space), text.mid(space + 1)};
}

} // namespace

NodeDirectory::NodeDirectory(RedisLink &link, const QByteArray &name, const QByteArray &prefix,
                             const DirectoryTiming &timing, QObject *parent)
    : QObject(parent),
      m_link(link),
      m_name(name),
      m_prefix(prefix),
      m_timing(timing),
      m_id(name + ':' + newIncarnation()),
      m_refreshTimer(new QTimer(this)),
      m_sweepTimer(new QTimer(this))
{
    connect(&m_link, &RedisLink::replied, this, &NodeDirectory::replied);
    connect(&m_link, &RedisLink::messages, this, &NodeDirectory::eventsReceived);
    connect(m_refreshTimer, &QTimer::timeout, this, &NodeDirectory::refresh);
    connect(m_sweepTimer, &QTimer::timeout, this, &NodeDirectory::sweep);
}

NodeDirectory::~NodeDirectory()
{
    stop();
}

void NodeDirectory::start()
{
    if (m_running)
        return;
    m_running = true;
    m_link.subscribe(m_prefix + "events");
    join(false);
    m_refreshTimer->start(m_timing.refreshMs);
    m_sweepTimer->start(m_timing.sweepMs);
}

void NodeDirectory::stop()
{
    if (!m_running)
        return;
    m_running = false;
    m_refreshTimer->stop();
    m_sweepTimer->stop();
    sweepNode(m_id, "left the network", true);
}

void NodeDirectory::send(const QList<QByteArray> &argv, Handler handler)
{
    const quint64 id = m_link.command(argv);
    if (id == 0) {
        if (handler)
            handler(RedisReply::failed("the Redis link refused the command"));
        return;
    }
    if (handler)
        m_pending.insert(id, std::move(handler));
}

void NodeDirectory::replied(quint64 id, const RedisReply &reply)
{
    if (Handler handler = m_pending.take(id))
        handler(reply);
}

void NodeDirectory::join(bool again)
{
    send({"EVAL", JoinScript, "4", m_prefix + "nodes", nodeKey(m_id), m_prefix + "events",
          reentryKey(), m_id, m_name, QByteArray::number(m_timing.ttlMs), again ? "1" : "0"},
         [this](const RedisReply &reply) {
             if (!reply.isOk()) {
                 qCWarning(lcCluster).noquote()
                     << "node" << m_id << "could not join the cluster:" << reply.text;
                 return; // the next refresh finds the node missing and joins again
             }
             readNodes();
         });
}

void NodeDirectory::readNodes()
{
    send({"HGETALL", m_prefix + "nodes"}, [this](const RedisReply &reply) {
        if (reply.type != RedisReply::Type::Array)
            return;
        reconcile(reply, false);
        qCInfo(lcCluster).noquote()
            << "node" << m_id << "joined the cluster with" << m_nodes.size() << "other node(s)";
        Q_EMIT joined();
    });
}

// The hash is the truth; events only bring it sooner. What an event missed (it came before
// the subscription, or while it was lost) is caught up here.
void NodeDirectory::reconcile(const RedisReply &hash, bool announce)
{
    QHash<QByteArray, QByteArray> current;
    for (qsizetype i = 0; i + 1 < hash.elements.size(); i += 2) {
        if (hash.elements.at(i).text != m_id)
            current.insert(hash.elements.at(i).text, hash.elements.at(i + 1).text);
    }
    const QHash<QByteArray, QByteArray> previous = std::exchange(m_nodes, current);
    if (!announce)
        return;
    for (auto it = previous.cbegin(); it != previous.cend(); ++it) {
        if (!current.contains(it.key()))
            Q_EMIT nodeLeft(it.key(), it.value(), QStringLiteral("left the network"));
    }
    for (auto it = current.cbegin(); it != current.cend(); ++it) {
        if (!previous.contains(it.key()))
            Q_EMIT nodeJoined(it.key(), it.value());
    }
}

void NodeDirectory::refresh()
{
    send({"EVAL", RefreshScript, "2", m_prefix + "nodes", nodeKey(m_id), m_id, m_name,
          QByteArray::number(m_timing.ttlMs)},
         [this](const RedisReply &reply) {
             if (!m_running || reply.type != RedisReply::Type::Integer || reply.integer != 0)
                 return;
             qCWarning(lcCluster).noquote()
                 << "node" << m_id
                 << "was taken for dead by the cluster (it could not refresh in time); its "
                    "names are gone: joining again";
             Q_EMIT evicted();
             join(true);
         });
}

void NodeDirectory::sweep()
{
    send({"HGETALL", m_prefix + "nodes"}, [this](const RedisReply &reply) {
        if (reply.type != RedisReply::Type::Array || !m_running)
            return;
        reconcile(reply, true);
        for (auto it = m_nodes.cbegin(); it != m_nodes.cend(); ++it)
            sweepNode(it.key(), "stopped answering", false);
    });
}

void NodeDirectory::sweepNode(const QByteArray &id, const QByteArray &reason, bool force)
{
    send({"EVAL", SweepScript, "5", m_prefix + "nodes", nodeKey(id), namesKey(id),
          m_prefix + "events", channelsKey(id), id, m_prefix + "name:", force ? "1" : "0", reason,
          m_prefix + "channel:", m_prefix + "user:"});
}

// Every message of the link comes here, chat lines too: most are skipped by their channel.
void NodeDirectory::eventsReceived(const PubSubMessages &batch)
{
    const QByteArray events = m_prefix + "events";
    for (const PubSubMessage &message : batch) {
        if (message.channel == events)
            eventReceived(message.payload);
    }
}

void NodeDirectory::eventReceived(const QByteArray &payload)
{
    const auto [kind, rest] = splitWord(payload);
    const auto [id, detail] = splitWord(rest);
    if (id == m_id || id.isEmpty())
        return;
    if (kind == "joined" && !m_nodes.contains(id)) {
        m_nodes.insert(id, detail);
        Q_EMIT nodeJoined(id, detail);
    } else if (kind == "left" && m_nodes.contains(id)) {
        const QByteArray name = m_nodes.take(id);
        Q_EMIT nodeLeft(id, name, QString::fromUtf8(detail));
    }
}

void NodeDirectory::claimName(const QByteArray &name, std::function<void(bool held)> done)
{
    send({"EVAL", ClaimScript, "2", nameKey(name), namesKey(m_id), m_id, name},
         [done = std::move(done)](const RedisReply &reply) {
             done(reply.type == RedisReply::Type::Integer && reply.integer == 1);
         });
}

void NodeDirectory::releaseName(const QByteArray &name, std::function<void()> done)
{
    Handler handler;
    if (done)
        handler = [done = std::move(done)](const RedisReply &) {
            done();
        };
    send({"EVAL", ReleaseScript, "3", nameKey(name), namesKey(m_id), factsKey(name), m_id, name},
         std::move(handler));
}

void NodeDirectory::describeName(const QByteArray &name, const QList<QByteArray> &fieldsAndValues)
{
    send(QList<QByteArray> {"EVAL", DescribeScript, "2", nameKey(name), factsKey(name), m_id}
         + fieldsAndValues);
}

void NodeDirectory::lookUpName(const QByteArray &name,
                               std::function<void(std::optional<NameHolder> holder)> done)
{
    send({"EVAL", LookUpScript, "2", nameKey(name), factsKey(name)},
         [done = std::move(done)](const RedisReply &reply) {
             if (reply.type != RedisReply::Type::Array || reply.elements.size() != 2
                 || reply.elements.at(1).type != RedisReply::Type::Array) {
                 done(std::nullopt);
                 return;
             }
             NameHolder holder {reply.elements.at(0).text, {}};
             const QList<RedisReply> &pairs = reply.elements.at(1).elements;
             for (qsizetype i = 0; i + 1 < pairs.size(); i += 2)
                 holder.facts.insert(pairs.at(i).text, pairs.at(i + 1).text);
             // Told by another holder than the one now: nothing is known of this one yet.
             if (holder.facts.value("node") != holder.node)
                 holder.facts.clear();
             done(holder);
         });
}

void NodeDirectory::enterChannel(const QByteArray &channel,
                                 std::function<void(std::optional<int> others)> done)
{
    Handler handler;
    if (done)
        handler = [done = std::move(done)](const RedisReply &reply) {
            if (reply.type == RedisReply::Type::Integer && reply.integer >= 0)
                done(int(reply.integer));
            else
                done(std::nullopt);
        };
    send({"EVAL", EnterChannelScript, "4", channelKey(channel), channelsKey(m_id),
          m_prefix + "nodes", reentryKey(), m_id, channel},
         std::move(handler));
}

void NodeDirectory::leaveChannel(const QByteArray &channel)
{
    send({"EVAL", LeaveChannelScript, "2", channelKey(channel), channelsKey(m_id), m_id, channel});
}

} // namespace Cluster
