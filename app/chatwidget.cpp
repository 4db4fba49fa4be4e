#include "app/chatwidget.h"

#include "app/appsettings.h"
#include "app/channellistdialog.h"
#include "app/channelsettingsdialog.h"
#include "app/chatinput.h"
#include "app/inputcommand.h"
#include "app/logindialog.h"
#include "app/mentions.h"
#include "app/notificationpolicy.h"
#include "app/whoistext.h"
#include "clientlib/chatclient.h"
#include "protocol/numerics.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QMenu>
#include <QTabBar>
#include <QTabWidget>
#include <QVBoxLayout>

namespace App {

namespace {

// The longest text a notification shows of a line; the rest is in the window.
constexpr int NotificationTextLength = 200;
const QColor MentionTabColor(0xc0, 0x39, 0x2b);

} // namespace

ChatWidget::ChatWidget(Client::ChatClient *client, QWidget *parent)
    : QWidget(parent),
      m_client(client),
      m_tabs(new QTabWidget(this)),
      m_status(new ConversationView(ConversationView::Kind::Status, QString(), this)),
      m_input(new ChatInput(this)),
      m_awayIndicator(new QLabel(this)),
      m_chatMenu(new QMenu(this)),
      m_channelListAction(new QAction(this)),
      m_channelSettingsAction(new QAction(this)),
      m_logInAction(new QAction(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_tabs);
    auto *inputRow = new QHBoxLayout;
    inputRow->addWidget(m_input, 1);
    inputRow->addWidget(m_awayIndicator);
    layout->addLayout(inputRow);
    m_awayIndicator->setObjectName(QStringLiteral("awayIndicator"));
    m_awayIndicator->hide();
    m_tabs->addTab(m_status, QString());
    m_tabs->setDocumentMode(true);
    m_tabs->setUsesScrollButtons(true); // many tabs scroll rather than widen the window
    connect(m_tabs, &QTabWidget::currentChanged, this, [this](int index) {
        auto *view = qobject_cast<ConversationView *>(m_tabs->widget(index));
        if (view && isActiveWindow())
            view->markRead();
        fetchConversationHistory(view);
    });
    m_tabs->tabBar()->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_tabs->tabBar(), &QWidget::customContextMenuRequested, this,
            [this](const QPoint &pos) {
                if (QMenu *menu = tabMenu(m_tabs->tabBar()->tabAt(pos))) {
                    menu->setAttribute(Qt::WA_DeleteOnClose);
                    menu->popup(m_tabs->tabBar()->mapToGlobal(pos));
                }
            });
    buildChatMenu();
    connectInput();
    connectClient();
    retranslateUi();
}

ChatWidget::~ChatWidget()
{
    // The tabs outlive this part of the widget; their last signals find no one here.
    m_tabs->disconnect(this);
}

void ChatWidget::buildChatMenu()
{
    m_chatMenu->setObjectName(QStringLiteral("chatMenu"));
    m_channelListAction->setObjectName(QStringLiteral("channelList"));
    connect(m_channelListAction, &QAction::triggered, this, [this] { openChannelList(); });
    m_chatMenu->addAction(m_channelListAction);
    m_channelSettingsAction->setObjectName(QStringLiteral("channelSettings"));
    connect(m_channelSettingsAction, &QAction::triggered, this,
            [this] { openChannelSettings(currentConversation()->name()); });
    m_chatMenu->addAction(m_channelSettingsAction);
    m_chatMenu->addSeparator();
    m_logInAction->setObjectName(QStringLiteral("logIn"));
    connect(m_logInAction, &QAction::triggered, this, [this] { openLogin(); });
    m_chatMenu->addAction(m_logInAction);
    connect(m_tabs, &QTabWidget::currentChanged, this, &ChatWidget::updateActions);
    connect(m_client, &Client::ChatClient::stateChanged, this, &ChatWidget::updateActions);
    // Joining or leaving the current tab's channel need not change the current tab.
    connect(m_client, &Client::ChatClient::joined, this, &ChatWidget::updateActions);
    connect(m_client, &Client::ChatClient::parted, this, &ChatWidget::updateActions);
    connect(m_client, &Client::ChatClient::kicked, this, &ChatWidget::updateActions);
    updateActions();
}

