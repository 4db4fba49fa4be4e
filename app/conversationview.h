#pragma once

#include "clientlib/channelstate.h"

#include <QWidget>

class QLineEdit;
class QListWidget;
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
    void setMembers(const QList<Client::ChannelState::Member> &members);
    // As shown: prefix symbols and nick, e.g. "@alice".
    QStringList members() const;
    // The conversation as plain text, for tests and copying.
    QString transcript() const;

Q_SIGNALS:
    void memberActivated(const QString &nick);

private:
    void openLink(const QUrl &url);

    Kind m_kind;
    QString m_name;
    QLineEdit *m_topic = nullptr;
    QTextBrowser *m_messages = nullptr;
    QListWidget *m_members = nullptr;
};

} // namespace App
