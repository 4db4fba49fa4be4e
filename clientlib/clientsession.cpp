#include "clientlib/clientsession.h"

#include "clientlib/channelmodel.h"
#include "clientlib/channelsettings.h"
#include "clientlib/clientlogging.h"
#include "clientlib/ctcp.h"
#include "clientlib/nickfallback.h"
#include "clientlib/sasl.h"

#include "protocol/capabilities.h"
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

// server-time: `2026-12-02T11:20:07.123Z`. Without it (or unreadable), the time we read it.
QDateTime timeOf(const Irc::MessageTags &tags)
{
    const QByteArray value = Irc::tagValue(tags, Irc::Tag::Time).value_or(QByteArray());
    if (!value.isEmpty()) {
        const QDateTime time = QDateTime::fromString(QString::fromLatin1(value), Qt::ISODateWithMs);
        if (time.isValid())
            return time.toUTC();
    }
    return QDateTime::currentDateTimeUtc();
}

QDateTime fromUnixTime(QByteArrayView seconds)
{
    bool ok = false;
    const qint64 value = seconds.toLongLong(&ok);
    return ok && value > 0 ? QDateTime::fromSecsSinceEpoch(value, Qt::UTC) : QDateTime();
}

// The parameters of a MODE line after the target, as one string: "+ov bob carol".
QString modeText(const Irc::IrcMessage &message, qsizetype first)
{
    QStringList parts;
    for (qsizetype i = first; i < message.params.size(); ++i)
        parts.append(decode(message.params.at(i)));
    return parts.join(QLatin1Char(' '));
}

// A space, comma or line break would smuggle extra parameters or commands; a leading colon
// would make the rest one parameter.
bool isSafeParameter(const QString &value)
{
    static const QRegularExpression unsafe(QStringLiteral("[ ,\\r\\n\\x{0}]"));
    return !value.contains(unsafe) && !value.startsWith(QLatin1Char(':'));
}

} // namespace

ClientSession::ClientSession(ChannelModel *channels, QObject *parent)
    : QObject(parent), m_channels(channels)
{
    qRegisterMetaType<ChatMessage>();
    qRegisterMetaType<WhoisInfo>();
    qRegisterMetaType<QList<ChannelListEntry>>();
    qRegisterMetaType<QList<RecentConversation>>();
}

void ClientSession::configure(const ClientSettings &settings)
{
    m_settings = settings;
    m_wantedChannels.clear();
    for (const QString &channel : settings.channels)
        rememberChannel(channel);
    m_leaving = false;
}

