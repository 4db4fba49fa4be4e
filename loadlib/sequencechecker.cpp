#include "loadlib/sequencechecker.h"

namespace Load {

SequenceChecker::Verdict SequenceChecker::record(quint32 sender, quint32 sequence)
{
    Stream &stream = m_streams[sender];
    if (sequence < stream.next) {
        const Verdict verdict = recordLate(stream, sequence);
        if (verdict != Verdict::Duplicate) {
            ++stream.unique;
            --m_missing;
        }
        return verdict;
    }
    const bool inOrder = sequence == stream.next;
    if (!inOrder) {
        stream.holes.emplace(stream.next, sequence);
        m_missing += sequence - stream.next;
    }
    stream.next = sequence + 1;
    ++stream.unique;
    return inOrder ? Verdict::InOrder : Verdict::OutOfOrder;
}

// A line below `next`: it fills a hole (late) or was seen before (duplicate).
SequenceChecker::Verdict SequenceChecker::recordLate(Stream &stream, quint32 sequence)
{
    auto hole = stream.holes.upper_bound(sequence);
    if (hole == stream.holes.begin())
        return Verdict::Duplicate;
    --hole;
    const quint32 first = hole->first;
    const quint32 end = hole->second;
    if (sequence >= end)
        return Verdict::Duplicate;
    stream.holes.erase(hole);
    if (first < sequence)
        stream.holes.emplace(first, sequence);
    if (sequence + 1 < end)
        stream.holes.emplace(sequence + 1, end);
    return Verdict::OutOfOrder;
}

quint64 SequenceChecker::uniqueFrom(quint32 sender) const
{
    const auto it = m_streams.constFind(sender);
    return it == m_streams.cend() ? 0 : it->unique;
}

} // namespace Load
