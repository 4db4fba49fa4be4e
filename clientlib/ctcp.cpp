#include "clientlib/ctcp.h"

namespace Client {

namespace Ctcp {

namespace {
constexpr char Delimiter = '\x01';
}

QByteArray encode(QByteArrayView command, QByteArrayView body)
{
    QByteArray out;
    out.reserve(command.size() + body.size() + 3);
    out += Delimiter;
    out += command;
    if (!body.isEmpty()) {
        out += ' ';
        out += body;
    }
    out += Delimiter;
    return out;
}

std::optional<Message> decode(QByteArrayView text)
{
    if (!text.startsWith(Delimiter))
        return std::nullopt;
    text = text.sliced(1);
    if (text.endsWith(Delimiter))
        text.chop(1);
    const qsizetype space = text.indexOf(' ');
    if (space < 0)
        return Message {text.toByteArray().toUpper(), QByteArray()};
    return Message {text.first(space).toByteArray().toUpper(),
                    text.sliced(space + 1).toByteArray()};
}

} // namespace Ctcp

} // namespace Client
