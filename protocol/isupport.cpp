#include "protocol/isupport.h"

#include "protocol/modes.h"

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

void applyChannelModes(ISupport &support, QByteArrayView value)
{
    // CHANMODES=b,k,l,imnst; servers may add groups after the fourth, which are ignored.
    const QList<QByteArray> groups = value.toByteArray().split(',');
    support.channelModes = {groups.value(0), groups.value(1), groups.value(2), groups.value(3)};
}

qsizetype positiveNumber(QByteArrayView value, qsizetype fallback)
{
    const qsizetype number = value.toLongLong();
    return number > 0 ? number : fallback;
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
        else if (key == "CHANMODES")
            applyChannelModes(*this, value);
        else if (key == "CHANTYPES")
            channelTypes = value.toByteArray();
        else if (key == "CASEMAPPING")
            caseMapping = Irc::caseMappingFromToken(value);
        else if (key == "NICKLEN")
            nickLength = positiveNumber(value, nickLength);
        else if (key == "CHANNELLEN")
            channelLength = positiveNumber(value, channelLength);
        else if (key == "TOPICLEN")
            topicLength = positiveNumber(value, topicLength);
        else if (key == "NETWORK")
            network = value.toByteArray();
        else
            otherTokens.append(token);
    }
}

QList<QByteArray> ISupport::tokens() const
{
    const ChannelModes &modes = channelModes;
    QList<QByteArray> list {
        "CASEMAPPING=" + Irc::caseMappingToken(caseMapping).toByteArray(),
        "CHANTYPES=" + channelTypes,
        "PREFIX=(" + prefixModes + ')' + prefixSymbols,
        "CHANMODES=" + modes.lists + ',' + modes.withParameter + ',' + modes.withParameterWhenSet
            + ',' + modes.flags,
        "NICKLEN=" + QByteArray::number(nickLength),
        "CHANNELLEN=" + QByteArray::number(channelLength),
    };
    if (topicLength > 0)
        list.append("TOPICLEN=" + QByteArray::number(topicLength));
    if (!network.isEmpty())
        list.append("NETWORK=" + network);
    return list + otherTokens;
}

bool ISupport::isChannel(QByteArrayView target) const
{
    return Irc::isChannelTarget(target, channelTypes);
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

char ISupport::prefixSymbolFor(char mode) const
{
    const qsizetype index = prefixModes.indexOf(mode);
    return index >= 0 && index < prefixSymbols.size() ? prefixSymbols.at(index) : '\0';
}

bool ISupport::takesParameter(char mode, bool adding) const
{
    const ChannelModes &modes = channelModes;
    return prefixModes.contains(mode) || modes.lists.contains(mode)
        || modes.withParameter.contains(mode)
        || (adding && modes.withParameterWhenSet.contains(mode));
}

ISupport qtChatSupport(int maxChannelsPerClient)
{
    const ChannelModeTypes modes;
    ISupport support;
    support.prefixModes = modes.prefix;
    support.prefixSymbols = QByteArray(1, Irc::OperatorPrefix) + Irc::VoicePrefix;
    support.channelModes = {modes.list, modes.always, modes.whenSet, modes.flags};
    support.channelTypes = Irc::QtChatChannelTypes;
    support.caseMapping = Irc::QtChatCaseMapping;
    support.nickLength = Irc::MaxNickLength;
    support.channelLength = Irc::MaxChannelLength;
    support.topicLength = Irc::MaxTopicLength;
    support.network = "QtChat";
    const QByteArray channelCap
        = maxChannelsPerClient > 0 ? QByteArray::number(maxChannelsPerClient) : QByteArray();
    support.otherTokens = {"MODES=" + QByteArray::number(MaxModeChangesPerLine),
                           "CHANLIMIT=" + support.channelTypes + ':' + channelCap,
                           "MAXLIST=b:" + QByteArray::number(MaxBans),
                           "KEYLEN=" + QByteArray::number(MaxKeyLength)};
    return support;
}

} // namespace Irc
