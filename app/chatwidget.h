#pragma once

#include "app/conversationview.h"

#include <QWidget>

namespace Client {
class ChatClient;
} // namespace Client
class QLineEdit;
class QTabWidget;
namespace Client {
struct ChatMessage;
} // namespace Client

namespace App {

struct InputCommand;

// A complete chat UI for one ChatClient: a status tab, a tab per channel and per private
// conversation, and an input line that understands /join, /part, /nick, /msg, /topic, /me.
// The main window's chat pane and every client window use this same widget.
class ChatWidget : public QWidget
{
    Q_OBJECT

public:
    explicit ChatWidget(Client::ChatClient *client, QWidget *parent = nullptr);

    Client::ChatClient *client() const { return m_client; }
    // The tab for `name` (a channel or a nick), or nullptr.
    ConversationView *conversation(const QString &name) const;
    ConversationView *statusView() const { return m_status; }
    ConversationView *currentConversation() const;
    QStringList conversationNames() const;
    QLineEdit *input() const { return m_input; }
    // What Enter does with the input line's text.
    void submit(const QString &line);

protected:
    void changeEvent(QEvent *event) override;

private:
    void connectClient();
    void retranslateUi();
    void execute(const InputCommand &command);
    ConversationView *openConversation(const QString &name, ConversationView::Kind kind);
    void closeConversation(const QString &name);
    void showMessage(const Client::ChatMessage &message);
    void showJoin(const QString &channel, const QString &nick, bool self);
    void showPart(const QString &channel, const QString &nick, const QString &reason, bool self);
    void showQuit(const QString &nick, const QString &reason, const QStringList &channels);
    void showNickChange(const QString &oldNick, const QString &newNick, bool self);
    void showTopic(const QString &channel, const QString &topic, const QString &setBy);
    void showProblem(const QString &text);

    Client::ChatClient *m_client;
    QTabWidget *m_tabs;
    ConversationView *m_status;
    QLineEdit *m_input;
};

} // namespace App
