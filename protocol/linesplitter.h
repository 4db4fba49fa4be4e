#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace Irc {

// Cuts a byte stream into IRC lines. Accepts CR LF, bare LF and bare CR; skips empty lines.
// Memory stays bounded: a line longer than the limit is reported and dropped, and a stream
// that goes on for `maxUnterminated` bytes without any line end marks the splitter overflowed.
class LineSplitter
{
public:
    struct Line
    {
        QByteArray text; // without the terminator; empty when tooLong
        bool tooLong = false;
    };

    explicit LineSplitter(qsizetype maxLineBytes = 512, qsizetype maxUnterminated = 8192);

    void append(QByteArrayView data);
    // The next complete line, or false when none is buffered.
    bool next(Line *line);

    bool overflowed() const { return m_overflowed; }
    qsizetype bufferedBytes() const { return m_buffer.size() - m_start; }
    void clear();

private:
    void compact();
    void releaseBuffer();

    QByteArray m_buffer;
    qsizetype m_start = 0; // first byte not yet returned
    qsizetype m_scanned = 0; // bytes after m_start already known to hold no terminator
    qsizetype m_maxContent;
    qsizetype m_maxUnterminated;
    bool m_overflowed = false;
};

} // namespace Irc
