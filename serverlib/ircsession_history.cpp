// Chat history of IrcSession: what it hands to the history store, the draft/chathistory
// command and the replay on JOIN. The store answers in its own thread; the answer comes back
// through this client's mailbox, so the worker never waits, and a client that left meanwhile is
// simply not found. See docs/protocol.md, "Chat history".
#include "serverlib/ircsession.h"

#include "protocol/names.h"
#include "protocol/numerics.h"
#include "serverlib/mailbox.h"
#include "serverlib/servercontext.h"
#include "serverlib/worker.h"

#include <QDateTime>

using namespace Irc;

namespace Server {

namespace {

// Lines one CHATHISTORY answer holds at most, announced as CHATHISTORY=100 in 005.
constexpr int MaxHistoryLines = 100;
const QByteArray HistoryCommand = "CHATHISTORY";

QByteArray tagged(const QByteArray &tags, const QByteArray &tag)
{
    return tags.isEmpty() ? QByteArray('@' + tag) : QByteArray(tags + ';' + tag);
}

// server-time's `YYYY-MM-DDThh:mm:ss.sssZ` (the milliseconds may be left out), in the range the
// store keeps.
std::optional<qint64> parseServerTime(QByteArrayView text)
{
    if (!text.endsWith('Z') || text.size() < 20 || text.at(10) != 'T')
        return std::nullopt;
    const QDateTime time = QDateTime::fromString(QString::fromLatin1(text), Qt::ISODateWithMs);
    if (!time.isValid())
        return std::nullopt;
    const qint64 ms = time.toMSecsSinceEpoch();
    if (ms < Storage::MinTimeMs || ms > Storage::MaxTimeMs)
        return std::nullopt;
    return ms;
}

// `msgid=...`, `timestamp=...`, or `*` where the subcommand allows it (LATEST).
std::optional<Storage::Reference> parseReference(QByteArrayView text, bool starAllowed)
{
    if (starAllowed && text == "*")
        return Storage::Reference::none();
    if (text.startsWith("msgid=")) {
        const QByteArrayView msgid = text.sliced(6);
        if (msgid.isEmpty() || msgid.size() > Storage::MaxKeyLength)
            return std::nullopt;
        return Storage::Reference::messageId(msgid.toByteArray());
    }
    if (text.startsWith("timestamp=")) {
        if (const std::optional<qint64> ms = parseServerTime(text.sliced(10)))
            return Storage::Reference::time(*ms);
    }
    return std::nullopt;
}

// A positive count; more than the server's maximum is that maximum.
std::optional<int> parseLimit(const QByteArray &text)
{
    bool ok = false;
    const qlonglong limit = text.toLongLong(&ok);
    if (!ok || limit < 1)
        return std::nullopt;
    return int(qMin<qlonglong>(limit, MaxHistoryLines));
}

std::optional<Storage::HistoryQuery::Kind> queryKind(const QByteArray &subcommand)
{
    using Kind = Storage::HistoryQuery::Kind;
    static const QHash<QByteArray, Kind> kinds {{"LATEST", Kind::Latest},
                                                {"BEFORE", Kind::Before},
                                                {"AFTER", Kind::After},
                                                {"AROUND", Kind::Around},
                                                {"BETWEEN", Kind::Between}};
    const auto it = kinds.constFind(subcommand);
    return it == kinds.cend() ? std::nullopt : std::optional(*it);
}

} // namespace

// One push onto the store's bounded queue: the worker never waits for the database. A line the
// store cannot take is counted there as not stored (and logged), never dropped unnoticed.
void IrcSession::storeLine(const QByteArray &command, const QByteArray &channel,
                           const QByteArray &text, const ChatStamp &stamp)
{
    m_context.store->append(historyMessage(command, Storage::channelTarget(channel), text, stamp));
}

// A private line between two accounts, kept under both (so that either party finds it whatever
// nick either has later) with the nick it was sent to.
void IrcSession::storePrivateLine(const QByteArray &command, const QByteArray &recipientNick,
                                  const QByteArray &recipientAccount, const QByteArray &text,
                                  const ChatStamp &stamp)
{
    Storage::HistoryMessage message = historyMessage(
        command, Storage::conversationTarget(m_account, recipientAccount), text, stamp);
    message.recipient = recipientNick;
    m_context.store->append(message);
}

Storage::HistoryMessage IrcSession::historyMessage(const QByteArray &command,
                                                   const QByteArray &target, const QByteArray &text,
                                                   const ChatStamp &stamp) const
{
    Storage::HistoryMessage message;
    message.msgid = stamp.msgid;
    message.timeMs = stamp.timeMs;
    message.target = target;
    message.sender = m_prefix;
    message.command = command;
    message.text = text;
    message.tags = stamp.clientTags;
    return message;
}

// CHATHISTORY <subcommand> <target> <reference> [<reference>] <limit>
void IrcSession::onChathistory(const IrcMessage &message)
{
    if (!has(Capability::ChatHistory)) {
        numeric(Numeric::UnknownCommand, {message.command, "Unknown command"});
        return;
    }
    if (message.params.isEmpty()) {
        fail(HistoryCommand, "NEED_MORE_PARAMS", {"*", "Missing parameters"});
        return;
    }
    const QByteArray subcommand = message.param(0).toUpper();
    if (subcommand == "TARGETS")
        return chathistoryTargets(message);
    const std::optional<Storage::HistoryQuery::Kind> kind = queryKind(subcommand);
    if (!kind) {
        fail(HistoryCommand, "UNKNOWN_COMMAND", {subcommand, "Unknown command"});
        return;
    }
    const bool between = *kind == Storage::HistoryQuery::Kind::Between;
    const qsizetype needed = between ? 5 : 4;
    if (message.params.size() < needed) {
        fail(HistoryCommand, "NEED_MORE_PARAMS", {subcommand, "Missing parameters"});
        return;
    }
    const std::optional<Storage::Reference> from
        = parseReference(message.param(2), *kind == Storage::HistoryQuery::Kind::Latest);
    const std::optional<Storage::Reference> to
        = between ? parseReference(message.param(3), false) : Storage::Reference::none();
    const std::optional<int> limit = parseLimit(message.param(needed - 1));
    if (!from || !to || !limit) {
        fail(HistoryCommand, "INVALID_PARAMS", {subcommand, "Invalid parameters"});
        return;
    }
    const QByteArray target = message.param(1);
    const std::optional<HistoryTarget> readable = readableTarget(target);
    if (!readable) {
        fail(HistoryCommand, "INVALID_TARGET",
             {subcommand, target, "Messages could not be retrieved"});
        return;
    }
    const Storage::HistoryQuery query {*kind, readable->key, *from, *to, *limit};
    askStore({subcommand, readable->name, m_commandLabel, {}, false},
             [query](Storage::Store &store, Storage::Store::Reply reply) {
                 return store.fetchHistory(query, std::move(reply));
             });
}

// CHATHISTORY TARGETS timestamp=<from> timestamp=<to> <limit>: the asker's channels and, when
// it is logged in, its account's conversations with lines between the two moments.
void IrcSession::chathistoryTargets(const IrcMessage &message)
{
    if (message.params.size() < 4) {
        fail(HistoryCommand, "NEED_MORE_PARAMS", {"TARGETS", "Missing parameters"});
        return;
    }
    const std::optional<Storage::Reference> from = parseReference(message.param(1), false);
    const std::optional<Storage::Reference> to = parseReference(message.param(2), false);
    const std::optional<int> limit = parseLimit(message.param(3));
    if (!from || !to || !limit || from->kind != Storage::Reference::Kind::Time
        || to->kind != Storage::Reference::Kind::Time) {
        fail(HistoryCommand, "INVALID_PARAMS", {"TARGETS", "Invalid parameters"});
        return;
    }
    HistoryReply reply {"TARGETS", {}, m_commandLabel, m_context.registry.channelsOf(id()), false};
    Storage::TargetsQuery query {from->timeMs, to->timeMs, *limit, {}, foldCase(m_account)};
    for (const QByteArray &channel : std::as_const(reply.channels))
        query.channels.append(Storage::channelTarget(channel));
    askStore(reply, [query](Storage::Store &store, Storage::Store::Reply answer) {
        return store.fetchTargets(query, std::move(answer));
    });
}

// Only a channel's members read its history, and only the two parties their conversation.
std::optional<IrcSession::HistoryTarget> IrcSession::readableTarget(const QByteArray &target) const
{
    if (!isChannelTarget(target))
        return conversationWith(target);
    if (const std::optional<QByteArray> channel = memberChannel(target))
        return HistoryTarget {*channel, Storage::channelTarget(*channel)};
    return std::nullopt;
}

// This account's conversation with the account of whoever has `nick` now or, when nobody has
// it, with the account of that name (a registered nick is its account's). A user who is not
// logged in has no conversation kept, and neither has a client that is not.
std::optional<IrcSession::HistoryTarget> IrcSession::conversationWith(const QByteArray &nick) const
{
    if (m_account.isEmpty() || !isValidNick(nick))
        return std::nullopt;
    QByteArray exactNick, account;
    if (!m_context.registry.findNick(nick, &exactNick, nullptr, &account))
        return HistoryTarget {nick, Storage::conversationTarget(m_account, nick)};
    if (account.isEmpty())
        return std::nullopt;
    return HistoryTarget {exactNick, Storage::conversationTarget(m_account, account)};
}

// The channel as it is named, when `target` is one this client is in.
std::optional<QByteArray> IrcSession::memberChannel(const QByteArray &target) const
{
    if (!isChannelTarget(target))
        return std::nullopt;
    const QByteArray folded = foldCase(target);
    for (const QByteArray &channel : m_context.registry.channelsOf(id())) {
        if (foldCase(channel) == folded)
            return channel;
    }
    return std::nullopt;
}

// --replay-on-join: the channel's latest lines, for a client that cannot ask for them itself.
void IrcSession::replayHistory(const QByteArray &channel)
{
    const int lines = m_context.config.history.replayOnJoin;
    if (!m_context.store || lines <= 0 || has(Capability::ChatHistory))
        return;
    const Storage::HistoryQuery query {
        Storage::HistoryQuery::Kind::Latest, Storage::channelTarget(channel), {}, {}, lines};
    askStore({"LATEST", channel, {}, {}, true},
             [query](Storage::Store &store, Storage::Store::Reply reply) {
                 return store.fetchHistory(query, std::move(reply));
             });
}

// The store runs the query in its thread; the answer is posted to this client's mailbox and
// handled by this worker later, if the client is still here.
void IrcSession::askStore(
    const HistoryReply &reply,
    const std::function<quint64(Storage::Store &, Storage::Store::Reply)> &ask)
{
    if (!m_context.store) { // not offered then; checked all the same
        if (!reply.replay)
            failHistory(reply, "MESSAGE_ERROR", {"Messages could not be retrieved"});
        return;
    }
    const MemberGroup self {worker().mailbox(), {id()}};
    const quint64 request = ask(*m_context.store, [self, reply](const Storage::Result &result) {
        Worker::callSessions(self, [reply, result](Session &session) {
            if (auto *client = qobject_cast<IrcSession *>(&session))
                client->historyAnswered(reply, result);
        });
    });
    if (request == 0) { // too many requests waiting: refused at once
        if (!reply.replay)
            failHistory(reply, "MESSAGE_ERROR", {"Messages could not be retrieved"});
        return;
    }
    if (!reply.replay)
        m_replyDeferred = true;
}

void IrcSession::historyAnswered(const HistoryReply &reply, const Storage::Result &result)
{
    if (!isReading())
        return; // leaving
    // A msgid that is not in the channel's history: there is nothing around it to show.
    if (!result.ok() && result.status != Storage::Status::NotFound) {
        if (!reply.replay)
            failHistory(reply,
                        result.status == Storage::Status::InvalidRequest ? "INVALID_PARAMS"
                                                                         : "MESSAGE_ERROR",
                        {"Messages could not be retrieved"});
        return;
    }
    if (reply.subcommand == "TARGETS")
        sendHistoryTargets(reply, result.targets);
    else
        sendHistory(reply, result.messages);
}

// In a `chathistory` batch for a client that negotiated batch; a replay comes as plain lines.
void IrcSession::sendHistory(const HistoryReply &reply,
                             const QList<Storage::HistoryMessage> &messages)
{
    const bool batched = has(Capability::Batch) && !reply.replay;
    const QByteArray reference = batched ? "H" + QByteArray::number(++m_batches) : QByteArray();
    QList<TaggedOutput> lines;
    if (batched)
        lines.append({{},
                      makeLine(serverName(), "BATCH",
                               {QByteArray('+' + reference), "chathistory", reply.target})});
    // A private line names the nick it was sent to then; a channel's, the channel as named now.
    for (const Storage::HistoryMessage &message : messages) {
        const QByteArray &to = message.recipient.isEmpty() ? reply.target : message.recipient;
        lines.append({historyTags(message, reference),
                      makeLine(message.sender, message.command, {to, message.text})});
    }
    if (batched)
        lines.append({{}, makeLine(serverName(), "BATCH", {QByteArray('-' + reference)})});
    sendHistoryReply(reply.label, lines, batched);
}

void IrcSession::sendHistoryTargets(const HistoryReply &reply,
                                    const QList<Storage::TargetActivity> &targets)
{
    QHash<QByteArray, QByteArray> names; // folded -> as named
    for (const QByteArray &channel : reply.channels)
        names.insert(Storage::channelTarget(channel), channel);
    const bool batched = has(Capability::Batch);
    const QByteArray reference = batched ? "H" + QByteArray::number(++m_batches) : QByteArray();
    const QByteArray batchTag = batched ? "@batch=" + reference + ' ' : QByteArray();
    QList<TaggedOutput> lines;
    if (batched)
        lines.append({{},
                      makeLine(serverName(), "BATCH",
                               {QByteArray('+' + reference), "draft/chathistory-targets"})});
    for (const Storage::TargetActivity &target : targets) {
        const QByteArray name
            = target.peer.isEmpty() ? names.value(target.target, target.target) : target.peer;
        lines.append({batchTag,
                      makeLine(serverName(), HistoryCommand,
                               {"TARGETS", name, formatServerTime(target.latestMs)})});
    }
    if (batched)
        lines.append({{}, makeLine(serverName(), "BATCH", {QByteArray('-' + reference)})});
    sendHistoryReply(reply.label, lines, batched);
}

// The tags this client gets on a line of history, as it got them live: server-time and, with
// message-tags, the msgid and the sender's client-only tags.
QByteArray IrcSession::historyTags(const Storage::HistoryMessage &message,
                                   const QByteArray &batch) const
{
    QByteArray tags;
    if (!batch.isEmpty())
        tags = tagged(tags, QByteArray(Tag::Batch) + '=' + batch);
    if (has(Capability::ServerTime))
        tags = tagged(tags, QByteArray(Tag::Time) + '=' + formatServerTime(message.timeMs));
    if (has(Capability::MessageTags)) {
        tags = tagged(tags, QByteArray(Tag::MessageId) + '=' + message.msgid);
        if (!message.tags.isEmpty())
            tags = tagged(tags, message.tags);
    }
    return tags.isEmpty() ? tags : tags + ' ';
}

// labeled-response: a batch carries the label on its opening line; anything else goes the way
// of every labeled reply.
void IrcSession::sendHistoryReply(const QByteArray &label, QList<TaggedOutput> lines, bool isBatch)
{
    if (!label.isEmpty() && !isBatch) {
        sendLabeled(label, lines);
        return;
    }
    if (!label.isEmpty())
        lines.first().tags = tagged(lines.first().tags.trimmed(),
                                    QByteArray(Tag::Label) + '=' + escapeTagValue(label))
            + ' ';
    for (const TaggedOutput &line : std::as_const(lines))
        send(line.tags, line.line);
}

void IrcSession::failHistory(const HistoryReply &reply, QByteArrayView code,
                             std::initializer_list<QByteArrayView> params)
{
    QList<QByteArray> all {HistoryCommand, code.toByteArray(), reply.subcommand};
    if (!reply.target.isEmpty())
        all.append(reply.target);
    for (QByteArrayView param : params)
        all.append(param.toByteArray());
    sendHistoryReply(reply.label, {{{}, IrcMessage {serverName(), "FAIL", all}.toLine()}}, false);
}

} // namespace Server
