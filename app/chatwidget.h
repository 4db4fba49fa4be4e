#pragma once

#include "app/conversationview.h"

#include <QPointer>
#include <QWidget>

namespace Client {
class ChatClient;
struct ChatMessage;
struct RecentConversation;
struct WhoisInfo;
} // namespace Client
class QAction;
class QLabel;
class QMenu;
class QTabWidget;

namespace App {

class ChannelListDialog;
class ChannelSettingsDialog;
class LoginDialog;
class ChatInput;
class NotificationPolicy;
struct InputCommand;

// A complete chat UI for one ChatClient: a status tab, a tab per channel and per private
// conversation, and an input line that understands /join, /part, /nick, /msg, /query, /topic,
// /me, /whois, /away and /back.
// Tabs count their unread lines and show when one names us; lines that deserve a desktop
// notification (NotificationPolicy) are announced with notificationRequested(). The main
// window's chat pane and every client window use this same widget.
class ChatWidget : public QWidget
{
    Q_OBJECT

public:
    explicit ChatWidget(Client::ChatClient *client, QWidget *parent = nullptr);
    ~ChatWidget() override;

    Client::ChatClient *client() const { return m_client; }
    // The tab for `name` (a channel or a nick), or nullptr.
    ConversationView *conversation(const QString &name) const;
    ConversationView *statusView() const { return m_status; }
    ConversationView *currentConversation() const;
    QStringList conversationNames() const;
    QTabWidget *tabs() const { return m_tabs; }
    ChatInput *input() const { return m_input; }
    // Shown while the server has us marked away, with the message we gave.
    QLabel *awayIndicator() const { return m_awayIndicator; }
    // What Enter does with the input line's text.
    void submit(const QString &line);

    // Unread lines over all tabs, and whether one of them names us.
    int unreadCount() const;
    bool hasUnreadMention() const;
    // `title` with the unread state in front, for a window title: "(3) QtChat".
    QString decoratedTitle(const QString &title) const;

    // The chat's own menu, for a window's menu bar: the channel list and more.
    QMenu *chatMenu() const { return m_chatMenu; }
    QAction *channelListAction() const { return m_channelListAction; }
    QAction *logInAction() const { return m_logInAction; }
    // The chat's one Log In dialog, opened (or raised).
    LoginDialog *openLogin();
    // Shows the channel list (one per chat), asks the server for it, and filters it.
    ChannelListDialog *openChannelList(const QString &filter = QString());
    // For the current tab's channel; disabled elsewhere.
    QAction *channelSettingsAction() const { return m_channelSettingsAction; }
    // Shows the settings of `channel` (one dialog per channel).
    ChannelSettingsDialog *openChannelSettings(const QString &channel);

    // The menus, built for the moment they are shown (and for tests to trigger). The caller
    // owns them. The member menu offers the operator actions only where we are an operator.
    QMenu *memberMenu(const QString &channel, const QString &nick);
    QMenu *tabMenu(int index);

Q_SIGNALS:
    void unreadChanged();
    void notificationRequested(const QString &title, const QString &text);

protected:
    void changeEvent(QEvent *event) override;

private:
    void connectClient();
    void connectInput();
    void buildChatMenu();
    void updateActions();
    void retranslateUi();
    void execute(const InputCommand &command);
    // The tab for `name`, added if there is none; a private one fetches its history.
    ConversationView *openConversation(const QString &name, ConversationView::Kind kind);
    ConversationView *addConversation(const QString &name, ConversationView::Kind kind);
    void fetchConversationHistory(ConversationView *view);
    void refetchConversationHistory();
    void offerConversations(const QList<Client::RecentConversation> &conversations);
    void closeConversation(const QString &name);
    void showConversation(ConversationView *view);
    void updateTab(ConversationView *view);
    void showMessage(const Client::ChatMessage &message);
    void showHistory(const QString &target, const QList<Client::ChatMessage> &messages);
    QList<Mentions::Span> mentionsIn(const Client::ChatMessage &message) const;
    NotificationPolicy notificationPolicy() const;
    void notifyIfWanted(const Client::ChatMessage &message, bool mentionsUs);
    void showJoin(const QString &channel, const QString &nick, bool self);
    void showPart(const QString &channel, const QString &nick, const QString &reason, bool self);
    void showQuit(const QString &nick, const QString &reason, const QStringList &channels);
    void showNickChange(const QString &oldNick, const QString &newNick, bool self);
    void showTopic(const QString &channel, const QString &topic, const QString &setBy);
    void showServerError(int numeric, const QString &text);
    void setAway(const QString &message);
    void showWhois(const Client::WhoisInfo &info);
    void showAway(const QString &nick, bool away);
    void updateAwayIndicator();
    void showProblem(const QString &text);
    void connectAccount();
    void sendPastedLines(const QStringList &lines);
    bool isOperator(const QString &channel) const;
    void addOperatorActions(QMenu *menu, const QString &channel, const QString &nick);
    void addChannelTabActions(QMenu *menu, const QString &channel);
    void sendCommand(const QString &line);
    void setMuted(const QString &channel, bool muted);

    Client::ChatClient *m_client;
    QTabWidget *m_tabs;
    ConversationView *m_status;
    ChatInput *m_input;
    QLabel *m_awayIndicator;
    QMenu *m_chatMenu;
    QAction *m_channelListAction;
    QAction *m_channelSettingsAction;
    QAction *m_logInAction;
    QPointer<ChannelListDialog> m_channelList;
    QPointer<LoginDialog> m_login;
    QString m_awayMessage; // as we last asked for it; the server's 306 does not repeat it
};

} // namespace App
