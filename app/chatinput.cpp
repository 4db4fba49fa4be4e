#include "app/chatinput.h"

#include <QAction>
#include <QClipboard>
#include <QContextMenuEvent>
#include <QGuiApplication>
#include <QKeyEvent>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>

namespace App {

ChatInput::ChatInput(QWidget *parent) : QLineEdit(parent) { }

void ChatInput::setCandidates(std::function<InputCompleter::Candidates()> candidates)
{
    m_candidates = std::move(candidates);
}

void ChatInput::remember(const QString &line)
{
    if (!line.trimmed().isEmpty() && (m_history.isEmpty() || m_history.constLast() != line))
        m_history.append(line);
    while (m_history.size() > HistorySize)
        m_history.removeFirst();
    m_historyIndex = int(m_history.size());
    m_draft.clear();
}

bool ChatInput::event(QEvent *event)
{
    // Tab would move the focus: QWidget::event() takes it before keyPressEvent() sees it.
    if (event->type() == QEvent::KeyPress) {
        auto *key = static_cast<QKeyEvent *>(event);
        if (key->key() == Qt::Key_Tab && key->modifiers() == Qt::NoModifier) {
            completeWord();
            return true;
        }
    }
    return QLineEdit::event(event);
}

void ChatInput::keyPressEvent(QKeyEvent *event)
{
    if (event->matches(QKeySequence::Paste)) {
        pasteText(QGuiApplication::clipboard()->text());
        return;
    }
    if (event->key() == Qt::Key_Up && event->modifiers() == Qt::NoModifier) {
        showHistory(m_historyIndex - 1);
        return;
    }
    if (event->key() == Qt::Key_Down && event->modifiers() == Qt::NoModifier) {
        showHistory(m_historyIndex + 1);
        return;
    }
    QLineEdit::keyPressEvent(event);
}

void ChatInput::contextMenuEvent(QContextMenuEvent *event)
{
    QMenu *menu = createStandardContextMenu();
    menu->setAttribute(Qt::WA_DeleteOnClose);
    // The standard Paste would squeeze the lines into one; it goes through pasteText().
    if (auto *paste = menu->findChild<QAction *>(QStringLiteral("edit-paste"))) {
        disconnect(paste, &QAction::triggered, nullptr, nullptr);
        connect(paste, &QAction::triggered, this,
                [this] { pasteText(QGuiApplication::clipboard()->text()); });
    }
    menu->popup(event->globalPos());
}

void ChatInput::completeWord()
{
    if (!m_candidates)
        return;
    QString line = text();
    int cursor = cursorPosition();
    if (m_completer.complete(line, cursor, m_candidates())) {
        setText(line);
        setCursorPosition(cursor);
    }
}

void ChatInput::showHistory(int index)
{
    if (index < 0 || index > m_history.size())
        return;
    if (m_historyIndex == m_history.size())
        m_draft = text();
    m_historyIndex = index;
    setText(index == m_history.size() ? m_draft : m_history.at(index));
}

void ChatInput::pasteText(const QString &pasted)
{
    if (!pasted.contains(u'\n')) {
        insert(pasted);
        return;
    }
    // What is typed around the cursor (or instead of the selection) joins the first and
    // last pasted lines, as it would in a multi-line editor.
    const int from = hasSelectedText() ? selectionStart() : cursorPosition();
    const int to = hasSelectedText() ? selectionEnd() : cursorPosition();
    QString whole = text().left(from) + pasted + text().mid(to);
    whole.remove(u'\r');
    QStringList lines = whole.split(u'\n');
    while (!lines.isEmpty() && lines.constLast().trimmed().isEmpty())
        lines.removeLast();
    if (lines.size() > LinesWithoutAsking && !confirmPaste(int(lines.size())))
        return;
    clear();
    Q_EMIT linesPasted(lines);
}

bool ChatInput::confirmPaste(int lineCount)
{
    QMessageBox box(
        QMessageBox::Question, tr("Send %1 lines?").arg(lineCount),
        tr("The pasted text has %1 lines. Send each of them as a message?").arg(lineCount),
        QMessageBox::Yes | QMessageBox::No, this);
    box.setObjectName(QStringLiteral("pasteConfirmation"));
    box.setDefaultButton(QMessageBox::No);
    return box.exec() == QMessageBox::Yes;
}

} // namespace App