// What needs a connection waits for one.
void ChatWidget::updateActions()
{
    m_channelListAction->setEnabled(m_client->isRegistered());
    const ConversationView *view = currentConversation();
    m_channelSettingsAction->setEnabled(m_client->isRegistered() && view
                                        && m_client->isJoined(view->name()));
}

ChannelListDialog *ChatWidget::openChannelList(const QString &filter)
{
    if (m_channelList) {
        m_channelList->refresh();
    } else {
        m_channelList = new ChannelListDialog(m_client, this);
        m_channelList->setAttribute(Qt::WA_DeleteOnClose);
    }
    m_channelList->setFilterText(filter);
    m_channelList->show();
    m_channelList->raise();
    m_channelList->activateWindow();
    return m_channelList;
}

LoginDialog *ChatWidget::openLogin()
{
    if (!m_login) {
        m_login = new LoginDialog(m_client, this);
        m_login->setAttribute(Qt::WA_DeleteOnClose);
    }
    m_login->show();
    m_login->raise();
    m_login->activateWindow();
    return m_login;
}

ChannelSettingsDialog *ChatWidget::openChannelSettings(const QString &channel)
{
    ChannelSettingsDialog *dialog = nullptr;
    for (ChannelSettingsDialog *open : findChildren<ChannelSettingsDialog *>()) {
        if (m_client->sameName(open->channel(), channel))
            dialog = open;
    }
    if (!dialog) {
        dialog = new ChannelSettingsDialog(m_client, channel, this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
    }
    dialog->show();
    dialog->raise();
    dialog->activateWindow();
    return dialog;
}

void ChatWidget::connectInput()
{
    connect(m_input, &QLineEdit::returnPressed, this, [this] {
        const QString line = m_input->text();
        m_input->remember(line);
        m_input->clear();
        submit(line);
    });
    connect(m_input, &ChatInput::linesPasted, this, &ChatWidget::sendPastedLines);
    m_input->setCandidates([this] {
        InputCompleter::Candidates candidates;
        const ConversationView *view = currentConversation();
        if (view->kind() == ConversationView::Kind::Channel)
            candidates.nicks = m_client->channel(view->name()).nicks();
        else if (view->kind() == ConversationView::Kind::Private)
            candidates.nicks = {view->name()};
        candidates.nicks.removeIf(
            [this](const QString &nick) { return m_client->sameName(nick, m_client->nick()); });
        candidates.channels = m_client->channels();
        candidates.commands = InputCommand::commands();
        candidates.channelTypes = QString::fromUtf8(m_client->serverSupport().channelTypes);
        candidates.mapping = m_client->serverSupport().caseMapping;
        return candidates;
    });
}

void ChatWidget::connectClient()
{
    connect(m_client, &Client::ChatClient::messageReceived, this, &ChatWidget::showMessage);
    connect(m_client, &Client::ChatClient::historyReceived, this, &ChatWidget::showHistory);
    connect(m_client, &Client::ChatClient::recentConversationsReceived, this,
            &ChatWidget::offerConversations);
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
    connect(m_client, &Client::ChatClient::awayChanged, this, &ChatWidget::showAway);
    connect(m_client, &Client::ChatClient::whoisReceived, this, &ChatWidget::showWhois);
    connect(m_client, &Client::ChatClient::stateChanged, this, &ChatWidget::updateAwayIndicator);
    connect(m_client, &Client::ChatClient::statusMessage, m_status, &ConversationView::appendEvent);
    connect(m_client, &Client::ChatClient::errorOccurred, this, &ChatWidget::showProblem);
    connect(m_client, &Client::ChatClient::serverError, this, &ChatWidget::showServerError);
    connect(m_client, &Client::ChatClient::registered, this, [this](const QString &nick) {
        m_status->appendEvent(tr("Connected as %1.").arg(nick));
        refetchConversationHistory();
    });
    connectAccount();
    connect(m_client, &Client::ChatClient::reconnectScheduled, this,
            [this](int attempt, int delayMs) {
                m_status->appendEvent(tr("Connection lost. Reconnecting in %1 s (attempt %2)…")
                                          .arg(delayMs / 1000.0, 0, 'f', 1)
                                          .arg(attempt));
            });
}

// What happens to the account is said in the status tab; a failure where the user looks too.
void ChatWidget::connectAccount()
{
    connect(m_client, &Client::ChatClient::loggedIn, this, [this](const QString &account) {
        m_status->appendEvent(tr("Logged in as %1.").arg(account));
    });
    connect(m_client, &Client::ChatClient::loggedOut, this,
            [this] { m_status->appendEvent(tr("Logged out.")); });
    connect(m_client, &Client::ChatClient::loginFailed, this,
            [this](const QString &reason) { showProblem(tr("Not logged in: %1").arg(reason)); });
    connect(m_client, &Client::ChatClient::accountRegistered, this, [this](const QString &account) {
        m_status->appendEvent(tr("Registered the account %1.").arg(account));
    });
    connect(m_client, &Client::ChatClient::accountRegistrationFailed, this,
            [this](const QString &reason) {
                showProblem(tr("The nickname was not registered: %1").arg(reason));
            });
}

void ChatWidget::retranslateUi()
{
    m_tabs->setTabText(m_tabs->indexOf(m_status), tr("Server"));
    m_input->setPlaceholderText(
        tr("Type a message, or /join #channel, /nick name, /msg nick text, /me action"));
    m_awayIndicator->setToolTip(
        tr("The server tells others that you are away. Type /back to return."));
    updateAwayIndicator();
    m_chatMenu->setTitle(tr("&Chat"));
    m_channelListAction->setText(tr("Channel &List…"));
    m_channelSettingsAction->setText(tr("Channel &Settings…"));
    m_logInAction->setText(tr("Log &In…"));
}

void ChatWidget::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    // Coming back to the window is looking at its current tab.
    if (event->type() == QEvent::ActivationChange && isActiveWindow())
        currentConversation()->markRead();
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
        showConversation(openConversation(command.target, ConversationView::Kind::Private));
        if (!command.text.isEmpty())
            m_client->sendMessage(command.target, command.text);
        break;
    case Kind::Topic:
        if (command.text.isEmpty())
            currentConversation()->appendEvent(
                tr("Topic: %1").arg(m_client->channel(command.target).topic()));
        else
            m_client->setTopic(command.target, command.text);
        break;
    case Kind::Whois:
        m_client->requestWhois(command.target);
        break;
    case Kind::List:
        openChannelList(command.text);
        break;
    case Kind::Away:
        setAway(command.text);
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
    ConversationView *view = conversation(name);
    if (!view)
        view = addConversation(name, kind);
    fetchConversationHistory(view);
    return view;
}

