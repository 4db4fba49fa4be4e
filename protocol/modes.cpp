#include "protocol/modes.h"

#include <optional>

namespace Irc {

namespace {

bool takesParam(const ChannelModeTypes &types, char mode, bool adding)
{
    return types.always.contains(mode) || types.prefix.contains(mode)
        || (adding && types.whenSet.contains(mode));
}

bool isKnown(const ChannelModeTypes &types, char mode)
{
    return types.allModes().contains(mode);
}

void addOnce(QByteArray &letters, char mode)
{
    if (!letters.contains(mode))
        letters += mode;
}

} // namespace

QByteArray ChannelModeTypes::chanModesToken() const
{
    return list + ',' + always + ',' + whenSet + ',' + flags;
}

QByteArray ChannelModeTypes::allModes() const
{
    return list + always + whenSet + flags + prefix;
}

ParsedModes parseModeChanges(QByteArrayView modeString, const QList<QByteArray> &args,
                             const ChannelModeTypes &types, qsizetype maxChanges)
{
    ParsedModes parsed;
    bool adding = true;
    qsizetype nextArg = 0;
    for (char mode : modeString) {
        if (mode == '+' || mode == '-') {
            adding = mode == '+';
            continue;
        }
        if (!isKnown(types, mode)) {
            addOnce(parsed.unknown, mode);
            continue;
        }
        const bool isList = types.list.contains(mode);
        const bool hasArg = nextArg < args.size();
        if (isList && !hasArg) {
            addOnce(parsed.listQueries, mode);
            continue;
        }
        const bool needsArg = isList || takesParam(types, mode, adding);
        if (needsArg && !hasArg)
            continue;
        if (parsed.changes.size() >= maxChanges)
            break;
        parsed.changes.append({adding, mode, needsArg ? args.at(nextArg++) : QByteArray()});
    }
    return parsed;
}

QList<QByteArray> formatModeChanges(const QList<ModeChange> &changes)
{
    QByteArray modeString;
    QList<QByteArray> params {QByteArray()};
    std::optional<bool> adding;
    for (const ModeChange &change : changes) {
        if (adding != change.adding) {
            adding = change.adding;
            modeString += change.adding ? '+' : '-';
        }
        modeString += change.mode;
        if (!change.param.isEmpty())
            params.append(change.param);
    }
    params.first() = modeString;
    return params;
}

QByteArray normalizedMask(QByteArrayView mask)
{
    const QByteArrayView cut = mask.first(qMin(mask.size(), MaxMaskLength));
    const qsizetype bang = cut.indexOf('!');
    const qsizetype at = cut.indexOf('@');
    if (bang < 0 && at < 0)
        return cut.toByteArray() + "!*@*";
    if (bang < 0)
        return "*!" + cut.toByteArray();
    if (at < 0)
        return cut.toByteArray() + "@*";
    return cut.toByteArray();
}

bool maskMatches(QByteArrayView mask, QByteArrayView text, CaseMapping mapping)
{
    const QByteArray m = foldCase(mask, mapping);
    const QByteArray t = foldCase(text, mapping);
    // Greedy with one resume point: a later star supersedes an earlier one, so each text
    // position is retried at most once per star.
    qsizetype mi = 0, ti = 0, starMi = -1, starTi = 0;
    while (ti < t.size()) {
        if (mi < m.size() && (m[mi] == '?' || (m[mi] != '*' && m[mi] == t[ti]))) {
            ++mi;
            ++ti;
        } else if (mi < m.size() && m[mi] == '*') {
            starMi = mi++;
            starTi = ti;
        } else if (starMi >= 0) {
            mi = starMi + 1;
            ti = ++starTi;
        } else {
            return false;
        }
    }
    while (mi < m.size() && m[mi] == '*')
        ++mi;
    return mi == m.size();
}

} // namespace Irc
