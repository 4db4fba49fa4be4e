#include "serverlib/clusternode.h"

#include "clusterlib/channelbus.h"
#include "clusterlib/nodedirectory.h"
#include "clusterlib/redislink.h"
#include "clusterlib/redisreply.h"
#include "clusterlib/redisurl.h"
#include "protocol/ircmessage.h"
#include "protocol/messagetags.h"
#include "protocol/modes.h"
#include "protocol/names.h"
#include "serverlib/ircsession.h"
#include "serverlib/servercontext.h"
#include "serverlib/serverlogging.h"
#include "serverlib/worker.h"

#include <QDateTime>
#include <QRandomGenerator>

#include <array>

using namespace Irc;

namespace Server {

namespace {

// How long a leaving node waits for Redis to confirm that it left before it stops the link
// anyway (the others then notice within the liveness bound).
constexpr int LeaveBoundMs = 1000;

// Fallback nicks tried for a user whose nick another server's user got meanwhile.
constexpr int MaxFallbackAttempts = 5;
constexpr int FallbackDigits = 5;

// `nick` with random digits, within the nick length.
QByteArray fallbackNick(const QByteArray &nick)
{
    const quint32 number = QRandomGenerator::global()->bounded(10'000u, 100'000u);
    return nick.left(MaxNickLength - FallbackDigits) + QByteArray::number(number);
}

// Lines of one channel carried by one message on the bus, at most: a bound on its size.
constexpr qsizetype MaxLinesPerMessage = 256;

// Why a member who left while this server could not hear it is seen leaving late, when its
// node no longer knows how it left.
constexpr char SplitReason[] = "Left while the network was split";

// How many of its users' departures a server keeps for the others' resynchronisations, and for
// how long: a split that lasts longer ends with the split's reason.
constexpr qsizetype MaxDepartures = 4096;
constexpr qint64 DepartureAgeMs = 5 * 60 * 1000;

// Lines whose first parameter names the channel they happen in.
bool isChannelCommand(const QByteArray &command)
{
    static const QSet<QByteArray> commands {"JOIN",   "PART",  "PRIVMSG", "NOTICE",
                                            "TAGMSG", "TOPIC", "KICK",    "MODE"};
    return commands.contains(command);
}

QByteArray withoutLineEnd(const QByteArray &line)
{
    return line.endsWith("\r\n") ? line.chopped(2) : line;
}

QByteArray userOf(const QByteArray &source)
{
    const qsizetype bang = source.indexOf('!'), at = source.indexOf('@');
    return bang < 0 || at < bang ? QByteArray("user") : source.mid(bang + 1, at - bang - 1);
}

// A JOIN's `extra` between servers: `<account|*> <real name>`, as extended-join shows them.
QByteArray joinExtra(const QByteArray &account, const QByteArray &realname)
{
    return (account.isEmpty() ? QByteArray("*") : account) + ' ' + realname;
}

// The INVITE that invite-notify shows a channel's operators: it goes to the channel, on every
// server, where the INVITE itself goes to the invited user's server.
bool isInviteNotification(const Delivery &delivery, const IrcMessage &message)
{
    return message.command == "INVITE" && delivery.required.testFlag(Capability::InviteNotify)
        && isChannelTarget(message.param(1));
}

QByteArray hostOf(const QByteArray &source)
{
    const qsizetype at = source.indexOf('@');
    return at < 0 ? QByteArray("unknown") : source.mid(at + 1);
}

} // namespace

// Between servers, a payload is `<kind> <required capabilities>[ <time> <message tags|*>
// <account|*>]\n<line>\r\n<extra>`: the line exactly as local recipients got it, its tags as the
// origin made them (so that every server gives the same msgid and time), `extra` the sender's
// account (`*`: none) and real name on a JOIN.
struct ClusterNode::Frame
{
    // line: relayed; private: a private line its sender's server did not store (it knew
    // nothing of the recipient); sync: who is here?; member: an answer to sync, one per
    // member; synced: the end of one node's answer (`<count> <asked nicks it has no user for>`).
    QByteArray kind;
    Irc::Capabilities required;
    QByteArray line; // with its CR LF
    QByteArray extra;
    QByteArray time, messageTags, account; // the origin's tags; no time: none came
    Irc::Capabilities excluded = {}; // not carried: for this server's recipients only

