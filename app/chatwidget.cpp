#include "app/chatwidget.h"

#include "app/inputcommand.h"
#include "clientlib/chatclient.h"

#include <QEvent>
#include <QLineEdit>
#include <QTabWidget>
#include <QVBoxLayout>

namespace App {

ChatWidget::ChatWidget(Client::ChatClient *client, QWidget *parent)
    : QWidget(parent),
      m_client(client),
      m_tabs(new QTabWidget(this)),
      m_status(new ConversationView(ConversationView::Kind::Status, QString(), this)),
      m_input(new QLineEdit(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_tabs);
    layout->addWidget(m_input);
    m_tabs->addTab(m_status, QString());
    m_tabs->setDocumentMode(true);
    connect(m_input, &QLineEdit::returnPressed, this, [this] {
        const QString line = m_input->text();
        m_input->clear();
        submit(line);
    });
    connectClient();
    retranslateUi();
}

void ChatWidget::connectClient()
{
    connect(m_client, &Client::ChatClient::messageReceived, this, &ChatWidget::showMessage);
    connect(m_client, &Client::ChatClient::joined, this, &ChatWidget::showJoin);
    connect(m_client, &Client::ChatClient::parted, this, &ChatWidget::showPart);
    connect(m_client, &Client::ChatClient::kicked, this,
            [this](const QString &channel, const QString &nick, const QString &by,
                   const QString &reason, bool self) {
                showPart(channel, nick, tr("kicked by %1: %2").arg(by, reason), self);
            });
    connect(m_client, &Client::ChatClient::userQuit, this, &ChatWidget::showQuit);
    connect(m_client, &Client::ChatClient::nickChanged, this, &ChatWidget::showNickChange);
    connect(m_client, &Client::ChatClient::topicChanged, this, &ChatWidget::showTopic);
    connect(m_client, &Client::ChatClient::statusMessage, m_status, &ConversationView::appendEvent);
    connect(m_client, &Client::ChatClient::errorOccurred, this, &ChatWidget::showProblem);
    connect(m_client, &Client::ChatClient::serverError, this,
            [this](int, const QString &text) { showProblem(text); });
    connect(m_client, &Client::ChatClient::registered, this, [this](const QString &nick) {
        m_status->appendEvent(tr("Connected as %1.").arg(nick));
    });
    connect(m_client, &Client::ChatClient::reconnectScheduled, this,
            [this](int attempt, int delayMs) {
                m_status->appendEvent(tr("Connection lost. Reconnecting in %1 s (attempt %2)…")
                                          .arg(delayMs / 1000.0, 0, 'f', 1)
                                          .arg(attempt));
            });
}

void ChatWidget::retranslateUi()
{
    m_tabs->setTabText(m_tabs->indexOf(m_status), tr("Server"));
    m_input->setPlaceholderText(
        tr("Type a message, or /join #channel, /nick name, /msg nick text, /me action"));
}

void ChatWidget::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

ConversationView *ChatWidget::conversation(const QString &name) const
{
    for (int i = 0; i < m_tabs->count(); ++i) {
        auto *view = static_cast<ConversationView *>(m_tabs->widget(i));
        if (view != m_status && m_client->sameName(view->name(), name))
            return view;
    }
    return nullptr;
}

ConversationView *ChatWidget::currentConversation() const
{
    return static_cast<ConversationView *>(m_tabs->currentWidget());
}

QStringList ChatWidget::conversationNames() const
{
    QStringList names;
    for (int i = 0; i < m_tabs->count(); ++i) {
        if (m_tabs->widget(i) != m_status)
            names.append(static_cast<ConversationView *>(m_tabs->widget(i))->name());
    }
    return names;
}

void ChatWidget::submit(const QString &line)
{
    execute(InputCommand::parse(line, currentConversation()->name()));
}

void ChatWidget::execute(const InputCommand &command)
{
    using Kind = InputCommand::Kind;
    switch (command.kind) {
    case Kind::None:
        break;
    case Kind::Message:
        m_client->sendMessage(command.target, command.text);
        break;
    case Kind::Action:
        m_client->sendAction(command.target, command.text);
        break;
    case Kind::Join:
        m_client->join(command.target);
        break;
    case Kind::Part:
        m_client->part(command.target, command.text);
        break;
    case Kind::Nick:
        m_client->changeNick(command.target);
        break;
    case Kind::PrivateMessage:
        m_tabs->setCurrentWidget(openConversation(command.target, ConversationView::Kind::Private));
        m_client->sendMessage(command.target, command.text);
        break;
    case Kind::Topic:
        if (command.text.isEmpty())
            currentConversation()->appendEvent(
                tr("Topic: %1").arg(m_client->channel(command.target).topic()));
        else
            m_client->setTopic(command.target, command.text);
        break;
    case Kind::Raw:
        m_client->sendRaw(command.text.toUtf8());
        break;
    case Kind::Error:
        currentConversation()->appendEvent(command.error);
        break;
    }
}

ConversationView *ChatWidget::openConversation(const QString &name, ConversationView::Kind kind)
{
    if (ConversationView *existing = conversation(name))
        return existing;
    auto *view = new ConversationView(kind, name, m_tabs);
    connect(view, &ConversationView::memberActivated, this, [this](const QString &nick) {
        m_tabs->setCurrentWidget(openConversation(nick, ConversationView::Kind::Private));
        m_input->setFocus();
    });
    m_tabs->addTab(view, name);
    return view;
}

void ChatWidget::closeConversation(const QString &name)
{
    if (ConversationView *view = conversation(name)) {
        m_tabs->removeTab(m_tabs->indexOf(view));
        view->deleteLater();
    }
}

void ChatWidget::showMessage(const Client::ChatMessage &message)
{
    if (message.fromServer || message.conversation.isEmpty()) {
        m_status->appendMessage(message);
        return;
    }
    const auto kind = m_client->isChannelName(message.conversation)
        ? ConversationView::Kind::Channel
        : ConversationView::Kind::Private;
    openConversation(message.conversation, kind)->appendMessage(message);
}

void ChatWidget::showJoin(const QString &channel, const QString &nick, bool self)
{
    if (self) {
        ConversationView *view = openConversation(channel, ConversationView::Kind::Channel);
        Client::ChannelModel *channels = m_client->channelModel();
        view->showMembers(channels, channels->channelIndex(channel));
        m_tabs->setCurrentWidget(view);
        view->appendEvent(tr("You joined %1.").arg(channel));
        return;
    }
    if (ConversationView *view = conversation(channel))
        view->appendEvent(tr("%1 joined %2.").arg(nick, channel));
}

void ChatWidget::showPart(const QString &channel, const QString &nick, const QString &reason,
                          bool self)
{
    if (self) {
        closeConversation(channel);
        m_status->appendEvent(tr("You left %1.").arg(channel));
        return;
    }
    if (ConversationView *view = conversation(channel)) {
        view->appendEvent(reason.isEmpty() ? tr("%1 left %2.").arg(nick, channel)
                                           : tr("%1 left %2 (%3).").arg(nick, channel, reason));
    }
}

void ChatWidget::showQuit(const QString &nick, const QString &reason, const QStringList &channels)
{
    for (const QString &channel : channels) {
        if (ConversationView *view = conversation(channel))
            view->appendEvent(tr("%1 quit (%2).").arg(nick, reason));
    }
}

void ChatWidget::showNickChange(const QString &oldNick, const QString &newNick, bool self)
{
    const QString text = self ? tr("You are now known as %1.").arg(newNick)
                              : tr("%1 is now known as %2.").arg(oldNick, newNick);
    if (self)
        m_status->appendEvent(text);
    for (const QString &channel : m_client->channels()) {
        ConversationView *view = conversation(channel);
        if (view && m_client->channel(channel).hasMember(newNick))
            view->appendEvent(text);
    }
    if (ConversationView *query = conversation(oldNick)) {
        query->rename(newNick);
        m_tabs->setTabText(m_tabs->indexOf(query), newNick);
        query->appendEvent(text);
    }
}

void ChatWidget::showTopic(const QString &channel, const QString &topic, const QString &setBy)
{
    ConversationView *view = conversation(channel);
    if (!view)
        return;
    view->setTopic(topic);
    if (!setBy.isEmpty())
        view->appendEvent(tr("%1 set the topic: %2").arg(setBy, topic));
}

void ChatWidget::showProblem(const QString &text)
{
    currentConversation()->appendEvent(tr("Error: %1").arg(text));
    if (currentConversation() != m_status)
        m_status->appendEvent(tr("Error: %1").arg(text));
}

} // namespace App
