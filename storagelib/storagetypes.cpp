#include "storagelib/storagetypes.h"

#include "protocol/names.h"

#include <QCoreApplication>

namespace Storage {

namespace {

QString referenceProblem(const Reference &reference)
{
    switch (reference.kind) {
    case Reference::Kind::None:
        return QStringLiteral("a reference (msgid or timestamp) is required");
    case Reference::Kind::MessageId:
        if (reference.msgid.isEmpty() || reference.msgid.size() > MaxKeyLength)
            return QStringLiteral("the msgid is empty or too long");
        return {};
    case Reference::Kind::Time:
        if (reference.timeMs < MinTimeMs || reference.timeMs > MaxTimeMs)
            return QStringLiteral("the timestamp is out of range");
        return {};
    }
    return QStringLiteral("unknown reference kind");
}

QString limitProblem(int limit)
{
    return limit < 1 ? QStringLiteral("the limit must be at least 1") : QString();
}

} // namespace

QByteArray conversationTarget(QByteArrayView accountA, QByteArrayView accountB)
{
    QByteArray a = Irc::foldCase(accountA);
    QByteArray b = Irc::foldCase(accountB);
    if (b < a)
        std::swap(a, b);
    return a + ',' + b;
}

QByteArray channelTarget(QByteArrayView channel)
{
    return Irc::foldCase(channel);
}

QString HistoryQuery::problem() const
{
    if (target.isEmpty() || target.size() > MaxKeyLength)
        return QStringLiteral("the target is empty or too long");
    if (const QString problem = limitProblem(limit); !problem.isEmpty())
        return problem;
    if (kind == Kind::Latest)
        return from.kind == Reference::Kind::None ? QString() : referenceProblem(from);
    if (const QString problem = referenceProblem(from); !problem.isEmpty())
        return problem;
    return kind == Kind::Between ? referenceProblem(to) : QString();
}

QString TargetsQuery::problem() const
{
    if (const QString problem = referenceProblem(Reference::time(fromMs)); !problem.isEmpty())
        return problem;
    if (const QString problem = referenceProblem(Reference::time(toMs)); !problem.isEmpty())
        return problem;
    if (account.size() > MaxKeyLength)
        return QStringLiteral("the account is too long");
    if (channels.size() > MaxQueryLimit)
        return QStringLiteral("too many channels");
    return limitProblem(limit);
}

} // namespace Storage
