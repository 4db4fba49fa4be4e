#include "clientlib/clientsession.h"

#include "clientlib/channelmodel.h"
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

namespace Numeric = Irc::Numeric;

namespace {

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

bool isOneOf(QByteArrayView code, std::initializer_list<const char *> numerics)
{
    return std::any_of(numerics.begin(), numerics.end(),
                       [code](const char *numeric) { return code == numeric; });
}

// A line break inside a parameter would end the line early and start another command.
QList<QByteArray> splitLines(QByteArray bytes)
{
    bytes.replace('\r', '\n').replace('\0', ' ');
    QList<QByteArray> lines = bytes.split('\n');
    lines.removeIf([](const QByteArray &line) { return line.isEmpty(); });
    return lines;
}

QByteArray oneLine(const QString &text)
{
    return splitLines(text.toUtf8()).join(' ');
}

} // namespace

ClientSession::ClientSession(ChannelModel *channels, QObject *parent)
    : QObject(parent), m_channels(channels)
{
    qRegisterMetaType<ChatMessage>();
}

void ClientSession::configure(const ClientSettings &settings)
{
    m_settings = settings;
    m_wantedChannels.clear();
    for (const QString &channel : settings.channels)
        rememberChannel(channel);
    m_leaving = false;
}

void ClientSession::reset()
{
    m_phase = Phase::Offline;
    m_support = Irc::ISupport();
    m_channels->clear();
    m_channels->setNameRules(m_support.caseMapping, m_support.prefixSymbols);
    m_nick = m_settings.nick.toUtf8();
    m_serverName.clear();
    m_nickAttempt = 0;
    m_capEndSent = false;
}

void ClientSession::start()
{
    m_phase = Phase::Registering;
    m_nick = m_settings.nick.toUtf8();
    sendRegistration();
}

void ClientSession::end()
{
    m_phase = Phase::Offline;
    m_channels->clear();
}

QByteArray ClientSession::quit(const QString &reason)
{
    m_leaving = true;
    const QByteArray why = oneLine(reason);
    return why.isEmpty() ? Irc::makeLine({}, "QUIT", {}) : Irc::makeLine({}, "QUIT", {why});
}

bool ClientSession::sameName(const QString &a, const QString &b) const
{
    return fold(a.toUtf8()) == fold(b.toUtf8());
}

// --- what the user asks for ---

void ClientSession::join(const QString &channel, const QString &key)
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

void ClientSession::part(const QString &channel, const QString &reason)
{
    if (!checkParameter(channel, tr("channel name")))
        return;
    forgetChannel(channel);
    if (!isRegistered())
        return;
    const QByteArray why = oneLine(reason);
    if (why.isEmpty())
        send("PART", {channel.toUtf8()});
    else
        send("PART", {channel.toUtf8(), why});
}

void ClientSession::sendChat(QByteArrayView command, const QString &target, const QString &text,
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
    for (const QByteArray &line : splitLines(text.toUtf8())) {
        for (const QByteArray &piece : Irc::splitText(line, budget)) {
            send(command, {to, action ? Ctcp::encode("ACTION", piece) : piece});
            emitOwnMessage(target, piece, command == "NOTICE", action);
        }
    }
}

void ClientSession::changeNick(const QString &nick)
{
    if (!checkParameter(nick, tr("nickname")))
        return;
    if (!isActive()) {
        m_settings.nick = nick;
        return;
    }
    if (m_phase == Phase::Registering)
        m_nick = nick.toUtf8(); // registration replies will name the nick we asked for
    send("NICK", {nick.toUtf8()});
}

void ClientSession::setTopic(const QString &channel, const QString &topic)
{
    if (checkParameter(channel, tr("channel name")))
        send("TOPIC", {channel.toUtf8(), oneLine(topic)});
}

void ClientSession::requestNames(const QString &channel)
{
    if (checkParameter(channel, tr("channel name")))
        send("NAMES", {channel.toUtf8()});
}

void ClientSession::sendRaw(const QByteArray &lines)
{
    if (!isActive()) {
        Q_EMIT errorOccurred(tr("Not connected: the command was not sent."));
        return;
    }
    for (const QByteArray &line : splitLines(lines)) {
        const std::optional<Irc::IrcMessage> message = Irc::IrcMessage::parse(line);
        if (!message)
            continue;
        if (message->command == "QUIT")
            Q_EMIT quitRequested(decode(message->param(0)));
        else
            Q_EMIT lineReady(message->toLine(), Urgency::Paced);
    }
}

