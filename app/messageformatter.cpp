#include "app/messageformatter.h"

#include "clientlib/chatmessage.h"

#include <QRegularExpression>

namespace App {

namespace MessageFormatter {

namespace {

// Readable on a light background, distinct from each other.
constexpr QRgb NickPalette[]
    = {0xc0392b, 0x2471a3, 0x1e8449, 0x9a7d0a, 0x7d3c98, 0x117a65, 0xa04000, 0x2e4053,
       0xb03a2e, 0x1f618d, 0x196f3d, 0x7e5109, 0x6c3483, 0x0e6655, 0x873600, 0x5b2c6f};

// FNV-1a: qHash is seeded per process, which would recolour everyone at every start.
quint32 stableHash(const QString &text)
{
    quint32 hash = 2166136261u;
    for (char byte : text.toLower().toUtf8()) {
        hash ^= quint8(byte);
        hash *= 16777619u;
    }
    return hash;
}

QString timeHtml(const QDateTime &time)
{
    return QStringLiteral("<span style=\"color:#888\">%1</span> ")
        .arg(time.toLocalTime().toString(QStringLiteral("HH:mm:ss")));
}

const QRegularExpression &urlPattern()
{
    static const QRegularExpression pattern(QStringLiteral(R"((?i)\bhttps?://[^\s<>"']+)"));
    return pattern;
}

// Escaped text of text[from, to), with the mentions inside it highlighted.
QString highlighted(const QString &text, qsizetype from, qsizetype to,
                    const QList<Mentions::Span> &mentions)
{
    QString html;
    qsizetype done = from;
    for (const Mentions::Span &span : mentions) {
        if (span.start < done || span.start + span.length > to)
            continue; // inside a link, or outside this piece
        html += text.mid(done, span.start - done).toHtmlEscaped();
        html
            += QStringLiteral("<span style=\"background-color:#ffe08a;font-weight:bold\">%1</span>")
                   .arg(text.mid(span.start, span.length).toHtmlEscaped());
        done = span.start + span.length;
    }
    return html + text.mid(done, to - done).toHtmlEscaped();
}

} // namespace

QColor nickColor(const QString &nick)
{
    return QColor(NickPalette[stableHash(nick) % std::size(NickPalette)]);
}

QString linkified(const QString &text, const QList<Mentions::Span> &mentions)
{
    QString html;
    qsizetype done = 0;
    for (const QRegularExpressionMatch &match : urlPattern().globalMatch(text)) {
        html += highlighted(text, done, match.capturedStart(), mentions);
        const QString url = match.captured().toHtmlEscaped();
        html += QStringLiteral("<a href=\"%1\">%1</a>").arg(url);
        done = match.capturedEnd();
    }
    html += highlighted(text, done, text.size(), mentions);
    return html;
}

QString messageHtml(const Client::ChatMessage &message, const QList<Mentions::Span> &mentions)
{
    const QString color = nickColor(message.from).name();
    const QString nick = message.from.toHtmlEscaped();
    QString body;
    if (message.action)
        body = QStringLiteral("<span style=\"color:%1\">* %2</span> %3")
                   .arg(color, nick, linkified(message.text, mentions));
    else if (message.notice)
        body = QStringLiteral("<span style=\"color:%1\">-%2-</span> %3")
                   .arg(color, nick, linkified(message.text, mentions));
    else
        body = QStringLiteral("<span style=\"color:%1\"><b>&lt;%2&gt;</b></span> %3")
                   .arg(color, nick, linkified(message.text, mentions));
    return timeHtml(message.timestamp) + body;
}

QString eventHtml(const QDateTime &time, const QString &text)
{
    return timeHtml(time)
        + QStringLiteral("<span style=\"color:#777\">%1</span>").arg(linkified(text));
}

QString unreadMarkerHtml(const QString &text)
{
    return QStringLiteral("<span style=\"color:#c0392b\">──── %1 ────</span>")
        .arg(text.toHtmlEscaped());
}

} // namespace MessageFormatter

} // namespace App
