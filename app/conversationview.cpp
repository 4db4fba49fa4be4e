#include "app/conversationview.h"

#include "app/messageformatter.h"
#include "clientlib/channelmodel.h"
#include "clientlib/chatmessage.h"

#include <QDesktopServices>
#include <QLineEdit>
#include <QListView>
#include <QSplitter>
#include <QStyledItemDelegate>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace App {

namespace {

// A busy channel must not grow the document without bound.
constexpr int MaxShownLines = 5000;

// Each nick in its own colour, the one it has in the messages.
class NickColorDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override
    {
        QStyledItemDelegate::initStyleOption(option, index);
        const QString nick = index.data(Client::ChannelModel::NameRole).toString();
        option->palette.setColor(QPalette::Text, MessageFormatter::nickColor(nick));
    }
};

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
    m_members = new QListView(splitter);
    m_members->setItemDelegate(new NickColorDelegate(m_members));
    m_members->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_members->setUniformItemSizes(true); // a big channel is laid out without measuring each row
    splitter->addWidget(m_messages);
    splitter->addWidget(m_members);
    splitter->setStretchFactor(0, 4);
    splitter->setStretchFactor(1, 1);
    layout->addWidget(splitter);
    connect(m_members, &QListView::activated, this, [this](const QModelIndex &index) {
        Q_EMIT memberActivated(index.data(Client::ChannelModel::NameRole).toString());
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

void ConversationView::showMembers(QAbstractItemModel *model, const QModelIndex &channel)
{
    if (!m_members)
        return;
    if (m_members->model() != model) {
        m_members->setModel(model);
        connect(model, &QAbstractItemModel::rowsAboutToBeRemoved, this,
                &ConversationView::forgetRemovedChannel, Qt::UniqueConnection);
    }
    m_members->setRootIndex(channel);
}

QStringList ConversationView::members() const
{
    QStringList names;
    const QAbstractItemModel *model = m_members ? m_members->model() : nullptr;
    for (int row = 0; model && row < model->rowCount(m_members->rootIndex()); ++row)
        names.append(model->index(row, 0, m_members->rootIndex()).data().toString());
    return names;
}

void ConversationView::forgetRemovedChannel(const QModelIndex &parent, int first, int last)
{
    // Without its root the view would list the model's channels instead of the members.
    const QModelIndex root = m_members->rootIndex();
    if (!parent.isValid() && root.isValid() && root.row() >= first && root.row() <= last)
        m_members->setModel(nullptr);
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