    static QByteArray make(const QByteArray &kind, Irc::Capabilities required,
                           const QByteArray &line, const QByteArray &extra = {},
                           const LineTags *tags = nullptr)
    {
        QByteArray header = kind + ' ' + QByteArray::number(required.toInt());
        if (tags) {
            header
                += ' ' + tags->time + ' ' + orStar(tags->messageTags) + ' ' + orStar(tags->account);
        }
        return header + '\n' + line + extra;
    }
    // A line this server makes for its own users (a QUIT after a split).
    static Frame local(const QByteArray &line)
    {
        Frame frame;
        frame.kind = "line";
        frame.line = line;
        return frame;
    }
    static std::optional<Frame> parse(const QByteArray &payload)
    {
        const qsizetype newline = payload.indexOf('\n');
        if (newline < 0)
            return std::nullopt;
        // The header's fields, read in place: this runs for every line from another server.
        std::array<QByteArrayView, 5> header;
        qsizetype fields = 0;
        for (qsizetype from = 0; from <= newline; ++fields) {
            const qsizetype space = payload.indexOf(' ', from);
            const qsizetype end = space < 0 || space > newline ? newline : space;
            if (fields == qsizetype(header.size()))
                return std::nullopt;
            header[size_t(fields)] = QByteArrayView(payload).sliced(from, end - from);
            from = end + 1;
        }
        if (fields != 2 && fields != 5)
            return std::nullopt;
        Frame frame;
        frame.kind = header[0].toByteArray();
        frame.required = Irc::Capabilities::fromInt(header[1].toInt());
        if (fields == 5) {
            frame.time = header[2].toByteArray();
            frame.messageTags = fromStar(header[3]);
            frame.account = fromStar(header[4]);
        }
        const qsizetype end = payload.indexOf("\r\n", newline + 1);
        if (end < 0) {
            frame.line = payload.mid(newline + 1);
            return frame;
        }
        frame.line = payload.mid(newline + 1, end + 2 - newline - 1);
        frame.extra = payload.mid(end + 2);
        return frame;
    }
    // The origin's tags for this server's recipients; null when it sent none.
    std::shared_ptr<const LineTags> tags() const
    {
        return time.isEmpty() ? nullptr : LineTags::make(time, messageTags, account);
    }

private:
    static QByteArray orStar(const QByteArray &text) { return text.isEmpty() ? "*" : text; }
    static QByteArray fromStar(QByteArrayView text)
    {
        return text == "*" ? QByteArray() : text.toByteArray();
    }
};

void ClusterFront::include(Audience &audience) const
{
    for (const MemberGroup &group : audience) {
        if (group.mailbox == m_bridge)
            return;
    }
    audience.append({m_bridge, {}});
}

bool ClusterFront::post(std::function<void(ClusterNode &node)> call)
{
    std::lock_guard lock(m_mutex);
    ClusterNode *node = m_node;
    if (!node)
        return false;
    QMetaObject::invokeMethod(
        node, [node, call = std::move(call)] { call(*node); }, Qt::QueuedConnection);
    return true;
}

void ClusterFront::claimNick(const QByteArray &nick, const MemberGroup &client, ClaimDone done)
{
    if (!post([=](ClusterNode &node) { node.claimNick(nick, client, done); }))
        Worker::callSessions(client,
                             [done](Session &session) { done(session, NickClaim::Unreachable); });
}

void ClusterFront::releaseNick(const QByteArray &nick)
{
    post([nick](ClusterNode &node) { node.releaseNick(nick); });
}

void ClusterFront::sendToNick(const QByteArray &nick, const OutgoingLine &line,
                              const MemberGroup &sender,
                              std::function<void(Session &session)> notFound)
{
    const ClusterNode::Lookup lookup {nick, line, sender, notFound};
    if (!post([lookup](ClusterNode &node) { node.sendToNick(lookup); }) && notFound)
        Worker::callSessions(sender, std::move(notFound));
}

void ClusterFront::enterChannel(const QByteArray &channel, const MemberGroup &client,
                                EntryDone done)
{
    if (!post([=](ClusterNode &node) { node.enterChannel(channel, client, done); }))
        Worker::callSessions(
            client, [done](Session &session) { done(session, ChannelEntry::Unreachable); });
}

void ClusterFront::recheckChannel(const QByteArray &channel)
{
    post([channel](ClusterNode &node) { node.updateSubscription(channel, true); });
}

void ClusterFront::describeUser(const QByteArray &nick)
{
    post([nick](ClusterNode &node) { node.describeUser(nick); });
}

void ClusterFront::lookUpUser(const QByteArray &nick, const MemberGroup &client, LookUpDone done)
{
    if (!post([=](ClusterNode &node) { node.lookUpUser(nick, client, done); }))
        Worker::callSessions(client, [done](Session &session) { done(session, std::nullopt); });
}

bool ClusterFront::sendToUser(const RemoteUserInfo &user, const OutgoingLine &line)
{
    return post([user, line](ClusterNode &node) {
        node.m_bus->sendToNode(
            user.nodeId,
            ClusterNode::Frame::make("line", line.required, line.line, {}, line.tags.get()));
    });
}

bool ClusterFront::killUser(const RemoteUserInfo &user, const QByteArray &reason)
{
    return post([user, reason](ClusterNode &node) {
        node.m_bus->sendToNode(
            user.nodeId,
            ClusterNode::Frame::make("kill", {}, makeLine({}, "KILL", {user.nick, reason})));
    });
}

void ClusterFront::collisionSettled(const QByteArray &lostNick, const QList<QByteArray> &channels)
{
    post([=](ClusterNode &node) { node.collisionSettled(lostNick, channels); });
}

void ClusterFront::attach(ClusterNode *node)
{
    std::lock_guard lock(m_mutex);
    m_node = node;
}

void ClusterFront::detach()
{
    std::lock_guard lock(m_mutex);
    m_node = nullptr;
}

ClusterNode::ClusterNode(std::shared_ptr<ServerContext> context, const QByteArray &nodeName,
                         QObject *parent)
    : QObject(parent),
      m_context(std::move(context)),
      m_nodeName(nodeName),
      m_bridge(std::make_shared<Mailbox>([this] {
          QMetaObject::invokeMethod(this, &ClusterNode::drainBridge, Qt::QueuedConnection);
      })),
      m_front(std::make_shared<ClusterFront>(m_bridge)),
      m_departures(MaxDepartures, DepartureAgeMs),
      m_stopDeadline(this)
{
    m_clock.start();
    QString problem;
    Cluster::LinkConfig linkConfig;
    linkConfig.url = *Cluster::RedisUrl::parse(m_context->config.cluster.redisUrl, &problem);
    m_link = std::make_unique<Cluster::RedisLink>(linkConfig);
    const int ttlMs = m_context->config.cluster.nodeTtlMs;
    const Cluster::DirectoryTiming timing {ttlMs, ttlMs * 3 / 10, ttlMs / 5};
    m_directory = new Cluster::NodeDirectory(*m_link, nodeName, "qtchat:", timing, this);
    m_bus = new Cluster::ChannelBus(*m_link, m_directory->id(), "qtchat:", this);
    connect(m_bus, &Cluster::ChannelBus::received, this, &ClusterNode::channelReceived);
    connect(m_bus, &Cluster::ChannelBus::directReceived, this, &ClusterNode::directReceived);
    connect(m_bus, &Cluster::ChannelBus::broadcastReceived, this,
            [this](const QByteArray &, const QByteArray &payload) { broadcastReceived(payload); });
    connect(m_bus, &Cluster::ChannelBus::subscribed, this, &ClusterNode::requestSync);
    connect(m_bus, &Cluster::ChannelBus::gap, this,
            [this](const QByteArray &channel, const QByteArray &origin) {
                qCWarning(lcServer).noquote()
                    << "cluster: lines of" << origin << "in"
                    << (channel.isEmpty() ? "private" : channel) << "were lost; resynchronising";
                if (!channel.isEmpty())
                    requestSync(channel);
            });
    connect(m_directory, &Cluster::NodeDirectory::nodeLeft, this,
            [this](const QByteArray &id, const QByteArray &name) { nodeLeft(id, name); });
    connect(m_directory, &Cluster::NodeDirectory::evicted, this, &ClusterNode::claimAgain);
    connect(m_link.get(), &Cluster::RedisLink::stateChanged, this,
            [this](Cluster::RedisLink::State state, const QString &reason) {
                linkStateChanged(state == Cluster::RedisLink::State::Connected, reason);
            });
    connect(m_link.get(), &Cluster::RedisLink::replied, this, &ClusterNode::nickLookedUp);
    connect(m_link.get(), &Cluster::RedisLink::subscriptionsLost, this, [](const QString &why) {
        qCWarning(lcServer).noquote()
            << QStringLiteral("cluster: lines from the other servers were lost (%1); each "
                              "channel is resynchronised once subscribed again")
                   .arg(why);
    });
    m_stopDeadline.setSingleShot(true);
    m_stopDeadline.setInterval(LeaveBoundMs);
    connect(&m_stopDeadline, &QTimer::timeout, this, &ClusterNode::finishStop);
    m_front->attach(this);
}

ClusterNode::~ClusterNode()
{
    m_front->detach();
    m_bridge->close();
    // Before the link they use (a member, destroyed after this body).
    delete m_bus;
    delete m_directory;
}

void ClusterNode::start()
{
    qCInfo(lcServer).noquote() << "cluster: joining as" << m_directory->id() << "through"
                               << m_link->config().url.toString();
    m_link->start();
    m_directory->start();
}

void ClusterNode::stop()
{
    if (m_stopping)
        return;
    m_stopping = true;
    m_front->detach();
    drainBridge(); // the workers have ended: the last lines they handed over
    m_directory->stop();
    // Answered after the leave, on the same connection: then the others have been told.
    const quint64 id = m_link->command({"PING"}, [this](const Cluster::RedisReply &) {
        QMetaObject::invokeMethod(this, &ClusterNode::finishStop, Qt::QueuedConnection);
    });
    if (id == 0)
        finishStop();
    else
        m_stopDeadline.start();
}

// Called once Redis confirmed the leave (or did not within the bound), then again if the link
// has not said it stopped within the bound: stopped() comes either way.
void ClusterNode::finishStop()
{
    if (m_linkStopping) {
        emitStopped();
        return;
    }
    m_linkStopping = true;
    connect(m_link.get(), &Cluster::RedisLink::stopped, this, &ClusterNode::emitStopped);
    m_link->stop();
    m_stopDeadline.start();
}

void ClusterNode::emitStopped()
{
    if (m_stopped)
        return;
    m_stopped = true;
    m_stopDeadline.stop();
    Q_EMIT stopped();
}

void ClusterNode::linkStateChanged(bool up, const QString &reason)
{
    // A first attempt that fails is said too: a node that never links says why.
    const bool first = !std::exchange(m_linkStateSaid, true);
    if (up == m_front->isLinked() && !first)
        return;
    m_front->setLinked(up);
    if (up)
        qCInfo(lcServer).noquote() << "cluster: linked to Redis again";
    else
        qCWarning(lcServer).noquote()
            << QStringLiteral("cluster: the link to Redis is lost (%1); serving this server's "
                              "users only, new nicks are refused until it is back")
                   .arg(reason);
    Q_EMIT linkChanged(up, reason);
}

void ClusterNode::claimNick(const QByteArray &nick, const MemberGroup &client,
                            ClusterFront::ClaimDone done)
{
    m_directory->claimName(foldCase(nick), [this, client, done](bool held) {
        const bool linked = m_link->state() == Cluster::RedisLink::State::Connected;
        const NickClaim result
            = held ? NickClaim::Held : (linked ? NickClaim::Taken : NickClaim::Unreachable);
        Worker::callSessions(client, [done, result](Session &session) { done(session, result); });
    });
}

void ClusterNode::enterChannel(const QByteArray &channel, const MemberGroup &client,
                               ClusterFront::EntryDone done)
{
    m_directory->enterChannel(channel, [client, done](std::optional<int> others) {
        const ChannelEntry entry = !others
            ? ChannelEntry::Unreachable
            : (*others == 0 ? ChannelEntry::Founder : ChannelEntry::Member);
        Worker::callSessions(client, [done, entry](Session &session) { done(session, entry); });
    });
}

void ClusterNode::sendToNick(Lookup lookup)
{
    const quint64 id = m_link->command({"GET", "qtchat:name:" + foldCase(lookup.nick)});
    if (id == 0) {
        nickLookedUp(0, Cluster::RedisReply::failed("refused"));
        return;
    }
    m_lookups.insert(id, std::move(lookup));
}

void ClusterNode::nickLookedUp(quint64 id, const Cluster::RedisReply &reply)
{
    const auto it = m_lookups.find(id);
    if (it == m_lookups.end())
        return;
    const Lookup lookup = *it;
    m_lookups.erase(it);
    const bool elsewhere = reply.type == Cluster::RedisReply::Type::String
        && reply.text != m_directory->id()
        && m_bus->sendToNode(reply.text,
                             Frame::make("private", lookup.line.required, lookup.line.line, {},
                                         lookup.line.tags.get()));
    if (!elsewhere && lookup.notFound)
        Worker::callSessions(lookup.sender, lookup.notFound);
}

// What the other servers may read of a user of this one (docs/cluster.md): kept with its nick.
void ClusterNode::describeUser(const QByteArray &nick)
{
    const std::optional<MemberGroup> local = m_context->registry.findNick(nick);
    const std::optional<UserInfo> user = m_context->registry.userInfo(nick, 0);
    if (!local || local->mailbox == m_bridge || !user)
        return; // renamed or gone meanwhile: its next state is told, or its nick freed
    m_directory->describeName(foldCase(user->nick),
                              {"nick", user->nick, "user", user->user, "host", user->host,
                               "realname", user->realname, "account", user->account});
}

void ClusterNode::lookUpUser(const QByteArray &nick, const MemberGroup &client,
                             const ClusterFront::LookUpDone &done)
{
    m_directory->lookUpName(
        foldCase(nick),
        [this, client, done](std::optional<Cluster::NodeDirectory::NameHolder> holder) {
            std::optional<RemoteUserInfo> user;
            if (holder && holder->node != m_directory->id() && !holder->facts.isEmpty()) {
                const QHash<QByteArray, QByteArray> &facts = holder->facts;
                user = RemoteUserInfo {facts.value("nick"),     facts.value("user"),
                                       facts.value("host"),     facts.value("realname"),
                                       facts.value("account"),  holder->node,
                                       nodeNameOf(holder->node)};
            }
            Worker::callSessions(client, [done, user](Session &session) { done(session, user); });
        });
}

// A node id is its name, ':' and its incarnation.
QByteArray ClusterNode::nodeNameOf(const QByteArray &id) const
{
    const QByteArray name = m_directory->nodes().value(id);
    return name.isEmpty() ? id.left(id.lastIndexOf(':')) : name;
}

// `KILL <nick> :<reason>` from an operator of another server, for a user of this one.
void ClusterNode::killReceived(const IrcMessage &message)
{
    const std::optional<MemberGroup> victim = m_context->registry.findNick(message.param(0));
    if (!victim || victim->mailbox == m_bridge)
        return; // gone meanwhile
    qCInfo(lcServer).noquote() << "cluster:" << message.param(0)
                               << "is killed by an operator of another server";
    const QByteArray reason = message.param(1);
    Worker::callSessions(*victim, [reason](Session &session) {
        if (auto *client = qobject_cast<IrcSession *>(&session))
            client->killed(reason);
    });
}

// What reaches users on every server: WALLOPS, for those with +w here.
void ClusterNode::broadcastReceived(const QByteArray &payload)
{
    const std::optional<Frame> frame = Frame::parse(payload);
    if (!frame)
        return;
    const std::optional<IrcMessage> message = IrcMessage::parse(withoutLineEnd(frame->line));
    if (message && message->command == "WALLOPS")
        deliverLocally(m_context->registry.wallopsAudience(), *frame);
}

// Taken for dead (Redis restarted empty, or this server could not refresh in time): its users'
// nicks are claimed again, then its channel members announced again. A nick that another
// server's user got meanwhile stays with that user; the user here is renamed.
void ClusterNode::claimAgain()
{
    const QList<QByteArray> nicks = m_context->registry.nicksOutside(m_bridge.get());
    qCWarning(lcServer).noquote() << "cluster: this server joins the network again and claims"
                                  << nicks.size() << "nick(s) again";
    m_reclaiming += nicks.size();
    for (const QByteArray &nick : nicks)
        m_directory->claimName(foldCase(nick), [this, nick](bool held) { reclaimed(nick, held); });
    if (m_reclaiming == 0)
        announceMembers();
}

void ClusterNode::reclaimed(const QByteArray &nick, bool held)
{
    if (!held && m_link->state() == Cluster::RedisLink::State::Connected) {
        qCWarning(lcServer).noquote()
            << "cluster: the nick" << nick
            << "was given to a user of another server meanwhile; its user here is renamed";
        m_collided.insert(foldCase(nick));
        renameAfterCollision(nick, 0);
    } else if (held) {
        describeUser(nick); // what Redis kept of it went with it
    } else {
        qCWarning(lcServer).noquote()
            << "cluster: the nick" << nick << "could not be claimed again";
    }
    if (--m_reclaiming == 0)
        announceMembers();
}

void ClusterNode::renameAfterCollision(const QByteArray &nick, int attempt)
{
    const QByteArray fallback = fallbackNick(nick);
    const auto settle = [this, nick] {
        m_collided.remove(foldCase(nick));
    };
    if (attempt >= MaxFallbackAttempts) {
        qCWarning(lcServer).noquote() << "cluster: no fallback nick could be claimed for" << nick;
        settle();
        return;
    }
    if (m_context->registry.findNick(fallback)) { // a user here has it: held by this server
        renameAfterCollision(nick, attempt + 1);
        return;
    }
    m_directory->claimName(foldCase(fallback), [this, nick, fallback, attempt, settle](bool held) {
        if (!held) {
            renameAfterCollision(nick, attempt + 1);
            return;
        }
        const std::optional<MemberGroup> user = m_context->registry.findNick(nick);
        if (!user || user->mailbox == m_bridge || !m_front->isLinked()) {
            releaseNick(fallback);
            settle();
            return;
        }
        Worker::callSessions(*user, [nick, fallback](Session &session) {
            if (auto *client = qobject_cast<IrcSession *>(&session))
                client->takeFallbackNick(nick, fallback);
        });
    });
}

void ClusterNode::collisionSettled(const QByteArray &lostNick, const QList<QByteArray> &channels)
{
    m_collided.remove(foldCase(lostNick));
    // The user's new nick, and the other server's user of the old one, once unknown here.
    for (const QByteArray &channel : channels) {
        answerSync(foldCase(channel));
        requestSync(foldCase(channel));
    }
}

// This server's members of each of its channels, to the other servers, which may have dropped
// them (they took this server for gone).
void ClusterNode::announceMembers()
{
    for (const QByteArray &channel : std::as_const(m_subscribed)) {
        m_directory->enterChannel(channel);
        answerSync(channel);
    }
}

void ClusterNode::releaseNick(const QByteArray &nick)
{
    m_directory->releaseName(foldCase(nick));
}

void ClusterNode::drainBridge()
{
    for (const Delivery &delivery : m_bridge->takeAll()) {
        // A call (KILL) for a user of another server is not carried: its server is asked
        // (ClusterFront::killUser). The extended JOIN is made again by each server from the
        // plain one's account and real name.
        if (!delivery.call && !delivery.required.testFlag(Capability::ExtendedJoin))
            forward(delivery);
    }
    publishPending();
}

void ClusterNode::forward(const Delivery &delivery)
{
    const std::optional<IrcMessage> message = IrcMessage::parse(withoutLineEnd(delivery.line));
    if (!message)
        return;
    const QByteArray target = message->param(0);
    if (message->command == "WALLOPS" || isInviteNotification(delivery, *message)) {
        publishPending();
        const QByteArray payload
            = Frame::make("line", delivery.required, delivery.line, {}, delivery.tags.get());
        const bool sent = message->command == "WALLOPS"
            ? m_bus->broadcast(payload)
            : m_bus->publish(foldCase(message->param(1)), payload);
        if (!sent)
            qCWarning(lcServer).noquote() << "cluster: a" << message->command << "was not sent";
        return;
    }
    if (isChannelCommand(message->command) && isChannelTarget(target)) {
        const QByteArray channel = foldCase(target);
        publish(channel, "line", delivery, *message);
        if (message->command == "JOIN" || message->command == "PART"
            || message->command == "KICK") {
            recordDeparture(channel, *message, delivery.line);
            publishPending();
            updateSubscription(channel);
        }
        return;
    }
    publishPending(); // what came before this line leaves before it
    // Once per server that serves a recipient, not once per recipient.
    QSet<QByteArray> nodes;
    for (quint32 id : delivery.recipients) {
        if (const auto user = m_remoteUsers.constFind(id); user != m_remoteUsers.cend())
            nodes.insert(user->node);
    }
    const QByteArray payload
        = Frame::make("line", delivery.required, delivery.line, {}, delivery.tags.get());
    for (const QByteArray &node : std::as_const(nodes)) {
        if (!m_bus->sendToNode(node, payload))
            qCWarning(lcServer).noquote() << "cluster: a line for" << node << "was not sent";
    }
    if (message->command == "QUIT") {
        recordDeparture({}, *message, delivery.line);
        updateAllSubscriptions();
    }
}

// A user of this server left a channel (`channel`) or the network (none): kept for the others'
// resynchronisations (answerSync()); a JOIN makes its part there forgotten.
void ClusterNode::recordDeparture(const QByteArray &channel, const IrcMessage &message,
                                  const QByteArray &line)
{
    const QByteArray nick = foldCase(message.sourceNick());
    if (message.command == "PART")
        m_departures.parted(channel, nick, line, m_clock.elapsed());
    else if (message.command == "QUIT")
        m_departures.quit(nick, line, m_clock.elapsed());
    else if (message.command == "JOIN")
        m_departures.joined(channel, nick);
}

void ClusterNode::publish(const QByteArray &channel, const QByteArray &kind,
                          const Delivery &delivery, const IrcMessage &message)
{
    QByteArray extra;
    if (message.command == "JOIN") {
        if (const auto info = m_context->registry.userInfo(message.sourceNick(), 0))
            extra = joinExtra(info->account, info->realname);
    }
    if (channel != m_pendingChannel || m_pendingLines.size() >= MaxLinesPerMessage)
        publishPending();
    m_pendingChannel = channel;
    m_pendingLines.append(
        Frame::make(kind, delivery.required, delivery.line, extra, delivery.tags.get()));
}

// The lines of one channel that followed each other in the bridge leave in one message: one
// PUBLISH, and one message for each other server to read, instead of one per line.
void ClusterNode::publishPending()
{
    if (m_pendingLines.isEmpty())
        return;
    const qsizetype lines = m_pendingLines.size();
    if (!m_bus->publish(m_pendingChannel, std::exchange(m_pendingLines, {})))
        qCWarning(lcServer).noquote() << "cluster:" << lines << "line(s) in" << m_pendingChannel
                                      << "did not reach the other servers";
}

void ClusterNode::channelReceived(const QByteArray &channel, const QByteArray &origin,
                                  const QByteArray &payload)
{
    const std::optional<Frame> frame = Frame::parse(payload);
    if (!frame)
        return;
    if (frame->kind == "sync") {
        answerSync(channel);
        return;
    }
    if (frame->kind == "synced") {
        answerEnded(channel, origin, frame->line);
        return;
    }
    if (frame->kind == "departed") {
        noteDeparture(channel, origin, frame->line);
        return;
    }
    const std::optional<IrcMessage> message = IrcMessage::parse(withoutLineEnd(frame->line));
    if (message && message->command == "INVITE") { // invite-notify, for the channel's operators
        Audience operators;
        if (m_context->registry.channelOperators(channel, &operators) == Registry::Status::Ok)
            deliverLocally(operators, *frame);
        return;
    }
    if (!message || !isChannelCommand(message->command))
        return;
    if (message->command == "JOIN") {
        if (frame->kind == "member")
            countAnswer(channel, origin, message->sourceNick());
        remoteJoin(channel, origin, *frame, *message);
        return;
    }
    const quint32 sender = remoteUser(origin, message->sourceNick());
    seen(sender, channel);
    if (message->command == "KICK")
        seen(remoteUser(origin, message->param(1)), channel);
    remoteChannelEvent(channel, *frame, sender, *message);
}

void ClusterNode::remoteJoin(const QByteArray &channel, const QByteArray &origin,
                             const Frame &frame, const IrcMessage &message)
{
    const QByteArray nick = message.sourceNick();
    const qsizetype space = frame.extra.indexOf(' ');
    const QByteArray account
        = space < 0 || frame.extra.first(space) == "*" ? QByteArray() : frame.extra.first(space);
    const QByteArray realname = frame.extra.mid(space + 1);
    quint32 id = remoteUser(origin, nick);
    seen(id, channel);
    if (id == 0) {
        id = m_nextRemoteId++;
        const Registry::Status status = m_context->registry.addRemoteClient(
            id, m_bridge, nick, userOf(message.source), hostOf(message.source), realname,
            nodeNameOf(origin));
        if (status != Registry::Status::Ok) {
            qCWarning(lcServer).noquote()
                << "cluster:" << nick << "of" << origin << "is a nick in use here; not added";
            return;
        }
        m_remoteUsers.insert(id, {origin, foldCase(nick)});
        m_remoteByNick.insert(foldCase(nick), id);
    }
    m_context->registry.setAccount(id, account, nullptr);
    Audience members;
    ChannelView view;
    // Not an operator by being first here: the channel's operators come with the answers to sync.
    if (m_context->registry.join(id, channel, {}, &members, &view, false) != Registry::Status::Ok)
        return; // known already (a sync answer for a member seen join)
    if (frame.kind == "member" && message.param(1).contains('o')) {
        ModeOutcome outcome;
        Audience ignored;
        m_context->registry.changeModes(id, channel, {{true, 'o', nick}}, &outcome, &ignored);
    }
    announceRemoteJoin(members, frame, message.source, view.name, account, realname);
}

// The plain JOIN, and, with accounts, the extended one for those who asked (as IrcSession's
// announceJoin() does for a local user).
void ClusterNode::announceRemoteJoin(const Audience &members, const Frame &frame,
                                     const QByteArray &source, const QByteArray &channelName,
                                     const QByteArray &account, const QByteArray &realname)
{
    Frame plain = frame;
    plain.line = makeLine(source, "JOIN", {channelName}); // a sync answer's has the status too
    if (!m_context->store) {
        deliverLocally(members, plain);
        return;
    }
    plain.excluded = Capability::ExtendedJoin;
    Frame extended = frame;
    extended.line = makeLine(
        source, "JOIN", {channelName, account.isEmpty() ? QByteArray("*") : account, realname});
    extended.required |= Capability::ExtendedJoin;
    deliverLocally(members, extended);
    deliverLocally(members, plain);
}

void ClusterNode::remoteChannelEvent(const QByteArray &channel, const Frame &frame, quint32 sender,
                                     const IrcMessage &message)
{
    Registry &registry = m_context->registry;
    Audience members;
    QByteArray name, exactNick;
    const QByteArray &command = message.command;
    Registry::Status status = Registry::Status::Ok;
    if (command == "PRIVMSG" || command == "NOTICE" || command == "TAGMSG") {
        status = registry.channelMembers(channel, &members);
    } else if (sender == 0) {
        return; // an event of a user this server never saw join: the sync brings it
    } else if (command == "PART") {
        status = registry.part(sender, channel, &members, &name);
    } else if (command == "TOPIC") {
        status = registry.setTopic(sender, channel, message.param(1), &members, &name);
    } else if (command == "KICK") {
        status = registry.kick(sender, channel, message.param(1), &members, &name, &exactNick);
        if (const quint32 victim = m_remoteByNick.value(foldCase(message.param(1))))
            dropIfInNoChannel(victim);
    } else if (command == "MODE") {
        const ParsedModes parsed = parseModeChanges(message.param(1), message.params.mid(2));
        ModeOutcome outcome;
        status = registry.changeModes(sender, channel, parsed.changes, &outcome, &members);
    }
    if (status == Registry::Status::Ok)
        deliverLocally(members, frame);
    if (sender != 0)
        dropIfInNoChannel(sender);
    if (command == "KICK")
        updateSubscription(channel);
}

void ClusterNode::directReceived(const QByteArray &origin, const QByteArray &payload)
{
    const std::optional<Frame> frame = Frame::parse(payload);
    if (!frame)
        return;
    if (frame->kind == "sync") {
        directSyncRequest(frame->line);
        return;
    }
    const std::optional<IrcMessage> message = IrcMessage::parse(withoutLineEnd(frame->line));
    if (!message)
        return;
    if (frame->kind == "kill") {
        killReceived(*message);
        return;
    }
    const QByteArray &command = message->command;
    if (command == "PRIVMSG" || command == "NOTICE" || command == "TAGMSG" || command == "INVITE") {
        QByteArray nick, account;
        const std::optional<MemberGroup> recipient
            = m_context->registry.findNick(message->param(0), &nick, nullptr, &account);
        if (recipient && recipient->mailbox != m_bridge) {
            // The JOIN is checked here: the invitation must be known here.
            if (command == "INVITE" && !recipient->ids.isEmpty())
                m_context->registry.addInvitation(recipient->ids.constFirst(), message->param(1));
            deliverLocally({*recipient}, *frame);
            if (frame->kind == "private")
                storePrivateLine(*frame, *message, nick, account);
        }
        return;
    }
    const quint32 sender = remoteUser(origin, message->sourceNick());
    if (sender != 0) {
        seen(sender);
        remoteUserEvent(sender, *frame, *message);
    }
}

// A private line whose sender's server knew nothing of the recipient, so neither its account:
// kept here, once, when both are logged in, with the msgid and time its recipient got.
void ClusterNode::storePrivateLine(const Frame &frame, const IrcMessage &message,
                                   const QByteArray &recipientNick,
                                   const QByteArray &recipientAccount)
{
    const bool chat = message.command == "PRIVMSG" || message.command == "NOTICE";
    if (!m_context->store || !chat || frame.account.isEmpty() || recipientAccount.isEmpty()
        || !frame.messageTags.startsWith("msgid="))
        return;
    // `msgid=<id>[;<client-only tags>]`, as the sender's server made them.
    const qsizetype semicolon = frame.messageTags.indexOf(';');
    Storage::HistoryMessage line;
    line.msgid
        = frame.messageTags.first(semicolon < 0 ? frame.messageTags.size() : semicolon).sliced(6);
    line.tags = semicolon < 0 ? QByteArray() : frame.messageTags.sliced(semicolon + 1);
    line.timeMs = QDateTime::fromString(QString::fromLatin1(frame.time), Qt::ISODateWithMs)
                      .toMSecsSinceEpoch();
    line.target = Storage::conversationTarget(frame.account, recipientAccount);
    line.recipient = recipientNick;
    line.sender = message.source;
    line.command = message.command;
    line.text = message.param(1);
    m_context->store->append(line);
}

// QUIT, NICK and the notifications to those who share a channel with the user.
void ClusterNode::remoteUserEvent(quint32 sender, const Frame &frame, const IrcMessage &message)
{
    Registry &registry = m_context->registry;
    Audience peers;
    if (message.command == "QUIT") {
        registry.removeClient(sender, &peers);
        forget(sender);
    } else if (message.command == "ACCOUNT") {
        const QByteArray account = message.param(0);
        registry.setAccount(sender, account == "*" ? QByteArray() : account, &peers);
    } else if (message.command == "NICK") {
        QByteArray oldPrefix;
        const QByteArray nick = message.param(0);
        if (registry.changeNick(sender, nick, &oldPrefix, &peers) != Registry::Status::Ok)
            return;
        m_remoteByNick.remove(m_remoteUsers.value(sender).nick);
        m_remoteUsers[sender].nick = foldCase(nick);
        m_remoteByNick.insert(foldCase(nick), sender);
    } else {
        peers = registry.peersOf(sender);
    }
    deliverLocally(peers, frame);
}

// Asks every node that follows the channel who is there, and, directly, each node of a member
// known here (it may have no member left there, and then follows it no more): the answers
// add who joined meanwhile and remove who left (answerEnded()).
void ClusterNode::requestSync(const QByteArray &channel)
{
    SyncRound round;
    QHash<QByteArray, QList<QByteArray>> nicksByNode;
    if (const std::optional<ChannelView> view = m_context->registry.channelView(channel)) {
        for (const MemberView &member : view->members) {
            const quint32 id = m_remoteByNick.value(foldCase(member.nick));
            if (id == 0)
                continue;
            const QByteArray &node = m_remoteUsers.value(id).node;
            round.candidates.insert(id, node);
            nicksByNode[node].append(member.nick);
        }
    }
    m_rounds.insert(channel, round);
    // Before the question to all: a node asked both answers the direct one first, which names
    // the asked members it has no user for at all.
    for (auto it = nicksByNode.cbegin(); it != nicksByNode.cend(); ++it)
        m_bus->sendToNode(it.key(), Frame::make("sync", {}, channel + ' ' + it.value().join(' ')));
    m_bus->publish(channel, Frame::make("sync", {}, {}));
}

// `<channel> <nick>...`: a node asks about the channel and those of its members it knows here.
void ClusterNode::directSyncRequest(const QByteArray &text)
{
    QList<QByteArray> words = text.split(' ');
    const QByteArray channel = words.takeFirst();
    if (isChannelTarget(channel))
        answerSync(channel, words);
}

// Who is here, from this server: each local member as a JOIN with its channel status, then how
// each of the `asked` nicks that is not a member left, if still known (its PART or QUIT line),
// then the end of the answer with the members' number and which of the `asked` nicks no user
// here has.
void ClusterNode::answerSync(const QByteArray &channel, const QList<QByteArray> &asked)
{
    int count = 0;
    if (const std::optional<ChannelView> view = m_context->registry.channelView(channel)) {
        for (const MemberView &member : view->members) {
            const QByteArray folded = foldCase(member.nick);
            if (m_remoteByNick.contains(folded) || m_collided.contains(folded))
                continue;
            const QByteArray source = member.nick + '!' + member.user + '@' + member.host;
            const QByteArray status = member.op ? "o" : (member.voice ? "v" : "-");
            m_bus->publish(channel,
                           Frame::make("member", {}, makeLine(source, "JOIN", {view->name, status}),
                                       joinExtra(member.account, member.realname)));
            ++count;
        }
    }
    QByteArray end = QByteArray::number(count);
    for (const QByteArray &nick : asked) {
        const std::optional<MemberGroup> user = m_context->registry.findNick(nick);
        const bool gone = !user || user->mailbox == m_bridge;
        if (const std::optional<QByteArray> line
            = m_departures.departure(channel, foldCase(nick), gone, m_clock.elapsed()))
            m_bus->publish(channel, Frame::make("departed", {}, *line));
        if (gone)
            end += ' ' + nick;
    }
    m_bus->publish(channel, Frame::make("synced", {}, end));
}

void ClusterNode::countAnswer(const QByteArray &channel, const QByteArray &origin,
                              const QByteArray &nick)
{
    const auto round = m_rounds.find(channel);
    if (round == m_rounds.end())
        return;
    ++round->answers[origin];
    round->candidates.remove(remoteUser(origin, nick));
}

void ClusterNode::answerEnded(const QByteArray &channel, const QByteArray &origin,
                              const QByteArray &text)
{
    const auto round = m_rounds.find(channel);
    if (round == m_rounds.end())
        return;
    QList<QByteArray> words = text.split(' ');
    const int count = words.takeFirst().toInt();
    if (round->answers.take(origin) != count)
        return; // begun before the question: its own answer is still to come
    QSet<QByteArray> gone;
    for (const QByteArray &nick : std::as_const(words))
        gone.insert(foldCase(nick));
    QList<quint32> stale;
    for (auto it = round->candidates.cbegin(); it != round->candidates.cend(); ++it) {
        if (it.value() == origin)
            stale.append(it.key());
    }
    for (quint32 id : std::as_const(stale)) {
        round->candidates.remove(id);
        removeStale(channel, id, gone.contains(m_remoteUsers.value(id).nick),
                    round->departures.take(id));
    }
    if (round->candidates.isEmpty())
        m_rounds.erase(round);
}

// How a candidate of a round left, as its node told (its PART or QUIT line): kept until that
// node's answer closes, which says whether it left at all.
void ClusterNode::noteDeparture(const QByteArray &channel, const QByteArray &origin,
                                const QByteArray &line)
{
    const auto round = m_rounds.find(channel);
    const std::optional<IrcMessage> message = IrcMessage::parse(withoutLineEnd(line));
    if (round == m_rounds.end() || !message
        || (message->command != "PART" && message->command != "QUIT"))
        return;
    const quint32 id = remoteUser(origin, message->sourceNick());
    if (id != 0 && round->candidates.contains(id))
        round->departures.insert(id, line);
}

// A member that left while this server could not hear it: it leaves here now, seen by the local
// members as it left (`departure`, its PART or QUIT line, when its node still knew it), else as
// a PART, or a QUIT when its node has no such user any more, with the split's reason.
void ClusterNode::removeStale(const QByteArray &channel, quint32 id, bool gone,
                              const QByteArray &departure)
{
    if (!m_remoteUsers.contains(id))
        return;
    const std::optional<IrcMessage> left = IrcMessage::parse(withoutLineEnd(departure));
    const bool quit = left ? left->command == "QUIT" : gone;
    // The reason it gave (none, if it gave none), or the split's.
    const QList<QByteArray> reason
        = left ? left->params.mid(quit ? 0 : 1) : QList<QByteArray> {SplitReason};
    const QByteArray prefix = m_context->registry.prefixOf(id);
    Audience audience;
    if (quit) {
        m_context->registry.removeClient(id, &audience);
        forget(id);
        seen(id);
        deliverLocally(audience,
                       Frame::local(reason.isEmpty() ? makeLine(prefix, "QUIT", {})
                                                     : makeLine(prefix, "QUIT", {reason.first()})));
        return;
    }
    QByteArray name;
    if (m_context->registry.part(id, channel, &audience, &name) != Registry::Status::Ok)
        return;
    const QByteArray line = reason.isEmpty() ? makeLine(prefix, "PART", {name})
                                             : makeLine(prefix, "PART", {name, reason.first()});
    deliverLocally(audience, Frame::local(line));
    dropIfInNoChannel(id);
}

void ClusterNode::seen(quint32 id, const QByteArray &channel)
{
    if (id == 0 || m_rounds.isEmpty())
        return;
    if (!channel.isEmpty()) {
        if (const auto round = m_rounds.find(channel); round != m_rounds.end())
            round->candidates.remove(id);
        return;
    }
    for (SyncRound &round : m_rounds)
        round.candidates.remove(id);
}

void ClusterNode::nodeLeft(const QByteArray &id, const QByteArray &name)
{
    const QByteArray reason = name + " left the network";
    const QList<quint32> ids = m_remoteUsers.keys();
    int users = 0;
    for (quint32 user : ids) {
        if (m_remoteUsers.value(user).node != id)
            continue;
        const QByteArray prefix = m_context->registry.prefixOf(user);
        Audience peers;
        m_context->registry.removeClient(user, &peers);
        forget(user);
        deliverLocally(peers, Frame::local(makeLine(prefix, "QUIT", {reason})));
        ++users;
    }
    qCInfo(lcServer).noquote() << "cluster:" << name << "left the network with" << users
                               << "user(s) known here";
}

// `recheck`: an entry announced in Redis (enterChannel) may not have been followed by a join.
void ClusterNode::updateSubscription(const QByteArray &channel, bool recheck)
{
    const bool local = m_context->registry.hasMembersOutside(channel, m_bridge.get());
    if (local == m_subscribed.contains(channel)) {
        if (recheck && !local)
            m_directory->leaveChannel(channel);
        return;
    }
    if (local) {
        m_subscribed.insert(channel);
        m_bus->addLocalMember(channel);
        m_directory->enterChannel(channel);
        return;
    }
    m_subscribed.remove(channel);
    m_bus->removeLocalMember(channel);
    m_directory->leaveChannel(channel);
    forgetChannel(channel);
}

void ClusterNode::updateAllSubscriptions()
{
    const QList<QByteArray> channels = m_subscribed.values();
    for (const QByteArray &channel : channels)
        updateSubscription(channel);
}

// No local member is left: this server no longer follows the channel, so its remote members
// are dropped here (silently: nobody here sees them).
void ClusterNode::forgetChannel(const QByteArray &channel)
{
    m_rounds.remove(channel);
    const std::optional<ChannelView> view = m_context->registry.channelView(channel);
    if (!view)
        return;
    for (const MemberView &member : view->members) {
        const quint32 id = m_remoteByNick.value(foldCase(member.nick));
        if (id == 0)
            continue;
        Audience ignored;
        QByteArray name;
        m_context->registry.part(id, channel, &ignored, &name);
        dropIfInNoChannel(id);
    }
}

void ClusterNode::dropIfInNoChannel(quint32 id)
{
    if (!m_remoteUsers.contains(id) || !m_context->registry.channelsOf(id).isEmpty())
        return;
    m_context->registry.removeClient(id, nullptr);
    forget(id);
}

void ClusterNode::forget(quint32 id)
{
    m_remoteByNick.remove(m_remoteUsers.take(id).nick);
}

quint32 ClusterNode::remoteUser(const QByteArray &origin, const QByteArray &nick) const
{
    const quint32 id = m_remoteByNick.value(foldCase(nick));
    return id != 0 && m_remoteUsers.value(id).node == origin ? id : 0;
}

void ClusterNode::deliverLocally(const Audience &audience, const Frame &frame)
{
    std::shared_ptr<const LineTags> tags;
    if (m_context->taggedSessions.load(std::memory_order_relaxed) > 0)
        tags = frame.time.isEmpty()
            ? LineTags::make(formatServerTime(QDateTime::currentMSecsSinceEpoch()), {})
            : frame.tags();
    for (const MemberGroup &group : audience) {
        if (group.mailbox != m_bridge && !group.ids.isEmpty())
            group.mailbox->post(
                {frame.line, group.ids, 0, {}, tags, frame.required, frame.excluded});
    }
}

} // namespace Server
