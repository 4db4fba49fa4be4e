#pragma once

#include "protocol/names.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

namespace Irc {

// Channel mode letters by how they take a parameter: the four CHANMODES groups of 005 and the
// PREFIX modes. The defaults are QtChat's own modes.
struct ChannelModeTypes
{
    QByteArray list = "b"; // a mask to add or remove; without one, a query of the list
    QByteArray always = "k"; // a parameter both ways
    QByteArray whenSet = "l"; // a parameter only when set
    QByteArray flags = "imnst"; // never a parameter
    QByteArray prefix = "ov"; // a nick both ways

    QByteArray chanModesToken() const; // "b,k,l,imnst"
    QByteArray allModes() const; // every letter, for 004
};

struct ModeChange
{
    bool adding = true;
    char mode = 0;
    QByteArray param;
    bool operator==(const ModeChange &) const = default;
};

struct ParsedModes
{
    QList<ModeChange> changes; // in the order given, at most the cap
    QByteArray unknown; // letters of no group, each once
    QByteArray listQueries; // list modes given without a mask, each once
};

// At most this many changes of one MODE line are applied; the rest is ignored (005 MODES).
inline constexpr qsizetype MaxModeChangesPerLine = 6;
// The longest ban mask kept; longer ones are cut.
inline constexpr qsizetype MaxMaskLength = 120;
// A channel keeps at most this many bans (005 MAXLIST).
inline constexpr qsizetype MaxBans = 100;
inline constexpr qsizetype MaxKeyLength = 23; // 005 KEYLEN

// `modeString` is a line's mode string (`+ok-v`), `args` the parameters after it. A change
// whose parameter is missing is dropped.
ParsedModes parseModeChanges(QByteArrayView modeString, const QList<QByteArray> &args,
                             const ChannelModeTypes &types = {},
                             qsizetype maxChanges = MaxModeChangesPerLine);
// The parameters of a MODE line that announces `changes`: the mode string, then the arguments.
QList<QByteArray> formatModeChanges(const QList<ModeChange> &changes);

// `nick`, `nick!user`, `user@host` and `nick!user@host` all become a full mask.
QByteArray normalizedMask(QByteArrayView mask);
// Glob match of `*` (any run) and `?` (one character) under `mapping`. Takes time proportional
// to the product of the lengths at worst, never exponential.
bool maskMatches(QByteArrayView mask, QByteArrayView text,
                 CaseMapping mapping = CaseMapping::Ascii);

} // namespace Irc
