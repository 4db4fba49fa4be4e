// libFuzzer target: the IRCv3 tag parser, escaping and the CAP REQ list parser, which take
// whatever a client puts before its command. Input: a line as a client sends it; its first line
// is also read as a CAP REQ list. Checks, besides "no crash, no sanitizer report": every parsed
// key is valid and unique, serialised tags hold no space, CR, LF or NUL that was not in a value
// and parse back to the same list, escaping round-trips, and a valid request names only offered
// capabilities.
#include "protocol/capabilities.h"
#include "protocol/messagetags.h"
#include "tests/fuzz/fuzzcheck.h"

#include <QByteArray>
#include <QSet>

#include <cstddef>
#include <cstdint>

namespace {

void checkTags(QByteArrayView line)
{
    const Irc::TaggedLine split = Irc::splitTags(line);
    FUZZ_CHECK(split.tagData.size() + split.body.size() <= line.size());
    const Irc::MessageTags tags = Irc::parseTags(split.tagData);
    QSet<QByteArray> keys;
    for (const Irc::MessageTag &tag : tags) {
        FUZZ_CHECK(Irc::isValidTagKey(tag.key));
        FUZZ_CHECK(!keys.contains(tag.key));
        keys.insert(tag.key);
        FUZZ_CHECK(Irc::unescapeTagValue(Irc::escapeTagValue(tag.value)) == tag.value);
    }
    const QByteArray serialized = Irc::serializeTags(tags);
    FUZZ_CHECK(!serialized.contains(' ') && !serialized.contains('\r')
               && !serialized.contains('\n'));
    FUZZ_CHECK(Irc::parseTags(serialized) == tags);
}

void checkRequest(QByteArrayView list)
{
    const Irc::CapabilityRequest request = Irc::parseCapabilityRequest(list);
    if (!request.valid) {
        FUZZ_CHECK(!request.enable && !request.disable);
        return;
    }
    const Irc::Capabilities offered = Irc::allCapabilities();
    FUZZ_CHECK((request.enable & ~offered) == Irc::Capabilities());
    FUZZ_CHECK((request.disable & ~offered) == Irc::Capabilities());
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView input(reinterpret_cast<const char *>(data), qsizetype(size));
    checkTags(input);
    const qsizetype newline = input.indexOf('\n');
    checkRequest(newline < 0 ? input : input.first(newline));
    return 0;
}
