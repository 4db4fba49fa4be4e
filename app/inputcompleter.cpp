#include "app/inputcompleter.h"

#include <algorithm>

namespace App {

namespace {

QStringList matching(QStringList names, const QString &prefix, Irc::CaseMapping mapping)
{
    const QByteArray wanted = Irc::foldCase(prefix.toUtf8(), mapping);
    names.removeIf([&](const QString &name) {
        return !Irc::foldCase(name.toUtf8(), mapping).startsWith(wanted);
    });
    std::sort(names.begin(), names.end(), [mapping](const QString &a, const QString &b) {
        return Irc::foldCase(a.toUtf8(), mapping) < Irc::foldCase(b.toUtf8(), mapping);
    });
    names.removeDuplicates();
    return names;
}

} // namespace

bool InputCompleter::complete(QString &text, int &cursor, const Candidates &candidates)
{
    const bool cycling = m_index >= 0 && text == m_lastText && cursor == m_lastCursor;
    if (cycling)
        m_index = (m_index + 1) % m_matches.size();
    else if (!startCompletion(text, cursor, candidates))
        return false;
    QString suffix = m_suffix;
    // "nick: " before text that already starts with a space gets no second space.
    if (m_after.startsWith(u' ') && suffix.endsWith(u' '))
        suffix.chop(1);
    const QString completed = m_before + m_matches.at(m_index) + suffix;
    text = completed + m_after;
    cursor = int(completed.size());
    m_lastText = text;
    m_lastCursor = cursor;
    return true;
}

bool InputCompleter::startCompletion(const QString &text, int cursor, const Candidates &candidates)
{
    m_index = -1;
    const qsizetype start = text.lastIndexOf(u' ', cursor - 1) + 1;
    const QString prefix = text.mid(start, cursor - start);
    if (prefix.isEmpty())
        return false;
    const bool atLineStart = start == 0;
    if (atLineStart && prefix.startsWith(u'/')) {
        m_matches = matching(candidates.commands, prefix, Irc::CaseMapping::Ascii);
        m_suffix = QStringLiteral(" ");
    } else if (candidates.channelTypes.contains(prefix.front())) {
        m_matches = matching(candidates.channels, prefix, candidates.mapping);
        m_suffix = QStringLiteral(" ");
    } else {
        m_matches = matching(candidates.nicks, prefix, candidates.mapping);
        m_suffix = atLineStart ? QStringLiteral(": ") : QStringLiteral(" ");
    }
    if (m_matches.isEmpty())
        return false;
    m_before = text.left(start);
    m_after = text.mid(cursor);
    m_index = 0;
    return true;
}

} // namespace App
