#include "app/mentions.h"

namespace App {

namespace Mentions {

namespace {

// A byte that can be part of a nick; anything else (spaces, punctuation, every byte of a
// non-ASCII character) ends a word.
bool isNickByte(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || QByteArrayView("-[]\\`_^{|}~").contains(c);
}

bool isWordAt(const QByteArray &text, qsizetype start, qsizetype length)
{
    const bool before = start == 0 || !isNickByte(text.at(start - 1));
    const bool after = start + length == text.size() || !isNickByte(text.at(start + length));
    return before && after;
}

// A UTF-8 offset of `utf8` as an offset in the QString it came from.
qsizetype utf16Offset(const QByteArray &utf8, qsizetype byteOffset)
{
    return QString::fromUtf8(utf8.constData(), byteOffset).size();
}

} // namespace

QList<Span> find(const QString &text, const QString &nick, Irc::CaseMapping mapping)
{
    QList<Span> spans;
    if (nick.isEmpty())
        return spans;
    // Case folding is byte for byte and keeps the length, so offsets in the folded text are
    // offsets in the UTF-8 text.
    const QByteArray utf8 = text.toUtf8();
    const QByteArray folded = Irc::foldCase(utf8, mapping);
    const QByteArray wanted = Irc::foldCase(nick.toUtf8(), mapping);
    for (qsizetype at = folded.indexOf(wanted); at >= 0; at = folded.indexOf(wanted, at + 1)) {
        if (!isWordAt(folded, at, wanted.size()))
            continue;
        const qsizetype start = utf16Offset(utf8, at);
        spans.append({start, utf16Offset(utf8, at + wanted.size()) - start});
    }
    return spans;
}

bool contains(const QString &text, const QString &nick, Irc::CaseMapping mapping)
{
    return !find(text, nick, mapping).isEmpty();
}

} // namespace Mentions

} // namespace App
