#pragma once

#include <QHash>

#include <map>

namespace Load {

// One receiver's view of every sender it hears: the server must deliver each sender's lines
// exactly once and in the order they were sent.
class SequenceChecker
{
public:
    enum class Verdict {
        InOrder,
        OutOfOrder, // skipped ahead of, or arrived after, a line it should have followed
        Duplicate,
    };

    Verdict record(quint32 sender, quint32 sequence);
    // Distinct lines received from `sender`.
    quint64 uniqueFrom(quint32 sender) const;
    // Lines, from every sender, that a later line overtook and that have not arrived (yet):
    // lost, unless they still turn up out of order.
    quint64 missing() const { return m_missing; }

private:
    struct Stream
    {
        quint32 next = 0; // the sequence number expected next
        quint64 unique = 0;
        // The sequence numbers below `next` not received, as [first, end) ranges. Holes rather
        // than a bit per line: in-order traffic keeps this empty, so memory stays flat however
        // long a run lasts (the app's load lab runs until stopped), and it still tells a
        // duplicate from a late line.
        std::map<quint32, quint32> holes;
    };

    static Verdict recordLate(Stream &stream, quint32 sequence);

    QHash<quint32, Stream> m_streams;
    quint64 m_missing = 0;
};

} // namespace Load
