#include "app/conversationview.h"

#include "app/messageformatter.h"
#include "clientlib/channelmodel.h"
#include "clientlib/chatmessage.h"

#include <QDesktopServices>
#include <QLineEdit>
#include <QListView>
#include <QScrollBar>
#include <QSplitter>
#include <QStyledItemDelegate>
#include <QTextBlock>
#include <QTextBrowser>
#include <QTextCursor>
#include <QTextDocument>
#include <QVBoxLayout>

namespace App {

namespace {

// A busy channel must not grow the document without bound.
constexpr int MaxShownLines = 5000;
// QTextBlock::userState of the unread marker line.
constexpr int UnreadMarkerState = 1;

QTextBlock findMarker(const QTextDocument *document)
{
    for (QTextBlock block = document->lastBlock(); block.isValid(); block = block.previous()) {
        if (block.userState() == UnreadMarkerState)
            return block;
    }
    return {};
}

// Each nick in its own colour, the one it has in the messages; away members greyed out.
class NickColorDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override
    {
        QStyledItemDelegate::initStyleOption(option, index);
        option->palette.setColor(QPalette::Text,
                                 ConversationView::memberColor(index, option->palette));
        if (index.data(Client::ChannelModel::AwayRole).toBool())
            option->font.setItalic(true);
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
    connect(m_messages->verticalScrollBar(), &QScrollBar::valueChanged, this,
            &ConversationView::scrolled);
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
    // Activated is a double-click (or Enter); a single click only selects.
    connect(m_members, &QListView::activated, this, [this](const QModelIndex &index) {
        Q_EMIT memberActivated(index.data(Client::ChannelModel::NameRole).toString());
    });
    m_members->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_members, &QListView::customContextMenuRequested, this, [this](const QPoint &pos) {
        const QModelIndex index = m_members->indexAt(pos);
        if (index.isValid())
            Q_EMIT memberMenuRequested(index.data(Client::ChannelModel::NameRole).toString(),
                                       m_members->viewport()->mapToGlobal(pos));
    });
}

void ConversationView::appendMessage(const Client::ChatMessage &message,
                                     const QList<Mentions::Span> &mentions, bool unread)
{
    if (!message.id.isEmpty()) {
        if (m_messageIds.contains(message.id))
            return;
        m_messageIds.insert(message.id);
        if (m_oldestId.isEmpty())
            m_oldestId = message.id;
    }
    if (unread && m_unread == 0)
        moveUnreadMarker();
    m_messages->append(MessageFormatter::messageHtml(message, mentions));
    if (!unread)
        return;
    ++m_unread;
    m_unreadMention
        = m_unreadMention || !mentions.isEmpty() || (m_kind == Kind::Private && !message.own);
    Q_EMIT unreadChanged();
}

void ConversationView::prependHistory(const QList<Client::ChatMessage> &messages,
                                      const QList<QList<Mentions::Span>> &mentions)
{
    m_historyPending = false;
    m_historyExhausted = messages.isEmpty();
    QScrollBar *scrollBar = m_messages->verticalScrollBar();
    const int fromBottom = scrollBar->maximum() - scrollBar->value();
    QTextCursor cursor(m_messages->document());
    cursor.movePosition(QTextCursor::Start);
    bool inserted = false;
    for (qsizetype i = 0; i < messages.size(); ++i) {
        const Client::ChatMessage &message = messages.at(i);
        if (!message.id.isEmpty()) {
            if (m_messageIds.contains(message.id))
                continue;
            m_messageIds.insert(message.id);
            if (!inserted)
                m_oldestId = message.id;
        }
        insertAtTop(cursor, MessageFormatter::messageHtml(message, mentions.value(i)));
        inserted = true;
    }
    if (inserted && !m_historyShown)
        insertAtTop(cursor, MessageFormatter::unreadMarkerHtml(tr("Earlier, from the history")));
    m_historyShown = m_historyShown || inserted;
    // Older lines go above what the reader is looking at, which stays where it was.
    scrollBar->setValue(scrollBar->maximum() - fromBottom);
}

// Each line is a block of its own, as QTextBrowser::append() makes them.
void ConversationView::insertAtTop(QTextCursor &cursor, const QString &html)
{
    cursor.insertHtml(html);
    cursor.insertBlock();
}

void ConversationView::scrolled(int value)
{
    if (value == m_messages->verticalScrollBar()->minimum() && m_historyShown && !m_historyPending
        && !m_historyExhausted && !m_oldestId.isEmpty())
        Q_EMIT olderHistoryWanted();
}

void ConversationView::markRead()
{
    if (m_unread == 0 && !m_unreadMention)
        return;
    m_unread = 0;
    m_unreadMention = false;
    Q_EMIT unreadChanged();
}

void ConversationView::moveUnreadMarker()
{
    QTextDocument *document = m_messages->document();
    if (QTextBlock old = findMarker(document); old.isValid()) {
        const bool first = old.blockNumber() == 0;
        old.setUserState(-1);
        QTextCursor cursor(old);
        cursor.select(QTextCursor::BlockUnderCursor);
        cursor.removeSelectedText();
        if (first)
            cursor.deleteChar(); // the first block has no separator before it, but one after
    }
    m_messages->append(MessageFormatter::unreadMarkerHtml(tr("New messages")));
    document->lastBlock().setUserState(UnreadMarkerState);
}

QString ConversationView::firstUnreadLine() const
{
    const QTextBlock marker = findMarker(m_messages->document());
    return marker.isValid() ? marker.next().text() : QString();
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

QColor ConversationView::memberColor(const QModelIndex &member, const QPalette &palette)
{
    if (member.data(Client::ChannelModel::AwayRole).toBool())
        return palette.color(QPalette::Disabled, QPalette::Text);
    return MessageFormatter::nickColor(member.data(Client::ChannelModel::NameRole).toString());
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
