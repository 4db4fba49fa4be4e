#include "protocol/messagetags.h"

#include <QHash>

#include <algorithm>
#include <cstdio>

namespace Irc {

namespace {

bool isNameChar(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
}

bool isVendorChar(char c)
{
    return isNameChar(c) || c == '.';
}

// Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm): QDateTime would cost
// a time-zone lookup per relayed line.
void civilFromDays(qint64 days, int *year, int *month, int *day)
{
    days += 719468;
    const qint64 era = (days >= 0 ? days : days - 146096) / 146097;
    const qint64 dayOfEra = days - era * 146097;
    const qint64 yearOfEra
        = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365;
    const qint64 dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
    const qint64 monthIndex = (5 * dayOfYear + 2) / 153;
    *day = int(dayOfYear - (153 * monthIndex + 2) / 5 + 1);
    *month = int(monthIndex < 10 ? monthIndex + 3 : monthIndex - 9);
    *year = int(yearOfEra + era * 400 + (*month <= 2 ? 1 : 0));
}

} // namespace

TaggedLine splitTags(QByteArrayView line)
{
    if (!line.startsWith('@'))
        return {{}, line};
    const qsizetype space = line.indexOf(' ');
    if (space < 0)
        return {line.sliced(1), {}};
    qsizetype body = space;
    while (body < line.size() && line[body] == ' ')
        ++body;
    return {line.sliced(1, space - 1), line.sliced(body)};
}

MessageTags parseTags(QByteArrayView tagData)
{
    MessageTags tags;
    QHash<QByteArray, qsizetype> indexOf; // a hash: thousands of tiny tags stay linear
    qsizetype start = 0;
    while (start <= tagData.size()) {
        qsizetype end = tagData.indexOf(';', start);
        if (end < 0)
            end = tagData.size();
        const QByteArrayView item = tagData.sliced(start, end - start);
        start = end + 1;
        const qsizetype equals = item.indexOf('=');
        const QByteArrayView key = equals < 0 ? item : item.first(equals);
        if (!isValidTagKey(key))
            continue;
        QByteArray value = equals < 0 ? QByteArray() : unescapeTagValue(item.sliced(equals + 1));
        const QByteArray name = key.toByteArray();
        const auto same = indexOf.constFind(name);
        if (same != indexOf.cend()) {
            tags[*same].value = std::move(value);
        } else {
            indexOf.insert(name, tags.size());
            tags.append({name, std::move(value)});
        }
    }
    return tags;
}

QByteArray serializeTags(const MessageTags &tags)
{
    QByteArray out;
    for (const MessageTag &tag : tags) {
        if (!out.isEmpty())
            out += ';';
        out += tag.key;
        if (!tag.value.isEmpty())
            out += '=' + escapeTagValue(tag.value);
    }
    return out;
}

QByteArray escapeTagValue(QByteArrayView value)
{
    QByteArray out;
    out.reserve(value.size());
    for (char c : value) {
        switch (c) {
        case ';':
            out += "\\:";
            break;
        case ' ':
            out += "\\s";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\n':
            out += "\\n";
            break;
        default:
            out += c;
        }
    }
    return out;
}

QByteArray unescapeTagValue(QByteArrayView escaped)
{
    QByteArray out;
    out.reserve(escaped.size());
    for (qsizetype i = 0; i < escaped.size(); ++i) {
        const char c = escaped[i];
        if (c != '\\') {
            out += c;
            continue;
        }
        if (++i == escaped.size())
            break;
        switch (escaped[i]) {
        case ':':
            out += ';';
            break;
        case 's':
            out += ' ';
            break;
        case 'r':
            out += '\r';
            break;
        case 'n':
            out += '\n';
            break;
        default:
            out += escaped[i]; // `\\` and unknown escapes
        }
    }
    return out;
}

bool isValidTagKey(QByteArrayView key)
{
    if (key.startsWith('+'))
        key = key.sliced(1);
    const qsizetype slash = key.lastIndexOf('/');
    const QByteArrayView vendor = slash < 0 ? QByteArrayView() : key.first(slash);
    const QByteArrayView name = key.sliced(slash + 1);
    if (name.isEmpty() || (slash >= 0 && vendor.isEmpty()))
        return false;
    return std::all_of(name.begin(), name.end(), isNameChar)
        && std::all_of(vendor.begin(), vendor.end(), isVendorChar);
}

std::optional<QByteArray> tagValue(const MessageTags &tags, QByteArrayView key)
{
    for (const MessageTag &tag : tags) {
        if (tag.key == key)
            return tag.value;
    }
    return std::nullopt;
}

QByteArray formatServerTime(qint64 msecsSinceEpoch)
{
    const qint64 days
        = (msecsSinceEpoch >= 0 ? msecsSinceEpoch : msecsSinceEpoch - 86'399'999) / 86'400'000;
    const qint64 msOfDay = msecsSinceEpoch - days * 86'400'000;
    int year = 0, month = 0, day = 0;
    civilFromDays(days, &year, &month, &day);
    char text[32];
    const int length
        = std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", year, month, day,
                        int(msOfDay / 3'600'000), int(msOfDay / 60'000 % 60),
                        int(msOfDay / 1000 % 60), int(msOfDay % 1000));
    return QByteArray(text, length);
}

} // namespace Irc