// A private conversation shows what its two accounts said before: asked once per tab and
// connection.
void ChatWidget::fetchConversationHistory(ConversationView *view)
{
    if (view && view->kind() == ConversationView::Kind::Private && !view->isLatestHistoryAsked())
        view->setLatestHistoryAsked(m_client->requestConversationHistory(view->name()));
}

// A new connection: each private tab asks again when it is next opened, the current one now.
void ChatWidget::refetchConversationHistory()
{
    for (int i = 0; i < m_tabs->count(); ++i)
        static_cast<ConversationView *>(m_tabs->widget(i))->setLatestHistoryAsked(false);
    fetchConversationHistory(currentConversation());
}

ConversationView *ChatWidget::addConversation(const QString &name, ConversationView::Kind kind)
{
    auto *view = new ConversationView(kind, name, m_tabs);
    connect(view, &ConversationView::memberActivated, this, [this](const QString &nick) {
        showConversation(openConversation(nick, ConversationView::Kind::Private));
    });
    connect(view, &ConversationView::memberMenuRequested, this,
            [this, view](const QString &nick, const QPoint &globalPos) {
                QMenu *menu = memberMenu(view->name(), nick);
                menu->setAttribute(Qt::WA_DeleteOnClose);
                menu->popup(globalPos);
            });
    connect(view, &ConversationView::unreadChanged, this, [this, view] {
        updateTab(view);
        Q_EMIT unreadChanged();
    });
    connect(view, &ConversationView::olderHistoryWanted, this, [this, view] {
        if (m_client->requestOlderHistory(view->name(), view->oldestMessageId()))
            view->setWaitingForHistory();
    });
    m_tabs->addTab(view, name);
    return view;
}

