#include "protocol/isupport.h"

namespace Irc {

namespace {

void applyPrefix(ISupport &support, QByteArrayView value)
{
    // PREFIX=(ov)@+
    const qsizetype close = value.indexOf(')');
    if (!value.startsWith('(') || close < 0 || value.size() - close - 1 != close - 1)
        return;
    support.prefixModes = value.sliced(1, close - 1).toByteArray();
    support.prefixSymbols = value.sliced(close + 1).toByteArray();
}

} // namespace

void ISupport::apply(const QList<QByteArray> &tokens)
{
    for (const QByteArray &token : tokens) {
        const qsizetype equals = token.indexOf('=');
        const QByteArrayView key = QByteArrayView(token).first(equals < 0 ? token.size() : equals);
        const QByteArrayView value
            = equals < 0 ? QByteArrayView() : QByteArrayView(token).sliced(equals + 1);
        if (key == "PREFIX")
            applyPrefix(*this, value);
        else if (key == "CHANTYPES")
            channelTypes = value.toByteArray();
        else if (key == "CASEMAPPING")
            caseMapping = Irc::caseMappingFromToken(value);
        else if (key == "NICKLEN" && value.toInt() > 0)
            nickLength = value.toInt();
        else if (key == "NETWORK")
            network = value.toByteArray();
    }
}

bool ISupport::isChannel(QByteArrayView target) const
{
    return !target.isEmpty() && channelTypes.contains(target[0]);
}

QByteArrayView ISupport::stripPrefixes(QByteArrayView nameEntry, QByteArray *symbols) const
{
    qsizetype i = 0;
    while (i < nameEntry.size() && prefixSymbols.contains(nameEntry[i]))
        ++i;
    if (symbols)
        *symbols = nameEntry.first(i).toByteArray();
    return nameEntry.sliced(i);
}

} // namespace Irc