// --- incoming lines ---

const QHash<QByteArray, ClientSession::Handler> &ClientSession::handlers()
{
    static const QHash<QByteArray, Handler> table = {
        {"CAP", &ClientSession::handleCap},
        {"PING", &ClientSession::handlePing},
        {"ERROR", &ClientSession::handleError},
        {"JOIN", &ClientSession::handleJoin},
        {"PART", &ClientSession::handlePart},
        {"KICK", &ClientSession::handleKick},
        {"QUIT", &ClientSession::handleQuit},
        {"NICK", &ClientSession::handleNick},
        {"TOPIC", &ClientSession::handleTopic},
        {"MODE", &ClientSession::handleMode},
        {"PRIVMSG", &ClientSession::handleChat},
        {"NOTICE", &ClientSession::handleChat},
        {Numeric::ISupport, &ClientSession::handleISupport},
        {Numeric::Topic, &ClientSession::handleTopicReply},
        {Numeric::NoTopic, &ClientSession::handleNoTopicReply},
        {Numeric::NamReply, &ClientSession::handleNamesReply},
        {Numeric::EndOfNames, &ClientSession::handleEndOfNames},
    };
    return table;
}

void ClientSession::receive(const QByteArray &line)
{
    const std::optional<Irc::IrcMessage> message = Irc::IrcMessage::parse(line);
    if (!message)
        return;
    if (const Handler handler = handlers().value(message->command))
        (this->*handler)(*message);
    else if (isNumeric(message->command))
        handleReply(*message);
}

void ClientSession::handleReply(const Irc::IrcMessage &message)
{
    const QByteArray &code = message.command;
    const bool registering = m_phase == Phase::Registering;
    if (code == Numeric::Welcome)
        handleWelcome(message);
    else if (registering && isOneOf(code, {Numeric::EndOfMotd, Numeric::NoMotd}))
        completeRegistration();
    if (registering && isOneOf(code, {Numeric::NicknameInUse, Numeric::UnavailableResource})) {
        retryNick(message);
        return;
    }
    const int number = code.toInt();
    if (number >= 400 && number < 600)
        Q_EMIT serverError(number, numericText(message));
    else
        Q_EMIT statusMessage(numericText(message));
    if (registering && code == Numeric::ErroneousNickname)
        fail(tr("The server refused the nickname \"%1\".").arg(decode(m_nick)));
    else if (code == Numeric::PasswordMismatch)
        fail(tr("The server password is wrong."));
}

void ClientSession::handleCap(const Irc::IrcMessage &message)
{
    // We request no capabilities; any LS reply ends negotiation so registration goes on.
    if (message.param(1).toUpper() == "LS" && !m_capEndSent) {
        m_capEndSent = true;
        send("CAP", {"END"});
    }
}

void ClientSession::handlePing(const Irc::IrcMessage &message)
{
    Q_EMIT lineReady(Irc::IrcMessage {{}, "PONG", message.params}.toLine(), Urgency::Urgent);
}

void ClientSession::handleError(const Irc::IrcMessage &message)
{
    const QString text = decode(message.param(0));
    if (m_leaving)
        Q_EMIT statusMessage(text);
    else
        Q_EMIT errorOccurred(tr("The server closed the connection: %1").arg(text));
}

void ClientSession::handleJoin(const Irc::IrcMessage &message)
{
    const QString name = decode(message.param(0));
    const QString nick = decode(message.sourceNick());
    if (isMe(message.sourceNick())) {
        m_channels->addChannel(name);
        rememberChannel(name);
        Q_EMIT joined(name, nick, true);
        return;
    }
    const ChannelState *channel = m_channels->channel(name);
    if (!channel)
        return;
    const QString channelName = channel->name();
    m_channels->addMember(channelName, nick);
    Q_EMIT joined(channelName, nick, false);
    Q_EMIT namesChanged(channelName);
}

