#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace Irc {

enum class CaseMapping { Ascii, Rfc1459, StrictRfc1459 };

// QtChat's own name rules. Its server enforces them and advertises them in 005 (see
// qtChatSupport() in isupport.h), so they are stated once, here.
inline constexpr CaseMapping QtChatCaseMapping = CaseMapping::Ascii;
inline constexpr char QtChatChannelTypes[] = "#";
inline constexpr qsizetype MaxNickLength = 30;
inline constexpr qsizetype MaxChannelLength = 50;
inline constexpr qsizetype MaxTopicLength = 390;
// Channel statuses: operator (a channel's first member is one) and voice.
inline constexpr char OperatorMode = 'o';
inline constexpr char OperatorPrefix = '@';
inline constexpr char VoicePrefix = '+';

// The key under which a nickname or channel is compared and stored.
QByteArray foldCase(QByteArrayView name, CaseMapping mapping = QtChatCaseMapping);
CaseMapping caseMappingFromToken(QByteArrayView token);
QByteArrayView caseMappingToken(CaseMapping mapping);

bool isValidNick(QByteArrayView nick, qsizetype maxLength = MaxNickLength);
bool isValidChannelName(QByteArrayView name, QByteArrayView channelTypes = QtChatChannelTypes);
// Whether a message target names a channel rather than a nick.
bool isChannelTarget(QByteArrayView target, QByteArrayView channelTypes = QtChatChannelTypes);

} // namespace Irc
