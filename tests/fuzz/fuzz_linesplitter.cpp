// libFuzzer target: LineSplitter fed a hostile byte stream in chunks the input chooses.
// Checks, besides "no crash, no sanitizer report": every line is what a plain reference split
// of the same bytes gives, in order; lines are bounded; the buffer stays bounded; an overflow
// is final.
#include "protocol/linesplitter.h"
#include "tests/fuzz/fuzzcheck.h"

#include <QByteArray>
#include <QList>

#include <cstddef>
#include <cstdint>

namespace {

struct Limits
{
    qsizetype maxLineBytes;
    qsizetype maxUnterminated;
};

// "<long>" stands for a line over the limit.
QList<QByteArray> referenceSplit(QByteArrayView stream, qsizetype maxContent)
{
    QList<QByteArray> lines;
    QByteArray current;
    for (char c : stream) {
        if (c != '\r' && c != '\n') {
            current += c;
            continue;
        }
        if (!current.isEmpty())
            lines.append(current.size() > maxContent ? QByteArray("<long>") : current);
        current.clear();
    }
    return lines;
}

void splitInChunks(QByteArrayView stream, qsizetype chunkSize, Limits limits)
{
    Irc::LineSplitter splitter(limits.maxLineBytes, limits.maxUnterminated);
    const qsizetype maxContent = limits.maxLineBytes - 2;
    QList<QByteArray> lines;
    Irc::LineSplitter::Line line;
    for (qsizetype at = 0; at < stream.size(); at += chunkSize) {
        const bool wasOverflowed = splitter.overflowed();
        const qsizetype before = splitter.bufferedBytes();
        splitter.append(stream.sliced(at, qMin(chunkSize, stream.size() - at)));
        if (wasOverflowed)
            FUZZ_CHECK(splitter.bufferedBytes() <= before); // an overflowed splitter takes nothing
        while (splitter.next(&line)) {
            FUZZ_CHECK(line.tooLong ? line.text.isEmpty() : !line.text.isEmpty());
            FUZZ_CHECK(line.text.size() <= maxContent);
            FUZZ_CHECK(!line.text.contains('\r') && !line.text.contains('\n'));
            lines.append(line.tooLong ? QByteArray("<long>") : line.text);
        }
        FUZZ_CHECK(!wasOverflowed || splitter.overflowed());
        // Without an overflow, what waits is one unfinished line, never more than the limit.
        if (!splitter.overflowed())
            FUZZ_CHECK(splitter.bufferedBytes() <= limits.maxUnterminated);
    }
    const QList<QByteArray> expected = referenceSplit(stream, maxContent);
    FUZZ_CHECK(lines.size() <= expected.size());
    FUZZ_CHECK(lines == expected.first(lines.size())); // in order, none lost or made up
    if (!splitter.overflowed()) {
        // Everything but the unfinished tail came out.
        splitter.append("\n");
        while (splitter.next(&line))
            lines.append(line.tooLong ? QByteArray("<long>") : line.text);
        FUZZ_CHECK(lines == referenceSplit(QByteArray(stream.toByteArray() + '\n'), maxContent));
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    // The first byte picks the chunk size, the rest is the stream (as Qt's own targets do, the
    // bytes are wrapped, not copied).
    const qsizetype chunkSize = data[0] == 0 ? qsizetype(size) : data[0];
    const QByteArray stream
        = QByteArray::fromRawData(reinterpret_cast<const char *>(data) + 1, qsizetype(size) - 1);
    splitInChunks(stream, chunkSize, {512, 8192}); // the server's limits
    splitInChunks(stream, chunkSize, {16, 64}); // small ones, so that every edge is near
    return 0;
}
