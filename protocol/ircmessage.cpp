#include "protocol/ircmessage.h"

namespace Irc {

namespace {

qsizetype skipSpaces(QByteArrayView line, qsizetype pos)
{
    while (pos < line.size() && line[pos] == ' ')
        ++pos;
    return pos;
}

qsizetype wordEnd(QByteArrayView line, qsizetype pos)
{
    const qsizetype space = line.indexOf(' ', pos);
    return space < 0 ? line.size() : space;
}

bool needsColon(QByteArrayView param)
{
    return param.isEmpty() || param.startsWith(':') || param.contains(' ');
}

bool isUtf8Continuation(char c)
{
    return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

void appendParams(QByteArray &out, const auto &params, qsizetype budget)
{
    qsizetype index = 0;
    const qsizetype last = qsizetype(std::size(params)) - 1;
    for (QByteArrayView param : params) {
        out += ' ';
        if (index++ == last) {
            if (needsColon(param))
                out += ':';
            out += Irc::truncateUtf8(param, budget - out.size());
        } else {
            out += param;
        }
    }
}

template<typename Params>
QByteArray buildLine(QByteArrayView source, QByteArrayView command, const Params &params)
{
    QByteArray out;
    out.reserve(IrcMessage::MaxLineBytes);
    if (!source.isEmpty()) {
        out += ':';
        out += source;
        out += ' ';
    }
    out += command;
    appendParams(out, params, IrcMessage::MaxLineBytes - 2);
    out += "\r\n";
    return out;
}

} // namespace

std::optional<IrcMessage> IrcMessage::parse(QByteArrayView line)
{
    IrcMessage message;
    qsizetype pos = skipSpaces(line, 0);
    if (pos < line.size() && line[pos] == '@') // IRCv3 tags: not negotiated, ignored
        pos = skipSpaces(line, wordEnd(line, pos));
    if (pos < line.size() && line[pos] == ':') {
        const qsizetype end = wordEnd(line, pos);
        message.source = line.sliced(pos + 1, end - pos - 1).toByteArray();
        pos = skipSpaces(line, end);
    }
    const qsizetype commandEnd = wordEnd(line, pos);
    message.command = line.sliced(pos, commandEnd - pos).toByteArray().toUpper();
    if (message.command.isEmpty())
        return std::nullopt;
    for (pos = skipSpaces(line, commandEnd); pos < line.size(); pos = skipSpaces(line, pos)) {
        if (line[pos] == ':') {
            message.params.append(line.sliced(pos + 1).toByteArray());
            break;
        }
        const qsizetype end = wordEnd(line, pos);
        message.params.append(line.sliced(pos, end - pos).toByteArray());
        pos = end;
    }
    return message;
}

QByteArray IrcMessage::toLine() const
{
    return buildLine(source, command, params);
}

QByteArray IrcMessage::sourceNick() const
{
    return Irc::nickOf(source).toByteArray();
}

QByteArray makeLine(QByteArrayView source, QByteArrayView command,
                    std::initializer_list<QByteArrayView> params)
{
    return buildLine(source, command, params);
}

QByteArrayView nickOf(QByteArrayView source)
{
    const qsizetype bang = source.indexOf('!');
    return bang < 0 ? source : source.first(bang);
}

QByteArrayView truncateUtf8(QByteArrayView text, qsizetype maxBytes)
{
    if (text.size() <= maxBytes)
        return text;
    if (maxBytes <= 0)
        return text.first(0);
    // text[maxBytes] is the first byte cut off. If it continues a sequence, step back to that
    // sequence's lead byte: at most 3 bytes, as a UTF-8 sequence is at most 4 long. Invalid
    // input (a run of continuation bytes) is cut at the limit rather than back to nothing.
    for (qsizetype back = 0; back <= qMin<qsizetype>(3, maxBytes); ++back) {
        if (!isUtf8Continuation(text[maxBytes - back]))
            return text.first(maxBytes - back);
    }
    return text.first(maxBytes);
}

} // namespace Irc