void ClientSession::setCredentials(const QString &account, const QString &password)
{
    m_settings.account = account;
    m_settings.accountPassword = password;
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
    m_caps = CapNegotiation();
    m_batches.clear();
    m_historyBatches.clear();
    m_queries.clear();
    m_away = false;
    m_saslStep = SaslStep::Idle;
    m_registeringPassword.clear();
    m_account.clear();
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
    m_batches.clear();
    m_queries.clear();
    m_registeringPassword.clear();
    m_account.clear(); // logged in per connection; the state's change says that it ended
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

QStringList ClientSession::enabledCapabilities() const
{
    QStringList names;
    for (const QByteArray &name : m_caps.enabled())
        names.append(QString::fromLatin1(name));
    return names;
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
            // With echo-message the server's copy is shown instead, with its time and id.
            if (!m_caps.isEnabled(Irc::CapName::EchoMessage))
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

void ClientSession::setAway(const QString &message)
{
    const QByteArray text = oneLine(message);
    if (text.isEmpty())
        send("AWAY", {});
    else
        send("AWAY", {text});
}

void ClientSession::setRealName(const QString &realName)
{
    const QByteArray name = oneLine(realName);
    if (name.isEmpty() || !m_caps.isEnabled(Irc::CapName::Setname)) {
        Q_EMIT errorOccurred(tr("The server does not let us change the real name."));
        return;
    }
    send("SETNAME", {name});
}

void ClientSession::requestWhois(const QString &nick)
{
    if (!checkParameter(nick, tr("nickname")))
        return;
    Query query(QueryTracker::Kind::Whois, fold(nick.toUtf8()), true);
    query.whois.nick = nick;
    sendQuery(query, "WHOIS", {nick.toUtf8()}, Urgency::Paced);
}

void ClientSession::requestChannelList(const QString &mask)
{
    if (!mask.isEmpty() && !checkParameter(mask, tr("channel mask")))
        return;
    const Query query(QueryTracker::Kind::ChannelList, {}, true);
    if (mask.isEmpty())
        sendQuery(query, "LIST", {}, Urgency::Paced);
    else
        sendQuery(query, "LIST", {mask.toUtf8()}, Urgency::Paced);
}

void ClientSession::changeModes(const QString &channel, const QList<Irc::ModeChange> &changes)
{
    if (!checkParameter(channel, tr("channel name")))
        return;
    for (const Irc::ModeChange &change : changes) {
        if (!checkParameter(QString::fromUtf8(change.param), tr("mode parameter"), true))
            return;
    }
    sendLines(modeLines(channel, changes, modesPerLine(m_support)));
}

void ClientSession::requestBanList(const QString &channel)
{
    if (!checkParameter(channel, tr("channel name")))
        return;
    const Query query(QueryTracker::Kind::BanList, fold(channel.toUtf8()), true);
    sendQuery(query, "MODE", {channel.toUtf8(), "+b"}, Urgency::Paced);
}

bool ClientSession::canRegisterAccount() const
{
    return isRegistered() && m_caps.offered().contains(Irc::CapName::AccountRegistration);
}

void ClientSession::registerAccount(const QString &password)
{
    static const QRegularExpression lineBreak(QStringLiteral("[\\r\\n\\x{0}]"));
    QString refusal;
    if (!isRegistered())
        refusal = tr("Not connected: the nickname was not registered.");
    else if (!canRegisterAccount())
        refusal = tr("This server does not offer account registration.");
    else if (!m_account.isEmpty())
        refusal = tr("Already logged in as %1.").arg(m_account);
    else if (password.isEmpty() || password.contains(lineBreak))
        refusal = tr("The password must not be empty or contain a line break.");
    if (!refusal.isEmpty()) {
        Q_EMIT accountRegistrationFailed(refusal);
        return;
    }
    m_registeringPassword = password;
    send("REGISTER", {m_nick, "*", password.toUtf8()});
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
        {"AWAY", &ClientSession::handleAway},
        {"INVITE", &ClientSession::handleInvite},
        {"SETNAME", &ClientSession::handleSetName},
        {"PRIVMSG", &ClientSession::handleChat},
        {"NOTICE", &ClientSession::handleChat},
        {"AUTHENTICATE", &ClientSession::handleAuthenticate},
        {"ACCOUNT", &ClientSession::handleAccount},
        {"REGISTER", &ClientSession::handleRegister},
        {"FAIL", &ClientSession::handleFail},
        {"CHATHISTORY", &ClientSession::handleChatHistory},
        {Numeric::ISupport, &ClientSession::handleISupport},
        {Numeric::Topic, &ClientSession::handleTopicReply},
        {Numeric::NoTopic, &ClientSession::handleNoTopicReply},
        {Numeric::NamReply, &ClientSession::handleNamesReply},
        {Numeric::EndOfNames, &ClientSession::handleEndOfNames},
    };
    return table;
}

const QHash<QByteArray, ClientSession::Handler> &ClientSession::replyParsers()
{
    static const QHash<QByteArray, Handler> table = {
        {Numeric::WhoisUser, &ClientSession::parseWhoisLine},
        {Numeric::WhoisServer, &ClientSession::parseWhoisLine},
        {Numeric::WhoisOperator, &ClientSession::parseWhoisLine},
        {Numeric::WhoisIdle, &ClientSession::parseWhoisLine},
        {Numeric::WhoisChannels, &ClientSession::parseWhoisLine},
        {Numeric::WhoisAccount, &ClientSession::parseWhoisLine},
        {Numeric::EndOfWhois, &ClientSession::parseEndOfWhois},
        {Numeric::Away, &ClientSession::parseAwayReply},
        {Numeric::NoSuchNick, &ClientSession::parseNotFound},
        {Numeric::NoSuchServer, &ClientSession::parseNotFound},
        {Numeric::ListStart, &ClientSession::parseListLine},
        {Numeric::List, &ClientSession::parseListLine},
        {Numeric::ListEnd, &ClientSession::parseEndOfList},
        {Numeric::ChannelModeIs, &ClientSession::parseChannelModes},
        {Numeric::CreationTime, &ClientSession::parseCreationTime},
        {Numeric::BanList, &ClientSession::parseBanLine},
        {Numeric::EndOfBanList, &ClientSession::parseEndOfBans},
        {Numeric::WhoReply, &ClientSession::parseWhoLine},
        {Numeric::EndOfWho, &ClientSession::parseEndOfWho},
        {Numeric::UnAway, &ClientSession::parseOwnAway},
        {Numeric::NowAway, &ClientSession::parseOwnAway},
        {Numeric::LoggedIn, &ClientSession::parseSaslReply},
        {Numeric::LoggedOut, &ClientSession::parseSaslReply},
        {Numeric::NickLocked, &ClientSession::parseSaslReply},
        {Numeric::SaslSuccess, &ClientSession::parseSaslReply},
        {Numeric::SaslFail, &ClientSession::parseSaslReply},
        {Numeric::SaslTooLong, &ClientSession::parseSaslReply},
        {Numeric::SaslAborted, &ClientSession::parseSaslReply},
        {Numeric::SaslAlready, &ClientSession::parseSaslReply},
    };
    return table;
}

void ClientSession::receive(const QByteArray &line)
{
    const std::optional<Irc::IrcMessage> message = Irc::IrcMessage::parse(line);
    if (!message)
        return;
    beginLine(line);
    if (message->command == "BATCH") {
        trackHistoryBatch(*message);
        finishLabel(m_batches.apply(*message, m_lineTags));
        return;
    }
    dispatch(*message);
    // A labeled reply of one line (or an ACK) is the whole response.
    finishLabel(Irc::tagValue(m_lineTags, Irc::Tag::Label).value_or(QByteArray()));
}

void ClientSession::beginLine(const QByteArray &line)
{
    m_lineTags = Irc::parseTags(Irc::splitTags(line).tagData);
    m_lineTime = timeOf(m_lineTags);
    m_lineLabel = m_batches.labelOf(m_lineTags);
    const Query *labeled = m_queries.findLabel(m_lineLabel);
    m_lineQuiet = labeled && labeled->quiet;
    m_previousQuietModes = std::exchange(m_quietModesChannel, {});
}

void ClientSession::dispatch(const Irc::IrcMessage &message)
{
    if (const Handler handler = handlers().value(message.command)) {
        (this->*handler)(message);
        return;
    }
    if (const Handler parser = replyParsers().value(message.command))
        (this->*parser)(message);
    if (isNumeric(message.command))
        handleReply(message);
}

void ClientSession::finishLabel(const QByteArray &label)
{
    // Whatever the labeled response held is all there is: a query it did not end (no 318,
    // just a 401 or an ACK) ends here.
    if (Query *query = m_queries.findLabel(label))
        takeQuery(query);
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
    if (code == Numeric::InvalidCapCommand)
        sendLines(m_caps.abandon());
    if (!m_lineQuiet) // a reply to a quiet query is answered by that query's signal
        showReply(message);
    if (registering && code == Numeric::ErroneousNickname)
        fail(tr("The server refused the nickname \"%1\".").arg(decode(m_nick)));
    else if (code == Numeric::PasswordMismatch)
        fail(tr("The server password is wrong."));
}

void ClientSession::showReply(const Irc::IrcMessage &message)
{
    const int number = message.command.toInt();
    if (number >= 400 && number < 600)
        Q_EMIT serverError(number, numericText(message));
    else
        Q_EMIT statusMessage(numericText(message));
}

void ClientSession::handleCap(const Irc::IrcMessage &message)
{
    sendLines(m_caps.handle(message));
    if (m_caps.isAuthenticating() && m_saslStep == SaslStep::Idle)
        startAuthentication();
    if (!m_caps.enabledChanged())
        return;
    if (!usesLabels())
        m_queries.dropLabels();
    qCInfo(lcClient) << "capabilities" << m_caps.enabled();
    Q_EMIT capabilitiesChanged(enabledCapabilities());
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
        Q_EMIT joined(name, nick, true, m_lineTime);
        queryNewChannel(name);
        requestLatestHistory(name);
        return;
    }
    const ChannelState *channel = m_channels->channel(name);
    if (!channel)
        return;
    const QString channelName = channel->name();
    // extended-join: `JOIN #channel account :real name`, `*` for no account.
    const QByteArray account
        = m_caps.isEnabled(Irc::CapName::ExtendedJoin) ? message.param(1) : "*";
    m_channels->addMember(channelName, nick, account == "*" ? QString() : decode(account));
    Q_EMIT joined(channelName, nick, false, m_lineTime);
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
        Q_EMIT parted(name, nick, reason, true, m_lineTime);
    } else if (m_channels->removeMember(name, nick)) {
        Q_EMIT parted(name, nick, reason, false, m_lineTime);
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
        Q_EMIT kicked(name, victim, by, reason, true, m_lineTime);
    } else if (m_channels->removeMember(name, victim)) {
        Q_EMIT kicked(name, victim, by, reason, false, m_lineTime);
        Q_EMIT namesChanged(name);
    }
}

