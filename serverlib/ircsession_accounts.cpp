// Accounts of IrcSession: draft/account-registration (REGISTER, VERIFY) and SASL PLAIN
// (AUTHENTICATE). Hashing and checking a password (Argon2id, tens of milliseconds and 64 MiB)
// run on PasswordCheck's pool and the account is read or written by the store's thread; the
// outcome comes back through this client's mailbox, so the worker never waits for either. See
// docs/protocol.md, "Accounts", and docs/architecture.md, "Accounts".
#include "serverlib/ircsession.h"

#include "protocol/names.h"
#include "protocol/numerics.h"
#include "serverlib/passwordcheck.h"
#include "serverlib/passwordhash.h"
#include "serverlib/servercontext.h"
#include "serverlib/serverlogging.h"
#include "serverlib/worker.h"

#include <utility>

using namespace Irc;

namespace Server {

namespace {

// draft/account-registration's WEAK_PASSWORD below this many bytes.
constexpr qsizetype MinPasswordBytes = 8;
// SASL 3.1: the client sends its payload in base64 chunks of 400 bytes; a shorter one (or `+`)
// ends it.
constexpr qsizetype SaslChunkBytes = 400;
// A PLAIN payload holds two names and a password that fit IRC lines: three chunks are plenty.
constexpr qsizetype MaxSaslDataBytes = 3 * SaslChunkBytes;
const QByteArray RegisterCommand = "REGISTER";

void wipe(QByteArray &secret)
{
    secret.fill('\0');
    secret.clear();
}

Storage::Result unavailable()
{
    Storage::Result result;
    result.status = Storage::Status::Unavailable;
    return result;
}

// An account is named like a nick (it is the nick it was registered with).
bool isValidAccountName(const QByteArray &name)
{
    return isValidNick(name) && name.size() <= Storage::MaxKeyLength;
}

} // namespace

bool IrcSession::accountsEnabled() const
{
    return m_context.store != nullptr;
}

// REGISTER <account|*> <email|*> <password>: the account is named after the nick in use (no
// custom-account-name), verified at once (no e-mail on a LAN), and the client is logged in.
void IrcSession::onRegister(const IrcMessage &message)
{
    if (!accountsEnabled()) {
        numeric(Numeric::UnknownCommand, {message.command, "Unknown command"});
        return;
    }
    const QByteArray asked = message.param(0);
    if (!m_account.isEmpty()) {
        failRegister("ALREADY_AUTHENTICATED", m_account, "You are already logged in");
        return;
    }
    if (m_nick.isEmpty()) {
        failRegister("NEED_NICK", "*", "Choose a nick before registering an account");
        return;
    }
    const QByteArray account = asked == "*" ? m_nick : asked;
    if (foldCase(account) != foldCase(m_nick)) {
        failRegister("ACCOUNT_NAME_MUST_BE_NICK", account,
                     "The account must be named after your current nick");
        return;
    }
    if (!isValidAccountName(account)) {
        failRegister("BAD_ACCOUNT_NAME", account, "That account name is not valid");
        return;
    }
    if (message.param(2).size() < MinPasswordBytes) {
        failRegister("WEAK_PASSWORD", account, "The password must have at least 8 bytes");
        return;
    }
    if (m_accountCreationPending || m_sasl.step != SaslExchange::Step::Idle) {
        failRegister("TEMPORARILY_UNAVAILABLE", account, "Another login is under way");
        return;
    }
    // The pool thread hashes, then hands the account to the store; the store's thread posts the
    // answer here. The password exists in clear only in the task's copy, wiped after hashing.
    const MemberGroup self {worker().mailbox(), {id()}};
    const std::shared_ptr<Storage::Store> store = m_context.store;
    const PasswordHash::Cost cost = m_context.config.accountHashCost;
    auto answer = [self, account](const Storage::Result &result) {
        Worker::callSessions(self, [account, result](Session &session) {
            if (auto *client = qobject_cast<IrcSession *>(&session))
                client->accountCreated(account, result);
        });
    };
    QByteArray secret(message.param(2).constData(), message.param(2).size());
    const bool started
        = PasswordCheck::run([store, account, cost, answer, secret = std::move(secret)]() mutable {
              const QByteArray hash = PasswordHash::make(secret, cost);
              wipe(secret);
              const Storage::Account created {0, account, hash, 0, true};
              if (hash.isEmpty() || store->createAccount(created, answer) == 0)
                  answer(unavailable());
          });
    if (!started) {
        failRegister("TEMPORARILY_UNAVAILABLE", account, "Please try again in a moment");
        return;
    }
    m_accountCreationPending = true;
    m_registerLabel = deferLabel();
}

void IrcSession::accountCreated(const QByteArray &account, const Storage::Result &result)
{
    m_accountCreationPending = false;
    if (!isReading())
        return; // leaving
    answerLabeled(std::exchange(m_registerLabel, {}), [&] {
        if (result.ok() && result.account) {
            qCInfo(lcServer).noquote()
                << "client" << id() << "registered the account" << result.account->name;
            logIn(result.account->name);
            send(makeLine(serverName(), RegisterCommand,
                          {"SUCCESS", result.account->name, "Account created"}));
        } else if (result.status == Storage::Status::Duplicate) {
            failRegister("ACCOUNT_EXISTS", account, "Account already exists");
        } else if (result.status == Storage::Status::InvalidRequest) {
            failRegister("BAD_ACCOUNT_NAME", account, "That account name is not valid");
        } else {
            failRegister("TEMPORARILY_UNAVAILABLE", account, "Please try again in a moment");
        }
    });
    tryCompleteRegistration();
    resumeInput();
}

void IrcSession::failRegister(QByteArrayView code, const QByteArray &account, QByteArrayView text)
{
    fail(RegisterCommand, code, {account, text});
}

// Accounts are verified when they are made, so there is never a code to give: a client logged
// in (REGISTER logs in) has nothing left to verify, any other code is invalid.
void IrcSession::onVerify(const IrcMessage &message)
{
    if (!accountsEnabled()) {
        numeric(Numeric::UnknownCommand, {message.command, "Unknown command"});
        return;
    }
    if (!m_account.isEmpty()) {
        fail("VERIFY", "ALREADY_AUTHENTICATED",
             {m_account, "You are already logged in; the account is verified"});
        return;
    }
    fail("VERIFY", "INVALID_CODE",
         {message.param(0), "Accounts are verified when registered; there is nothing to verify"});
}

QByteArray IrcSession::deferLabel()
{
    if (!m_commandLabel.isEmpty())
        m_replyDeferred = true;
    return m_commandLabel;
}

// Inside a labeled command's dispatch (an answer that came at once after all) the command's own
// capture labels the replies; later, they are collected here and labeled alike.
void IrcSession::answerLabeled(const QByteArray &label, const std::function<void()> &answer)
{
    if (label.isEmpty() || isCapturing()) {
        answer();
        return;
    }
    QList<TaggedOutput> replies;
    setCapture(&replies);
    answer();
    setCapture(nullptr);
    sendLabeled(label, replies);
}

// AUTHENTICATE PLAIN, `AUTHENTICATE +`, then the base64 payload in 400-byte chunks; `*` aborts.
void IrcSession::onAuthenticate(const IrcMessage &message)
{
    if (!accountsEnabled() || !has(Capability::Sasl)) {
        numeric(Numeric::UnknownCommand, {message.command, "Unknown command"});
        return;
    }
    const QByteArray param = message.param(0);
    if (param.size() > SaslChunkBytes) {
        endSasl(Numeric::SaslTooLong, "SASL message too long");
        return;
    }
    if (!m_account.isEmpty()) {
        numeric(Numeric::SaslAlready, {"You have already authenticated using SASL"});
        return;
    }
    if (param == "*") {
        endSasl(Numeric::SaslAborted, "SASL authentication aborted");
        return;
    }
    switch (m_sasl.step) {
    case SaslExchange::Step::Idle:
        if (param.toUpper() != "PLAIN") {
            numeric(Numeric::SaslMechs, {"PLAIN", "are available SASL mechanisms"});
            numeric(Numeric::SaslFail, {"SASL authentication failed"});
            return;
        }
        m_sasl.step = SaslExchange::Step::Receiving;
        send(makeLine({}, "AUTHENTICATE", {"+"}));
        return;
    case SaslExchange::Step::Receiving:
        saslData(param);
        return;
    case SaslExchange::Step::Waiting:
    case SaslExchange::Step::Checking:
        // Only `*` has a meaning while the payload is being checked.
        endSasl(Numeric::SaslFail, "SASL authentication failed");
        return;
    }
}

void IrcSession::saslData(const QByteArray &chunk)
{
    if (chunk != "+")
        m_sasl.data += chunk;
    if (m_sasl.data.size() > MaxSaslDataBytes) {
        endSasl(Numeric::SaslTooLong, "SASL message too long");
        return;
    }
    if (chunk.size() < SaslChunkBytes)
        saslPayloadComplete();
}

// PLAIN: `authzid NUL authcid NUL password`; the authorisation identity, if any, must be the
// account itself.
void IrcSession::saslPayloadComplete()
{
    QByteArray::FromBase64Result decoded
        = QByteArray::fromBase64Encoding(m_sasl.data, QByteArray::AbortOnBase64DecodingErrors);
    wipe(m_sasl.data);
    QList<QByteArray> parts = decoded ? decoded.decoded.split('\0') : QList<QByteArray>();
    wipe(decoded.decoded);
    const bool wellFormed = parts.size() == 3 && !parts.at(1).isEmpty()
        && (parts.at(0).isEmpty() || foldCase(parts.at(0)) == foldCase(parts.at(1)));
    if (!wellFormed || !isValidAccountName(parts.at(1))) {
        for (QByteArray &part : parts)
            wipe(part);
        endSasl(Numeric::SaslFail, "SASL authentication failed");
        return;
    }
    m_sasl.account = parts.at(1);
    m_sasl.password = QByteArray(parts.at(2).constData(), parts.at(2).size());
    for (QByteArray &part : parts)
        wipe(part);
    // A throttled attempt waits here, on this worker's timer sweep, not on any thread.
    const qint64 wait = m_context.logins.waitMs(m_sasl.account, peerHost());
    m_sasl.step = SaslExchange::Step::Waiting;
    m_sasl.startAtMs = worker().nowMs() + wait;
    m_sasl.label = deferLabel();
    if (wait == 0)
        startLoginCheck();
}

void IrcSession::checkSaslTimer(qint64 nowMs)
{
    if (m_sasl.step == SaslExchange::Step::Waiting && nowMs >= m_sasl.startAtMs)
        startLoginCheck();
}

// The store finds the account's hash; a pool thread checks the password against it (or, for
// an unknown name, against a dummy hash of the same cost, so that both take as long and are
// answered alike); the verdict is posted to this client's mailbox.
void IrcSession::startLoginCheck()
{
    m_sasl.step = SaslExchange::Step::Checking;
    const quint64 attempt = ++m_sasl.attempt;
    const MemberGroup self {worker().mailbox(), {id()}};
    auto verdict = [self, attempt](LoginOutcome outcome, const QByteArray &account) {
        Worker::callSessions(self, [attempt, outcome, account](Session &session) {
            if (auto *client = qobject_cast<IrcSession *>(&session))
                client->loginChecked(attempt, outcome, account);
        });
    };
    auto secret = std::make_shared<QByteArray>(std::exchange(m_sasl.password, QByteArray()));
    const PasswordHash::Cost cost = m_context.config.accountHashCost;
    const quint64 request = m_context.store->findAccount(
        m_sasl.account, [secret, verdict, cost](const Storage::Result &result) {
            if (!result.ok() && result.status != Storage::Status::NotFound) {
                wipe(*secret);
                verdict(LoginOutcome::Unavailable, {});
                return;
            }
            const QByteArray hash = result.account ? result.account->passwordHash : QByteArray();
            const QByteArray name = result.account ? result.account->name : QByteArray();
            const bool started = PasswordCheck::run([secret, hash, name, verdict, cost] {
                const bool known = !hash.isEmpty();
                const bool matches
                    = PasswordHash::verify(known ? hash : PasswordHash::dummy(cost), *secret);
                wipe(*secret);
                verdict(known && matches ? LoginOutcome::Accepted : LoginOutcome::Refused, name);
            });
            if (!started) {
                wipe(*secret);
                verdict(LoginOutcome::Unavailable, {});
            }
        });
    if (request == 0) {
        wipe(*secret);
        loginChecked(attempt, LoginOutcome::Unavailable, {});
    }
}

void IrcSession::loginChecked(quint64 attempt, LoginOutcome outcome, const QByteArray &account)
{
    if (!isReading() || attempt != m_sasl.attempt || m_sasl.step != SaslExchange::Step::Checking)
        return; // leaving, or the attempt was aborted
    const QByteArray asked = std::exchange(m_sasl.account, QByteArray());
    m_sasl.step = SaslExchange::Step::Idle;
    answerLabeled(std::exchange(m_sasl.label, {}),
                  [&] { announceLoginOutcome(outcome, asked, account); });
    tryCompleteRegistration();
    resumeInput();
}

void IrcSession::announceLoginOutcome(LoginOutcome outcome, const QByteArray &asked,
                                      const QByteArray &account)
{
    switch (outcome) {
    case LoginOutcome::Accepted:
        m_context.logins.recordSuccess(asked);
        qCInfo(lcServer).noquote() << "client" << id() << "logged in as" << account;
        logIn(account);
        numeric(Numeric::SaslSuccess, {"SASL authentication successful"});
        break;
    case LoginOutcome::Refused:
        m_context.logins.recordFailure(asked, peerHost());
        qCWarning(lcServer).noquote() << "client" << id() << "failed to log in as" << asked;
        numeric(Numeric::SaslFail, {"SASL authentication failed"});
        break;
    case LoginOutcome::Unavailable:
        numeric(Numeric::SaslFail, {"SASL authentication failed"});
        break;
    }
}

// Ends the exchange, whatever its step, with `code`; a check under way is forgotten (and a label
// it carried: the line that ends it is answered instead).
void IrcSession::endSasl(const char *code, QByteArrayView text)
{
    wipe(m_sasl.data);
    wipe(m_sasl.password);
    m_sasl.account.clear();
    m_sasl.label.clear();
    m_sasl.step = SaslExchange::Step::Idle;
    ++m_sasl.attempt;
    numeric(code, {text});
    tryCompleteRegistration();
}

// SASL 3.1: a client that ends registration in the middle of an exchange is registered without
// logging in. One whose payload is complete waits for its verdict.
void IrcSession::abortSaslOnCapEnd()
{
    if (m_sasl.step == SaslExchange::Step::Receiving) {
        wipe(m_sasl.data);
        m_sasl.step = SaslExchange::Step::Idle;
        numeric(Numeric::SaslAborted, {"SASL authentication aborted"});
    }
}

bool IrcSession::inputHeld() const
{
    const bool registrationReady
        = !m_registered && !m_capNegotiating && !m_nick.isEmpty() && !m_user.isEmpty();
    return !m_nickLookingUp.isEmpty() || !m_channelEntries.isEmpty()
        || (registrationReady && saslHoldsRegistration());
}

void IrcSession::resumeInput()
{
    if (!isReading() || inputHeld())
        return;
    processInput();
    updateReadInterest();
}

bool IrcSession::saslHoldsRegistration() const
{
    return m_accountCreationPending || m_sasl.step == SaslExchange::Step::Waiting
        || m_sasl.step == SaslExchange::Step::Checking;
}

void IrcSession::logIn(const QByteArray &account)
{
    m_account = account;
    Audience peers;
    m_context.registry.setAccount(id(), account, &peers);
    describeToCluster();
    // Before registration the nick or user may not be known yet (irssi logs in before NICK).
    const auto orStar = [](const QByteArray &part) {
        return part.isEmpty() ? "*" : part;
    };
    const QByteArray self
        = m_registered ? m_prefix : orStar(m_nick) + '!' + orStar(m_user) + '@' + peerHost();
    numeric(Numeric::LoggedIn, {self, account, QByteArray("You are now logged in as " + account)});
    // account-notify: those who share a channel learn it (before registration nobody does).
    if (m_registered)
        worker().deliver(
            peers, eventLine(makeLine(m_prefix, "ACCOUNT", {account}), Capability::AccountNotify));
}

// extended-join: `JOIN #chan <account|*> :<realname>` for those who asked, the plain JOIN for
// the others; both lines are made only when accounts exist.
// Other servers get the plain JOIN only (through deliverToChannel), so extended-join goes out
// first, to this server's members alone.
void IrcSession::announceJoin(Audience &members, const QByteArray &channel)
{
    const QByteArray plainJoin = makeLine(m_prefix, "JOIN", {channel});
    if (!accountsEnabled()) {
        deliverToChannel(members, eventLine(plainJoin));
        return;
    }
    OutgoingLine plain = eventLine(plainJoin);
    plain.excluded = Capability::ExtendedJoin;
    const QByteArray account = m_account.isEmpty() ? QByteArray("*") : m_account;
    OutgoingLine extended = plain;
    extended.line = makeLine(m_prefix, "JOIN", {channel, account, m_realname});
    extended.required = Capability::ExtendedJoin;
    extended.excluded = {};
    worker().deliver(members, extended);
    deliverToChannel(members, plain);
}

bool IrcSession::ownsNick(const QByteArray &nick) const
{
    return !m_account.isEmpty() && foldCase(nick) == foldCase(m_account);
}

// Before registration: whether the nick in use may be kept (no store: no accounts own nicks).
bool IrcSession::nickChecked() const
{
    return !accountsEnabled() || ownsNick(m_nick) || m_nickCheckedFree == foldCase(m_nick);
}

void IrcSession::lookUpNickOwner(const QByteArray &nick)
{
    const quint64 lookup = ++m_nickLookups;
    m_nickLookingUp = foldCase(nick);
    const MemberGroup self {worker().mailbox(), {id()}};
    auto answer = [self, lookup, nick](NickOwner owner) {
        Worker::callSessions(self, [lookup, nick, owner](Session &session) {
            if (auto *client = qobject_cast<IrcSession *>(&session))
                client->nickOwnerFound(lookup, nick, owner);
        });
    };
    const quint64 request
        = m_context.store->findAccount(nick, [answer](const Storage::Result &result) {
              answer(result.ok()                                      ? NickOwner::Owned
                         : result.status == Storage::Status::NotFound ? NickOwner::Free
                                                                      : NickOwner::Unknown);
          });
    if (request == 0)
        nickOwnerFound(lookup, nick, NickOwner::Unknown);
}

void IrcSession::nickOwnerFound(quint64 lookup, const QByteArray &nick, NickOwner owner)
{
    if (!isReading() || lookup != m_nickLookups)
        return; // leaving, or a later NICK asked again
    m_nickLookingUp.clear();
    const bool mayUse = owner == NickOwner::Free || ownsNick(nick);
    if (m_registered && mayUse) {
        if (m_context.cluster)
            claimNick(nick);
        else
            changeNick(nick);
    } else if (m_registered || (!mayUse && foldCase(nick) == foldCase(m_nick))) {
        refuseOwnedNick(nick, owner);
        if (!m_registered) {
            m_context.registry.releaseNick(id());
            m_nick.clear();
        }
    } else {
        if (mayUse)
            m_nickCheckedFree = foldCase(nick);
        tryCompleteRegistration(); // or, if the nick changed meanwhile, its own lookup
    }
    resumeInput();
}

// A nick whose owner could not be learnt (the database failed) is refused too: better a client
// that tries again than one that takes a nick from its owner.
void IrcSession::refuseOwnedNick(const QByteArray &nick, NickOwner owner)
{
    numeric(Numeric::NicknameInUse,
            {nick,
             owner == NickOwner::Owned
                 ? "Nickname is registered to an account; log in with SASL"
                 : "Nickname could not be checked against the accounts; try again"});
}

} // namespace Server