void ClientSession::handlePart(const Irc::IrcMessage &message)
{
    const ChannelState *channel = m_channels->channel(decode(message.param(0)));
    const QString name = channel ? channel->name() : decode(message.param(0));
    const QString nick = decode(message.sourceNick());
    const QString reason = decode(message.param(1));
    if (isMe(message.sourceNick())) {
        m_channels->removeChannel(name);
        forgetChannel(name);
        Q_EMIT parted(name, nick, reason, true);
    } else if (m_channels->removeMember(name, nick)) {
        Q_EMIT parted(name, nick, reason, false);
        Q_EMIT namesChanged(name);
    }
}

void ClientSession::handleKick(const Irc::IrcMessage &message)
{
    const ChannelState *channel = m_channels->channel(decode(message.param(0)));
    if (!channel)
        return;
    const QString name = channel->name();
    const QString victim = decode(message.param(1));
    const QString by = decode(message.sourceNick());
    const QString reason = decode(message.param(2));
    if (isMe(message.param(1))) {
        m_channels->removeChannel(name);
        forgetChannel(name); // being kicked is not a reason to rejoin after a reconnect
        Q_EMIT kicked(name, victim, by, reason, true);
    } else if (m_channels->removeMember(name, victim)) {
        Q_EMIT kicked(name, victim, by, reason, false);
        Q_EMIT namesChanged(name);
    }
}

void ClientSession::handleQuit(const Irc::IrcMessage &message)
{
    const QString nick = decode(message.sourceNick());
    const QStringList shared = m_channels->removeMemberEverywhere(nick);
    Q_EMIT userQuit(nick, decode(message.param(0)), shared);
    for (const QString &name : shared)
        Q_EMIT namesChanged(name);
}

void ClientSession::handleNick(const Irc::IrcMessage &message)
{
    const QString oldNick = decode(message.sourceNick());
    const QString newNick = decode(message.param(0));
    const bool self = isMe(message.sourceNick());
    if (self)
        m_nick = message.param(0);
    const QStringList shared = m_channels->renameMember(oldNick, newNick);
    Q_EMIT nickChanged(oldNick, newNick, self);
    for (const QString &name : shared)
        Q_EMIT namesChanged(name);
}

void ClientSession::handleTopic(const Irc::IrcMessage &message)
{
    applyTopic(message.param(0), decode(message.param(1)), decode(message.sourceNick()));
}

void ClientSession::handleMode(const Irc::IrcMessage &message)
{
    const ChannelState *channel = m_channels->channel(decode(message.param(0)));
    if (!channel)
        return; // a user mode
    const QString name = channel->name();
    // CHANMODES says which modes take a parameter, so each status change finds its nick.
    bool adding = true;
    qsizetype next = 2;
    bool statusMode = false;
    bool changed = false;
    for (char mode : message.param(1)) {
        if (mode == '+' || mode == '-') {
            adding = mode == '+';
            continue;
        }
        const QByteArray parameter
            = m_support.takesParameter(mode, adding) ? message.param(next++) : QByteArray();
        if (const char symbol = m_support.prefixSymbolFor(mode)) {
            statusMode = true;
            changed |= m_channels->setMemberStatus(name, decode(parameter), QLatin1Char(symbol),
                                                   adding);
        }
    }
    if (changed)
        Q_EMIT namesChanged(name);
    // Without multi-prefix, NAMES shows each member's highest status only: a status taken
    // away may uncover one we never saw. NAMES again tells; its reply changes only that.
    if (statusMode)
        send("NAMES", {message.param(0)});
}

void ClientSession::handleChat(const Irc::IrcMessage &message)
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

