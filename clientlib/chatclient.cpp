#include "clientlib/chatclient.h"

#include "clientlib/clientlogging.h"

namespace Client {

ChatClient::ChatClient(QObject *parent) : QObject(parent)
{
    connectSession();
    connectConnection();
}

ChatClient::~ChatClient() = default;

void ChatClient::connectSession()
{
    ClientSession *session = &m_session;
    connect(session, &ClientSession::lineReady, this, &ChatClient::onLineReady);
    connect(session, &ClientSession::registered, this, &ChatClient::onRegistered);
    connect(session, &ClientSession::failed, this, &ChatClient::onFailed);
    connect(session, &ClientSession::quitRequested, this, &ChatClient::disconnectFromServer);
    connect(session, &ClientSession::capabilitiesChanged, this, &ChatClient::capabilitiesChanged);
    connect(session, &ClientSession::joined, this, &ChatClient::joined);
    connect(session, &ClientSession::parted, this, &ChatClient::parted);
    connect(session, &ClientSession::kicked, this, &ChatClient::kicked);
    connect(session, &ClientSession::userQuit, this, &ChatClient::userQuit);
    connect(session, &ClientSession::nickChanged, this, &ChatClient::nickChanged);
    connect(session, &ClientSession::topicChanged, this, &ChatClient::topicChanged);
    connect(session, &ClientSession::namesChanged, this, &ChatClient::namesChanged);
    connect(session, &ClientSession::modeChanged, this, &ChatClient::modeChanged);
    connect(session, &ClientSession::channelModesChanged, this, &ChatClient::channelModesChanged);
    connect(session, &ClientSession::banListChanged, this, &ChatClient::banListChanged);
    connect(session, &ClientSession::awayChanged, this, &ChatClient::awayChanged);
    connect(session, &ClientSession::invited, this, &ChatClient::invited);
    connect(session, &ClientSession::realNameChanged, this, &ChatClient::realNameChanged);
    connect(session, &ClientSession::whoisReceived, this, &ChatClient::whoisReceived);
    connect(session, &ClientSession::channelListReceived, this, &ChatClient::channelListReceived);
    connect(session, &ClientSession::messageReceived, this, &ChatClient::messageReceived);
    connect(session, &ClientSession::historyReceived, this, &ChatClient::historyReceived);
    connect(session, &ClientSession::recentConversationsReceived, this,
            &ChatClient::recentConversationsReceived);
    connect(session, &ClientSession::serverError, this, &ChatClient::serverError);
    connect(session, &ClientSession::errorOccurred, this, &ChatClient::errorOccurred);
    connect(session, &ClientSession::statusMessage, this, &ChatClient::statusMessage);
    connect(session, &ClientSession::accountChanged, this, &ChatClient::onAccountChanged);
    connect(session, &ClientSession::loginFailed, this, &ChatClient::loginFailed);
    connect(session, &ClientSession::accountRegistered, this, &ChatClient::accountRegistered);
    connect(session, &ClientSession::accountRegistrationFailed, this,
            &ChatClient::accountRegistrationFailed);
    connect(session, &ClientSession::memberAccountChanged, this, &ChatClient::memberAccountChanged);
}

void ChatClient::connectConnection()
{
    ClientConnection *connection = &m_connection;
    connect(connection, &ClientConnection::connecting, this, &ChatClient::onConnecting);
    connect(connection, &ClientConnection::connected, this, &ChatClient::onConnected);
    // Shown first, then handled: a UI's raw log lists a line before what it caused.
    connect(connection, &ClientConnection::lineReceived, this, &ChatClient::lineReceived);
    connect(connection, &ClientConnection::lineReceived, &m_session, &ClientSession::receive);
    connect(connection, &ClientConnection::lineSent, this, &ChatClient::lineSent);
    connect(connection, &ClientConnection::ended, this, &ChatClient::onEnded);
    connect(connection, &ClientConnection::errorOccurred, this, &ChatClient::errorOccurred);
    connect(connection, &ClientConnection::reconnectScheduled, this,
            &ChatClient::onReconnectScheduled);
}

void ChatClient::connectToServer(const ClientSettings &settings)
{
    m_session.configure(settings);
    m_connection.open(settings);
}

void ChatClient::disconnectFromServer(const QString &reason)
{
    m_connection.quit(m_session.quit(reason));
}

QString ChatClient::nick() const
{
    return QString::fromUtf8(m_session.nick());
}

ChannelState ChatClient::channel(const QString &channel) const
{
    const ChannelState *state = m_channels.channel(channel);
    return state ? *state : ChannelState();
}

bool ChatClient::isChannelName(const QString &target) const
{
    return m_session.serverSupport().isChannel(target.toUtf8());
}

void ChatClient::setReconnectDelays(int initialMs, int maxMs)
{
    m_connection.setReconnectDelays(initialMs, maxMs);
}

void ChatClient::join(const QString &channel, const QString &key)
{
    m_session.join(channel, key);
}

void ChatClient::part(const QString &channel, const QString &reason)
{
    m_session.part(channel, reason);
}

void ChatClient::sendMessage(const QString &target, const QString &text)
{
    m_session.sendChat("PRIVMSG", target, text, false);
}

void ChatClient::sendAction(const QString &target, const QString &text)
{
    m_session.sendChat("PRIVMSG", target, text, true);
}

void ChatClient::sendNotice(const QString &target, const QString &text)
{
    m_session.sendChat("NOTICE", target, text, false);
}

void ChatClient::changeNick(const QString &nick)
{
    m_session.changeNick(nick);
}

void ChatClient::setTopic(const QString &channel, const QString &topic)
{
    m_session.setTopic(channel, topic);
}

void ChatClient::requestNames(const QString &channel)
{
    m_session.requestNames(channel);
}

void ChatClient::setAway(const QString &message)
{
    m_session.setAway(message);
}

void ChatClient::setRealName(const QString &realName)
{
    m_session.setRealName(realName);
}

bool ChatClient::requestOlderHistory(const QString &target, const QString &beforeId)
{
    return m_session.requestOlderHistory(target, beforeId);
}

bool ChatClient::requestConversationHistory(const QString &nick)
{
    return m_session.requestConversationHistory(nick);
}

bool ChatClient::hasHistory() const
{
    return m_session.hasHistory();
}

void ChatClient::requestWhois(const QString &nick)
{
    m_session.requestWhois(nick);
}

void ChatClient::requestChannelList(const QString &mask)
{
    m_session.requestChannelList(mask);
}

void ChatClient::changeChannelModes(const QString &channel, const QList<Irc::ModeChange> &changes)
{
    m_session.changeModes(channel, changes);
}

void ChatClient::requestBanList(const QString &channel)
{
    m_session.requestBanList(channel);
}

void ChatClient::logIn(const QString &account, const QString &password)
{
    m_session.setCredentials(account, password);
    if (m_state != State::Disconnected || m_connection.isReconnectPending())
        m_connection.open(m_session.settings());
}

void ChatClient::registerAccount(const QString &password)
{
    m_session.registerAccount(password);
}

void ChatClient::sendRaw(const QByteArray &lines)
{
    m_session.sendRaw(lines);
}

void ChatClient::onConnecting()
{
    m_session.reset();
    setState(State::Connecting);
}

void ChatClient::onConnected()
{
    setState(State::Registering);
    m_session.start();
}

void ChatClient::onRegistered(const QString &nick)
{
    m_connection.setEstablished();
    setState(State::Connected);
    Q_EMIT registered(nick);
}

void ChatClient::onEnded()
{
    m_session.end();
    setState(State::Disconnected);
}

void ChatClient::onFailed(const QString &message)
{
    Q_EMIT errorOccurred(message);
    m_connection.giveUp(m_session.quit(QString()));
}

void ChatClient::onReconnectScheduled(int attempt, int delayMs)
{
    Q_EMIT reconnectScheduled(attempt, delayMs);
    Q_EMIT statusMessage(tr("Reconnecting in %n second(s)...", "", (delayMs + 999) / 1000));
}

void ChatClient::onAccountChanged(const QString &account)
{
    if (account.isEmpty())
        Q_EMIT loggedOut();
    else
        Q_EMIT loggedIn(account);
}

void ChatClient::onLineReady(const QByteArray &line, ClientSession::Urgency urgency)
{
    switch (urgency) {
    case ClientSession::Urgency::Urgent:
        m_connection.sendNow(line);
        break;
    case ClientSession::Urgency::Paced:
        m_connection.send(line);
        break;
    case ClientSession::Urgency::Background:
        m_connection.sendBackground(line);
        break;
    }
}

void ChatClient::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    qCInfo(lcClient) << "state" << state;
    Q_EMIT stateChanged(state);
}

} // namespace Client
