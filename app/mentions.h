#pragma once

#include "protocol/names.h"

#include <QList>
#include <QString>

namespace App {

// Where a line says a nick: whole words only ("alice" in "alice: hi" and "你好 alice，" but not
// in "malice"), compared as the server compares nicks (its CASEMAPPING), so that "[Bob]"
// finds "{bob}" on an rfc1459 server. No widgets: the chat view highlights the spans and the
// unread and notification logic asks whether there are any.
namespace Mentions {

struct Span
{
    qsizetype start = 0; // in QString (UTF-16) units
    qsizetype length = 0;

    friend bool operator==(const Span &, const Span &) = default;
};

QList<Span> find(const QString &text, const QString &nick, Irc::CaseMapping mapping);
bool contains(const QString &text, const QString &nick, Irc::CaseMapping mapping);

} // namespace Mentions

} // namespace App
