// Queries about users and the server (WHO, WHOIS, AWAY, ISON, USERHOST, LUSERS, MOTD, VERSION,
// TIME, INFO) of IrcSession.
#include "serverlib/ircsession.h"

#include "protocol/names.h"
#include "protocol/numerics.h"
#include "serverlib/servercontext.h"
#include "serverlib/worker.h"

#include <QDateTime>

using namespace Irc;

namespace Server {

namespace {

// WHO for a mask answers at most this many users: a `WHO *` on a busy server stays bounded.
constexpr qsizetype MaxWhoReplies = 200;
constexpr int MaxUserhostNicks = 5; // RFC 2812

QByteArray whoFlags(const UserInfo &user, QByteArrayView channelPrefix)
{
    return (user.away.isEmpty() ? "H" : "G") + QByteArray(user.serverOperator ? "*" : "")
        + channelPrefix.toByteArray();
}

} // namespace

void IrcSession::onWho(const IrcMessage &message)
{
    const QByteArray mask = message.param(0).isEmpty() ? QByteArray("*") : message.param(0);
    if (m_context.cluster && isValidNick(mask) && !m_context.registry.findNick(mask)) {
        whoElsewhere(mask); // ends with its own 315
        return;
    }
    if (mask.startsWith('#'))
        whoChannel(mask);
    else
        whoMask(mask);
    numeric(Numeric::EndOfWho, {mask, "End of WHO list"});
}

void IrcSession::whoChannel(const QByteArray &name)
{
    const std::optional<ChannelView> view = m_context.registry.channelView(name, id());
    if (!view || !isVisible(*view))
        return;
    for (const MemberView &member : view->members) {
        const std::optional<UserInfo> user = m_context.registry.userInfo(member.nick, id());
        if (user)
            sendWhoReply(view->name, *user, memberPrefix(member));
    }
}

void IrcSession::whoMask(const QByteArray &mask)
{
    const bool wildcard = mask.contains('*') || mask.contains('?');
    const QList<UserInfo> users = wildcard
        ? m_context.registry.matchUsers(mask, MaxWhoReplies, id())
        : QList<UserInfo>(1, m_context.registry.userInfo(mask, id()).value_or(UserInfo()));
    for (const UserInfo &user : users) {
        if (!user.nick.isEmpty())
            sendWhoReply("*", user, {});
    }
}

void IrcSession::sendWhoReply(const QByteArray &channel, const UserInfo &user,
                              QByteArrayView channelPrefix)
{
    numeric(Numeric::WhoReply,
            {channel, user.user, user.host, serverOf(user), user.nick,
             whoFlags(user, channelPrefix), QByteArray("0 " + user.realname)});
}

QByteArray IrcSession::serverOf(const UserInfo &user) const
{
    return user.server.isEmpty() ? serverName() : user.server;
}

QByteArray IrcSession::whoisChannels(const QList<ChannelMembership> &channels) const
{
    QList<QByteArray> entries;
    entries.reserve(channels.size());
    for (const ChannelMembership &channel : channels)
        entries.append(memberPrefix(channel.op, channel.voice) + channel.name);
    return entries.join(' ');
}

void IrcSession::onWhois(const IrcMessage &message)
{
    // `WHOIS server nick` asks a given server: there is only this one.
    const QByteArray nick = message.params.constLast();
    const std::optional<UserInfo> user = m_context.registry.userInfo(nick, id());
    if (!user && m_context.cluster) {
        whoisElsewhere(nick);
        return;
    }
    if (user)
        sendWhois(*user, true);
    else
        sendNoSuchNickWhois(nick);
}

void IrcSession::sendNoSuchNickWhois(const QByteArray &nick)
{
    numeric(Numeric::NoSuchNick, {nick, "No such nick/channel"});
    numeric(Numeric::EndOfWhois, {nick, "End of /WHOIS list"});
}

void IrcSession::sendWhois(const UserInfo &user, bool withIdle)
{
    numeric(Numeric::WhoisUser, {user.nick, user.user, user.host, "*", user.realname});
    numeric(Numeric::WhoisServer, {user.nick, serverOf(user), "QtChat"});
    if (!user.channels.isEmpty())
        numeric(Numeric::WhoisChannels, {user.nick, whoisChannels(user.channels)});
    if (!user.away.isEmpty())
        numeric(Numeric::Away, {user.nick, user.away});
    if (user.serverOperator)
        numeric(Numeric::WhoisOperator, {user.nick, "is an IRC operator"});
    if (!user.account.isEmpty())
        numeric(Numeric::WhoisAccount, {user.nick, user.account, "is logged in as"});
    if (withIdle) {
        const qint64 idleSecs
            = qMax<qint64>(0, (QDateTime::currentMSecsSinceEpoch() - user.lastMessageMs) / 1000);
        numeric(Numeric::WhoisIdle,
                {user.nick, QByteArray::number(idleSecs), QByteArray::number(user.signOnSecs),
                 "seconds idle, signon time"});
    }
    numeric(Numeric::EndOfWhois, {user.nick, "End of /WHOIS list"});
}

void IrcSession::lookUpElsewhere(const QByteArray &nick, ElsewhereAnswer answer)
{
    m_context.cluster->lookUpUser(
        nick, {worker().mailbox(), {id()}},
        [answer = std::move(answer)](Session &session, const std::optional<RemoteUserInfo> &user) {
            if (auto *client = qobject_cast<IrcSession *>(&session))
                answer(*client, user);
        });
}

namespace {

// What another server told of its user, as the registry describes one (no channels, away or
// idle time).
UserInfo userInfoOf(const RemoteUserInfo &remote)
{
    UserInfo user;
    user.nick = remote.nick;
    user.user = remote.user;
    user.host = remote.host;
    user.realname = remote.realname;
    user.account = remote.account;
    user.server = remote.nodeName;
    return user;
}

} // namespace

void IrcSession::whoisElsewhere(const QByteArray &nick)
{
    lookUpElsewhere(nick, [nick](IrcSession &client, const std::optional<RemoteUserInfo> &user) {
        if (user)
            client.sendWhois(userInfoOf(*user), false);
        else
            client.sendNoSuchNickWhois(nick);
    });
}

void IrcSession::whoElsewhere(const QByteArray &nick)
{
    lookUpElsewhere(nick, [nick](IrcSession &client, const std::optional<RemoteUserInfo> &user) {
        if (user)
            client.sendWhoReply("*", userInfoOf(*user), {});
        client.numeric(Numeric::EndOfWho, {nick, "End of WHO list"});
    });
}

void IrcSession::onAway(const IrcMessage &message)
{
    const QByteArray text = truncateUtf8(message.param(0), MaxAwayLength).toByteArray();
    m_context.registry.setAway(id(), text);
    announceAway(text);
    if (text.isEmpty())
        numeric(Numeric::UnAway, {"You are no longer marked as being away"});
    else
        numeric(Numeric::NowAway, {"You have been marked as being away"});
}

void IrcSession::onIson(const IrcMessage &message)
{
    QList<QByteArray> present;
    for (const QByteArray &param : message.params) {
        for (const QByteArray &nick : param.split(' ')) {
            QByteArray exactNick;
            if (!nick.isEmpty() && m_context.registry.findNick(nick, &exactNick))
                present.append(exactNick);
        }
    }
    numeric(Numeric::IsOn, {present.join(' ')});
}

void IrcSession::onUserhost(const IrcMessage &message)
{
    QList<QByteArray> replies;
    for (const QByteArray &nick : message.params.mid(0, MaxUserhostNicks)) {
        if (const std::optional<UserInfo> user = m_context.registry.userInfo(nick, id())) {
            replies.append(user->nick + (user->serverOperator ? "*" : "") + '='
                           + (user->away.isEmpty() ? '+' : '-') + user->user + '@' + user->host);
        }
    }
    numeric(Numeric::UserHost, {replies.join(' ')});
}

void IrcSession::onLusers(const IrcMessage &)
{
    sendLusers();
}

void IrcSession::sendLusers()
{
    const ServerCounts counts = m_context.registry.counts();
    const QByteArray users = QByteArray::number(counts.users);
    const QByteArray peak = QByteArray::number(counts.peakUsers);
    numeric(Numeric::LuserClient,
            {QByteArray("There are " + QByteArray::number(counts.users - counts.invisible)
                        + " users and " + QByteArray::number(counts.invisible)
                        + " invisible on 1 servers")});
    numeric(Numeric::LuserOp, {QByteArray::number(counts.operators), "operator(s) online"});
    numeric(Numeric::LuserUnknown,
            {QByteArray::number(counts.unregistered), "unknown connection(s)"});
    numeric(Numeric::LuserChannels, {QByteArray::number(counts.channels), "channels formed"});
    numeric(Numeric::LuserMe, {QByteArray("I have " + users + " clients and 0 servers")});
    numeric(Numeric::LocalUsers,
            {users, peak, QByteArray("Current local users " + users + ", max " + peak)});
    numeric(Numeric::GlobalUsers,
            {users, peak, QByteArray("Current global users " + users + ", max " + peak)});
}

void IrcSession::onMotd(const IrcMessage &)
{
    sendMotd();
}

void IrcSession::onVersion(const IrcMessage &)
{
    numeric(Numeric::Version, {versionString(), serverName(), "QtChat IRC server"});
}

void IrcSession::onTime(const IrcMessage &)
{
    numeric(Numeric::Time,
            {serverName(), QDateTime::currentDateTimeUtc().toString(Qt::RFC2822Date).toUtf8()});
}

void IrcSession::onInfo(const IrcMessage &)
{
    numeric(Numeric::Info, {QByteArray("QtChat " + versionString())});
    numeric(Numeric::Info, {"A Qt chat server and client for a LAN"});
    numeric(Numeric::Info, {QByteArray("Started " + m_context.createdAt)});
    numeric(Numeric::EndOfInfo, {"End of /INFO list"});
}

} // namespace Server
