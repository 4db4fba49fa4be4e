#include "serverlib/ircsession.h"

#include "protocol/isupport.h"
#include "protocol/modes.h"
#include "protocol/names.h"
#include "protocol/numerics.h"
#include "serverlib/mailbox.h"
#include "serverlib/servercontext.h"
#include "serverlib/worker.h"

using namespace Irc;

namespace Server {

namespace {

constexpr char Version[] = "qtchat-" QT_STRINGIFY(QTCHAT_VERSION);
constexpr qsizetype MaxUserLength = 16;
// A line-less stream longer than this is hostile or broken; real clients never come close.
constexpr qsizetype MaxUnterminatedBytes = 8 * 1024;
// Input held back by flood control beyond this is sustained flooding: InspIRCd's receive queue.
// Held-back input waits in the kernel, which holds far more than this, so a flooding client is
// told rather than only slowed down by TCP.
constexpr qint64 MaxThrottledBytes = 8 * 1024;

QByteArray sanitizedUser(const QByteArray &user)
{
    QByteArray clean;
    for (char c : user) {
        if (c > ' ' && c != '@' && c != '!' && c != ':' && c != 127)
            clean += c;
    }
    return clean.isEmpty() ? QByteArray("user") : clean.left(MaxUserLength);
}

// The last parameter is the trailing one.
template<typename Params>
QByteArray numericLine(const QByteArray &server, const char *code, const QByteArray &target,
                       const Params &params)
{
    QByteArray line;
    line.reserve(128);
    line += ':' + server + ' ' + code + ' ' + target;
    const qsizetype last = qsizetype(params.size()) - 1;
    qsizetype index = 0;
    for (QByteArrayView param : params) {
        line += ' ';
        if (index++ == last)
            line += ':';
        line += param;
    }
    return truncateUtf8(line, IrcMessage::MaxLineBytes - 2).toByteArray() + "\r\n";
}

} // namespace

IrcSession::IrcSession(quint32 id, Worker &worker)
    : Session(id, worker),
      m_context(worker.context()),
      m_splitter(MaxTaggedInputBytes, MaxUnterminatedBytes),
      m_flood(m_context.limits.floodBurstLines, m_context.limits.floodLinesPerSecond)
{ }

const QHash<QByteArray, IrcSession::Command> &IrcSession::commands()
{
    static const QHash<QByteArray, Command> table {
        {"CAP", {&IrcSession::onCap, 1, true}},
        {"PASS", {&IrcSession::onPass, 1, true}},
        {"NICK", {&IrcSession::onNick, 0, true}},
        {"USER", {&IrcSession::onUser, 4, true}},
        {"PING", {&IrcSession::onPing, 0, true}},
        {"PONG", {&IrcSession::onPong, 0, true}},
        {"QUIT", {&IrcSession::onQuit, 0, true}},
        {"JOIN", {&IrcSession::onJoin, 1, false}},
        {"PART", {&IrcSession::onPart, 1, false}},
        {"PRIVMSG", {&IrcSession::onPrivmsg, 0, false}},
        {"NOTICE", {&IrcSession::onNotice, 0, false}},
        {"NAMES", {&IrcSession::onNames, 0, false}},
        {"TOPIC", {&IrcSession::onTopic, 1, false}},
        {"LIST", {&IrcSession::onList, 0, false}},
        {"WHO", {&IrcSession::onWho, 0, false}},
        {"MODE", {&IrcSession::onMode, 1, false}},
        {"KICK", {&IrcSession::onKick, 2, false}},
        {"INVITE", {&IrcSession::onInvite, 2, false}},
        {"WHOIS", {&IrcSession::onWhois, 1, false}},
        {"AWAY", {&IrcSession::onAway, 0, false}},
        {"ISON", {&IrcSession::onIson, 1, false}},
        {"USERHOST", {&IrcSession::onUserhost, 1, false}},
        {"LUSERS", {&IrcSession::onLusers, 0, false}},
        {"MOTD", {&IrcSession::onMotd, 0, false}},
        {"VERSION", {&IrcSession::onVersion, 0, false}},
        {"TIME", {&IrcSession::onTime, 0, false}},
        {"INFO", {&IrcSession::onInfo, 0, false}},
        {"OPER", {&IrcSession::onOper, 2, false}},
        {"KILL", {&IrcSession::onKill, 2, false}},
        {"WALLOPS", {&IrcSession::onWallops, 1, false}},
        {"WHOWAS", {&IrcSession::onWhowas, 0, false}},
        {"TAGMSG", {&IrcSession::onTagmsg, 0, false}},
        {"SETNAME", {&IrcSession::onSetname, 0, false}},
        {"CHATHISTORY", {&IrcSession::onChathistory, 0, false}},
        {"REGISTER", {&IrcSession::onRegister, 3, true}},
        {"VERIFY", {&IrcSession::onVerify, 2, true}},
        {"AUTHENTICATE", {&IrcSession::onAuthenticate, 1, true}},
    };
    return table;
}

void IrcSession::opened()
{
    m_context.registry.addClient(id(), worker().mailbox(), peerHost());
}

void IrcSession::processInput()
{
    // Lines a throttle held back come first; new input is read only while not throttled, so
    // that a flooding client fills its socket buffers and TCP slows it down.
    handleBufferedLines();
    // One chunk per call: more input brings another call, so that one busy client does not
    // hold up the others served by this thread.
    if (isReading() && !m_throttled && !inputHeld()) {
        m_splitter.append(transport().read());
        handleBufferedLines();
    }
    checkInputLimits();
}

void IrcSession::handleBufferedLines()
{
    LineSplitter::Line line;
    while (isReading() && !inputHeld()) {
        const qint64 now = worker().nowMs();
        m_throttled = !m_flood.hasToken(now);
        if (m_throttled)
            return;
        if (!m_splitter.next(&line)) {
            m_flood.caughtUp();
            return;
        }
        m_flood.take(now);
        handleLine(line);
    }
}

void IrcSession::checkInputLimits()
{
    if (!isReading())
        return;
    if (m_splitter.overflowed())
        closeWithError("Closing link (Input line too long without a line end)");
    else if (m_throttled
             && m_splitter.bufferedBytes() + transport().unreadBytes() > MaxThrottledBytes)
        closeWithError("Excess Flood");
}

void IrcSession::checkTimers(qint64 nowMs)
{
    Session::checkTimers(nowMs);
    if (!isReading())
        return;
    if (m_throttled) {
        processInput(); // the bucket has refilled a little
        updateReadInterest();
    }
    checkSaslTimer(nowMs);
    if (m_registered)
        checkPing(nowMs);
    else
        checkRegistrationTimeout(nowMs);
}

void IrcSession::checkRegistrationTimeout(qint64 nowMs)
{
    const int timeout = m_context.limits.registrationTimeoutMs;
    if (isReading() && timeout > 0 && nowMs - openedAtMs() >= timeout)
        closeWithError("Closing link (Registration timeout)");
}

void IrcSession::checkPing(qint64 nowMs)
{
    const ServerLimits &limits = m_context.limits;
    if (!isReading() || limits.pingIntervalMs <= 0)
        return;
    const qint64 quietMs = nowMs - lastInputMs();
    if (m_pingSentMs <= lastInputMs()) {
        if (quietMs >= limits.pingIntervalMs) {
            send("PING :" + serverName() + "\r\n");
            m_pingSentMs = nowMs;
        }
    } else if (nowMs - m_pingSentMs >= limits.pingTimeoutMs) {
        closeWithError("Ping timeout: " + QByteArray::number(quietMs / 1000) + " seconds");
    }
}

void IrcSession::handleLine(const LineSplitter::Line &line)
{
    const TaggedLine split = splitTags(line.text);
    if (line.tooLong || !checkLineLength(split)) {
        numeric(Numeric::InputTooLong, {"Input line was too long"});
        return;
    }
    // A C client would read such a line only up to the NUL: never pass on something that reads
    // differently to different recipients.
    if (line.text.contains('\0')) {
        replyToNul(line.text);
        return;
    }
    m_inputTags = split.tagData.isEmpty() ? MessageTags() : parseTags(split.tagData);
    const std::optional<IrcMessage> message = IrcMessage::parse(split.body);
    if (!message)
        return;
    const std::optional<QByteArray> label = tagValue(m_inputTags, Tag::Label);
    if (label && !label->isEmpty() && has(Capability::LabeledResponse))
        dispatchLabeled(*message, *label);
    else
        dispatch(*message);
}

void IrcSession::dispatch(const IrcMessage &message)
{
    const auto it = commands().constFind(message.command);
    if (it == commands().cend()) {
        if (m_registered)
            numeric(Numeric::UnknownCommand, {message.command, "Unknown command"});
        else
            numeric(Numeric::NotRegistered, {"You have not registered"});
        return;
    }
    // Registration is checked before parameter counts: irssi waits for 451 on `JOIN :`.
    if (!m_registered && !it->beforeRegistration) {
        numeric(Numeric::NotRegistered, {"You have not registered"});
        return;
    }
    if (message.params.size() < it->minParams) {
        numeric(Numeric::NeedMoreParams, {message.command, "Not enough parameters"});
        return;
    }
    (this->*(it->handler))(message);
}

void IrcSession::onPass(const IrcMessage &message)
{
    if (m_registered) {
        numeric(Numeric::AlreadyRegistered, {"You may not reregister"});
        return;
    }
    m_password = message.param(0);
}

void IrcSession::onNick(const IrcMessage &message)
{
    const QByteArray nick = message.param(0);
    if (nick.isEmpty()) {
        numeric(Numeric::NoNicknameGiven, {"No nickname given"});
        return;
    }
    if (!isValidNick(nick)) {
        numeric(Numeric::ErroneousNickname, {nick, "Erroneous nickname"});
        return;
    }
    if (nick == m_nick)
        return;
    if (m_registered && accountsEnabled() && !ownsNick(nick)) {
        lookUpNickOwner(nick); // changed (or claimed in the cluster) when the store has answered
    } else if (m_context.cluster) {
        claimNick(nick);
    } else if (m_registered) {
        changeNick(nick);
    } else if (acceptNick(nick)) {
        tryCompleteRegistration();
    }
}

void IrcSession::claimNick(const QByteArray &nick)
{
    // Refused here at once when a user known here has it; reserved here while the cluster is
    // asked, so that no local client claims it meanwhile.
    if (m_registered) {
        QByteArray holder;
        if (m_context.registry.findNick(nick, &holder) && foldCase(holder) != foldCase(m_nick)) {
            numeric(Numeric::NicknameInUse, {nick, "Nickname is already in use"});
            return;
        }
    } else if (m_context.registry.reserveNick(id(), nick) == Registry::Status::NickInUse) {
        numeric(Numeric::NicknameInUse, {nick, "Nickname is already in use"});
        return;
    } else if (!m_nick.isEmpty()) {
        m_context.cluster->releaseNick(m_nick);
        m_nick.clear(); // registration waits for the cluster's answer
    }
    m_claimingNick = nick;
    m_context.cluster->claimNick(nick, {worker().mailbox(), {id()}},
                                 [nick](Session &session, NickClaim result) {
                                     if (auto *client = qobject_cast<IrcSession *>(&session))
                                         client->nickClaimed(nick, result);
                                 });
}

void IrcSession::nickClaimed(const QByteArray &nick, NickClaim result)
{
    if (nick != m_claimingNick) {
        // Overtaken by a later NICK: what was claimed for it is given back.
        if (result == NickClaim::Held && foldCase(nick) != foldCase(m_nick)
            && foldCase(nick) != foldCase(m_claimingNick))
            m_context.cluster->releaseNick(nick);
        return;
    }
    m_claimingNick.clear();
    if (!isReading())
        return; // leaving: connectionClosed() gives it back
    if (result != NickClaim::Held) {
        refuseNick(nick, result);
        return;
    }
    if (!m_registered) {
        m_nick = nick;
        tryCompleteRegistration();
        return;
    }
    const QByteArray oldNick = m_nick;
    changeNick(nick);
    const QByteArray given = m_nick == nick ? oldNick : nick;
    if (foldCase(given) != foldCase(m_nick))
        m_context.cluster->releaseNick(given);
}

void IrcSession::refuseNick(const QByteArray &nick, NickClaim result)
{
    if (!m_registered)
        m_context.registry.forgetNick(id(), nick);
    numeric(Numeric::NicknameInUse,
            {nick,
             result == NickClaim::Taken
                 ? QByteArrayView("Nickname is already in use")
                 : QByteArrayView("Nickname cannot be checked: the network is "
                                  "unreachable, try again later")});
}

bool IrcSession::acceptNick(const QByteArray &nick)
{
    if (m_context.registry.reserveNick(id(), nick) == Registry::Status::NickInUse) {
        numeric(Numeric::NicknameInUse, {nick, "Nickname is already in use"});
        return false;
    }
    m_nick = nick;
    return true;
}

void IrcSession::changeNick(const QByteArray &nick)
{
    QByteArray oldPrefix;
    Audience peers;
    if (m_context.registry.changeNick(id(), nick, &oldPrefix, &peers)
        == Registry::Status::NickInUse) {
        numeric(Numeric::NicknameInUse, {nick, "Nickname is already in use"});
        return;
    }
    m_nick = nick;
    m_prefix = m_context.registry.prefixOf(id());
    describeToCluster();
    const OutgoingLine line = eventLine(makeLine(oldPrefix, "NICK", {nick}));
    sendOutgoing(line);
    worker().deliver(peers, line);
}

void IrcSession::describeToCluster()
{
    if (m_context.cluster && m_registered)
        m_context.cluster->describeUser(m_nick);
}

void IrcSession::takeFallbackNick(const QByteArray &lost, const QByteArray &fallback)
{
    if (!isReading() || !m_registered || foldCase(m_nick) != foldCase(lost)) {
        m_context.cluster->releaseNick(fallback); // renamed or gone meanwhile
        m_context.cluster->collisionSettled(lost, {});
        return;
    }
    changeNick(fallback);
    if (m_nick != fallback) {
        m_context.cluster->releaseNick(fallback);
        m_context.cluster->collisionSettled(lost, {});
        return;
    }
    send(makeLine(serverName(), "NOTICE",
                  {m_nick,
                   QByteArray("The nick " + lost
                              + " was given to another user of the network while this server "
                                "was cut off from it; you are now "
                              + fallback)}));
    m_context.cluster->collisionSettled(lost, m_context.registry.channelsOf(id()));
}

void IrcSession::onUser(const IrcMessage &message)
{
    if (m_registered) {
        numeric(Numeric::AlreadyRegistered, {"You may not reregister"});
        return;
    }
    if (message.param(3).isEmpty()) {
        numeric(Numeric::NeedMoreParams, {message.command, "Not enough parameters"});
        return;
    }
    m_user = sanitizedUser(message.param(0));
    m_realname = message.param(3);
    tryCompleteRegistration();
}

void IrcSession::onPing(const IrcMessage &message)
{
    if (message.params.isEmpty() || message.param(0).isEmpty()) {
        numeric(Numeric::NoOrigin, {"No origin specified"});
        return;
    }
    send(makeLine(serverName(), "PONG", {serverName(), message.param(0)}));
}

void IrcSession::onPong(const IrcMessage &)
{
    // Any traffic counts as a sign of life; the idle check reads the last activity time.
}

void IrcSession::onQuit(const IrcMessage &message)
{
    const QByteArray reason = message.param(0);
    setCloseReason(QStringLiteral("Quit: ") + QString::fromUtf8(reason));
    closeWithError("Closing link (" + (m_nick.isEmpty() ? QByteArray("*") : m_nick)
                   + ") [Quit: " + reason + ']');
}

void IrcSession::tryCompleteRegistration()
{
    if (m_registered || m_nick.isEmpty() || m_user.isEmpty() || m_capNegotiating
        || saslHoldsRegistration())
        return;
    if (!nickChecked()) {
        if (m_nickLookingUp != foldCase(m_nick))
            lookUpNickOwner(m_nick);
        return;
    }
    if (m_context.config.password != m_password && !m_context.config.password.isEmpty()) {
        numeric(Numeric::PasswordMismatch, {"Password incorrect"});
        closeWithError("Closing link (Password incorrect)");
        return;
    }
    m_registered = true;
    m_context.registry.completeRegistration(id(), m_user, m_realname);
    m_prefix = m_context.registry.prefixOf(id());
    m_lastMessageMs = m_context.registry.activityOf(id());
    describeToCluster();
    sendWelcome();
    worker().reportRegistered(id(), m_nick);
}

void IrcSession::sendWelcome()
{
    numeric(Numeric::Welcome, {QByteArray("Welcome to the QtChat IRC network " + m_prefix)});
    numeric(Numeric::YourHost,
            {QByteArray("Your host is " + serverName() + ", running version " + versionString())});
    numeric(Numeric::Created, {QByteArray("This server was created " + m_context.createdAt)});
    numeric(Numeric::MyInfo, {serverName(), versionString(), "iow", ChannelModeTypes().allModes()});
    // The tokens are middle parameters, so joined by spaces they are one parameter here.
    const QByteArray supported
        = qtChatSupport(m_context.limits.maxChannelsPerClient).tokens().join(' ');
    numeric(Numeric::ISupport, {supported, "are supported by this server"});
    // A line of its own: a client may read at most 13 tokens from one.
    if (m_context.store)
        numeric(Numeric::ISupport,
                {"CHATHISTORY=100", "MSGREFTYPES=timestamp,msgid", "are supported by this server"});
    sendLusers();
    sendMotd();
}

void IrcSession::sendMotd()
{
    const QStringList &motd = m_context.config.motd;
    if (motd.isEmpty()) {
        numeric(Numeric::NoMotd, {"MOTD File is missing"});
        return;
    }
    numeric(Numeric::MotdStart, {QByteArray("- " + serverName() + " Message of the day - ")});
    for (const QString &line : motd)
        numeric(Numeric::Motd, {QByteArray("- " + line.toUtf8())});
    numeric(Numeric::EndOfMotd, {"End of /MOTD command."});
}

void IrcSession::connectionClosed(const QString &reason)
{
    // Nobody hears a QUIT from an unregistered client, nor during shutdown.
    const bool announce = m_registered && !worker().isStopping();
    Audience peers;
    m_context.registry.removeClient(id(), announce ? &peers : nullptr);
    if (const auto &cluster = m_context.cluster) {
        // The cluster follows this server's channels, so it hears of every quit.
        if (announce)
            cluster->include(peers);
        for (const QByteArray &nick : {m_nick, m_claimingNick}) {
            if (!nick.isEmpty())
                cluster->releaseNick(nick);
        }
        for (const QByteArray &channel : std::exchange(m_channelEntries, {}))
            cluster->recheckChannel(channel);
    }
    if (announce)
        worker().deliver(peers, eventLine(makeLine(m_prefix, "QUIT", {reason.toUtf8()})));
    applyCapabilities({}); // no longer counted among the sessions that want tags
}

void IrcSession::deliverToChannel(Audience &members, const OutgoingLine &line, quint32 exclude)
{
    if (const auto &cluster = m_context.cluster)
        cluster->include(members);
    worker().deliver(members, line, exclude);
}

void IrcSession::numeric(const char *code, std::initializer_list<QByteArrayView> params)
{
    send(numericLine(serverName(), code, target(), params));
}

void IrcSession::sendNumeric(const char *code, const QList<QByteArray> &params)
{
    send(numericLine(serverName(), code, target(), params));
}

QByteArray IrcSession::target() const
{
    return m_registered ? m_nick : QByteArray("*");
}

QByteArray IrcSession::versionString()
{
    return Version;
}

const QByteArray &IrcSession::serverName() const
{
    return m_context.config.serverName;
}

} // namespace Server
