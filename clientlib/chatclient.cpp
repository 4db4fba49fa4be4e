#include "clientlib/chatclient.h"

#include "clientlib/clientlogging.h"
#include "clientlib/ctcp.h"
#include "clientlib/nickfallback.h"

#include "protocol/names.h"
#include "protocol/numerics.h"
#include "protocol/textsplit.h"

#include <QCoreApplication>
#include <QRegularExpression>

#include <algorithm>

namespace Client {

namespace {

constexpr int ConnectTimeoutMs = 30'000; // covers the TCP connect and the registration
constexpr int QuitTimeoutMs = 3'000;
constexpr int LivenessIdleMs = 90'000;
constexpr int LivenessReplyMs = 60'000;
constexpr int MaxNickAttempts = 50;
constexpr qsizetype JoinBatchBytes = 400;
// The server relays `:nick!user@host ` before our line; cloaked or IPv6 hosts are long, so
// budget for a long one rather than risk the server cutting a piece.
constexpr qsizetype AssumedHostBytes = 64;

QString decode(QByteArrayView bytes)
{
    return QString::fromUtf8(bytes);
}

// Everything after the target of a numeric, for a status view.
QString numericText(const Irc::IrcMessage &message)
{
    QStringList parts;
    for (qsizetype i = 1; i < message.params.size(); ++i)
        parts.append(decode(message.params.at(i)));
    return parts.join(QLatin1Char(' '));
}

bool isNumeric(QByteArrayView command)
{
    return command.size() == 3
        && std::all_of(command.begin(), command.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// A line break inside a parameter would end the line early and start another command.
QList<QByteArray> splitLines(QByteArray bytes)
{
    bytes.replace('\r', '\n').replace('\0', ' ');
    QList<QByteArray> lines = bytes.split('\n');
    lines.removeIf([](const QByteArray &line) { return line.isEmpty(); });
    return lines;
}

QList<QByteArray> textLines(const QString &text)
{
    return splitLines(text.toUtf8());
}

} // namespace

ChatClient::ChatClient(QObject *parent) : QObject(parent)
{
    qRegisterMetaType<ChatMessage>();
    m_reconnectTimer.setSingleShot(true);
    m_timeout.setSingleShot(true);
    m_liveness.setSingleShot(true);
    connect(&m_reconnectTimer, &QTimer::timeout, this, &ChatClient::openConnection);
    connect(&m_timeout, &QTimer::timeout, this, &ChatClient::onTimeout);
    connect(&m_liveness, &QTimer::timeout, this, &ChatClient::onLivenessTimeout);
    connect(&m_sendQueue, &SendQueue::lineReady, this, &ChatClient::writeLine);
    // With TLS, registration starts once the handshake is done, not at the TCP connect.
    connect(&m_socket, &QTcpSocket::connected, this, [this] {
        if (!m_settings.tls)
            onConnected();
    });
    connect(&m_socket, &QSslSocket::encrypted, this, &ChatClient::onConnected);
    connect(&m_socket, &QSslSocket::sslErrors, this, &ChatClient::onSslErrors);
    connect(&m_socket, &QTcpSocket::readyRead, this, &ChatClient::onReadyRead);
    connect(&m_socket, &QTcpSocket::stateChanged, this, &ChatClient::onSocketStateChanged);
    connect(&m_socket, &QTcpSocket::errorOccurred, this, &ChatClient::onSocketError);
}

ChatClient::~ChatClient()
{
    // The socket's destructor signals; nothing of ours may run while members go away.
    m_socket.disconnect(this);
    if (m_socket.state() == QAbstractSocket::ConnectedState) {
        m_socket.write(Irc::makeLine({}, "QUIT", {}));
        m_socket.flush();
    }
    m_socket.abort();
}

void ChatClient::connectToServer(const ClientSettings &settings)
{
    {
        const QSignalBlocker blocker(&m_socket);
        m_socket.abort();
    }
    m_settings = settings;
    m_wantedChannels.clear();
    for (const QString &channel : settings.channels)
        rememberChannel(channel);
    m_userQuit = false;
    m_fatal = false;
    m_backoff.reset();
    m_reconnectTimer.stop();
    openConnection();
}

void ChatClient::disconnectFromServer(const QString &reason)
{
    m_userQuit = true;
    m_reconnectTimer.stop();
    m_sendQueue.clear(); // a quit is meant now, not after paced chat lines
    if (m_socket.state() != QAbstractSocket::ConnectedState) {
        m_socket.abort();
        connectionEnded();
        return;
    }
    const QByteArray why = textLines(reason).join(' ');
    m_sendQueue.sendNow(why.isEmpty() ? Irc::makeLine({}, "QUIT", {})
                                      : Irc::makeLine({}, "QUIT", {why}));
    // The server answers QUIT with ERROR and closes; closing first could reset the
    // connection before it read our reason.
    m_timeout.start(QuitTimeoutMs);
}

QString ChatClient::nick() const
{
    return decode(m_nick);
}

QStringList ChatClient::channels() const
{
    QStringList names;
    for (const ChannelState &state : m_channels)
        names.append(state.name());
    names.sort(Qt::CaseInsensitive);
    return names;
}

bool ChatClient::isJoined(const QString &channel) const
{
    return m_channels.contains(fold(channel.toUtf8()));
}

ChannelState ChatClient::channel(const QString &channel) const
{
    return m_channels.value(fold(channel.toUtf8()));
}

bool ChatClient::isChannelName(const QString &target) const
{
    return m_support.isChannel(target.toUtf8());
}

bool ChatClient::sameName(const QString &a, const QString &b) const
{
    return fold(a.toUtf8()) == fold(b.toUtf8());
}

void ChatClient::setReconnectDelays(int initialMs, int maxMs)
{
    m_backoff.setLimits(initialMs, maxMs);
}

void ChatClient::join(const QString &channel, const QString &key)
{
    if (!checkParameter(channel, tr("channel name"))
        || !checkParameter(key, tr("channel key"), true))
        return;
    rememberChannel(channel, key);
    if (!isRegistered())
        return;
    if (key.isEmpty())
        send("JOIN", {channel.toUtf8()});
    else
        send("JOIN", {channel.toUtf8(), key.toUtf8()});
}

void ChatClient::part(const QString &channel, const QString &reason)
{
    if (!checkParameter(channel, tr("channel name")))
        return;
    forgetChannel(channel);
    if (!isRegistered())
        return;
    const QByteArray why = textLines(reason).join(' ');
    if (why.isEmpty())
        send("PART", {channel.toUtf8()});
    else
        send("PART", {channel.toUtf8(), why});
}

void ChatClient::sendMessage(const QString &target, const QString &text)
{
    sendChat("PRIVMSG", target, text, false);
}

void ChatClient::sendAction(const QString &target, const QString &text)
{
    sendChat("PRIVMSG", target, text, true);
}

void ChatClient::sendNotice(const QString &target, const QString &text)
{
    sendChat("NOTICE", target, text, false);
}

void ChatClient::changeNick(const QString &nick)
{
    if (!checkParameter(nick, tr("nickname")))
        return;
    if (m_state == State::Disconnected) {
        m_settings.nick = nick;
        return;
    }
    if (m_state == State::Registering)
        m_nick = nick.toUtf8(); // registration replies will name the nick we asked for
    send("NICK", {nick.toUtf8()});
}

void ChatClient::setTopic(const QString &channel, const QString &topic)
{
    if (checkParameter(channel, tr("channel name")))
        send("TOPIC", {channel.toUtf8(), textLines(topic).join(' ')});
}

void ChatClient::requestNames(const QString &channel)
{
    if (checkParameter(channel, tr("channel name")))
        send("NAMES", {channel.toUtf8()});
}

void ChatClient::sendRaw(const QByteArray &lines)
{
    if (m_socket.state() != QAbstractSocket::ConnectedState) {
        Q_EMIT errorOccurred(tr("Not connected: the command was not sent."));
        return;
    }
    for (const QByteArray &line : splitLines(lines)) {
        const std::optional<Irc::IrcMessage> message = Irc::IrcMessage::parse(line);
        if (!message)
            continue;
        if (message->command == "QUIT")
            disconnectFromServer(decode(message->param(0)));
        else
            m_sendQueue.enqueue(message->toLine());
    }
}

// --- connection lifecycle ---

void ChatClient::openConnection()
{
    m_support = Irc::ISupport();
    m_splitter.clear();
    m_sendQueue.clear();
    m_sendQueue.setPacing(m_settings.sendBurst, m_settings.sendIntervalMs);
    m_channels.clear();
    m_nick = m_settings.nick.toUtf8();
    m_serverName.clear();
    m_nickAttempt = 0;
    m_capEndSent = false;
    m_pingOutstanding = false;
    m_liveness.stop();
    setState(State::Connecting);
    qCInfo(lcClient) << "connecting to" << m_settings.host << m_settings.port;
    m_timeout.start(ConnectTimeoutMs);
    if (m_settings.tls)
        m_socket.connectToHostEncrypted(m_settings.host, m_settings.port);
    else
        m_socket.connectToHost(m_settings.host, m_settings.port);
}

void ChatClient::onSslErrors(const QList<QSslError> &errors)
{
    // A pinned certificate is trusted as it is: every error must be about that very
    // certificate. Anything else fails the handshake and is reported as a socket error.
    const QList<QSslCertificate> &pinned = m_settings.pinnedCertificates;
    const bool allPinned
        = std::all_of(errors.cbegin(), errors.cend(),
                      [&pinned](const QSslError &e) { return pinned.contains(e.certificate()); });
    if (allPinned && !errors.isEmpty())
        m_socket.ignoreSslErrors(errors);
}

void ChatClient::onConnected()
{
    // Chat lines are small and interactive; Nagle would hold them back.
    m_socket.setSocketOption(QAbstractSocket::LowDelayOption, 1);
    setState(State::Registering);
    m_liveness.start(LivenessIdleMs);
    sendRegistration();
}

void ChatClient::onSocketStateChanged(QAbstractSocket::SocketState socketState)
{
    if (socketState == QAbstractSocket::UnconnectedState)
        connectionEnded();
}

void ChatClient::onSocketError(QAbstractSocket::SocketError error)
{
    if ((m_userQuit || m_fatal) && error == QAbstractSocket::RemoteHostClosedError)
        return;
    qCWarning(lcClient) << "socket error:" << m_socket.errorString();
    Q_EMIT errorOccurred(tr("Connection to %1:%2 failed: %3")
                             .arg(m_settings.host)
                             .arg(m_settings.port)
                             .arg(m_socket.errorString()));
}

void ChatClient::onReadyRead()
{
    m_pingOutstanding = false;
    m_liveness.start(LivenessIdleMs);
    m_splitter.append(m_socket.readAll());
    Irc::LineSplitter::Line line;
    while (m_splitter.next(&line)) {
        if (line.tooLong)
            qCWarning(lcClient) << "dropped an over-long line from the server";
        else
            processLine(line.text);
    }
    if (m_splitter.overflowed()) {
        Q_EMIT errorOccurred(tr("The server sent data without line breaks; disconnecting."));
        m_socket.abort();
    }
}

void ChatClient::onTimeout()
{
    if (m_userQuit) {
        m_socket.abort(); // the server did not close after our QUIT
        return;
    }
    Q_EMIT errorOccurred(tr("The server did not complete the connection in time."));
    m_socket.abort();
}

void ChatClient::onLivenessTimeout()
{
    if (!m_pingOutstanding) {
        // Silence can mean a dead link that TCP will not report for a long time.
        m_pingOutstanding = true;
        m_sendQueue.sendNow(Irc::makeLine({}, "PING", {"qtchat"}));
        m_liveness.start(LivenessReplyMs);
        return;
    }
    Q_EMIT errorOccurred(tr("The server stopped responding."));
    m_socket.abort();
}

void ChatClient::connectionEnded()
{
    m_timeout.stop();
    m_liveness.stop();
    m_sendQueue.clear();
    m_splitter.clear();
    m_channels.clear();
    setState(State::Disconnected);
    // A slot connected to stateChanged may have connected again.
    const bool wantReconnect = !m_userQuit && !m_fatal && m_settings.autoReconnect;
    if (m_state == State::Disconnected && wantReconnect && !m_reconnectTimer.isActive())
        scheduleReconnect();
}

void ChatClient::scheduleReconnect()
{
    const int delay = m_backoff.nextDelay();
    qCInfo(lcClient) << "reconnecting in" << delay << "ms, attempt" << m_backoff.attempts();
    m_reconnectTimer.start(delay);
    Q_EMIT reconnectScheduled(m_backoff.attempts(), delay);
    Q_EMIT statusMessage(tr("Reconnecting in %n second(s)...", "", (delay + 999) / 1000));
}

void ChatClient::failFatally(const QString &message)
{
    // Retrying would fail the same way: stop instead of reconnecting in a loop.
    m_fatal = true;
    Q_EMIT errorOccurred(message);
    if (m_socket.state() == QAbstractSocket::ConnectedState) {
        m_sendQueue.sendNow(Irc::makeLine({}, "QUIT", {}));
        m_socket.disconnectFromHost();
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

// --- incoming lines ---

const QHash<QByteArray, ChatClient::Handler> &ChatClient::handlers()
{
    static const QHash<QByteArray, Handler> table = {
        {"CAP", &ChatClient::handleCap},      {"PING", &ChatClient::handlePing},
        {"ERROR", &ChatClient::handleError},  {"JOIN", &ChatClient::handleJoin},
        {"PART", &ChatClient::handlePart},    {"KICK", &ChatClient::handleKick},
        {"QUIT", &ChatClient::handleQuit},    {"NICK", &ChatClient::handleNick},
        {"TOPIC", &ChatClient::handleTopic},  {"MODE", &ChatClient::handleMode},
        {"PRIVMSG", &ChatClient::handleChat}, {"NOTICE", &ChatClient::handleChat},
    };
    return table;
}

void ChatClient::processLine(const QByteArray &line)
{
    qCDebug(lcClient) << "<<" << line;
    Q_EMIT lineReceived(line);
    if (const std::optional<Irc::IrcMessage> message = Irc::IrcMessage::parse(line))
        dispatch(*message);
}

void ChatClient::dispatch(const Irc::IrcMessage &message)
{
    if (isNumeric(message.command)) {
        handleNumeric(message);
        return;
    }
    if (const Handler handler = handlers().value(message.command))
        (this->*handler)(message);
}

void ChatClient::handleNumeric(const Irc::IrcMessage &message)
{
    const int code = message.command.toInt();
    if (code == 332 || code == 331)
        handleTopicReply(message, code == 332);
    else if (code == 353)
        handleNamesReply(message);
    else if (code == 366)
        handleEndOfNames(message);
    else
        handleRegistrationNumeric(message, code);
}

void ChatClient::handleRegistrationNumeric(const Irc::IrcMessage &message, int code)
{
    const bool registering = m_state == State::Registering;
    if (code == 1)
        handleWelcome(message);
    else if (code == 5)
        handleISupport(message);
    else if ((code == 376 || code == 422) && registering)
        handleEndOfMotd();
    if ((code == 433 || code == 437) && registering) {
        retryNick(message);
        return;
    }
    if (code >= 400 && code < 600)
        Q_EMIT serverError(code, numericText(message));
    else if (code != 5)
        Q_EMIT statusMessage(numericText(message));
    if (code == 432 && registering)
        failFatally(tr("The server refused the nickname \"%1\".").arg(decode(m_nick)));
    else if (code == 464)
        failFatally(tr("The server password is wrong."));
}

void ChatClient::handleCap(const Irc::IrcMessage &message)
{
    // We request no capabilities; any LS reply ends negotiation so registration goes on.
    if (message.param(1).toUpper() == "LS" && !m_capEndSent) {
        m_capEndSent = true;
        send("CAP", {"END"});
    }
}

void ChatClient::handlePing(const Irc::IrcMessage &message)
{
    m_sendQueue.sendNow(Irc::IrcMessage {{}, "PONG", message.params}.toLine());
}

void ChatClient::handleError(const Irc::IrcMessage &message)
{
    const QString text = decode(message.param(0));
    if (m_userQuit || m_fatal)
        Q_EMIT statusMessage(text);
    else
        Q_EMIT errorOccurred(tr("The server closed the connection: %1").arg(text));
}

void ChatClient::handleJoin(const Irc::IrcMessage &message)
{
    const QString name = decode(message.param(0));
    const QString nick = decode(message.sourceNick());
    if (isMe(message.sourceNick())) {
        if (!findChannel(message.param(0)))
            m_channels.insert(fold(message.param(0)),
                              ChannelState(name, m_support.caseMapping, m_support.prefixSymbols));
        rememberChannel(name);
        Q_EMIT joined(name, nick, true);
        return;
    }
    ChannelState *state = findChannel(message.param(0));
    if (!state)
        return;
    state->addMember(nick);
    Q_EMIT joined(state->name(), nick, false);
    Q_EMIT namesChanged(state->name());
}

void ChatClient::handlePart(const Irc::IrcMessage &message)
{
    ChannelState *state = findChannel(message.param(0));
    const QString name = state ? state->name() : decode(message.param(0));
    const QString nick = decode(message.sourceNick());
    const QString reason = decode(message.param(1));
    if (isMe(message.sourceNick())) {
        m_channels.remove(fold(message.param(0)));
        forgetChannel(name);
        Q_EMIT parted(name, nick, reason, true);
    } else if (state && state->removeMember(nick)) {
        Q_EMIT parted(name, nick, reason, false);
        Q_EMIT namesChanged(name);
    }
}

void ChatClient::handleKick(const Irc::IrcMessage &message)
{
    ChannelState *state = findChannel(message.param(0));
    if (!state)
        return;
    const QString name = state->name();
    const QString victim = decode(message.param(1));
    const QString by = decode(message.sourceNick());
    const QString reason = decode(message.param(2));
    if (isMe(message.param(1))) {
        m_channels.remove(fold(message.param(0)));
        forgetChannel(name); // being kicked is not a reason to rejoin after a reconnect
        Q_EMIT kicked(name, victim, by, reason, true);
    } else if (state->removeMember(victim)) {
        Q_EMIT kicked(name, victim, by, reason, false);
        Q_EMIT namesChanged(name);
    }
}

void ChatClient::handleQuit(const Irc::IrcMessage &message)
{
    const QString nick = decode(message.sourceNick());
    QStringList shared;
    for (ChannelState &state : m_channels) {
        if (state.removeMember(nick))
            shared.append(state.name());
    }
    Q_EMIT userQuit(nick, decode(message.param(0)), shared);
    for (const QString &name : std::as_const(shared))
        Q_EMIT namesChanged(name);
}

void ChatClient::handleNick(const Irc::IrcMessage &message)
{
    const QString oldNick = decode(message.sourceNick());
    const QString newNick = decode(message.param(0));
    const bool self = isMe(message.sourceNick());
    if (self)
        m_nick = message.param(0);
    QStringList shared;
    for (ChannelState &state : m_channels) {
        if (state.renameMember(oldNick, newNick))
            shared.append(state.name());
    }
    Q_EMIT nickChanged(oldNick, newNick, self);
    for (const QString &name : std::as_const(shared))
        Q_EMIT namesChanged(name);
}

void ChatClient::handleTopic(const Irc::IrcMessage &message)
{
    ChannelState *state = findChannel(message.param(0));
    if (!state)
        return;
    const QString setBy = decode(message.sourceNick());
    state->setTopic(decode(message.param(1)), setBy);
    Q_EMIT topicChanged(state->name(), state->topic(), setBy);
}

void ChatClient::handleMode(const Irc::IrcMessage &message)
{
    ChannelState *state = findChannel(message.param(0));
    if (!state)
        return;
    // Which other modes take a parameter depends on CHANMODES; asking for NAMES again is
    // simpler and always right when someone's prefix (op, voice) changed.
    const QByteArray modes = message.param(1);
    const bool prefixChanged = std::any_of(
        modes.begin(), modes.end(), [this](char c) { return m_support.prefixModes.contains(c); });
    if (prefixChanged)
        send("NAMES", {message.param(0)});
}

void ChatClient::handleChat(const Irc::IrcMessage &message)
{
    if (message.params.size() < 2)
        return;
    ChatMessage chat;
    chat.notice = message.command == "NOTICE";
    chat.from = decode(message.sourceNick());
    chat.target = decode(message.param(0));
    chat.fromServer = !message.source.contains('!')
        && (message.source.isEmpty() || message.source.contains('.'));
    QByteArray body = message.param(1);
    if (const std::optional<Ctcp::Message> ctcp = Ctcp::decode(body)) {
        if (ctcp->command != "ACTION") {
            if (!chat.notice)
                handleCtcpQuery(message, ctcp->command, ctcp->body);
            return;
        }
        chat.action = true;
        body = ctcp->body;
    }
    chat.text = decode(body);
    const QByteArrayView channelPart = m_support.stripPrefixes(message.param(0));
    chat.conversation = m_support.isChannel(channelPart) ? decode(channelPart) : chat.from;
    chat.timestamp = QDateTime::currentDateTimeUtc();
    Q_EMIT messageReceived(chat);
}

void ChatClient::handleCtcpQuery(const Irc::IrcMessage &message, const QByteArray &command,
                                 const QByteArray &body)
{
    const QByteArray from = message.sourceNick();
    if (command == "VERSION") {
        const QByteArray version = "QtChat " + QCoreApplication::applicationVersion().toUtf8();
        send("NOTICE", {from, Ctcp::encode("VERSION", version.trimmed())});
    } else if (command == "PING") {
        send("NOTICE", {from, Ctcp::encode("PING", body)});
    } else {
        qCDebug(lcClient) << "ignored CTCP" << command << "from" << from;
    }
}

void ChatClient::handleWelcome(const Irc::IrcMessage &message)
{
    // The first parameter of 001 is the nick the server registered us under.
    if (!message.param(0).isEmpty())
        m_nick = message.param(0);
    m_serverName = decode(message.source);
}

void ChatClient::handleISupport(const Irc::IrcMessage &message)
{
    // Tokens never contain spaces; the trailing "are supported ..." text always does.
    QList<QByteArray> tokens = message.params.mid(1);
    tokens.removeIf([](const QByteArray &token) { return token.contains(' '); });
    m_support.apply(tokens);
}

void ChatClient::handleTopicReply(const Irc::IrcMessage &message, bool hasTopic)
{
    ChannelState *state = findChannel(message.param(1));
    if (!state)
        return;
    state->setTopic(hasTopic ? decode(message.param(2)) : QString());
    Q_EMIT topicChanged(state->name(), state->topic(), QString());
}

void ChatClient::handleNamesReply(const Irc::IrcMessage &message)
{
    // 353 <me> <=|*|@> <channel> :[prefix]nick ...
    ChannelState *state = findChannel(message.param(2));
    if (!state)
        return;
    for (const QByteArray &entry : message.param(3).split(' ')) {
        QByteArray prefixes;
        const QByteArrayView nick = m_support.stripPrefixes(entry, &prefixes);
        if (!nick.isEmpty())
            state->addNamesEntry(decode(nick), decode(prefixes));
    }
}

void ChatClient::handleEndOfNames(const Irc::IrcMessage &message)
{
    if (ChannelState *state = findChannel(message.param(1))) {
        state->finishNames();
        Q_EMIT namesChanged(state->name());
    }
}

void ChatClient::handleEndOfMotd()
{
    m_timeout.stop();
    m_backoff.reset();
    setState(State::Connected);
    qCInfo(lcClient) << "registered as" << m_nick;
    Q_EMIT registered(decode(m_nick));
    joinRememberedChannels();
}

void ChatClient::retryNick(const Irc::IrcMessage &message)
{
    Q_EMIT statusMessage(numericText(message));
    if (++m_nickAttempt > MaxNickAttempts) {
        failFatally(tr("No free nickname found after %1 attempts.").arg(MaxNickAttempts));
        return;
    }
    // The server said "in use", not "too long": the wanted length is acceptable to it even
    // before 005 has told us NICKLEN.
    const QByteArray wanted = m_settings.nick.toUtf8();
    const qsizetype maxLength = qMax(m_support.nickLength, wanted.size());
    m_nick = alternativeNick(wanted, m_nickAttempt, maxLength);
    send("NICK", {m_nick});
}

// --- outgoing lines ---

void ChatClient::sendRegistration()
{
    send("CAP", {"LS", "302"});
    if (!m_settings.password.isEmpty())
        send("PASS", {m_settings.password.toUtf8()});
    send("NICK", {m_nick});
    const QString user = m_settings.userName.isEmpty() ? m_settings.nick : m_settings.userName;
    const QString real
        = m_settings.realName.isEmpty() ? QStringLiteral("QtChat") : m_settings.realName;
    send("USER", {user.toUtf8(), "0", "*", real.toUtf8()});
}

void ChatClient::send(QByteArrayView command, std::initializer_list<QByteArrayView> params)
{
    if (m_socket.state() == QAbstractSocket::ConnectedState)
        m_sendQueue.enqueue(Irc::makeLine({}, command, params));
}

void ChatClient::writeLine(const QByteArray &line)
{
    if (m_socket.state() != QAbstractSocket::ConnectedState)
        return;
    m_socket.write(line);
    const QByteArray shown = line.chopped(2);
    qCDebug(lcClient) << ">>" << shown;
    Q_EMIT lineSent(shown);
}

void ChatClient::sendChat(QByteArrayView command, const QString &target, const QString &text,
                          bool action)
{
    if (!checkParameter(target, tr("message target")))
        return;
    if (!isRegistered()) {
        Q_EMIT errorOccurred(tr("Not connected: the message to %1 was not sent.").arg(target));
        return;
    }
    const QByteArray to = target.toUtf8();
    const qsizetype budget = bodyBudget(command, to) - (action ? 9 : 0); // \1ACTION \1
    for (const QByteArray &line : textLines(text)) {
        for (const QByteArray &piece : Irc::splitText(line, budget)) {
            send(command, {to, action ? Ctcp::encode("ACTION", piece) : piece});
            emitOwnMessage(target, piece, command == "NOTICE", action);
        }
    }
}

qsizetype ChatClient::bodyBudget(QByteArrayView command, QByteArrayView target) const
{
    // What the server sends on: ":nick!~user@host COMMAND target :body\r\n".
    const QString user = m_settings.userName.isEmpty() ? m_settings.nick : m_settings.userName;
    const qsizetype source = 1 + m_nick.size() + 2 + user.toUtf8().size() + 1 + AssumedHostBytes;
    const qsizetype fixed = source + 1 + command.size() + 1 + target.size() + 2 + 2;
    return qMax<qsizetype>(Irc::IrcMessage::MaxLineBytes - fixed, 16);
}

void ChatClient::emitOwnMessage(const QString &target, const QByteArray &body, bool notice,
                                bool action)
{
    ChatMessage chat;
    chat.from = decode(m_nick);
    chat.target = target;
    chat.conversation = target;
    chat.text = decode(body);
    chat.timestamp = QDateTime::currentDateTimeUtc();
    chat.notice = notice;
    chat.action = action;
    chat.own = true;
    Q_EMIT messageReceived(chat);
}

bool ChatClient::checkParameter(const QString &value, const QString &what, bool allowEmpty)
{
    // A space, comma or line break here would smuggle extra parameters or commands.
    static const QRegularExpression unsafe(QStringLiteral("[ ,\\r\\n\\x{0}]"));
    const bool emptyOk = allowEmpty || !value.isEmpty();
    if (emptyOk && !value.contains(unsafe) && !value.startsWith(QLatin1Char(':')))
        return true;
    Q_EMIT errorOccurred(tr("Invalid %1: \"%2\"").arg(what, value));
    return false;
}

// --- channel bookkeeping ---

QByteArray ChatClient::fold(QByteArrayView name) const
{
    return Irc::foldCase(name, m_support.caseMapping);
}

bool ChatClient::isMe(QByteArrayView nick) const
{
    return fold(nick) == fold(m_nick);
}

ChannelState *ChatClient::findChannel(QByteArrayView name)
{
    const auto it = m_channels.find(fold(name));
    return it == m_channels.end() ? nullptr : &it.value();
}

void ChatClient::rememberChannel(const QString &channel, const QString &key)
{
    for (auto &wanted : m_wantedChannels) {
        if (sameName(wanted.first, channel)) {
            if (!key.isEmpty())
                wanted.second = key;
            return;
        }
    }
    m_wantedChannels.append({channel, key});
}

void ChatClient::forgetChannel(const QString &channel)
{
    m_wantedChannels.removeIf([&](const auto &wanted) { return sameName(wanted.first, channel); });
}

void ChatClient::joinRememberedChannels()
{
    // Channels without a key share JOIN lines, so that pacing does not spread a long
    // auto-join list over many seconds.
    QByteArray batch;
    for (const auto &[channel, key] : std::as_const(m_wantedChannels)) {
        const QByteArray name = channel.toUtf8();
        if (!key.isEmpty()) {
            send("JOIN", {name, key.toUtf8()});
            continue;
        }
        if (!batch.isEmpty() && batch.size() + 1 + name.size() > JoinBatchBytes) {
            send("JOIN", {batch});
            batch.clear();
        }
        if (!batch.isEmpty())
            batch += ',';
        batch += name;
    }
    if (!batch.isEmpty())
        send("JOIN", {batch});
}

} // namespace Client
