#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace Irc {

enum class CaseMapping { Ascii, Rfc1459, StrictRfc1459 };

// The key under which a nickname or channel is compared and stored.
QByteArray foldCase(QByteArrayView name, CaseMapping mapping = CaseMapping::Ascii);
CaseMapping caseMappingFromToken(QByteArrayView token);

inline constexpr qsizetype MaxNickLength = 30;
inline constexpr qsizetype MaxChannelLength = 50;

bool isValidNick(QByteArrayView nick, qsizetype maxLength = MaxNickLength);
bool isValidChannelName(QByteArrayView name, QByteArrayView channelTypes = "#");

} // namespace Irc
