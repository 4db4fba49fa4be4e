#pragma once

#include "protocol/names.h"

#include <QByteArray>
#include <QList>

namespace Irc {

// What a server announced in its 005 (RPL_ISUPPORT) lines, with RFC defaults until it does.
struct ISupport
{
    QByteArray prefixModes = "ov";
    QByteArray prefixSymbols = "@+";
    QByteArray channelTypes = "#&";
    Irc::CaseMapping caseMapping = Irc::CaseMapping::Rfc1459;
    qsizetype nickLength = 9;
    QByteArray network;

    // Takes the tokens of one 005 line: its parameters without the target and the trailing text.
    void apply(const QList<QByteArray> &tokens);

    bool isChannel(QByteArrayView target) const;
    // Splits `@+nick` into its prefix symbols and the nick.
    QByteArrayView stripPrefixes(QByteArrayView nameEntry, QByteArray *symbols = nullptr) const;
};

} // namespace Irc
