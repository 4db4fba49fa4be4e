// Channel and chat commands of IrcSession; registration lives in ircsession.cpp.
#include "serverlib/ircsession.h"

#include "protocol/names.h"
#include "protocol/numerics.h"
#include "serverlib/mailbox.h"
#include "serverlib/servercontext.h"
#include "serverlib/worker.h"

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
    for (const QByteArray &channel : channels)
        joinChannel(channel);
}

void IrcSession::joinChannel(const QByteArray &name)
{
    if (!isValidChannelName(name)) {
        numeric(Numeric::NoSuchChannel, {name, "No such channel"});
        return;
    }
    Audience members;
    ChannelView view;
    const Registry::Status status = m_context.registry.join(id(), name, &members, &view);
    if (status == Registry::Status::TooManyChannels)
        numeric(Numeric::TooManyChannels, {name, "You have joined too many channels"});
    if (status != Registry::Status::Ok)
        return; // already there: nothing to announce
    worker().deliver(members, makeLine(m_prefix, "JOIN", {view.name}));
    if (!view.topic.isEmpty())
        sendTopic(view);
    sendNames(view);
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
    worker().deliver(members, line);
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
    for (const QByteArray &target : splitList(message.param(0))) {
        if (relayToTarget(message.command, target, message.param(1), isNotice))
            worker().reportRelayed(m_nick, target, message.param(1));
    }
}

bool IrcSession::relayToTarget(const QByteArray &command, const QByteArray &target,
                               const QByteArray &text, bool isNotice)
{
    if (isChannelTarget(target)) {
        Audience members;
        const Registry::Status status = m_context.registry.channelAudience(id(), target, &members);
        if (status == Registry::Status::Ok) {
            worker().deliver(members, makeLine(m_prefix, command, {target, text}), id());
            return true;
        }
        if (!isNotice) {
            if (status == Registry::Status::NotOnChannel)
                numeric(Numeric::CannotSendToChan, {target, "Cannot send to channel"});
            else
                numeric(Numeric::NoSuchNick, {target, "No such nick/channel"});
        }
        return false;
    }
    QByteArray nick;
    const std::optional<MemberGroup> recipient = m_context.registry.findNick(target, &nick);
    if (!recipient) {
        if (!isNotice)
            numeric(Numeric::NoSuchNick, {target, "No such nick/channel"});
        return false;
    }
    worker().deliver(*recipient, makeLine(m_prefix, command, {nick, text}));
    return true;
}

void IrcSession::onNames(const IrcMessage &message)
{
    const QList<QByteArray> channels = splitList(message.param(0));
    for (const QByteArray &name : channels) {
        if (const std::optional<ChannelView> view = m_context.registry.channelView(name))
            sendNames(*view);
        else
            numeric(Numeric::EndOfNames, {name, "End of /NAMES list"});
    }
    if (channels.isEmpty())
        numeric(Numeric::EndOfNames, {"*", "End of /NAMES list"});
}

void IrcSession::sendNames(const ChannelView &channel)
{
    const QByteArray head
        = ':' + serverName() + ' ' + Numeric::NamReply + ' ' + m_nick + " = " + channel.name + " :";
    QByteArray line = head;
    for (const MemberView &member : channel.members) {
        const QByteArray entry = member.op ? OperatorPrefix + member.nick : member.nick;
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
        const std::optional<ChannelView> view = m_context.registry.channelView(name);
        if (!view)
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
    worker().deliver(members, makeLine(m_prefix, "TOPIC", {channelName, topic}));
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
    for (const ChannelSummary &channel : m_context.registry.listChannels())
        numeric(Numeric::List, {channel.name, QByteArray::number(channel.members), channel.topic});
    numeric(Numeric::ListEnd, {"End of /LIST"});
}

void IrcSession::onWho(const IrcMessage &message)
{
    const QByteArray mask = message.param(0);
    QList<MemberView> members;
    QByteArray channelName = "*";
    if (const std::optional<ChannelView> view = m_context.registry.channelView(mask)) {
        members = view->members;
        channelName = view->name;
    } else if (const std::optional<MemberView> user = m_context.registry.userView(mask)) {
        members.append(*user);
    }
    for (const MemberView &member : members) {
        numeric(Numeric::WhoReply,
                {channelName, member.user, member.host, serverName(), member.nick,
                 QByteArrayView(member.op ? "H@" : "H"), QByteArray("0 " + member.realname)});
    }
    numeric(Numeric::EndOfWho, {mask.isEmpty() ? QByteArray("*") : mask, "End of WHO list"});
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
    const std::optional<ChannelView> view = m_context.registry.channelView(message.param(0));
    if (!view) {
        numeric(Numeric::NoSuchChannel, {message.param(0), "No such channel"});
        return;
    }
    const QByteArray modes = message.param(1);
    if (modes.isEmpty()) {
        numeric(Numeric::ChannelModeIs, {view->name, "+"});
        numeric(Numeric::CreationTime, {view->name, QByteArray::number(view->created)});
    } else if (modes == "b" || modes == "+b") {
        numeric(Numeric::EndOfBanList, {view->name, "End of channel ban list"});
    } else if (!m_context.registry.isChannelOperator(id(), view->name)) {
        numeric(Numeric::ChanOpPrivsNeeded, {view->name, "You're not channel operator"});
    }
    // Operators' mode changes are accepted and ignored: QtChat has no channel modes.
}

void IrcSession::userMode(const IrcMessage &message)
{
    const QByteArray nick = message.param(0);
    if (foldCase(nick) != foldCase(m_nick)) {
        if (m_context.registry.findNick(nick))
            numeric(Numeric::UsersDontMatch, {"Cant change mode for other users"});
        else
            numeric(Numeric::NoSuchNick, {nick, "No such nick/channel"});
        return;
    }
    const QByteArray change = message.param(1);
    if (change.isEmpty()) {
        numeric(Numeric::UModeIs, {m_invisible ? "+i" : "+"});
    } else if (change == "+i" || change == "-i") {
        m_invisible = change == "+i";
        send(makeLine(m_nick, "MODE", {m_nick, change}));
    } else {
        numeric(Numeric::UModeUnknownFlag, {"Unknown MODE flag"});
    }
}

void IrcSession::sendError(Registry::Status status, const QByteArray &name)
{
    if (status == Registry::Status::NoSuchChannel)
        numeric(Numeric::NoSuchChannel, {name, "No such channel"});
    else if (status == Registry::Status::NotOnChannel)
        numeric(Numeric::NotOnChannel, {name, "You're not on that channel"});
}

} // namespace Server