void ClientSession::handleCtcpQuery(const Irc::IrcMessage &message, const QByteArray &command,
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

void ClientSession::handleWelcome(const Irc::IrcMessage &message)
{
    // The first parameter of 001 is the nick the server registered us under.
    if (!message.param(0).isEmpty())
        m_nick = message.param(0);
    m_serverName = decode(message.source);
}

void ClientSession::handleISupport(const Irc::IrcMessage &message)
{
    // Tokens never contain spaces; the trailing "are supported ..." text always does.
    QList<QByteArray> tokens = message.params.mid(1);
    tokens.removeIf([](const QByteArray &token) { return token.contains(' '); });
    m_support.apply(tokens);
    m_channels->setNameRules(m_support.caseMapping, m_support.prefixSymbols);
}

void ClientSession::handleTopicReply(const Irc::IrcMessage &message)
{
    applyTopic(message.param(1), decode(message.param(2)), QString());
}

void ClientSession::handleNoTopicReply(const Irc::IrcMessage &message)
{
    applyTopic(message.param(1), QString(), QString());
}

void ClientSession::applyTopic(const QByteArray &channel, const QString &topic,
                               const QString &setBy)
{
    const ChannelState *state = m_channels->channel(decode(channel));
    if (!state)
        return;
    const QString name = state->name();
    m_channels->setTopic(name, topic, setBy);
    Q_EMIT topicChanged(name, topic, setBy);
}

void ClientSession::handleNamesReply(const Irc::IrcMessage &message)
{
    // 353 <me> <=|*|@> <channel> :[prefix]nick ...
    const QString channel = decode(message.param(2));
    for (const QByteArray &entry : message.param(3).split(' ')) {
        QByteArray prefixes;
        const QByteArrayView nick = m_support.stripPrefixes(entry, &prefixes);
        if (!nick.isEmpty())
            m_channels->addNamesEntry(channel, decode(nick), decode(prefixes));
    }
}

void ClientSession::handleEndOfNames(const Irc::IrcMessage &message)
{
    const QString channel = decode(message.param(1));
    if (m_channels->finishNames(channel))
        Q_EMIT namesChanged(m_channels->channel(channel)->name());
}

void ClientSession::completeRegistration()
{
    m_phase = Phase::Registered;
    qCInfo(lcClient) << "registered as" << m_nick;
    Q_EMIT registered(decode(m_nick));
    joinRememberedChannels();
}

void ClientSession::retryNick(const Irc::IrcMessage &message)
{
    Q_EMIT statusMessage(numericText(message));
    if (++m_nickAttempt > MaxNickAttempts) {
        fail(tr("No free nickname found after %1 attempts.").arg(MaxNickAttempts));
        return;
    }
    // The server said "in use", not "too long": the wanted length is acceptable to it even
    // before 005 has told us NICKLEN.
    const QByteArray wanted = m_settings.nick.toUtf8();
    const qsizetype maxLength = qMax(m_support.nickLength, wanted.size());
    m_nick = alternativeNick(wanted, m_nickAttempt, maxLength);
    send("NICK", {m_nick});
}

void ClientSession::fail(const QString &message)
{
    m_leaving = true;
    Q_EMIT failed(message);
}

// --- outgoing lines ---

void ClientSession::sendRegistration()
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

void ClientSession::send(QByteArrayView command, std::initializer_list<QByteArrayView> params)
{
    if (isActive())
        Q_EMIT lineReady(Irc::makeLine({}, command, params), Urgency::Paced);
}

qsizetype ClientSession::bodyBudget(QByteArrayView command, QByteArrayView target) const
{
    // What the server sends on: ":nick!~user@host COMMAND target :body\r\n".
    const QString user = m_settings.userName.isEmpty() ? m_settings.nick : m_settings.userName;
    const qsizetype source = 1 + m_nick.size() + 2 + user.toUtf8().size() + 1 + AssumedHostBytes;
    const qsizetype fixed = source + 1 + command.size() + 1 + target.size() + 2 + 2;
    return qMax<qsizetype>(Irc::IrcMessage::MaxLineBytes - fixed, 16);
}

void ClientSession::emitOwnMessage(const QString &target, const QByteArray &body, bool notice,
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

bool ClientSession::checkParameter(const QString &value, const QString &what, bool allowEmpty)
{
    // A space, comma or line break here would smuggle extra parameters or commands.
    static const QRegularExpression unsafe(QStringLiteral("[ ,\\r\\n\\x{0}]"));
    const bool emptyOk = allowEmpty || !value.isEmpty();
    if (emptyOk && !value.contains(unsafe) && !value.startsWith(QLatin1Char(':')))
        return true;
    Q_EMIT errorOccurred(tr("Invalid %1: \"%2\"").arg(what, value));
    return false;
}

// --- channels to (re)join ---

QByteArray ClientSession::fold(QByteArrayView name) const
{
    return Irc::foldCase(name, m_support.caseMapping);
}

bool ClientSession::isMe(QByteArrayView nick) const
{
    return fold(nick) == fold(m_nick);
}

void ClientSession::rememberChannel(const QString &channel, const QString &key)
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

void ClientSession::forgetChannel(const QString &channel)
{
    m_wantedChannels.removeIf([&](const auto &wanted) { return sameName(wanted.first, channel); });
}

void ClientSession::joinRememberedChannels()
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