void ClientSession::handleQuit(const Irc::IrcMessage &message)
{
    const QString nick = decode(message.sourceNick());
    const QStringList shared = m_channels->removeMemberEverywhere(nick);
    Q_EMIT userQuit(nick, decode(message.param(0)), shared, m_lineTime);
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
    Q_EMIT nickChanged(oldNick, newNick, self, m_lineTime);
    for (const QString &name : shared)
        Q_EMIT namesChanged(name);
}

void ClientSession::handleTopic(const Irc::IrcMessage &message)
{
    applyTopic(message.param(0), decode(message.param(1)), decode(message.sourceNick()));
}

void ClientSession::handleMode(const Irc::IrcMessage &message)
{
    const QString setBy = decode(message.sourceNick());
    if (const ChannelState *channel = m_channels->channel(decode(message.param(0)))) {
        // CHANMODES and PREFIX say which modes take a parameter, so each change finds its own.
        const Irc::ParsedModes parsed = Irc::parseModeChanges(
            message.param(1), message.params.mid(2), modeTypes(), Irc::IrcMessage::MaxLineBytes);
        applyModeChanges(channel->name(), parsed.changes, setBy);
    }
    // After the state changed, so that a slot reads the new modes.
    Q_EMIT modeChanged(decode(message.param(0)), setBy, modeText(message, 1), m_lineTime);
}

