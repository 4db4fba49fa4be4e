#pragma once

#include "app/mentions.h"

#include <QColor>
#include <QSet>
#include <QWidget>

class QAbstractItemModel;
class QLineEdit;
class QListView;
class QModelIndex;
class QPalette;
class QTextBrowser;
class QTextCursor;
namespace Client {
struct ChatMessage;
} // namespace Client

namespace App {

// One tab of a chat: a channel (topic bar, messages, member list), a private conversation,
// or the server status.
class ConversationView : public QWidget
{
    Q_OBJECT

public:
    enum class Kind { Status, Channel, Private };

    ConversationView(Kind kind, const QString &name, QWidget *parent = nullptr);

    Kind kind() const { return m_kind; }
    QString name() const { return m_name; }
    void rename(const QString &name) { m_name = name; }

    // `mentions`: where the text names us, highlighted. An `unread` line counts towards
    // unreadCount(); the first one since markRead() gets the marker line above it.
    void appendMessage(const Client::ChatMessage &message,
                       const QList<Mentions::Span> &mentions = {}, bool unread = false);
    void appendEvent(const QString &text);
    // Lines from the server's history, oldest first, above everything shown; lines shown
    // already (by msgid) are left out. The first page gets a divider under it, between the
    // history and what came since. Empty `messages`: the history has no more.
    void prependHistory(const QList<Client::ChatMessage> &messages,
                        const QList<QList<Mentions::Span>> &mentions);
    // The msgid of the oldest line shown, for asking for the lines before it.
    QString oldestMessageId() const { return m_oldestId; }
    bool isWaitingForHistory() const { return m_historyPending; }
    void setWaitingForHistory() { m_historyPending = true; }
    // Its latest lines were asked for on this connection (a private conversation's, which
    // come when it opens rather than after a JOIN).
    bool isLatestHistoryAsked() const { return m_latestHistoryAsked; }
    void setLatestHistoryAsked(bool asked) { m_latestHistoryAsked = asked; }

    int unreadCount() const { return m_unread; }
    // An unread line names us (or, in a private conversation, was written to us).
    bool hasUnreadMention() const { return m_unreadMention; }
    // The tab is being looked at: nothing is unread. The marker line stays where it is until
    // the next unread line moves it.
    void markRead();
    // The text of the line just under the marker line; empty without a marker.
    QString firstUnreadLine() const;
    void setTopic(const QString &topic);
    QString topic() const;
    // Lists the members of `channel`, an index of a Client::ChannelModel, straight from the
    // model. The list empties when the channel leaves the model (we parted, or got
    // disconnected).
    void showMembers(QAbstractItemModel *model, const QModelIndex &channel);
    QListView *memberList() const { return m_members; }
    // As shown: the highest prefix symbol and the nick, e.g. "@alice".
    QStringList members() const;
    // The colour a member of the list is drawn in: its nick's, or grey while it is away.
    static QColor memberColor(const QModelIndex &member, const QPalette &palette);
    // The conversation as plain text, for tests and copying.
    QString transcript() const;

Q_SIGNALS:
    void memberActivated(const QString &nick);
    // The member list's context menu was asked for `nick`, at `globalPos`.
    void memberMenuRequested(const QString &nick, const QPoint &globalPos);
    void unreadChanged();
    // Scrolled to the top of lines that came from the history: older ones are wanted.
    void olderHistoryWanted();

private:
    void insertAtTop(QTextCursor &cursor, const QString &html);
    void scrolled(int value);
    void openLink(const QUrl &url);
    void forgetRemovedChannel(const QModelIndex &parent, int first, int last);
    void moveUnreadMarker();

    Kind m_kind;
    QString m_name;
    QLineEdit *m_topic = nullptr;
    QTextBrowser *m_messages = nullptr;
    QListView *m_members = nullptr;
    int m_unread = 0;
    bool m_unreadMention = false;
    QSet<QString> m_messageIds; // of the lines shown, to show none twice
    QString m_oldestId;
    bool m_historyShown = false; // a first page came: the divider is in
    bool m_historyPending = false;
    bool m_historyExhausted = false;
    bool m_latestHistoryAsked = false;
};

} // namespace App
