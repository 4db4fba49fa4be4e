// libFuzzer target: the channel mode parser and the ban mask matcher, which take whatever a
// channel operator sends. Input: a MODE line's mode string and parameters (space-separated) up
// to the first newline, then a mask, a newline and a text to match it against. Checks, besides
// "no crash, no sanitizer report": the parser keeps to its cap and its letters, what it parses
// formats and parses back unchanged, a mask without wildcards matches only its own text, and
// any text matches itself between stars.
#include "protocol/modes.h"
#include "tests/fuzz/fuzzcheck.h"

#include <QByteArray>

#include <cstddef>
#include <cstdint>

namespace {

void checkModes(const QByteArray &line)
{
    QList<QByteArray> words = line.split(' ');
    words.removeAll(QByteArray());
    if (words.isEmpty())
        return;
    const QByteArray modeString = words.takeFirst();
    const Irc::ParsedModes parsed = Irc::parseModeChanges(modeString, words);
    FUZZ_CHECK(parsed.changes.size() <= Irc::MaxModeChangesPerLine);
    const QByteArray known = Irc::ChannelModeTypes().allModes();
    for (const Irc::ModeChange &change : parsed.changes)
        FUZZ_CHECK(known.contains(change.mode));
    if (parsed.changes.isEmpty())
        return;
    QList<QByteArray> formatted = Irc::formatModeChanges(parsed.changes);
    const QByteArray again = formatted.takeFirst();
    FUZZ_CHECK(Irc::parseModeChanges(again, formatted).changes == parsed.changes);
}

void checkMask(const QByteArray &input)
{
    const qsizetype newline = input.indexOf('\n');
    const QByteArray mask = newline < 0 ? input : input.first(newline);
    const QByteArray text = newline < 0 ? QByteArray() : input.sliced(newline + 1);
    const bool matches = Irc::maskMatches(mask, text);
    if (!mask.contains('*') && !mask.contains('?'))
        FUZZ_CHECK(matches == (Irc::foldCase(mask) == Irc::foldCase(text)));
    FUZZ_CHECK(Irc::maskMatches(QByteArray('*' + text + '*'), text));
    FUZZ_CHECK(Irc::normalizedMask(mask).size() <= Irc::MaxMaskLength + 4);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray input(reinterpret_cast<const char *>(data), qsizetype(size));
    const qsizetype newline = input.indexOf('\n');
    checkModes(newline < 0 ? input : input.first(newline));
    if (newline >= 0)
        checkMask(input.sliced(newline + 1));
    return 0;
}