void ClientSession::applyModeChanges(const QString &channel, const QList<Irc::ModeChange> &changes,
                                     const QString &setBy)
{
    QList<Irc::ModeChange> channelModes;
    bool statusMode = false, statusChanged = false, bansChanged = false;
    for (const Irc::ModeChange &change : changes) {
        if (const char symbol = m_support.prefixSymbolFor(change.mode)) {
            statusMode = true;
            statusChanged |= m_channels->setMemberStatus(channel, decode(change.param),
                                                         QLatin1Char(symbol), change.adding);
        } else if (change.mode == 'b') {
            const ChannelState::Ban ban {decode(change.param), setBy, m_lineTime};
            bansChanged |= m_channels->setBan(channel, ban, change.adding);
        } else if (!m_support.channelModes.lists.contains(change.mode)) {
            channelModes.append(change); // other lists (e, I ...) are not tracked
        }
    }
    if (statusChanged)
        Q_EMIT namesChanged(channel);
    if (bansChanged)
        Q_EMIT banListChanged(channel);
    if (m_channels->setModes(channel, channelModes, false))
        Q_EMIT channelModesChanged(channel);
    // Without multi-prefix, NAMES shows each member's highest status only: a status taken
    // away may uncover one we never saw. NAMES again tells; its reply changes only that.
    if (statusMode && !m_caps.isEnabled(Irc::CapName::MultiPrefix))
        send("NAMES", {channel.toUtf8()}, Urgency::Background);
}

void ClientSession::handleAway(const Irc::IrcMessage &message)
{
    // away-notify: `AWAY :message` when going away, a bare `AWAY` when back.
    const QString nick = decode(message.sourceNick());
    const QString text = decode(message.param(0));
    if (isMe(message.sourceNick()))
        m_away = !text.isEmpty();
    applyAway(nick, !text.isEmpty(), text, true);
}

void ClientSession::applyAway(const QString &nick, bool away, const QString &message,
                              bool alwaysAnnounce)
{
    const bool changed = !m_channels->setAway(nick, away).isEmpty();
    if (changed || alwaysAnnounce)
        Q_EMIT awayChanged(nick, away, message, m_lineTime);
}

void ClientSession::handleInvite(const Irc::IrcMessage &message)
{
    // `:inviter INVITE invitee #channel`: to us, or with invite-notify to a channel's members.
    const QByteArray invitee = message.param(0);
    Q_EMIT invited(decode(message.param(1)), decode(invitee), decode(message.sourceNick()),
                   isMe(invitee), m_lineTime);
}

void ClientSession::handleSetName(const Irc::IrcMessage &message)
{
    Q_EMIT realNameChanged(decode(message.sourceNick()), decode(message.param(0)), m_lineTime);
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
    HistoryBatch *history = historyBatchOfLine();
    // echo-message: our own line, as the server relayed it; the history has ours whatever we use.
    chat.own
        = (history || m_caps.isEnabled(Irc::CapName::EchoMessage)) && isMe(message.sourceNick());
    QByteArray body = message.param(1);
    if (const std::optional<Ctcp::Message> ctcp = Ctcp::decode(body)) {
        if (ctcp->command != "ACTION") {
            if (!chat.notice && !chat.own && !history) // a query from the past is not asked now
                handleCtcpQuery(message, ctcp->command, ctcp->body);
            return;
        }
        chat.action = true;
        body = ctcp->body;
    }
    chat.text = decode(body);
    const QByteArrayView channelPart = m_support.stripPrefixes(message.param(0));
    if (m_support.isChannel(channelPart))
        chat.conversation = decode(channelPart);
    else if (history)
        chat.conversation = history->target; // whatever nick either party had then
    else
        chat.conversation = chat.own ? chat.target : chat.from;
    chat.timestamp = m_lineTime;
    chat.id = decode(Irc::tagValue(m_lineTags, Irc::Tag::MessageId).value_or(QByteArray()));
    chat.account = decode(Irc::tagValue(m_lineTags, Irc::Tag::Account).value_or(QByteArray()));
    if (history)
        history->messages.append(chat);
    else
        Q_EMIT messageReceived(chat);
}

// --- accounts: SASL PLAIN, account-notify, draft/account-registration ---

bool ClientSession::wantsLogin() const
{
    return !m_settings.account.isEmpty() && !m_settings.accountPassword.isEmpty();
}

QString ClientSession::noSaslReason() const
{
    if (m_caps.offered().contains(Irc::CapName::Sasl))
        return tr("The server does not take SASL PLAIN: not logged in as %1.")
            .arg(m_settings.account);
    return tr("The server does not offer SASL: not logged in as %1.").arg(m_settings.account);
}

void ClientSession::startAuthentication()
{
    m_saslStep = SaslStep::MechanismSent;
    send("AUTHENTICATE", {"PLAIN"});
}

