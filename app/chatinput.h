#pragma once

#include "app/inputcompleter.h"

#include <QLineEdit>

#include <functional>

namespace App {

// The input line of a chat: Tab completes nicks, channels and commands (InputCompleter),
// Up and Down walk through what was sent before, and pasting several lines sends them as
// several messages, asking first when there are more than a few.
class ChatInput : public QLineEdit
{
    Q_OBJECT

public:
    // More lines than this in one paste are confirmed first: a wrong clipboard would
    // otherwise flood the channel.
    static constexpr int LinesWithoutAsking = 3;
    static constexpr int HistorySize = 200;

    explicit ChatInput(QWidget *parent = nullptr);

    void setCandidates(std::function<InputCompleter::Candidates()> candidates);
    // A line that was sent: the newest entry of the history.
    void remember(const QString &line);
    // What Ctrl+V and the context menu's Paste do with `text`.
    void pasteText(const QString &text);

Q_SIGNALS:
    // Several lines were pasted (and, past LinesWithoutAsking, confirmed): send each.
    void linesPasted(const QStringList &lines);

protected:
    bool event(QEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void contextMenuEvent(QContextMenuEvent *event) override;

private:
    void completeWord();
    void showHistory(int index);
    bool confirmPaste(int lineCount);

    std::function<InputCompleter::Candidates()> m_candidates;
    InputCompleter m_completer;
    QStringList m_history;
    int m_historyIndex = 0; // m_history.size(): the line being typed (m_draft)
    QString m_draft;
};

} // namespace App
