// Server operators (OPER, KILL, WALLOPS), user modes and WHOWAS of IrcSession.
#include "serverlib/ircsession.h"

#include "protocol/names.h"
#include "protocol/numerics.h"
#include "serverlib/passwordcheck.h"
#include "serverlib/servercontext.h"
#include "serverlib/serverlogging.h"
#include "serverlib/worker.h"

#include <QDateTime>

#include <algorithm>

using namespace Irc;

namespace Server {

namespace {

// After a failed OPER the next attempt waits this long, doubled per failure up to the maximum,
// so that a password cannot be guessed at the pace of a loop.
constexpr qint64 OperRetryBaseMs = 2000;
constexpr qint64 OperRetryMaxMs = 60'000;
// Room for "ERROR :Killed (nick (...))" in one line.
constexpr qsizetype MaxKillCommentLength = 300;
constexpr qsizetype MaxWhowasNicks = 5;
constexpr qsizetype MaxWhowasReplies = 20; // per nick, whatever count is asked for

qint64 operRetryDelayMs(int failures)
{
    return std::min(OperRetryMaxMs, OperRetryBaseMs << std::min(failures - 1, 10));
}

} // namespace

void IrcSession::onOper(const IrcMessage &message)
{
    const QList<OperatorCredential> &operators = m_context.config.operators;
    if (operators.isEmpty()) {
        numeric(Numeric::NoOperHost, {"No O-lines for your host"});
        return;
    }
    if (m_operatorCheckPending || worker().nowMs() < m_nextOperAttemptMs) {
        numeric(Numeric::TryAgain, {"OPER", "Please wait a while and try again."});
        return;
    }
    const QByteArray name = message.param(0);
    const auto entry
        = std::find_if(operators.cbegin(), operators.cend(),
                       [&name](const OperatorCredential &o) { return o.name == name; });
    // An unknown name costs a check too, so that the time to answer does not tell which names
    // exist; it never succeeds.
    const bool known = entry != operators.cend();
    const QByteArray &hash = known ? entry->passwordHash : operators.constFirst().passwordHash;
    const bool started
        = PasswordCheck::start(hash, message.param(1), {worker().mailbox(), {id()}},
                               [name, known](Session &session, bool accepted) {
                                   if (auto *client = qobject_cast<IrcSession *>(&session))
                                       client->operatorChecked(name, known && accepted);
                               });
    if (!started) {
        numeric(Numeric::TryAgain, {"OPER", "Please wait a while and try again."});
        return;
    }
    m_operatorCheckPending = true;
}

void IrcSession::operatorChecked(const QByteArray &name, bool accepted)
{
    m_operatorCheckPending = false;
    if (!isReading())
        return; // leaving
    if (!accepted) {
        ++m_failedOperAttempts;
        m_nextOperAttemptMs = worker().nowMs() + operRetryDelayMs(m_failedOperAttempts);
        qCWarning(lcServer).noquote() << "client" << id() << m_nick << "failed OPER as" << name;
        numeric(Numeric::PasswordMismatch, {"Password incorrect"});
        return;
    }
    m_failedOperAttempts = 0;
    qCInfo(lcServer).noquote() << "client" << id() << m_nick << "is a server operator as" << name;
    if (!m_modes.serverOperator) {
        UserModes modes = m_modes;
        modes.serverOperator = true;
        setUserModes(modes);
        send(makeLine(m_nick, "MODE", {m_nick, "+o"}));
    }
    numeric(Numeric::YoureOper, {"You are now an IRC operator"});
}

bool IrcSession::checkOperator()
{
    if (!m_modes.serverOperator)
        numeric(Numeric::NoPrivileges, {"Permission Denied- You're not an IRC operator"});
    return m_modes.serverOperator;
}

void IrcSession::onKill(const IrcMessage &message)
{
    if (!checkOperator())
        return;
    const QByteArray nick = message.param(0);
    QByteArray exactNick;
    const std::optional<MemberGroup> victim = m_context.registry.findNick(nick, &exactNick);
    const QByteArray comment = truncateUtf8(message.param(1), MaxKillCommentLength).toByteArray();
    const QByteArray reason = "Killed (" + m_nick + " (" + comment + "))";
    if (m_context.cluster && (!victim || victim->mailbox == m_context.cluster->bridge())) {
        killElsewhere(nick, reason);
        return;
    }
    if (!victim) {
        numeric(Numeric::NoSuchNick, {nick, "No such nick/channel"});
        return;
    }
    qCInfo(lcServer).noquote() << "client" << id() << m_nick << "kills" << exactNick;
    // The victim may be served by another thread: its own worker closes it.
    Worker::callSessions(*victim, [reason](Session &session) {
        if (auto *client = qobject_cast<IrcSession *>(&session))
            client->killed(reason);
    });
}

// A user of another server: its server, named in Redis, closes it.
void IrcSession::killElsewhere(const QByteArray &nick, const QByteArray &reason)
{
    lookUpElsewhere(
        nick, [nick, reason](IrcSession &client, const std::optional<RemoteUserInfo> &user) {
            if (!user || !client.m_context.cluster->killUser(*user, reason)) {
                client.numeric(Numeric::NoSuchNick, {nick, "No such nick/channel"});
                return;
            }
            qCInfo(lcServer).noquote() << "client" << client.id() << client.m_nick << "kills"
                                       << user->nick << "of" << user->nodeName;
        });
}

void IrcSession::killed(const QByteArray &reason)
{
    // The ERROR to the victim and the QUIT to its peers both carry the reason.
    closeWithError(reason);
}

void IrcSession::onWallops(const IrcMessage &message)
{
    if (!checkOperator())
        return;
    if (message.param(0).isEmpty()) {
        numeric(Numeric::NeedMoreParams, {message.command, "Not enough parameters"});
        return;
    }
    Audience audience = m_context.registry.wallopsAudience();
    if (m_context.cluster) // one message to every other server, for its +w users
        m_context.cluster->include(audience);
    worker().deliver(audience, eventLine(makeLine(m_prefix, "WALLOPS", {message.param(0)})));
}

void IrcSession::userMode(const IrcMessage &message)
{
    const QByteArray nick = message.param(0);
    if (foldCase(nick) != foldCase(m_nick)) {
        if (m_context.registry.findNick(nick))
            numeric(Numeric::UsersDontMatch, {"Cant change mode for other users"});
        else
            numeric(Numeric::NoSuchNick, {nick, "No such nick/channel"});
        return;
    }
    if (message.params.size() < 2) {
        numeric(Numeric::UModeIs, {m_modes.letters()});
        return;
    }
    UserModes modes = m_modes;
    QByteArray applied;
    char appliedSign = 0;
    bool adding = true, unknown = false;
    for (char letter : message.param(1)) {
        if (letter == '+' || letter == '-') {
            adding = letter == '+';
            continue;
        }
        bool *flag = letter == 'i' ? &modes.invisible
            : letter == 'w'        ? &modes.wallops
            : letter == 'o'        ? &modes.serverOperator
                                   : nullptr;
        unknown = unknown || !flag;
        // Only OPER makes an operator (RFC 2812: +o is ignored); anyone may drop it.
        if (!flag || *flag == adding || (letter == 'o' && adding))
            continue;
        *flag = adding;
        const char sign = adding ? '+' : '-';
        if (sign != appliedSign)
            applied += sign;
        appliedSign = sign;
        applied += letter;
    }
    if (unknown)
        numeric(Numeric::UModeUnknownFlag, {"Unknown MODE flag"});
    if (applied.isEmpty())
        return;
    setUserModes(modes);
    send(makeLine(m_nick, "MODE", {m_nick, applied}));
}

void IrcSession::setUserModes(const UserModes &modes)
{
    m_modes = modes;
    m_context.registry.setUserModes(id(), modes);
}

void IrcSession::onWhowas(const IrcMessage &message)
{
    const QByteArray nicks = message.param(0);
    if (nicks.isEmpty()) {
        numeric(Numeric::NoNicknameGiven, {"No nickname given"});
        return;
    }
    // A count of 0, a negative one or none: all there are (at most MaxWhowasReplies).
    const qint64 asked = message.param(1).toLongLong();
    const qsizetype count
        = asked > 0 ? qsizetype(std::min<qint64>(asked, MaxWhowasReplies)) : MaxWhowasReplies;
    for (const QByteArray &nick : nicks.split(',').mid(0, MaxWhowasNicks)) {
        const QList<WhowasEntry> entries = m_context.registry.whowas(nick, count);
        if (entries.isEmpty())
            numeric(Numeric::WasNoSuchNick, {nick, "There was no such nickname"});
        for (const WhowasEntry &entry : entries) {
            numeric(Numeric::WhoWasUser, {entry.nick, entry.user, entry.host, "*", entry.realname});
            const QByteArray left = QDateTime::fromSecsSinceEpoch(entry.leftSecs, Qt::UTC)
                                        .toString(Qt::RFC2822Date)
                                        .toUtf8();
            numeric(Numeric::WhoisServer, {entry.nick, serverName(), left});
        }
    }
    numeric(Numeric::EndOfWhoWas, {nicks, "End of WHOWAS"});
}

} // namespace Server