void ClientSession::handleAuthenticate(const Irc::IrcMessage &message)
{
    if (m_saslStep == SaslStep::MechanismSent && message.param(0) == "+") {
        m_saslStep = SaslStep::ResponseSent;
        sendLines(Sasl::authenticateLines(
            Sasl::plainMessage(m_settings.account, m_settings.accountPassword)));
    } else if (m_saslStep == SaslStep::MechanismSent || m_saslStep == SaslStep::ResponseSent) {
        send("AUTHENTICATE", {"*"}); // PLAIN has one step: anything else is aborted (906)
    }
}

void ClientSession::parseSaslReply(const Irc::IrcMessage &message)
{
    // 900 <me> <nick!user@host> <account> :text, 901 <me> <nick!user@host> :text,
    // 902-907 <me> :text
    const QByteArray &code = message.command;
    const QString text = decode(message.params.last());
    if (code == Numeric::LoggedIn) {
        setAccount(decode(message.param(2)));
        return;
    }
    if (code == Numeric::LoggedOut) {
        setAccount(QString());
        return;
    }
    // The verdict reaches the user as loginFailed, not also as a server error.
    m_lineQuiet = m_saslStep == SaslStep::MechanismSent || m_saslStep == SaslStep::ResponseSent;
    if (code == Numeric::SaslSuccess || code == Numeric::SaslAlready)
        finishAuthentication(QString());
    else if (code == Numeric::SaslAborted)
        finishAuthentication(tr("The login as %1 was aborted: %2").arg(m_settings.account, text));
    else
        finishAuthentication(tr("The login as %1 failed: %2").arg(m_settings.account, text));
}

void ClientSession::finishAuthentication(const QString &failure)
{
    if (m_saslStep != SaslStep::MechanismSent && m_saslStep != SaslStep::ResponseSent)
        return;
    m_saslStep = SaslStep::Done;
    if (failure.isEmpty() && m_account.isEmpty())
        setAccount(m_settings.account); // 903 without the 900 that should precede it
    sendLines(m_caps.authenticationDone());
    if (!failure.isEmpty())
        Q_EMIT loginFailed(failure);
}

void ClientSession::setAccount(const QString &account)
{
    if (m_account == account)
        return;
    m_account = account;
    qCInfo(lcClient) << "account" << (account.isEmpty() ? QStringLiteral("(none)") : account);
    Q_EMIT accountChanged(account);
}

void ClientSession::handleAccount(const Irc::IrcMessage &message)
{
    // account-notify: `:nick!user@host ACCOUNT <account>`, `*` when logged out.
    const QString nick = decode(message.sourceNick());
    const QString account = message.param(0) == "*" ? QString() : decode(message.param(0));
    if (isMe(message.sourceNick()))
        setAccount(account);
    m_channels->setAccount(nick, account);
    Q_EMIT memberAccountChanged(nick, account);
}

void ClientSession::handleRegister(const Irc::IrcMessage &message)
{
    // REGISTER SUCCESS <account> :text, REGISTER VERIFICATION_REQUIRED <account> :text
    const QString account = decode(message.param(1));
    const QString text = decode(message.param(2));
    const QString password = std::exchange(m_registeringPassword, {});
    if (message.param(0) == "SUCCESS") {
        // The server takes us as logged in to it; the settings log in again after a reconnect.
        m_settings.account = account;
        m_settings.accountPassword = password;
        setAccount(account);
        Q_EMIT accountRegistered(account);
    } else if (message.param(0) == "VERIFICATION_REQUIRED") {
        Q_EMIT accountRegistrationFailed(
            tr("The account %1 must be verified before it can be used: %2").arg(account, text));
    }
}

void ClientSession::handleFail(const Irc::IrcMessage &message)
{
    // FAIL <command> <code> [<context>...] :description
    if (message.param(0) != "REGISTER" || message.params.size() < 3)
        return;
    m_registeringPassword.clear();
    Q_EMIT accountRegistrationFailed(decode(message.params.last()));
}

// --- draft/chathistory ---

bool ClientSession::hasHistory() const
{
    return isRegistered() && m_caps.isEnabled(Irc::CapName::ChatHistory);
}

// As many lines as a screen shows, and never more than the server's CHATHISTORY=N allows.
int ClientSession::historyPageLines() const
{
    constexpr int PageLines = 50;
    for (const QByteArray &token : m_support.otherTokens) {
        if (token.startsWith("CHATHISTORY=")) {
            const int limit = token.mid(12).toInt();
            return limit > 0 ? qMin(limit, PageLines) : PageLines;
        }
    }
    return PageLines;
}

void ClientSession::requestLatestHistory(const QString &channel)
{
    if (hasHistory())
        send("CHATHISTORY",
             {"LATEST", channel.toUtf8(), "*", QByteArray::number(historyPageLines())},
             Urgency::Background);
}

bool ClientSession::requestConversationHistory(const QString &nick)
{
    // Asked as a conversation opens, so a nick that could not be one is refused quietly.
    if (!hasHistory() || m_account.isEmpty() || nick.isEmpty() || !isSafeParameter(nick)
        || m_support.isChannel(nick.toUtf8()))
        return false;
    // Paced, as lines typed are: LATEST goes before the line that opened the conversation.
    send("CHATHISTORY", {"LATEST", nick.toUtf8(), "*", QByteArray::number(historyPageLines())});
    return true;
}

