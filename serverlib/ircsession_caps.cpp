// IRCv3 of IrcSession: capability negotiation, message tags, labeled responses, TAGMSG,
// SETNAME and the notifications (away-notify, invite-notify). Each changes only what a client
// that asked for it receives; see docs/protocol.md, "IRCv3".
#include "serverlib/ircsession.h"

#include "protocol/numerics.h"
#include "serverlib/servercontext.h"
#include "serverlib/worker.h"

#include <QDateTime>

using namespace Irc;

namespace Server {

namespace {

// The capabilities that make a recipient get tags on relayed lines.
constexpr Capabilities TagCapabilities
    = Capability::ServerTime | Capability::MessageTags | Capability::AccountTag;

QByteArray clientOnlyTags(const MessageTags &tags)
{
    MessageTags relayed;
    for (const MessageTag &tag : tags) {
        if (isClientOnlyTag(tag.key))
            relayed.append(tag);
    }
    return serializeTags(relayed);
}

// `@tag;existing ` from `tag` and a prefix `@existing ` (or none).
QByteArray withTag(const QByteArray &tag, const QByteArray &prefix)
{
    if (prefix.isEmpty())
        return '@' + tag + ' ';
    return '@' + tag + ';' + prefix.sliced(1);
}

// `:server CAP target LS [*] :list`: the list always after a colon, as most servers write it,
// for clients that look for one even before a single name.
QByteArray capLine(const QByteArray &server, const QByteArray &target, QByteArrayView subcommand,
                   QByteArrayView list, bool continued = false)
{
    const QByteArray line
        = ':' + server + " CAP " + target + ' ' + subcommand + (continued ? " * :" : " :") + list;
    return truncateUtf8(line, IrcMessage::MaxLineBytes - 2).toByteArray() + "\r\n";
}

QByteArray serverTimeNow()
{
    return formatServerTime(QDateTime::currentMSecsSinceEpoch());
}

} // namespace

void IrcSession::onCap(const IrcMessage &message)
{
    const QByteArray sub = message.param(0).toUpper();
    if (sub == "LS") {
        capLs(message.param(1));
    } else if (sub == "LIST") {
        sendCapList(sub, capabilityNames(capabilities()).split(' '));
    } else if (sub == "REQ") {
        capReq(message.param(1));
    } else if (sub == "END") {
        m_capNegotiating = false;
        abortSaslOnCapEnd();
        tryCompleteRegistration();
    } else {
        numeric(Numeric::InvalidCapCommand, {sub, "Invalid CAP command"});
    }
}

void IrcSession::capLs(const QByteArray &version)
{
    m_capNegotiating = !m_registered;
    const bool v302 = version.toInt() >= 302;
    if (v302) {
        // CAP LS 302 turns cap-notify on implicitly, for good.
        m_capVersion302 = true;
        applyCapabilities(capabilities() | Capability::CapNotify);
    }
    sendCapList("LS", capabilityTokens(v302, availableCapabilities()));
}

// History and accounts only where there is a database to keep them.
Capabilities IrcSession::availableCapabilities() const
{
    return m_context.store ? allCapabilities() : allCapabilities() & ~storageCapabilities();
}

void IrcSession::capReq(const QByteArray &list)
{
    m_capNegotiating = !m_registered;
    const CapabilityRequest request = parseCapabilityRequest(list);
    const bool dropsCapNotify = m_capVersion302 && request.disable.testFlag(Capability::CapNotify);
    const QByteArray capTarget = m_registered ? m_nick : QByteArray("*");
    const bool unavailable = bool(request.enable & ~availableCapabilities());
    if (!request.valid || dropsCapNotify || unavailable) {
        send(capLine(serverName(), capTarget, "NAK", list));
        return;
    }
    applyCapabilities((capabilities() | request.enable) & ~request.disable);
    send(capLine(serverName(), capTarget, "ACK", list));
}

// One line per chunk that fits; all but the last say `*` before the list.
void IrcSession::sendCapList(const QByteArray &subcommand, const QList<QByteArray> &tokens)
{
    const QByteArray capTarget = m_registered ? m_nick : QByteArray("*");
    const qsizetype overhead
        = QByteArray(':' + serverName() + " CAP " + capTarget + ' ' + subcommand + " * :\r\n")
              .size();
    const QList<QByteArray> chunks = capabilityChunks(tokens, IrcMessage::MaxLineBytes - overhead);
    for (qsizetype i = 0; i + 1 < chunks.size(); ++i)
        send(capLine(serverName(), capTarget, subcommand, chunks.at(i), true));
    send(capLine(serverName(), capTarget, subcommand, chunks.constLast()));
}

void IrcSession::applyCapabilities(Capabilities newCapabilities)
{
    const bool wasTagged = bool(capabilities() & TagCapabilities);
    const bool isTagged = bool(newCapabilities & TagCapabilities);
    if (wasTagged != isTagged)
        m_context.taggedSessions.fetch_add(isTagged ? 1 : -1, std::memory_order_relaxed);
    setCapabilities(newCapabilities);
}

// In a cluster, always: the other servers' clients may want the tags, and must get the msgid
// and time made here (docs/cluster.md).
bool IrcSession::tagsWanted() const
{
    return m_context.cluster || m_context.taggedSessions.load(std::memory_order_relaxed) > 0;
}

OutgoingLine IrcSession::eventLine(const QByteArray &line, Capabilities required) const
{
    if (!tagsWanted())
        return {line, nullptr, required};
    return {line, LineTags::make(serverTimeNow(), {}, m_account), required};
}

IrcSession::ChatStamp IrcSession::stampChat() const
{
    // Only a sender that negotiated message-tags passes client-only tags on.
    return {m_context.nextMessageId(), QDateTime::currentMSecsSinceEpoch(),
            has(Capability::MessageTags) ? clientOnlyTags(m_inputTags) : QByteArray()};
}

OutgoingLine IrcSession::chatLine(const QByteArray &line, Capabilities required,
                                  const ChatStamp *stamp) const
{
    if (!tagsWanted())
        return {line, nullptr, required};
    const ChatStamp made = stamp ? ChatStamp() : stampChat();
    const ChatStamp &used = stamp ? *stamp : made;
    QByteArray tags = QByteArray(Tag::MessageId) + '=' + used.msgid;
    if (!used.clientTags.isEmpty())
        tags += ';' + used.clientTags;
    return {line, LineTags::make(formatServerTime(used.timeMs), tags, m_account), required};
}

void IrcSession::sendOutgoing(const OutgoingLine &line)
{
    const Capabilities own = capabilities();
    if ((own & line.required) != line.required || (own & line.excluded))
        return;
    send(line.tags ? line.tags->forRecipient(own) : QByteArray(), line.line);
}

bool IrcSession::checkLineLength(const TaggedLine &line)
{
    return line.tagData.size() <= MaxClientTagDataBytes
        && line.body.size() <= IrcMessage::MaxLineBytes - 2;
}

void IrcSession::replyToNul(const QByteArray &line)
{
    const QByteArray beforeNul = line.first(line.indexOf('\0'));
    const TaggedLine split = splitTags(beforeNul); // views into beforeNul
    const std::optional<IrcMessage> head = IrcMessage::parse(split.body);
    const QByteArray command = head ? head->command : QByteArray("*");
    const char description[] = "Line contains a NUL byte and was ignored";
    if (has(Capability::StandardReplies))
        fail(command, "INVALID_NUL", {description});
    else
        numeric(Numeric::UnknownError, {command, description});
}

void IrcSession::dispatchLabeled(const IrcMessage &message, const QByteArray &label)
{
    QList<TaggedOutput> replies;
    m_commandLabel = label;
    m_replyDeferred = false;
    setCapture(&replies);
    dispatch(message);
    setCapture(nullptr);
    m_commandLabel.clear();
    // A command answered later (CHATHISTORY) carries the label in its answer: no ACK now.
    if (std::exchange(m_replyDeferred, false) && replies.isEmpty())
        return;
    sendLabeled(label, replies);
}

// labeled-response: no reply becomes an ACK, one reply carries the label, several come in a
// labeled batch (or unlabeled, to a client without batch, which could not read one).
void IrcSession::sendLabeled(const QByteArray &label, const QList<TaggedOutput> &replies)
{
    const QByteArray labelTag = QByteArray(Tag::Label) + '=' + escapeTagValue(label);
    if (replies.isEmpty()) {
        send(withTag(labelTag, {}), makeLine(serverName(), "ACK", {}));
    } else if (replies.size() == 1) {
        send(withTag(labelTag, replies.first().tags), replies.first().line);
    } else if (!has(Capability::Batch)) {
        for (const TaggedOutput &reply : replies)
            send(reply.tags, reply.line);
    } else {
        const QByteArray reference = "L" + QByteArray::number(++m_batches);
        send(withTag(labelTag, {}),
             makeLine(serverName(), "BATCH", {QByteArray('+' + reference), "labeled-response"}));
        const QByteArray batchTag = QByteArray(Tag::Batch) + '=' + reference;
        for (const TaggedOutput &reply : replies)
            send(withTag(batchTag, reply.tags), reply.line);
        send(makeLine(serverName(), "BATCH", {QByteArray('-' + reference)}));
    }
}

void IrcSession::onTagmsg(const IrcMessage &message)
{
    if (!has(Capability::MessageTags)) {
        numeric(Numeric::UnknownCommand, {message.command, "Unknown command"});
        return;
    }
    if (message.param(0).isEmpty()) {
        numeric(Numeric::NoRecipient, {QByteArray("No recipient given (TAGMSG)")});
        return;
    }
    // Quiet like NOTICE: a typing notification must not draw errors or away replies.
    for (const QByteArray &target : message.param(0).split(',')) {
        if (!target.isEmpty())
            relayToTarget(message.command, target, QByteArray(), true);
    }
}

void IrcSession::onSetname(const IrcMessage &message)
{
    if (!has(Capability::Setname)) {
        numeric(Numeric::UnknownCommand, {message.command, "Unknown command"});
        return;
    }
    const QByteArray realname = message.param(0);
    if (realname.isEmpty()) {
        fail("SETNAME", "INVALID_REALNAME", {"Realname is not valid"});
        return;
    }
    Audience peers;
    m_context.registry.setRealname(id(), realname, &peers);
    m_realname = realname;
    describeToCluster();
    const OutgoingLine line
        = eventLine(makeLine(m_prefix, "SETNAME", {realname}), Capability::Setname);
    sendOutgoing(line);
    worker().deliver(peers, line);
}

void IrcSession::announceAway(const QByteArray &text)
{
    m_away = text;
    const QByteArray line
        = text.isEmpty() ? makeLine(m_prefix, "AWAY", {}) : makeLine(m_prefix, "AWAY", {text});
    worker().deliver(m_context.registry.peersOf(id()), eventLine(line, Capability::AwayNotify));
}

void IrcSession::announceAwayOnJoin(const Audience &members)
{
    if (m_away.isEmpty())
        return;
    worker().deliver(members,
                     eventLine(makeLine(m_prefix, "AWAY", {m_away}), Capability::AwayNotify), id());
}

// invite-notify: the channel's operators see whom someone invited.
void IrcSession::notifyInvite(const QByteArray &channel, const QByteArray &line)
{
    Audience operators;
    if (m_context.registry.channelOperators(channel, &operators) != Registry::Status::Ok)
        return;
    if (m_context.cluster) // the operators on every server: the channel's on the bus
        m_context.cluster->include(operators);
    worker().deliver(operators, eventLine(line, Capability::InviteNotify), id());
}

void IrcSession::fail(QByteArrayView command, QByteArrayView code,
                      std::initializer_list<QByteArrayView> params)
{
    QList<QByteArray> all {command.toByteArray(), code.toByteArray()};
    for (QByteArrayView param : params)
        all.append(param.toByteArray());
    send(IrcMessage {serverName(), "FAIL", all}.toLine());
}

} // namespace Server
