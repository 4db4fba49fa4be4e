#include "protocol/linesplitter.h"

#include <algorithm>

namespace Irc {

namespace {

bool isTerminator(char c)
{
    return c == '\r' || c == '\n';
}

} // namespace

LineSplitter::LineSplitter(qsizetype maxLineBytes, qsizetype maxUnterminated)
    : m_maxContent(maxLineBytes - 2), m_maxUnterminated(maxUnterminated)
{ }

void LineSplitter::append(QByteArrayView data)
{
    if (m_overflowed || data.isEmpty())
        return;
    compact();
    m_buffer.append(data);
}

bool LineSplitter::next(Line *line)
{
    for (;;) {
        const char *begin = m_buffer.constData() + m_start;
        const char *end = m_buffer.constData() + m_buffer.size();
        const char *terminator = std::find_if(begin + m_scanned, end, isTerminator);
        if (terminator == end) {
            if (begin == end) {
                releaseBuffer();
                return false;
            }
            m_scanned = end - begin;
            m_overflowed = m_overflowed || m_scanned > m_maxUnterminated;
            return false;
        }
        const qsizetype length = terminator - begin;
        const qsizetype consumed = length + 1;
        m_scanned = 0;
        if (length == 0) { // empty line, or the LF of a CR LF pair
            m_start += consumed;
            continue;
        }
        line->tooLong = length > m_maxContent;
        line->text = line->tooLong ? QByteArray() : QByteArray(begin, length);
        m_start += consumed;
        return true;
    }
}

void LineSplitter::clear()
{
    m_buffer.clear();
    m_start = 0;
    m_scanned = 0;
    m_overflowed = false;
}

void LineSplitter::releaseBuffer()
{
    // Everything was consumed: a client that once sent a large chunk keeps no buffer while idle.
    m_buffer = QByteArray();
    m_start = 0;
    m_scanned = 0;
}

void LineSplitter::compact()
{
    if (m_start == 0)
        return;
    m_buffer.remove(0, m_start);
    m_start = 0;
}

} // namespace Irc
