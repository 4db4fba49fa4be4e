#pragma once

#include "protocol/names.h"

#include <QByteArray>
#include <QList>

namespace Irc {

// What a server announced in its 005 (RPL_ISUPPORT) lines, with RFC defaults until it does.
struct ISupport
{
    // CHANMODES=A,B,C,D: which channel modes take a parameter in a MODE line.
    struct ChannelModes
    {
        QByteArray lists; // A: always a parameter (a mask), e.g. b
        QByteArray withParameter; // B: always a parameter, e.g. k
        QByteArray withParameterWhenSet; // C: a parameter only with +, e.g. l
        QByteArray flags; // D: never a parameter, e.g. imnst
    };

    QByteArray prefixModes = "ov";
    QByteArray prefixSymbols = "@+";
    ChannelModes channelModes {"b", "k", "l", "imnpst"};
    QByteArray channelTypes = "#&";
    Irc::CaseMapping caseMapping = Irc::CaseMapping::Rfc1459;
    qsizetype nickLength = 9;
    qsizetype channelLength = 200;
    qsizetype topicLength = 0; // 0: not announced
    QByteArray network;
    QList<QByteArray> otherTokens; // those not read into the fields above, as they came

    // Takes the tokens of one 005 line: its parameters without the target and the trailing text.
    void apply(const QList<QByteArray> &tokens);
    // The tokens a server sends for these values; apply() reads them back unchanged.
    QList<QByteArray> tokens() const;

    bool isChannel(QByteArrayView target) const;
    // Splits `@+nick` into its prefix symbols and the nick.
    QByteArrayView stripPrefixes(QByteArrayView nameEntry, QByteArray *symbols = nullptr) const;
    // The symbol (`@`) for a status mode (`o`), or 0 when `mode` gives no status.
    char prefixSymbolFor(char mode) const;
    // Whether `mode` consumes a parameter of a MODE line when set (`adding`) or unset.
    bool takesParameter(char mode, bool adding) const;
};

// What QtChat's server supports: the name rules of names.h and the channel modes of modes.h.
// `maxChannelsPerClient` (0: no cap) goes into CHANLIMIT.
ISupport qtChatSupport(int maxChannelsPerClient = 20);

} // namespace Irc
