#pragma once

#include <QAbstractListModel>
#include <QDateTime>
#include <QString>
#include <QTimer>

#include <deque>

namespace App {

enum class LogLevel { Debug, Info, Warning, Error };

struct LogEntry
{
    QDateTime time;
    LogLevel level;
    QString thread;
    QString text;
};

// The lines of the live log, capped and batched. A busy server logs tens of thousands of lines
// per second: append() only queues, and a timer moves the queue into the model in one
// insertion (and the overflow out in one removal), so views re-layout a few times per second
// instead of once per line. Lives in, and is fed from, the GUI thread.
class LogModel : public QAbstractListModel
{
    Q_OBJECT

public:
    enum Role {
        LevelRole = Qt::UserRole + 1, // int(LogLevel)
        ThreadRole,
        TextRole, // as received, unescaped
        TimeRole,
    };

    static constexpr int DefaultLineCap = 10000;
    static constexpr int FlushIntervalMs = 80;
    // Longer text is cut before display: laying out megabytes per painted row would stall.
    static constexpr int MaxDisplayChars = 2000;

    explicit LogModel(QObject *parent = nullptr);

    // O(1); the line shows up at the next flush().
    void append(LogLevel level, const QString &thread, const QString &text);
    void flush();
    void setLineCap(int cap);
    int lineCap() const { return m_lineCap; }
    void clear();

    const LogEntry &entry(int row) const { return m_rows[size_t(row)]; }
    // One line, control characters escaped, full length: what saveTo() writes.
    QString formatted(int row) const;
    int pendingCount() const { return int(m_pending.size()); }
    // Lines dropped by the cap since the last clear().
    quint64 droppedCount() const { return m_dropped; }
    // Each line that enters the model gets the next serial; a view uses it to find a row again
    // after older rows were dropped.
    quint64 serialAt(int row) const { return m_firstSerial + quint64(row); }
    int rowForSerial(quint64 serial) const;

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

    static QString levelName(LogLevel level);
    // Makes text that came from the network inert: control characters, line and paragraph
    // separators and bidi overrides become visible escapes such as "\x1B" or "\u202E", so a
    // peer cannot fake extra log lines, reorder text or drive a terminal reading a saved log.
    static QString escaped(QStringView text);

Q_SIGNALS:
    // Around each batch, so a view can remember and restore what the user was looking at.
    void aboutToFlush();
    void flushed();

private:
    QString line(const LogEntry &entry, qsizetype maxTextChars) const;
    void dropOldest(int count);

    std::deque<LogEntry> m_rows;
    std::deque<LogEntry> m_pending;
    QTimer m_flushTimer;
    int m_lineCap = DefaultLineCap;
    quint64 m_firstSerial = 0; // serial of row 0
    quint64 m_dropped = 0;
};

} // namespace App