// The server's recent conversations of our account, as tabs in the background: nothing unread,
// no notification, and their lines fetched only when a tab is opened.
void ChatWidget::offerConversations(const QList<Client::RecentConversation> &conversations)
{
    for (const Client::RecentConversation &recent : conversations) {
        if (conversation(recent.nick))
            continue;
        ConversationView *view = addConversation(recent.nick, ConversationView::Kind::Private);
        m_tabs->setTabToolTip(
            m_tabs->indexOf(view),
            tr("Recent conversation, last line %1")
                .arg(QLocale().toString(recent.latest.toLocalTime(), QLocale::ShortFormat)));
    }
}

// History is what was said before: never unread, never a notification, mentions still marked.
void ChatWidget::showHistory(const QString &target, const QList<Client::ChatMessage> &messages)
{
    ConversationView *view = conversation(target);
    if (!view)
        return; // we left meanwhile
    QList<QList<Mentions::Span>> mentions;
    for (const Client::ChatMessage &message : messages)
        mentions.append(mentionsIn(message));
    view->prependHistory(messages, mentions);
}

QList<Mentions::Span> ChatWidget::mentionsIn(const Client::ChatMessage &message) const
{
    if (message.own)
        return {};
    return Mentions::find(message.text, m_client->nick(), m_client->serverSupport().caseMapping);
}

void ChatWidget::showConversation(ConversationView *view)
{
    m_tabs->setCurrentWidget(view);
    m_input->setFocus();
}

void ChatWidget::updateTab(ConversationView *view)
{
    const int index = m_tabs->indexOf(view);
    if (index < 0)
        return;
    const int unread = view->unreadCount();
    m_tabs->setTabText(index, unread ? tr("%1 (%2)").arg(view->name()).arg(unread) : view->name());
    // An invalid colour is the tab bar's own.
    m_tabs->tabBar()->setTabTextColor(index, view->hasUnreadMention() ? MentionTabColor : QColor());
}

int ChatWidget::unreadCount() const
{
    int total = 0;
    for (int i = 0; i < m_tabs->count(); ++i)
        total += static_cast<ConversationView *>(m_tabs->widget(i))->unreadCount();
    return total;
}

bool ChatWidget::hasUnreadMention() const
{
    for (int i = 0; i < m_tabs->count(); ++i) {
        if (static_cast<ConversationView *>(m_tabs->widget(i))->hasUnreadMention())
            return true;
    }
    return false;
}

QString ChatWidget::decoratedTitle(const QString &title) const
{
    const int unread = unreadCount();
    if (unread == 0)
        return title;
    return hasUnreadMention() ? tr("(%1, mentioned) %2").arg(unread).arg(title)
                              : tr("(%1) %2").arg(unread).arg(title);
}

