#include "app/logmodel.h"

#include <QColor>

#include <algorithm>
#include <iterator>

namespace App {

namespace {

// C0, DEL and C1 controls, the Unicode line/paragraph separators (item delegates break lines
// at U+2028), and the bidi marks, embeddings, overrides and isolates that reorder text.
bool needsEscape(char16_t c)
{
    return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x061c || c == 0x200e || c == 0x200f
        || (c >= 0x2028 && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

void appendEscape(QString &out, char16_t c)
{
    static constexpr char16_t Hex[] = u"0123456789ABCDEF";
    out += c <= 0xff ? QStringLiteral("\\x") : QStringLiteral("\\u");
    for (int shift = c <= 0xff ? 4 : 12; shift >= 0; shift -= 4)
        out += QChar(Hex[(c >> shift) & 0xf]);
}

} // namespace

LogModel::LogModel(QObject *parent) : QAbstractListModel(parent)
{
    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(FlushIntervalMs);
    connect(&m_flushTimer, &QTimer::timeout, this, &LogModel::flush);
}

void LogModel::append(LogLevel level, const QString &thread, const QString &text)
{
    // A stalled event loop must not let the queue grow past what the model would keep anyway.
    if (int(m_pending.size()) >= m_lineCap) {
        m_pending.pop_front();
        ++m_dropped;
    }
    // UTC: reading the local time zone per line is measurably slower; display converts.
    m_pending.push_back({QDateTime::currentDateTimeUtc(), level, thread, text});
    if (!m_flushTimer.isActive())
        m_flushTimer.start();
}

void LogModel::flush()
{
    m_flushTimer.stop();
    if (m_pending.empty())
        return;
    Q_EMIT aboutToFlush();
    const int incoming = int(m_pending.size()); // append() keeps it within the cap
    dropOldest(int(m_rows.size()) + incoming - m_lineCap);
    const int first = int(m_rows.size());
    beginInsertRows(QModelIndex(), first, first + incoming - 1);
    std::move(m_pending.begin(), m_pending.end(), std::back_inserter(m_rows));
    m_pending.clear();
    endInsertRows();
    Q_EMIT flushed();
}

void LogModel::dropOldest(int count)
{
    count = std::min(count, int(m_rows.size()));
    if (count <= 0)
        return;
    beginRemoveRows(QModelIndex(), 0, count - 1);
    m_rows.erase(m_rows.begin(), m_rows.begin() + count);
    m_firstSerial += quint64(count);
    m_dropped += quint64(count);
    endRemoveRows();
}

void LogModel::setLineCap(int cap)
{
    cap = std::max(cap, 1);
    if (cap == m_lineCap)
        return;
    m_lineCap = cap;
    const auto excessPending = qsizetype(m_pending.size()) - cap;
    if (excessPending > 0) {
        m_pending.erase(m_pending.begin(), m_pending.begin() + excessPending);
        m_dropped += quint64(excessPending);
    }
    dropOldest(int(m_rows.size()) - cap);
}

void LogModel::clear()
{
    m_flushTimer.stop();
    beginResetModel();
    m_firstSerial += quint64(m_rows.size());
    m_rows.clear();
    m_pending.clear();
    m_dropped = 0;
    endResetModel();
}

int LogModel::rowForSerial(quint64 serial) const
{
    if (serial < m_firstSerial || serial - m_firstSerial >= quint64(m_rows.size()))
        return -1;
    return int(serial - m_firstSerial);
}

int LogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant LogModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const LogEntry &e = entry(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return line(e, MaxDisplayChars);
    case Qt::ForegroundRole:
        if (e.level == LogLevel::Error)
            return QColor(0xc0, 0x39, 0x2b);
        if (e.level == LogLevel::Warning)
            return QColor(0xb9, 0x77, 0x0e);
        return {};
    case LevelRole:
        return int(e.level);
    case ThreadRole:
        return e.thread;
    case TextRole:
        return e.text;
    case TimeRole:
        return e.time;
    default:
        return {};
    }
}

QString LogModel::formatted(int row) const
{
    return line(entry(row), std::numeric_limits<qsizetype>::max());
}

QString LogModel::line(const LogEntry &entry, qsizetype maxTextChars) const
{
    QStringView text = entry.text;
    QString cut;
    if (text.size() > maxTextChars) {
        qsizetype keep = maxTextChars;
        if (text.at(keep - 1).isHighSurrogate())
            --keep;
        cut = tr(" … (%n more characters)", nullptr, int(text.size() - keep));
        text = text.first(keep);
    }
    const QString time = entry.time.toLocalTime().toString(QStringLiteral("HH:mm:ss.zzz"));
    return time % u" [" % levelName(entry.level) % u"] " % escaped(entry.thread) % u": "
        % escaped(text) % cut;
}

QString LogModel::levelName(LogLevel level)
{
    switch (level) {
    case LogLevel::Debug:
        return tr("DEBUG");
    case LogLevel::Info:
        return tr("INFO");
    case LogLevel::Warning:
        return tr("WARN");
    case LogLevel::Error:
        return tr("ERROR");
    }
    return QString();
}

QString LogModel::escaped(QStringView text)
{
    if (std::none_of(text.begin(), text.end(), [](QChar c) { return needsEscape(c.unicode()); }))
        return text.toString();
    QString out;
    out.reserve(text.size() + 16);
    for (QChar c : text) {
        if (needsEscape(c.unicode()))
            appendEscape(out, c.unicode());
        else
            out += c;
    }
    return out;
}

} // namespace App
