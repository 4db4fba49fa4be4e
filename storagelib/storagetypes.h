#pragma once

#include <QByteArray>
#include <QList>
#include <QMetaType>
#include <QString>

#include <optional>

namespace Storage {

// The earliest and latest time the store accepts (1970 to the end of 9999, in ms UTC): a time
// outside is a client's typo or an attack, not a date a chat line can have.
inline constexpr qint64 MinTimeMs = 0;
inline constexpr qint64 MaxTimeMs = 253'402'300'799'999;
// A history query returns at most this many lines whatever the caller asks for.
inline constexpr int MaxQueryLimit = 1000;
// Longer msgids, targets and senders are refused, so a hostile value never reaches the SQL.
inline constexpr qsizetype MaxKeyLength = 256;

// One relayed PRIVMSG or NOTICE. `target` is the folded channel name, or conversationTarget()
// of the two accounts of a private conversation.
struct HistoryMessage
{
    qint64 id = 0; // assigned by the store
    QByteArray msgid;
    qint64 timeMs = 0; // server-time, ms since the epoch, UTC
    QByteArray target;
    QByteArray sender; // nick!user@host
    QByteArray command; // PRIVMSG or NOTICE
    QByteArray text;
    QByteArray tags; // the client-only tags as sent, without the leading '@'
    QByteArray recipient; // a private line: the nick it was sent to; empty for a channel's
};

// The key of a private conversation: the two folded account names in order, so both parties
// find the same lines. ',' cannot be part of a nick or account name, nor start a channel.
QByteArray conversationTarget(QByteArrayView accountA, QByteArrayView accountB);
// The folded key of a channel, as history is stored under it.
QByteArray channelTarget(QByteArrayView channel);

// Where a history query starts or ends: a message (by msgid) or a moment.
struct Reference
{
    enum class Kind { None, MessageId, Time };
    Kind kind = Kind::None;
    QByteArray msgid;
    qint64 timeMs = 0;

    static Reference none() { return {}; }
    static Reference messageId(const QByteArray &msgid) { return {Kind::MessageId, msgid, 0}; }
    static Reference time(qint64 ms) { return {Kind::Time, {}, ms}; }
};

// The draft/chathistory subcommands that read one target's lines.
struct HistoryQuery
{
    enum class Kind { Latest, Before, After, Around, Between };
    Kind kind = Kind::Latest;
    QByteArray target;
    Reference from; // LATEST: none (the newest lines) or the point after which to look
    Reference to; // BETWEEN only
    int limit = 100; // clamped to MaxQueryLimit

    // Empty when the store can run the query; otherwise what is wrong with it.
    QString problem() const;
};

// draft/chathistory TARGETS: the targets with lines strictly between two times, each with its
// latest such line, ordered by it; the limit applies from `fromMs`'s side.
// Only the given channels and the conversations of `account` are considered.
struct TargetsQuery
{
    qint64 fromMs = 0;
    qint64 toMs = 0;
    int limit = 100;
    QList<QByteArray> channels; // folded
    QByteArray account; // folded; empty: no private conversations

    QString problem() const;
};

struct TargetActivity
{
    QByteArray target;
    qint64 latestMs = 0;
    QByteArray peer; // a conversation: the other party's account as registered, else empty
};

// The hash is libsodium's crypto_pwhash_str output: the store keeps it as opaque text.
struct Account
{
    qint64 id = 0;
    QByteArray name; // as registered; unique after folding
    QByteArray passwordHash;
    qint64 registeredMs = 0;
    bool verified = false;
};

// How much history to keep. 0 turns a rule off.
struct Retention
{
    int maxAgeDays = 0;
    int maxLinesPerTarget = 0;
};

enum class Status {
    Ok,
    InvalidRequest, // the request itself is wrong (a bad time, a limit below 1): `error` says how
    NotFound, // no such account, or the msgid a query refers to is not in that target
    Duplicate, // an account of that (folded) name exists
    Unavailable, // the database failed or is not open: `error` says why
};

// The answer to one request, delivered with the id its request returned.
struct Result
{
    quint64 requestId = 0;
    Status status = Status::Ok;
    QString error;
    QList<HistoryMessage> messages; // history queries: oldest first
    QList<TargetActivity> targets;
    std::optional<Account> account;
    qint64 count = 0; // countMessages(): rows; prune(): rows deleted
    int batches = 0; // prune(): transactions it took

    bool ok() const { return status == Status::Ok; }
};

} // namespace Storage

Q_DECLARE_METATYPE(Storage::Result)
