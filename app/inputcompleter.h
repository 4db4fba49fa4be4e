#pragma once

#include "protocol/names.h"

#include <QString>
#include <QStringList>

namespace App {

// Tab completion for a chat input line, without widgets: the word before the cursor becomes
// a nick ("nick: " at the start of the line, "nick " elsewhere), a channel ("#chan ") or a
// command at the start ("/join "). Completing again right after a completion, with the line
// unchanged, cycles through the other matches, as in irssi and HexChat.
class InputCompleter
{
public:
    struct Candidates
    {
        QStringList nicks;
        QStringList channels;
        QStringList commands; // with their slash: "/join"
        QString channelTypes = QStringLiteral("#");
        Irc::CaseMapping mapping = Irc::CaseMapping::Rfc1459;
    };

    // Completes `text` at `cursor` in place; false (and nothing changed) when nothing matches.
    bool complete(QString &text, int &cursor, const Candidates &candidates);

private:
    bool startCompletion(const QString &text, int cursor, const Candidates &candidates);

    QString m_before; // the line before the word being completed
    QString m_after; // the line after the cursor
    QString m_suffix;
    QStringList m_matches;
    qsizetype m_index = -1;
    // The line as the last completion left it: the same line again means "next match".
    QString m_lastText;
    int m_lastCursor = -1;
};

} // namespace App
