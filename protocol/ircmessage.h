#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

#include <optional>

namespace Irc {

// One IRC message: `[':' source ' '] command {' ' param} [' :' trailing]`.
struct IrcMessage
{
    // Including the CR LF: the limit both sides enforce on every line.
    static constexpr qsizetype MaxLineBytes = 512;

    QByteArray source;
    QByteArray command; // upper-cased when parsed
    QList<QByteArray> params;

    // Pure: the line without its terminator in, a message out; nullopt when there is no command.
    static std::optional<IrcMessage> parse(QByteArrayView line);

    // The wire form with CR LF. The last parameter is cut (on a UTF-8 boundary) so that the
    // whole line fits MaxLineBytes, because a relay adds a source the sender did not count.
    QByteArray toLine() const;

    QByteArray param(qsizetype index) const { return params.value(index); }
    QByteArray sourceNick() const;

    bool operator==(const IrcMessage &) const = default;
};

// Builds a line without an IrcMessage, for the server's hot paths.
QByteArray makeLine(QByteArrayView source, QByteArrayView command,
                    std::initializer_list<QByteArrayView> params);

// `nick!user@host` -> `nick`; a source without '!' is returned whole.
QByteArrayView nickOf(QByteArrayView source);

// Cuts `text` to at most `maxBytes` without splitting a UTF-8 sequence.
QByteArrayView truncateUtf8(QByteArrayView text, qsizetype maxBytes);

} // namespace Irc
