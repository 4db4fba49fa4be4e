#include "app/conversationview.h"

#include "app/messageformatter.h"
#include "clientlib/chatmessage.h"

#include <QDesktopServices>
#include <QLineEdit>
#include <QListWidget>
#include <QSplitter>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace App {

namespace {

// A busy channel must not grow the document without bound.
constexpr int MaxShownLines = 5000;

} // namespace

ConversationView::ConversationView(Kind kind, const QString &name, QWidget *parent)
    : QWidget(parent), m_kind(kind), m_name(name), m_messages(new QTextBrowser(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    if (kind == Kind::Channel) {
        m_topic = new QLineEdit(this);
        m_topic->setReadOnly(true);
        layout->addWidget(m_topic);
    }
    m_messages->setOpenLinks(false);
    m_messages->document()->setMaximumBlockCount(MaxShownLines);
    connect(m_messages, &QTextBrowser::anchorClicked, this, &ConversationView::openLink);
    if (kind != Kind::Channel) {
        layout->addWidget(m_messages);
        return;
    }
    auto *splitter = new QSplitter(this);
    m_members = new QListWidget(splitter);
    splitter->addWidget(m_messages);
    splitter->addWidget(m_members);
    splitter->setStretchFactor(0, 4);
    splitter->setStretchFactor(1, 1);
    layout->addWidget(splitter);
    connect(m_members, &QListWidget::itemActivated, this, [this](QListWidgetItem *item) {
        Q_EMIT memberActivated(item->data(Qt::UserRole).toString());
    });
}

void ConversationView::appendMessage(const Client::ChatMessage &message)
{
    m_messages->append(MessageFormatter::messageHtml(message));
}

void ConversationView::appendEvent(const QString &text)
{
    m_messages->append(MessageFormatter::eventHtml(QDateTime::currentDateTime(), text));
}

void ConversationView::setTopic(const QString &topic)
{
    if (m_topic) {
        m_topic->setText(topic);
        m_topic->setCursorPosition(0);
    }
}

QString ConversationView::topic() const
{
    return m_topic ? m_topic->text() : QString();
}

void ConversationView::setMembers(const QList<Client::ChannelState::Member> &members)
{
    if (!m_members)
        return;
    m_members->clear();
    for (const Client::ChannelState::Member &member : members) {
        auto *item = new QListWidgetItem(member.prefixes.left(1) + member.nick, m_members);
        item->setData(Qt::UserRole, member.nick);
        item->setForeground(MessageFormatter::nickColor(member.nick));
    }
}

QStringList ConversationView::members() const
{
    QStringList names;
    for (int row = 0; m_members && row < m_members->count(); ++row)
        names.append(m_members->item(row)->text());
    return names;
}

QString ConversationView::transcript() const
{
    return m_messages->toPlainText();
}

void ConversationView::openLink(const QUrl &url)
{
    // Only web links leave the app: a chat line must not open files or run handlers.
    if (url.scheme() == u"http" || url.scheme() == u"https")
        QDesktopServices::openUrl(url);
}

} // namespace App