void ChatWidget::closeConversation(const QString &name)
{
    if (ConversationView *view = conversation(name)) {
        m_tabs->removeTab(m_tabs->indexOf(view));
        view->deleteLater();
        if (view->unreadCount() > 0)
            Q_EMIT unreadChanged();
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
    ConversationView *view = openConversation(message.conversation, kind);
    const QList<Mentions::Span> mentions = mentionsIn(message);
    // What we write ourselves we have seen.
    const bool unread = !message.own && (view != currentConversation() || !isActiveWindow());
    view->appendMessage(message, mentions, unread);
    notifyIfWanted(message, !mentions.isEmpty());
}

NotificationPolicy ChatWidget::notificationPolicy() const
{
    const AppSettings *settings = AppSettings::instance();
    NotificationPolicy policy;
    policy.enabled = settings->notifications();
    policy.mutedChannels = settings->mutedChannels();
    policy.sameName = [this](const QString &a, const QString &b) {
        return m_client->sameName(a, b);
    };
    return policy;
}

void ChatWidget::notifyIfWanted(const Client::ChatMessage &message, bool mentionsUs)
{
    const NotificationPolicy policy = notificationPolicy();
    NotificationPolicy::Line line;
    line.conversation = message.conversation;
    line.inChannel = m_client->isChannelName(message.conversation);
    line.mentionsUs = mentionsUs;
    line.own = message.own;
    line.fromServer = message.fromServer;
    line.notice = message.notice;
    const NotificationPolicy::Reason reason = policy.decide(line, isActiveWindow());
    if (reason == NotificationPolicy::Reason::None)
        return;
    Q_EMIT notificationRequested(
        NotificationPolicy::title(reason, message.from, message.conversation),
        message.text.left(NotificationTextLength));
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
        updateTab(query);
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

void ChatWidget::showServerError(int numeric, const QString &text)
{
    // 422 (no MOTD) is a normal reply to registration, not a failure.
    if (QByteArray::number(numeric) == Irc::Numeric::NoMotd)
        m_status->appendEvent(text);
    else
        showProblem(text);
}

void ChatWidget::setAway(const QString &message)
{
    m_awayMessage = message;
    m_client->setAway(message);
}

// In the tab being looked at, where the question was most likely asked.
void ChatWidget::showWhois(const Client::WhoisInfo &info)
{
    for (const QString &line : WhoisText::lines(info))
        currentConversation()->appendEvent(line);
}

void ChatWidget::showAway(const QString &nick, bool away)
{
    if (!m_client->sameName(nick, m_client->nick()))
        return;
    currentConversation()->appendEvent(away ? tr("You are marked as away.") : tr("You are back."));
    updateAwayIndicator();
}

// What the server confirmed (306/305), not what we asked: a refused AWAY shows nothing.
void ChatWidget::updateAwayIndicator()
{
    const bool away = m_client->isAway() && m_client->isRegistered();
    m_awayIndicator->setText(m_awayMessage.isEmpty() ? tr("Away")
                                                     : tr("Away: %1").arg(m_awayMessage));
    m_awayIndicator->setVisible(away);
}

void ChatWidget::showProblem(const QString &text)
{
    currentConversation()->appendEvent(tr("Error: %1").arg(text));
    if (currentConversation() != m_status)
        m_status->appendEvent(tr("Error: %1").arg(text));
}

void ChatWidget::sendPastedLines(const QStringList &lines)
{
    const QString conversation = currentConversation()->name();
    if (conversation.isEmpty()) {
        m_status->appendEvent(tr("Join a channel or open a conversation first."));
        return;
    }
    // Pasted text is text: a line that starts with a slash is said, not run.
    m_client->sendMessage(conversation, lines.join(u'\n'));
}

bool ChatWidget::isOperator(const QString &channel) const
{
    return m_client->channel(channel).hasOperatorStatus(m_client->nick());
}

QMenu *ChatWidget::memberMenu(const QString &channel, const QString &nick)
{
    auto *menu = new QMenu(this);
    QAction *query = menu->addAction(tr("&Query"), this, [this, nick] {
        showConversation(openConversation(nick, ConversationView::Kind::Private));
    });
    query->setObjectName(QStringLiteral("query"));
    QAction *whois
        = menu->addAction(tr("&Whois"), this, [this, nick] { m_client->requestWhois(nick); });
    whois->setObjectName(QStringLiteral("whois"));
    if (isOperator(channel))
        addOperatorActions(menu, channel, nick);
    return menu;
}

void ChatWidget::addOperatorActions(QMenu *menu, const QString &channel, const QString &nick)
{
    const QString prefixes = m_client->channel(channel).prefixesOf(nick);
    const auto add = [&](const char *name, const QString &text, const QStringList &lines) {
        QAction *action = menu->addAction(text, this, [this, lines] {
            for (const QString &line : lines)
                sendCommand(line);
        });
        action->setObjectName(QLatin1StringView(name));
    };
    const QString mode = QStringLiteral("MODE %1 %2 %3");
    const QString kick = QStringLiteral("KICK %1 %2").arg(channel, nick);
    const QString ban = mode.arg(channel, QStringLiteral("+b"), nick + QStringLiteral("!*@*"));
    menu->addSeparator();
    if (prefixes.contains(u'@'))
        add("deop", tr("&Deop"), {mode.arg(channel, QStringLiteral("-o"), nick)});
    else
        add("op", tr("&Op"), {mode.arg(channel, QStringLiteral("+o"), nick)});
    if (prefixes.contains(u'+'))
        add("devoice", tr("De&voice"), {mode.arg(channel, QStringLiteral("-v"), nick)});
    else
        add("voice", tr("&Voice"), {mode.arg(channel, QStringLiteral("+v"), nick)});
    menu->addSeparator();
    add("kick", tr("&Kick"), {kick});
    add("ban", tr("&Ban"), {ban});
    // The ban first, so that the kicked client cannot rejoin in between.
    add("kickBan", tr("Kick and Ba&n"), {ban, kick});
}

void ChatWidget::sendCommand(const QString &line)
{
    m_client->sendRaw(line.toUtf8());
}

QMenu *ChatWidget::tabMenu(int index)
{
    auto *view = qobject_cast<ConversationView *>(m_tabs->widget(index));
    if (!view || view == m_status)
        return nullptr;
    auto *menu = new QMenu(this);
    const QString name = view->name();
    if (view->kind() == ConversationView::Kind::Channel) {
        addChannelTabActions(menu, name);
    } else {
        QAction *close
            = menu->addAction(tr("&Close"), this, [this, name] { closeConversation(name); });
        close->setObjectName(QStringLiteral("close"));
    }
    return menu;
}

void ChatWidget::addChannelTabActions(QMenu *menu, const QString &channel)
{
    QAction *mute = menu->addAction(tr("&Mute notifications"));
    mute->setObjectName(QStringLiteral("mute"));
    mute->setCheckable(true);
    mute->setChecked(notificationPolicy().isMuted(channel));
    connect(mute, &QAction::toggled, this, [this, channel](bool on) { setMuted(channel, on); });
    QAction *settings = menu->addAction(tr("Channel &Settings…"), this,
                                        [this, channel] { openChannelSettings(channel); });
    settings->setObjectName(QStringLiteral("settings"));
    QAction *leave
        = menu->addAction(tr("&Leave"), this, [this, channel] { m_client->part(channel); });
    leave->setObjectName(QStringLiteral("leave"));
}

void ChatWidget::setMuted(const QString &channel, bool muted)
{
    AppSettings *settings = AppSettings::instance();
    QStringList channels = settings->mutedChannels();
    channels.removeIf([&](const QString &entry) { return m_client->sameName(entry, channel); });
    if (muted)
        channels.append(channel);
    settings->setMutedChannels(channels);
}

} // namespace App
