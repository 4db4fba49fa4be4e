// libFuzzer target: IrcMessage::parse on any line a client could send, and the serialisers the
// server builds its replies with. Checks, besides "no crash, no sanitizer report": a parsed
// message is well formed and survives toLine() and a second parse; every line built fits the
// 512-byte limit when it can; truncateUtf8() cuts near its limit and never splits a character.
#include "protocol/ircmessage.h"
#include "tests/fuzz/fuzzcheck.h"

#include <QByteArray>
#include <QStringDecoder>

#include <cstddef>
#include <cstdint>

namespace {

bool isValidUtf8(QByteArrayView bytes)
{
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    [[maybe_unused]] const QString text = decoder.decode(bytes);
    return !decoder.hasError();
}

bool isPlainCommand(QByteArrayView command)
{
    return std::all_of(command.begin(), command.end(),
                       [](char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); });
}

void checkWellFormed(const Irc::IrcMessage &message)
{
    FUZZ_CHECK(!message.command.isEmpty());
    FUZZ_CHECK(!message.command.contains(' '));
    FUZZ_CHECK(message.command == message.command.toUpper());
    FUZZ_CHECK(!message.source.contains(' '));
    for (qsizetype i = 0; i + 1 < message.params.size(); ++i) {
        const QByteArray &middle = message.params[i];
        FUZZ_CHECK(!middle.isEmpty() && !middle.contains(' ') && !middle.startsWith(':'));
    }
}

void checkRoundTrip(const Irc::IrcMessage &message)
{
    const QByteArray line = message.toLine();
    FUZZ_CHECK(line.endsWith("\r\n"));
    qsizetype fixedPart = message.source.size() + 2 + message.command.size();
    for (qsizetype i = 0; i + 1 < message.params.size(); ++i)
        fixedPart += 1 + message.params[i].size();
    if (fixedPart + 4 < Irc::IrcMessage::MaxLineBytes - 2) // room for the last parameter to be cut
        FUZZ_CHECK(line.size() <= Irc::IrcMessage::MaxLineBytes);
    // A command that starts with '@' or ':' cannot be written back unambiguously; clients never
    // send one and the server never writes one. A line that may have been cut (to at most 3
    // bytes under the limit) does not come back whole.
    if (!isPlainCommand(message.command) || line.size() >= Irc::IrcMessage::MaxLineBytes - 3)
        return;
    const std::optional<Irc::IrcMessage> again
        = Irc::IrcMessage::parse(line.first(line.size() - 2));
    FUZZ_CHECK(again.has_value());
    FUZZ_CHECK(*again == message);
}

void checkTruncate(QByteArrayView text, qsizetype maxBytes)
{
    const QByteArrayView cut = Irc::truncateUtf8(text, maxBytes);
    FUZZ_CHECK(text.startsWith(cut));
    FUZZ_CHECK(cut.size() <= qMax<qsizetype>(maxBytes, 0));
    if (text.size() > maxBytes)
        FUZZ_CHECK(cut.size() >= maxBytes - 3); // back to a character's start, no further
    else
        FUZZ_CHECK(cut.size() == text.size());
    if (isValidUtf8(text))
        FUZZ_CHECK(isValidUtf8(cut));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray input
        = QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
    if (const std::optional<Irc::IrcMessage> message = Irc::IrcMessage::parse(input)) {
        checkWellFormed(*message);
        checkRoundTrip(*message);
        // What the server relays: a prefix added to what the client sent.
        const QByteArray relayed = Irc::makeLine("nick!user@host", message->command,
                                                 {message->param(0), message->param(1)});
        FUZZ_CHECK(relayed.endsWith("\r\n"));
        if (message->command.size() + message->param(0).size() < 400)
            FUZZ_CHECK(relayed.size() <= Irc::IrcMessage::MaxLineBytes);
    }
    const qsizetype limit = size == 0 ? 0 : qsizetype(data[0]) * 2;
    for (qsizetype maxBytes : {qsizetype(-1), qsizetype(0), qsizetype(1), qsizetype(3), limit})
        checkTruncate(input, maxBytes);
    return 0;
}