// The conversations of the last week that the server keeps for our account, the most recently
// active ones; the upper bound is a day ahead, in case the server's clock is ahead of ours.
void ClientSession::requestRecentConversations()
{
    constexpr qint64 DayMs = 24 * 60 * 60 * 1000;
    constexpr int RecentDays = 7;
    constexpr int MaxConversations = 20;
    if (!hasHistory() || m_account.isEmpty())
        return;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    // From the later moment back: the limit keeps the newest.
    const QByteArray from = "timestamp=" + Irc::formatServerTime(now + DayMs);
    const QByteArray to = "timestamp=" + Irc::formatServerTime(now - RecentDays * DayMs);
    send("CHATHISTORY", {"TARGETS", from, to, QByteArray::number(MaxConversations)},
         Urgency::Background);
}

// `CHATHISTORY TARGETS <target> <time>` in a draft/chathistory-targets batch.
void ClientSession::handleChatHistory(const Irc::IrcMessage &message)
{
    HistoryBatch *batch = historyBatchOfLine();
    if (!batch || !batch->listsTargets || message.param(0) != "TARGETS")
        return;
    const QByteArray target = message.param(1);
    if (target.isEmpty() || m_support.isChannel(m_support.stripPrefixes(target)))
        return;
    const QDateTime latest
        = QDateTime::fromString(QString::fromLatin1(message.param(2)), Qt::ISODateWithMs);
    batch->conversations.append({decode(target), latest.toUTC()});
}

bool ClientSession::requestOlderHistory(const QString &target, const QString &beforeId)
{
    if (!hasHistory() || beforeId.isEmpty())
        return false;
    const QByteArray reference = "msgid=" + beforeId.toUtf8();
    send("CHATHISTORY",
         {"BEFORE", target.toUtf8(), reference, QByteArray::number(historyPageLines())},
         Urgency::Paced);
    return true;
}

// `BATCH +ref chathistory target` opens one; `BATCH -ref` hands its lines on.
void ClientSession::trackHistoryBatch(const Irc::IrcMessage &batch)
{
    const QByteArray reference = batch.param(0);
    if (reference.startsWith('+') && batch.param(1) == "chathistory") {
        m_historyBatches.insert(reference.mid(1), {decode(batch.param(2)), {}, false, {}});
    } else if (reference.startsWith('+') && batch.param(1) == "draft/chathistory-targets") {
        m_historyBatches.insert(reference.mid(1), {{}, {}, true, {}});
    } else if (reference.startsWith('-') && m_historyBatches.contains(reference.mid(1))) {
        finishHistoryBatch(m_historyBatches.take(reference.mid(1)));
    }
}

void ClientSession::finishHistoryBatch(const HistoryBatch &batch)
{
    if (batch.listsTargets)
        Q_EMIT recentConversationsReceived(batch.conversations);
    else
        Q_EMIT historyReceived(batch.target, batch.messages);
}

ClientSession::HistoryBatch *ClientSession::historyBatchOfLine()
{
    const std::optional<QByteArray> reference = Irc::tagValue(m_lineTags, Irc::Tag::Batch);
    if (!reference)
        return nullptr;
    const auto it = m_historyBatches.find(*reference);
    return it == m_historyBatches.end() ? nullptr : &it.value();
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
    m_caps.registrationDone();
    if (wantsLogin() && m_saslStep == SaslStep::Idle) {
        m_saslStep = SaslStep::Done;
        Q_EMIT loginFailed(noSaslReason());
    }
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
    Q_EMIT topicChanged(name, topic, setBy, m_lineTime);
}

