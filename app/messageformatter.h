#pragma once

#include "app/mentions.h"

#include <QColor>
#include <QDateTime>
#include <QString>

namespace Client {
struct ChatMessage;
} // namespace Client

namespace App {

// Turns chat lines into the HTML a QTextBrowser shows. Everything from the network is escaped:
// only the markup made here (time, nick colour, links to http/https URLs) is ever rendered.
namespace MessageFormatter {

// The same nick gets the same colour in every window and every run.
QColor nickColor(const QString &nick);
// Plain text to HTML: escaped, with http(s) URLs as links.
QString linkified(const QString &text, const QList<Mentions::Span> &mentions = {});
// `mentions` are the spans of the text that name us (Mentions::find): they are highlighted.
QString messageHtml(const Client::ChatMessage &message, const QList<Mentions::Span> &mentions = {});
// A line about the channel (joins, parts, topic changes, errors), in grey.
QString eventHtml(const QDateTime &time, const QString &text);
// The line above the first unread line of a conversation.
QString unreadMarkerHtml(const QString &text);

} // namespace MessageFormatter

} // namespace App
