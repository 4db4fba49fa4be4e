#include "protocol/names.h"

namespace Irc {

namespace {

bool isLetter(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

bool isNickSpecial(char c)
{
    return QByteArrayView("[]\\`_^{|}").contains(c);
}

char foldChar(char c, CaseMapping mapping)
{
    if (c >= 'A' && c <= 'Z')
        return char(c + ('a' - 'A'));
    if (mapping == CaseMapping::Ascii)
        return c;
    switch (c) {
    case '[':
        return '{';
    case ']':
        return '}';
    case '\\':
        return '|';
    case '~':
        return mapping == CaseMapping::Rfc1459 ? '^' : c;
    default:
        return c;
    }
}

} // namespace

QByteArray foldCase(QByteArrayView name, CaseMapping mapping)
{
    QByteArray folded(name.size(), Qt::Uninitialized);
    for (qsizetype i = 0; i < name.size(); ++i)
        folded[i] = foldChar(name[i], mapping);
    return folded;
}

CaseMapping caseMappingFromToken(QByteArrayView token)
{
    if (token == "ascii")
        return CaseMapping::Ascii;
    if (token == "strict-rfc1459")
        return CaseMapping::StrictRfc1459;
    return CaseMapping::Rfc1459;
}

QByteArrayView caseMappingToken(CaseMapping mapping)
{
    switch (mapping) {
    case CaseMapping::Ascii:
        return "ascii";
    case CaseMapping::StrictRfc1459:
        return "strict-rfc1459";
    case CaseMapping::Rfc1459:
        break;
    }
    return "rfc1459";
}

bool isValidNick(QByteArrayView nick, qsizetype maxLength)
{
    if (nick.isEmpty() || nick.size() > maxLength)
        return false;
    if (!isLetter(nick[0]) && !isNickSpecial(nick[0]))
        return false;
    for (char c : nick.sliced(1)) {
        if (!isLetter(c) && !isDigit(c) && !isNickSpecial(c) && c != '-')
            return false;
    }
    return true;
}

bool isValidChannelName(QByteArrayView name, QByteArrayView channelTypes)
{
    if (name.size() < 2 || name.size() > MaxChannelLength || !isChannelTarget(name, channelTypes))
        return false;
    for (char c : name) {
        if (c == ' ' || c == ',' || c == '\a' || c == ':' || c == '\0' || c == '\r' || c == '\n')
            return false;
    }
    return true;
}

bool isChannelTarget(QByteArrayView target, QByteArrayView channelTypes)
{
    return !target.isEmpty() && channelTypes.contains(target[0]);
}

} // namespace Irc
