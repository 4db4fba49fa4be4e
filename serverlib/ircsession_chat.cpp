// Channel and chat commands of IrcSession; registration lives in ircsession.cpp.
#include "serverlib/ircsession.h"

#include "protocol/modes.h"
#include "protocol/names.h"
#include "protocol/numerics.h"
#include "serverlib/mailbox.h"
#include "serverlib/servercontext.h"
#include "serverlib/worker.h"

#include <QDateTime>

using namespace Irc;

namespace Server {

namespace {

QList<QByteArray> splitList(const QByteArray &list)
{
    QList<QByteArray> items = list.split(',');
    items.removeAll(QByteArray());
    return items;
}

} // namespace

void IrcSession::onJoin(const IrcMessage &message)
{
    if (message.param(0) == "0") {
        for (const QByteArray &channel : m_context.registry.channelsOf(id()))
            partChannel(channel, m_nick);
        return;
    }
    const QList<QByteArray> channels = splitList(message.param(0));
    if (channels.isEmpty())
        numeric(Numeric::NeedMoreParams, {"JOIN", "Not enough parameters"});
    const QList<QByteArray> keys = message.param(1).split(',');
    for (qsizetype i = 0; i < channels.size(); ++i)
        joinChannel(channels.at(i), keys.value(i));
}

void IrcSession::joinChannel(const QByteArray &name, const QByteArray &key)
{
    if (!isValidChannelName(name)) {
        numeric(Numeric::NoSuchChannel, {name, "No such channel"});
        return;
    }
    // After one that waits, the others of the same JOIN wait too, so that they keep its order.
    if (m_context.cluster
        && (!m_channelEntries.isEmpty() || !m_context.registry.hasMembersOutside(name, nullptr))) {
        enterChannel(name, key);
        return;
    }
    completeJoin(name, key, true);
}

// The first member here of a channel is its operator only if no other server of the cluster
// has members there: asked of Redis, the input held until the answer comes.
void IrcSession::enterChannel(const QByteArray &name, const QByteArray &key)
{
    m_channelEntries.append(foldCase(name));
    m_context.cluster->enterChannel(foldCase(name), {worker().mailbox(), {id()}},
                                    [name, key](Session &session, ChannelEntry entry) {
                                        if (auto *client = qobject_cast<IrcSession *>(&session))
                                            client->channelEntered(name, key, entry);
                                    });
}

void IrcSession::channelEntered(const QByteArray &name, const QByteArray &key, ChannelEntry entry)
{
    if (!m_channelEntries.removeOne(foldCase(name)))
        return; // the client left first: connectionClosed() had it rechecked
    if (!completeJoin(name, key, entry == ChannelEntry::Founder))
        m_context.cluster->recheckChannel(foldCase(name));
    resumeInput();
}

bool IrcSession::completeJoin(const QByteArray &name, const QByteArray &key, bool mayFound)
{
    if (!isReading())
        return false;
    Audience members;
    ChannelView view;
    const Registry::Status status
        = m_context.registry.join(id(), name, key, &members, &view, mayFound);
    if (status == Registry::Status::AlreadyOnChannel)
        return true; // nothing to announce
    if (status != Registry::Status::Ok) {
        sendError(status, name);
        return false;
    }
    announceJoin(members, view.name);
    announceAwayOnJoin(members);
    if (!view.topic.isEmpty())
        sendTopic(view);
    sendNames(view);
    replayHistory(view.name);
    return true;
}

void IrcSession::onPart(const IrcMessage &message)
{
    for (const QByteArray &channel : splitList(message.param(0)))
        partChannel(channel, message.param(1));
}

void IrcSession::partChannel(const QByteArray &name, const QByteArray &reason)
{
    Audience members;
    QByteArray channelName;
    const Registry::Status status = m_context.registry.part(id(), name, &members, &channelName);
    if (status != Registry::Status::Ok) {
        sendError(status, name);
        return;
    }
    const QByteArray line = reason.isEmpty() ? makeLine(m_prefix, "PART", {channelName})
                                             : makeLine(m_prefix, "PART", {channelName, reason});
    deliverToChannel(members, eventLine(line));
}

void IrcSession::onPrivmsg(const IrcMessage &message)
{
    relay(message, false);
}

void IrcSession::onNotice(const IrcMessage &message)
{
    relay(message, true);
}

void IrcSession::relay(const IrcMessage &message, bool isNotice)
{
    // NOTICE never gets an error reply, so that automatic replies cannot loop.
    if (message.params.isEmpty() || message.param(0).isEmpty()) {
        if (!isNotice)
            numeric(Numeric::NoRecipient,
                    {QByteArray("No recipient given (" + message.command + ')')});
        return;
    }
    if (message.params.size() < 2 || message.param(1).isEmpty()) {
        if (!isNotice)
            numeric(Numeric::NoTextToSend, {"No text to send"});
        return;
    }
    worker().countMessage();
    if (m_lastMessageMs)
        m_lastMessageMs->store(QDateTime::currentMSecsSinceEpoch(), std::memory_order_relaxed);
    for (const QByteArray &target : splitList(message.param(0))) {
        if (relayToTarget(message.command, target, message.param(1), isNotice))
            worker().reportRelayed(m_nick, target, message.param(1));
    }
}

// `text` is null for a TAGMSG, which only those who negotiated message-tags receive.
bool IrcSession::relayToTarget(const QByteArray &command, const QByteArray &target,
                               const QByteArray &text, bool isNotice)
{
    if (isChannelTarget(target))
        return relayToChannel(command, target, text, isNotice);
    const Capabilities required = text.isNull() ? Capability::MessageTags : Capabilities();
    // Only a conversation between two accounts is kept: the recipient's account is looked up
    // when the sender has one, and a line for the store is stamped only when both have.
    const bool mayStore = m_context.store && !m_account.isEmpty() && !text.isNull();
    QByteArray nick, away, account;
    const std::optional<MemberGroup> recipient
        = m_context.registry.findNick(target, &nick, &away, mayStore ? &account : nullptr);
    if (!recipient && m_context.cluster) {
        sendToOtherNode(command, target, text, isNotice);
        return true;
    }
    if (!recipient) {
        if (!isNotice)
            numeric(Numeric::NoSuchNick, {target, "No such nick/channel"});
        return false;
    }
    const bool stored = !account.isEmpty();
    const ChatStamp stamp = stored ? stampChat() : ChatStamp();
    const OutgoingLine line = chatLine(text.isNull() ? makeLine(m_prefix, command, {nick})
                                                     : makeLine(m_prefix, command, {nick, text}),
                                       required, stored ? &stamp : nullptr);
    worker().deliver(*recipient, line);
    if (has(Capability::EchoMessage))
        sendOutgoing(line);
    if (!away.isEmpty() && !isNotice)
        numeric(Numeric::Away, {nick, away});
    if (stored)
        storePrivateLine(command, nick, account, text, stamp);
    return true;
}

// A nick no user known here has may be held on another node of the cluster: the node asks
// Redis, and 401 comes later, through the mailbox, if no node holds it.
void IrcSession::sendToOtherNode(const QByteArray &command, const QByteArray &target,
                                 const QByteArray &text, bool isNotice)
{
    const Capabilities required = text.isNull() ? Capability::MessageTags : Capabilities();
    const OutgoingLine line = chatLine(text.isNull() ? makeLine(m_prefix, command, {target})
                                                     : makeLine(m_prefix, command, {target, text}),
                                       required);
    std::function<void(Session &)> notFound;
    if (!isNotice) {
        notFound = [target](Session &session) {
            if (auto *client = qobject_cast<IrcSession *>(&session))
                client->numeric(Numeric::NoSuchNick, {target, "No such nick/channel"});
        };
    }
    m_context.cluster->sendToNick(target, line, {worker().mailbox(), {id()}}, std::move(notFound));
    if (has(Capability::EchoMessage))
        sendOutgoing(line);
}

// A PRIVMSG or NOTICE to a channel is also handed to the history store: once per message, on
// the sender's thread, never per recipient.
bool IrcSession::relayToChannel(const QByteArray &command, const QByteArray &channel,
                                const QByteArray &text, bool isNotice)
{
    Audience members;
    const Registry::Status status = m_context.registry.channelAudience(id(), channel, &members);
    if (status != Registry::Status::Ok) {
        if (isNotice)
            return false;
        if (status == Registry::Status::NoSuchChannel)
            numeric(Numeric::NoSuchNick, {channel, "No such nick/channel"});
        else
            numeric(Numeric::CannotSendToChan, {channel, "Cannot send to channel"});
        return false;
    }
    const bool stored = m_context.store && !text.isNull();
    const ChatStamp stamp = stored ? stampChat() : ChatStamp();
    const OutgoingLine line = text.isNull()
        ? chatLine(makeLine(m_prefix, command, {channel}), Capability::MessageTags)
        : chatLine(makeLine(m_prefix, command, {channel, text}), {}, stored ? &stamp : nullptr);
    deliverToChannel(members, line, id());
    if (has(Capability::EchoMessage))
        sendOutgoing(line);
    if (stored)
        storeLine(command, channel, text, stamp);
    return true;
}

void IrcSession::onNames(const IrcMessage &message)
{
    const QList<QByteArray> channels = splitList(message.param(0));
    for (const QByteArray &name : channels) {
        const std::optional<ChannelView> view = m_context.registry.channelView(name, id());
        if (view && isVisible(*view))
            sendNames(*view);
        else
            numeric(Numeric::EndOfNames, {name, "End of /NAMES list"});
    }
    if (channels.isEmpty())
        numeric(Numeric::EndOfNames, {"*", "End of /NAMES list"});
}

void IrcSession::sendNames(const ChannelView &channel)
{
    // RFC 2812: `@` marks a secret channel, `=` a public one.
    const char *type = channel.modes.secret ? " @ " : " = ";
    const QByteArray head
        = ':' + serverName() + ' ' + Numeric::NamReply + ' ' + m_nick + type + channel.name + " :";
    QByteArray line = head;
    for (const MemberView &member : channel.members) {
        QByteArray entry = memberPrefix(member) + member.nick;
        if (has(Capability::UserhostInNames))
            entry += '!' + member.user + '@' + member.host;
        if (line.size() > head.size()
            && line.size() + 1 + entry.size() > IrcMessage::MaxLineBytes - 2) {
            send(line + "\r\n");
            line = head;
        }
        if (line.size() > head.size())
            line += ' ';
        line += entry;
    }
    if (line.size() > head.size())
        send(line + "\r\n");
    numeric(Numeric::EndOfNames, {channel.name, "End of /NAMES list"});
}

void IrcSession::onTopic(const IrcMessage &message)
{
    const QByteArray name = message.param(0);
    if (message.params.size() < 2) {
        const std::optional<ChannelView> view = m_context.registry.channelView(name, id());
        if (!view || !isVisible(*view))
            numeric(Numeric::NoSuchChannel, {name, "No such channel"});
        else if (view->topic.isEmpty())
            numeric(Numeric::NoTopic, {view->name, "No topic is set"});
        else
            sendTopic(*view);
        return;
    }
    Audience members;
    QByteArray channelName;
    const QByteArray topic = truncateUtf8(message.param(1), MaxTopicLength).toByteArray();
    const Registry::Status status
        = m_context.registry.setTopic(id(), name, topic, &members, &channelName);
    if (status != Registry::Status::Ok) {
        sendError(status, name);
        return;
    }
    deliverToChannel(members, eventLine(makeLine(m_prefix, "TOPIC", {channelName, topic})));
}

void IrcSession::sendTopic(const ChannelView &channel)
{
    numeric(Numeric::Topic, {channel.name, channel.topic});
    numeric(Numeric::TopicWhoTime,
            {channel.name, channel.topicSetter, QByteArray::number(channel.topicTime)});
}

void IrcSession::onList(const IrcMessage &)
{
    numeric(Numeric::ListStart, {"Channel", "Users  Name"});
    for (const ChannelSummary &channel : m_context.registry.listChannels(id()))
        numeric(Numeric::List, {channel.name, QByteArray::number(channel.members), channel.topic});
    numeric(Numeric::ListEnd, {"End of /LIST"});
}

void IrcSession::onMode(const IrcMessage &message)
{
    if (isChannelTarget(message.param(0)))
        channelMode(message);
    else
        userMode(message);
}

void IrcSession::channelMode(const IrcMessage &message)
{
    const std::optional<ChannelView> view = m_context.registry.channelView(message.param(0), id());
    if (!view || !isVisible(*view)) {
        numeric(Numeric::NoSuchChannel, {message.param(0), "No such channel"});
        return;
    }
    if (message.params.size() < 2) {
        QList<QByteArray> params = view->modes.describe(view->viewerIsMember);
        params.prepend(view->name);
        sendNumeric(Numeric::ChannelModeIs, params);
        numeric(Numeric::CreationTime, {view->name, QByteArray::number(view->created)});
        return;
    }
    const ParsedModes parsed = parseModeChanges(message.param(1), message.params.mid(2));
    for (char mode : parsed.unknown) {
        numeric(Numeric::UnknownMode,
                {QByteArray(1, mode), QByteArray("is unknown mode char to me for " + view->name)});
    }
    if (parsed.listQueries.contains('b'))
        sendBanList(view->name);
    if (!parsed.changes.isEmpty())
        changeChannelModes(view->name, parsed.changes);
}

void IrcSession::sendBanList(const QByteArray &channel)
{
    for (const BanEntry &ban : m_context.registry.banList(channel).value_or(QList<BanEntry>())) {
        numeric(Numeric::BanList, {channel, ban.mask, ban.setter, QByteArray::number(ban.time)});
    }
    numeric(Numeric::EndOfBanList, {channel, "End of channel ban list"});
}

void IrcSession::changeChannelModes(const QByteArray &channel, const QList<ModeChange> &changes)
{
    ModeOutcome outcome;
    Audience members;
    const Registry::Status status
        = m_context.registry.changeModes(id(), channel, changes, &outcome, &members);
    if (status != Registry::Status::Ok) {
        sendError(status, channel);
        return;
    }
    for (const auto &[refusal, change] : outcome.refused)
        sendModeRefusal(outcome.channelName, refusal, change);
    if (outcome.applied.isEmpty())
        return;
    QList<QByteArray> params = formatModeChanges(outcome.applied);
    params.prepend(outcome.channelName);
    deliverToChannel(members, eventLine(IrcMessage {m_prefix, "MODE", params}.toLine()));
}

void IrcSession::sendModeRefusal(const QByteArray &channel, ModeOutcome::Refusal refusal,
                                 const ModeChange &change)
{
    switch (refusal) {
    case ModeOutcome::Refusal::NoSuchNick:
        numeric(Numeric::NoSuchNick, {change.param, "No such nick/channel"});
        break;
    case ModeOutcome::Refusal::UserNotInChannel:
        numeric(Numeric::UserNotInChannel, {change.param, channel, "They aren't on that channel"});
        break;
    case ModeOutcome::Refusal::InvalidParam:
        numeric(Numeric::InvalidModeParam,
                {channel, QByteArray(1, change.mode), change.param, "Invalid mode parameter"});
        break;
    case ModeOutcome::Refusal::BanListFull:
        numeric(Numeric::BanListFull, {channel, change.param, "Channel ban list is full"});
        break;
    }
}

void IrcSession::onKick(const IrcMessage &message)
{
    const QByteArray channel = message.param(0);
    const QByteArray reason = message.params.size() > 2 ? message.param(2) : m_nick;
    for (const QByteArray &nick : splitList(message.param(1))) {
        Audience members;
        QByteArray channelName, exactNick;
        const Registry::Status status
            = m_context.registry.kick(id(), channel, nick, &members, &channelName, &exactNick);
        if (status == Registry::Status::NoSuchNick || status == Registry::Status::UserNotInChannel)
            sendError(status, nick, channel);
        else if (status != Registry::Status::Ok)
            return sendError(status, channel);
        else
            deliverToChannel(
                members, eventLine(makeLine(m_prefix, "KICK", {channelName, exactNick, reason})));
    }
}

void IrcSession::onInvite(const IrcMessage &message)
{
    const QByteArray nick = message.param(0), channel = message.param(1);
    MemberGroup target;
    QByteArray exactNick, channelName;
    const Registry::Status status
        = m_context.registry.invite(id(), nick, channel, &target, &exactNick, &channelName);
    if (status == Registry::Status::NoSuchNick && m_context.cluster) {
        inviteElsewhere(nick, channel);
        return;
    }
    if (status != Registry::Status::Ok) {
        sendError(status, status == Registry::Status::NoSuchNick ? nick : channel, nick);
        return;
    }
    numeric(Numeric::Inviting, {exactNick, channelName});
    const QByteArray line = makeLine(m_prefix, "INVITE", {exactNick, channelName});
    worker().deliver(target, eventLine(line));
    notifyInvite(channelName, line);
}

// In a cluster, a nick no user known here has may be another server's user: the invitation goes
// to its server, which keeps it for the JOIN.
void IrcSession::inviteElsewhere(const QByteArray &nick, const QByteArray &channel)
{
    QByteArray channelName;
    const Registry::Status status = m_context.registry.mayInvite(id(), channel, &channelName);
    if (status != Registry::Status::Ok) {
        sendError(status, channel, nick);
        return;
    }
    lookUpElsewhere(
        nick, [nick, channelName](IrcSession &client, const std::optional<RemoteUserInfo> &user) {
            const QByteArray line = user
                ? makeLine(client.m_prefix, "INVITE", {user->nick, channelName})
                : QByteArray();
            if (!user || !client.m_context.cluster->sendToUser(*user, client.eventLine(line))) {
                client.numeric(Numeric::NoSuchNick, {nick, "No such nick/channel"});
                return;
            }
            client.numeric(Numeric::Inviting, {user->nick, channelName});
            client.notifyInvite(channelName, line);
        });
}

// `name` is the channel, or the nick for NoSuchNick; `other` the nick or channel some errors
// name as well.
void IrcSession::sendError(Registry::Status status, const QByteArray &name, const QByteArray &other)
{
    using Status = Registry::Status;
    switch (status) {
    case Status::NoSuchChannel:
        return numeric(Numeric::NoSuchChannel, {name, "No such channel"});
    case Status::NotOnChannel:
        return numeric(Numeric::NotOnChannel, {name, "You're not on that channel"});
    case Status::NoSuchNick:
        return numeric(Numeric::NoSuchNick, {name, "No such nick/channel"});
    case Status::TooManyChannels:
        return numeric(Numeric::TooManyChannels, {name, "You have joined too many channels"});
    case Status::NotChannelOperator:
        return numeric(Numeric::ChanOpPrivsNeeded, {name, "You're not channel operator"});
    case Status::BannedFromChannel:
        return numeric(Numeric::BannedFromChan, {name, "Cannot join channel (+b)"});
    case Status::BadChannelKey:
        return numeric(Numeric::BadChannelKey, {name, "Cannot join channel (+k)"});
    case Status::ChannelIsFull:
        return numeric(Numeric::ChannelIsFull, {name, "Cannot join channel (+l)"});
    case Status::InviteOnly:
        return numeric(Numeric::InviteOnlyChan, {name, "Cannot join channel (+i)"});
    case Status::CannotSend:
        return numeric(Numeric::CannotSendToChan, {name, "Cannot send to channel"});
    case Status::UserNotInChannel:
        return numeric(Numeric::UserNotInChannel, {name, other, "They aren't on that channel"});
    case Status::UserOnChannel:
        return numeric(Numeric::UserOnChannel, {other, name, "is already on channel"});
    case Status::Ok:
    case Status::NickInUse:
    case Status::AlreadyOnChannel:
    case Status::NoSuchClient: // a bug the registry has logged; nothing for the client to fix
        return;
    }
}

QByteArray IrcSession::memberPrefix(const MemberView &member) const
{
    return memberPrefix(member.op, member.voice);
}

QByteArray IrcSession::memberPrefix(bool op, bool voice) const
{
    if (has(Capability::MultiPrefix))
        return QByteArray(op ? "@" : "") + (voice ? "+" : "");
    return op ? "@" : voice ? "+" : "";
}

bool IrcSession::isVisible(const ChannelView &channel) const
{
    return !channel.modes.secret || channel.viewerIsMember;
}

} // namespace Server
