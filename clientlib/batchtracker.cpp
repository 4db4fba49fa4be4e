#include "clientlib/batchtracker.h"

namespace Client {

namespace {

// A server that opens batches and never closes them cannot grow this without bound; lines of
// a batch not tracked are handled as if they stood alone.
constexpr qsizetype MaxOpenBatches = 64;

} // namespace

QByteArray BatchTracker::labelOf(const Irc::MessageTags &tags) const
{
    if (const std::optional<QByteArray> label = Irc::tagValue(tags, Irc::Tag::Label))
        return *label;
    return m_open.value(Irc::tagValue(tags, Irc::Tag::Batch).value_or(QByteArray())).label;
}

QByteArray BatchTracker::typeOf(const Irc::MessageTags &tags) const
{
    return m_open.value(Irc::tagValue(tags, Irc::Tag::Batch).value_or(QByteArray())).type;
}

QByteArray BatchTracker::apply(const Irc::IrcMessage &message, const Irc::MessageTags &tags)
{
    const QByteArray reference = message.param(0);
    if (reference.size() < 2)
        return {};
    const QByteArray name = reference.mid(1);
    if (reference.startsWith('+')) {
        if (m_open.size() < MaxOpenBatches)
            m_open.insert(name,
                          {message.param(1), labelOf(tags),
                           Irc::tagValue(tags, Irc::Tag::Label).has_value()});
        return {};
    }
    if (!reference.startsWith('-'))
        return {};
    const Batch closed = m_open.take(name);
    return closed.labeled ? closed.label : QByteArray();
}

} // namespace Client