void ClientSession::handleNamesReply(const Irc::IrcMessage &message)
{
    // 353 <me> <=|*|@> <channel> :[prefix]nick ...
    const QString channel = decode(message.param(2));
    for (const QByteArray &entry : message.param(3).split(' ')) {
        QByteArray prefixes;
        // userhost-in-names: `@nick!user@host`.
        const QByteArrayView nick = Irc::nickOf(m_support.stripPrefixes(entry, &prefixes));
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

// --- replies parsed into results and state ---

ClientSession::Query *ClientSession::queryFor(QueryTracker::Kind kind, QByteArrayView target,
                                              bool createIfMissing)
{
    const QByteArray key = kind == QueryTracker::Kind::ChannelList ? QByteArray() : fold(target);
    Query *query = m_queries.find(kind, key, m_lineLabel);
    if (query && query->kind != kind)
        return nullptr; // a labeled response holding a reply of another kind
    if (!query && createIfMissing) {
        // Asked by a line typed raw (or by another client of the same bouncer): still parsed.
        Query implicit(kind, key, false);
        implicit.whois.nick = decode(target);
        query = m_queries.add(implicit);
    }
    if (query && query->quiet)
        m_lineQuiet = true;
    return query;
}

void ClientSession::takeQuery(Query *query)
{
    if (const std::optional<Query> taken = m_queries.take(query))
        emitResult(*taken);
}

void ClientSession::emitResult(const Query &query)
{
    if (query.kind == QueryTracker::Kind::Whois)
        Q_EMIT whoisReceived(query.whois);
    else if (query.kind == QueryTracker::Kind::ChannelList)
        Q_EMIT channelListReceived(query.channels);
}

void ClientSession::parseWhoisLine(const Irc::IrcMessage &message)
{
    // <code> <me> <nick> ...
    Query *query = queryFor(QueryTracker::Kind::Whois, message.param(1), true);
    if (!query)
        return;
    WhoisInfo &info = query->whois;
    const QByteArray &code = message.command;
    if (code == Numeric::WhoisUser) { // 311 <me> nick user host * :real name
        info.nick = decode(message.param(1));
        info.user = decode(message.param(2));
        info.host = decode(message.param(3));
        info.realName = decode(message.param(5));
        info.found = true;
    } else if (code == Numeric::WhoisServer) { // 312 <me> nick server :info
        info.server = decode(message.param(2));
        info.serverInfo = decode(message.param(3));
    } else if (code == Numeric::WhoisOperator) {
        info.isOperator = true;
    } else if (code == Numeric::WhoisIdle) { // 317 <me> nick idle [signon] :text
        info.idleSeconds = message.param(2).toLongLong();
        if (message.params.size() > 4)
            info.signOn = fromUnixTime(message.param(3));
    } else if (code == Numeric::WhoisChannels) { // 319 <me> nick :@#a +#b #c
        for (const QByteArray &channel : message.param(2).split(' ')) {
            if (!channel.isEmpty() && info.channels.size() < QueryTracker::MaxWhoisChannels)
                info.channels.append(decode(channel));
        }
    } else if (code == Numeric::WhoisAccount) { // 330 <me> nick account :is logged in as
        info.account = decode(message.param(2));
    }
}

void ClientSession::parseEndOfWhois(const Irc::IrcMessage &message)
{
    takeQuery(queryFor(QueryTracker::Kind::Whois, message.param(1), true));
}

void ClientSession::parseAwayReply(const Irc::IrcMessage &message)
{
    // 301 <me> nick :message -- in a WHOIS, or because we wrote to someone away.
    const QString nick = decode(message.param(1));
    const QString text = decode(message.param(2));
    if (Query *query = queryFor(QueryTracker::Kind::Whois, message.param(1), false)) {
        query->whois.away = true;
        query->whois.awayMessage = text;
    }
    applyAway(nick, true, text, false);
}

void ClientSession::parseNotFound(const Irc::IrcMessage &message)
{
    // 401/402 <me> nick :No such nick -- for a WHOIS only when one is waiting for that nick.
    if (Query *query = queryFor(QueryTracker::Kind::Whois, message.param(1), false)) {
        query->whois.found = false;
        query->whois.error = decode(message.param(2));
    }
}

void ClientSession::parseListLine(const Irc::IrcMessage &message)
{
    Query *query = queryFor(QueryTracker::Kind::ChannelList, {}, true);
    if (!query || message.command != Numeric::List)
        return;
    // 322 <me> #channel <users> :topic
    if (query->channels.size() < QueryTracker::MaxListEntries)
        query->channels.append(
            {decode(message.param(1)), message.param(2).toInt(), decode(message.param(3))});
}

void ClientSession::parseEndOfList(const Irc::IrcMessage &)
{
    takeQuery(queryFor(QueryTracker::Kind::ChannelList, {}, true));
}

void ClientSession::parseChannelModes(const Irc::IrcMessage &message)
{
    // 324 <me> #channel +modes [parameters]
    const QByteArray channel = message.param(1);
    if (Query *query = queryFor(QueryTracker::Kind::Modes, channel, false)) {
        if (query->quiet)
            m_quietModesChannel = fold(channel); // its 329 follows
        m_queries.take(query);
    }
    const ChannelState *state = m_channels->channel(decode(channel));
    if (!state)
        return;
    const Irc::ParsedModes parsed = Irc::parseModeChanges(
        message.param(2), message.params.mid(3), modeTypes(), Irc::IrcMessage::MaxLineBytes);
    QList<Irc::ModeChange> modes = parsed.changes;
    modes.removeIf([this](const Irc::ModeChange &change) {
        return m_support.channelModes.lists.contains(change.mode)
            || m_support.prefixSymbolFor(change.mode);
    });
    if (m_channels->setModes(state->name(), modes, true))
        Q_EMIT channelModesChanged(state->name());
}

void ClientSession::parseCreationTime(const Irc::IrcMessage &message)
{
    // 329 <me> #channel <unix time>
    const QByteArray channel = message.param(1);
    if (!m_previousQuietModes.isEmpty() && fold(channel) == m_previousQuietModes)
        m_lineQuiet = true;
    m_channels->setCreatedAt(decode(channel), fromUnixTime(message.param(2)));
}

void ClientSession::parseBanLine(const Irc::IrcMessage &message)
{
    // 367 <me> #channel mask [setter [time]]
    queryFor(QueryTracker::Kind::BanList, message.param(1), false);
    const ChannelState::Ban ban {decode(message.param(2)), decode(Irc::nickOf(message.param(3))),
                                 fromUnixTime(message.param(4))};
    m_channels->addBanListEntry(decode(message.param(1)), ban);
}

void ClientSession::parseEndOfBans(const Irc::IrcMessage &message)
{
    const QByteArray channel = message.param(1);
    if (Query *query = queryFor(QueryTracker::Kind::BanList, channel, false))
        m_queries.take(query);
    if (m_channels->finishBanList(decode(channel)))
        Q_EMIT banListChanged(m_channels->channel(decode(channel))->name());
}

void ClientSession::parseWhoLine(const Irc::IrcMessage &message)
{
    // 352 <me> #channel user host server nick <H|G>[*][@+] :hops real name
    queryFor(QueryTracker::Kind::Who, message.param(1), false);
    const QByteArray flags = message.param(6);
    if (!flags.isEmpty())
        applyAway(decode(message.param(5)), flags.startsWith('G'), QString(), false);
}

void ClientSession::parseEndOfWho(const Irc::IrcMessage &message)
{
    if (Query *query = queryFor(QueryTracker::Kind::Who, message.param(1), false))
        m_queries.take(query);
}

void ClientSession::parseOwnAway(const Irc::IrcMessage &message)
{
    // 306 we are away now, 305 back.
    m_away = message.command == Numeric::NowAway;
    applyAway(decode(m_nick), m_away, QString(), true);
}

Irc::ChannelModeTypes ClientSession::modeTypes() const
{
    const Irc::ISupport::ChannelModes &modes = m_support.channelModes;
    return {modes.lists, modes.withParameter, modes.withParameterWhenSet, modes.flags,
            m_support.prefixModes};
}

void ClientSession::completeRegistration()
{
    m_phase = Phase::Registered;
    qCInfo(lcClient) << "registered as" << m_nick;
    Q_EMIT registered(decode(m_nick));
    joinRememberedChannels();
    requestRecentConversations();
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
    m_caps.setWantsSasl(wantsLogin());
    sendLines({m_caps.start()});
    if (!m_settings.password.isEmpty())
        send("PASS", {m_settings.password.toUtf8()});
    send("NICK", {m_nick});
    const QString user = m_settings.userName.isEmpty() ? m_settings.nick : m_settings.userName;
    const QString real
        = m_settings.realName.isEmpty() ? QStringLiteral("QtChat") : m_settings.realName;
    send("USER", {user.toUtf8(), "0", "*", real.toUtf8()});
}

void ClientSession::send(QByteArrayView command, std::initializer_list<QByteArrayView> params,
                         Urgency urgency)
{
    if (isActive())
        Q_EMIT lineReady(Irc::makeLine({}, command, params), unpacedWhileRegistering(urgency));
}

void ClientSession::sendLines(const QList<QByteArray> &lines)
{
    for (const QByteArray &line : lines) {
        if (isActive())
            Q_EMIT lineReady(line, unpacedWhileRegistering(Urgency::Paced));
    }
}

// Registration (CAP, PASS, NICK, USER) goes out at once, as irssi sends it: paced, its lines
// would use up the burst and hold the channels' JOIN back by a whole interval.
ClientSession::Urgency ClientSession::unpacedWhileRegistering(Urgency urgency) const
{
    return isRegistered() ? urgency : Urgency::Urgent;
}

void ClientSession::sendQuery(Query query, QByteArrayView command,
                              std::initializer_list<QByteArrayView> params, Urgency urgency)
{
    if (!isRegistered()) {
        Q_EMIT errorOccurred(
            tr("Not connected: the %1 request was not sent.").arg(QString::fromLatin1(command)));
        return;
    }
    QByteArray line = Irc::makeLine({}, command, params);
    if (usesLabels()) {
        query.label = "qc" + QByteArray::number(++m_nextLabel);
        line.prepend("@label=" + query.label + ' ');
    }
    m_queries.add(query);
    Q_EMIT lineReady(line, urgency);
}

bool ClientSession::usesLabels() const
{
    // A response of several lines is labeled only as a batch.
    return m_caps.isEnabled(Irc::CapName::LabeledResponse) && m_caps.isEnabled(Irc::CapName::Batch);
}

void ClientSession::queryNewChannel(const QString &channel)
{
    // Its modes, and with away-notify who is away (the notifications only tell changes).
    const QByteArray name = channel.toUtf8();
    sendQuery({QueryTracker::Kind::Modes, fold(name), true}, "MODE", {name}, Urgency::Background);
    if (!m_caps.isEnabled(Irc::CapName::AwayNotify))
        return;
    sendQuery({QueryTracker::Kind::Who, fold(name), true}, "WHO", {name}, Urgency::Background);
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
    const bool emptyOk = allowEmpty || !value.isEmpty();
    if (emptyOk && isSafeParameter(value))
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
