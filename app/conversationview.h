#pragma once

#include <QWidget>

class QAbstractItemModel;
class QLineEdit;
class QListView;
class QModelIndex;
class QTextBrowser;
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

    void appendMessage(const Client::ChatMessage &message);
    void appendEvent(const QString &text);
    void setTopic(const QString &topic);
    QString topic() const;
    // Lists the members of `channel`, an index of a Client::ChannelModel, straight from the
    // model. The list empties when the channel leaves the model (we parted, or got
    // disconnected).
    void showMembers(QAbstractItemModel *model, const QModelIndex &channel);
    QListView *memberList() const { return m_members; }
    // As shown: the highest prefix symbol and the nick, e.g. "@alice".
    QStringList members() const;
    // The conversation as plain text, for tests and copying.
    QString transcript() const;

Q_SIGNALS:
    void memberActivated(const QString &nick);

private:
    void openLink(const QUrl &url);
    void forgetRemovedChannel(const QModelIndex &parent, int first, int last);

    Kind m_kind;
    QString m_name;
    QLineEdit *m_topic = nullptr;
    QTextBrowser *m_messages = nullptr;
    QListView *m_members = nullptr;
};

} // namespace App
