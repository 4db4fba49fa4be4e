#include "loadlib/payload.h"

#include <QStringBuilder> // operator+ on QByteArray under QT_USE_QSTRINGBUILDER

namespace Load {

namespace {

constexpr char Marker[] = "load ";

// Parses the decimal number at `pos` and moves `pos` past it and one following space.
// A hand-written loop because this runs once per delivery.
std::optional<quint64> takeNumber(QByteArrayView text, qsizetype &pos)
{
    const qsizetype start = pos;
    quint64 value = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9')
        value = value * 10 + quint64(text[pos++] - '0');
    if (pos == start || pos - start > 19)
        return std::nullopt;
    if (pos < text.size() && text[pos] == ' ')
        ++pos;
    return value;
}

} // namespace

QByteArray Payload::toText() const
{
    return QByteArray(Marker) + QByteArray::number(sender) + ' ' + QByteArray::number(sequence)
        + ' ' + QByteArray::number(sentNs);
}

std::optional<Payload> Payload::fromText(QByteArrayView text)
{
    if (!text.startsWith(Marker))
        return std::nullopt;
    qsizetype pos = qsizetype(sizeof(Marker)) - 1;
    const std::optional<quint64> sender = takeNumber(text, pos);
    const std::optional<quint64> sequence = takeNumber(text, pos);
    const std::optional<quint64> sentNs = takeNumber(text, pos);
    if (!sender || !sequence || !sentNs || pos != text.size())
        return std::nullopt;
    return Payload {quint32(*sender), quint32(*sequence), qint64(*sentNs)};
}

} // namespace Load
