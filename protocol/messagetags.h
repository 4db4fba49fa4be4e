#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

#include <optional>

namespace Irc {

// IRCv3 message tags (https://ircv3.net/specs/extensions/message-tags):
// `@key=value;+client/key;flag :source COMMAND params`.
struct MessageTag
{
    QByteArray key; // with its `+` when client-only
    QByteArray value; // unescaped; empty when the tag has none (`key` and `key=` are the same)

    bool operator==(const MessageTag &) const = default;
};
using MessageTags = QList<MessageTag>;

// Tag data is what lies between the leading `@` and the space after the tags. A client may send
// at most this much; a server adds at most as much again, so a line's tags are at most
// MaxTagSectionBytes (`@`, client data, `;`, server data, space).
inline constexpr qsizetype MaxClientTagDataBytes = 4094;
inline constexpr qsizetype MaxServerTagDataBytes = 4094;
inline constexpr qsizetype MaxTagSectionBytes = 8191;
// The longest line a server accepts: a client's tags, then the 512 bytes of the line proper.
inline constexpr qsizetype MaxTaggedInputBytes = MaxClientTagDataBytes + 2 + 512;

// The tags an IRCv3 server writes, and the one a client sends for labeled-response.
namespace Tag {
inline constexpr char Time[] = "time";
inline constexpr char MessageId[] = "msgid";
inline constexpr char Label[] = "label";
inline constexpr char Batch[] = "batch";
inline constexpr char Account[] = "account";
} // namespace Tag

// A line cut into its tag data (without `@`, empty when the line has no tags) and the rest
// (the message, spaces before it skipped).
struct TaggedLine
{
    QByteArrayView tagData;
    QByteArrayView body;
};
TaggedLine splitTags(QByteArrayView line);

// Parses tag data. Empty items (`a;;b`) are skipped, a tag with an invalid key is dropped, and of
// a repeated key the last value counts, so whatever a peer sends yields a clean list.
MessageTags parseTags(QByteArrayView tagData);
// `a=b;c`: values escaped, no `@` and no trailing space.
QByteArray serializeTags(const MessageTags &tags);

// `;` `\s` `\\` `\r` `\n` as the spec says; the inverse of unescapeTagValue.
QByteArray escapeTagValue(QByteArrayView value);
// An unknown escape stands for the character itself; a lone `\` at the end is dropped.
QByteArray unescapeTagValue(QByteArrayView escaped);

// `[+][vendor/]name`, the name of letters, digits and `-`, the vendor a host name.
bool isValidTagKey(QByteArrayView key);
inline bool isClientOnlyTag(QByteArrayView key)
{
    return key.startsWith('+');
}
std::optional<QByteArray> tagValue(const MessageTags &tags, QByteArrayView key);

// server-time's format, `2026-12-02T11:20:06.123Z`, for milliseconds since the epoch (UTC).
QByteArray formatServerTime(qint64 msecsSinceEpoch);

} // namespace Irc
