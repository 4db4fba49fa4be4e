#pragma once

#include "protocol/ircmessage.h"
#include "protocol/linesplitter.h"
#include "protocol/messagetags.h"
#include "serverlib/clusterfront.h"
#include "serverlib/floodbucket.h"
#include "serverlib/linetags.h"
#include "serverlib/registry.h"
#include "serverlib/session.h"
#include "storagelib/store.h"

#include <functional>
#include <optional>

namespace Server {

struct ServerContext;

// A client speaking the IRC subset of docs/protocol.md: registration, then channel and
// private chat. Runs entirely in its worker's thread; shared state goes through the Registry.
class IrcSession : public Session
{
    Q_OBJECT

public:
    static constexpr qsizetype MaxAwayLength = 200;

    IrcSession(quint32 id, Worker &worker);

    QByteArray nick() const override { return m_nick; }
    // In a cluster: another server's user got `lost` while this server was out of the network;
    // this user, if still called so, takes `fallback` (claimed already) and is told why.
    void takeFallbackNick(const QByteArray &lost, const QByteArray &fallback);
    void checkTimers(qint64 nowMs) override;
    // KILL: closed with `reason`, by an operator of this server or (in a cluster) another one.
    void killed(const QByteArray &reason);

protected:
    void opened() override;
    void processInput() override;
    bool wantsInput() const override { return !m_throttled && !inputHeld(); }
    void connectionClosed(const QString &reason) override;

private:
    using Handler = void (IrcSession::*)(const Irc::IrcMessage &);
    struct Command
    {
        Handler handler;
        int minParams;
        bool beforeRegistration;
    };
    static const QHash<QByteArray, Command> &commands();
    // A chat line's msgid, time and the sender's client-only tags: made once per message, when
    // tagged recipients or the history store need them.
    struct ChatStamp
    {
        QByteArray msgid;
        qint64 timeMs = 0;
        QByteArray clientTags; // serialised, empty for none
    };

    void handleBufferedLines();
    void checkInputLimits();
    void checkRegistrationTimeout(qint64 nowMs);
    void checkPing(qint64 nowMs);
    void handleLine(const Irc::LineSplitter::Line &line);
    void dispatch(const Irc::IrcMessage &message);

    // Registration (ircsession.cpp)
    void onPass(const Irc::IrcMessage &message);
    void onNick(const Irc::IrcMessage &message);
    void onUser(const Irc::IrcMessage &message);
    void onPing(const Irc::IrcMessage &message);
    void onPong(const Irc::IrcMessage &message);
    void onQuit(const Irc::IrcMessage &message);
    bool acceptNick(const QByteArray &nick);
    void changeNick(const QByteArray &nick);
    // In a cluster, what the other servers show of this user (WHOIS there) is told again.
    void describeToCluster();
    // In a cluster a nick is claimed across the network before it is given (001, or NICK
    // confirmed); the answer comes back through the mailbox.
    void claimNick(const QByteArray &nick);
    void nickClaimed(const QByteArray &nick, NickClaim result);
    void refuseNick(const QByteArray &nick, NickClaim result);
    // Channel events reach the cluster's other servers too (ServerContext::cluster).
    void deliverToChannel(Audience &members, const OutgoingLine &line, quint32 exclude = 0);
    void tryCompleteRegistration();
    void sendWelcome();
    void sendMotd();

    // Channels and chat (ircsession_chat.cpp)
    void onJoin(const Irc::IrcMessage &message);
    void onPart(const Irc::IrcMessage &message);
    void onPrivmsg(const Irc::IrcMessage &message);
    void onNotice(const Irc::IrcMessage &message);
    void onNames(const Irc::IrcMessage &message);
    void onTopic(const Irc::IrcMessage &message);
    void onList(const Irc::IrcMessage &message);
    void onMode(const Irc::IrcMessage &message);
    void onKick(const Irc::IrcMessage &message);
    void onInvite(const Irc::IrcMessage &message);
    void inviteElsewhere(const QByteArray &nick, const QByteArray &channel);
    void joinChannel(const QByteArray &name, const QByteArray &key);
    void enterChannel(const QByteArray &name, const QByteArray &key);
    void channelEntered(const QByteArray &name, const QByteArray &key, ChannelEntry entry);
    // False when the client is not on the channel afterwards.
    bool completeJoin(const QByteArray &name, const QByteArray &key, bool mayFound);
    void partChannel(const QByteArray &name, const QByteArray &reason);
    void relay(const Irc::IrcMessage &message, bool isNotice);
    bool relayToTarget(const QByteArray &command, const QByteArray &target, const QByteArray &text,
                       bool isNotice);
    void sendToOtherNode(const QByteArray &command, const QByteArray &target,
                         const QByteArray &text, bool isNotice);
    bool relayToChannel(const QByteArray &command, const QByteArray &channel,
                        const QByteArray &text, bool isNotice);
    // Chat history (ircsession_history.cpp): storing relayed channel lines, draft/chathistory
    // and the replay on JOIN.
    void storeLine(const QByteArray &command, const QByteArray &channel, const QByteArray &text,
                   const ChatStamp &stamp);
    void storePrivateLine(const QByteArray &command, const QByteArray &recipientNick,
                          const QByteArray &recipientAccount, const QByteArray &text,
                          const ChatStamp &stamp);
    Storage::HistoryMessage historyMessage(const QByteArray &command, const QByteArray &target,
                                           const QByteArray &text, const ChatStamp &stamp) const;
    // What an answer from the store is for, carried to the storage thread and back.
    struct HistoryReply
    {
        QByteArray subcommand; // LATEST ... TARGETS
        QByteArray target; // the channel as it is named now, or the nick asked about
        QByteArray label; // labeled-response: the answer carries it
        QList<QByteArray> channels; // TARGETS: the asker's channels, as named
        bool replay = false; // a JOIN's replay rather than a CHATHISTORY answer
    };
    void onChathistory(const Irc::IrcMessage &message);
    void chathistoryTargets(const Irc::IrcMessage &message);
    // What CHATHISTORY reads: the target as the reply names it, and its key in the store.
    struct HistoryTarget
    {
        QByteArray name;
        QByteArray key;
    };
    std::optional<HistoryTarget> readableTarget(const QByteArray &target) const;
    std::optional<HistoryTarget> conversationWith(const QByteArray &nick) const;
    std::optional<QByteArray> memberChannel(const QByteArray &target) const;
    void replayHistory(const QByteArray &channel);
    void askStore(const HistoryReply &reply,
                  const std::function<quint64(Storage::Store &, Storage::Store::Reply)> &ask);
    void historyAnswered(const HistoryReply &reply, const Storage::Result &result);
    void sendHistory(const HistoryReply &reply, const QList<Storage::HistoryMessage> &messages);
    void sendHistoryTargets(const HistoryReply &reply,
                            const QList<Storage::TargetActivity> &targets);
    QByteArray historyTags(const Storage::HistoryMessage &message, const QByteArray &batch) const;
    void sendHistoryReply(const QByteArray &label, QList<TaggedOutput> lines, bool isBatch);
    void failHistory(const HistoryReply &reply, QByteArrayView code,
                     std::initializer_list<QByteArrayView> params);
    void sendNames(const ChannelView &channel);
    void sendTopic(const ChannelView &channel);
    void channelMode(const Irc::IrcMessage &message);
    void sendBanList(const QByteArray &channel);
    void changeChannelModes(const QByteArray &channel, const QList<Irc::ModeChange> &changes);
    void sendModeRefusal(const QByteArray &channel, ModeOutcome::Refusal refusal,
                         const Irc::ModeChange &change);
    QByteArray memberPrefix(const MemberView &member) const; // all prefixes with multi-prefix
    QByteArray memberPrefix(bool op, bool voice) const;
    bool isVisible(const ChannelView &channel) const; // secret channels only to members

    // Queries about users and the server (ircsession_queries.cpp)
    void onWho(const Irc::IrcMessage &message);
    void whoChannel(const QByteArray &name);
    void whoMask(const QByteArray &mask);
    void sendWhoReply(const QByteArray &channel, const UserInfo &user,
                      QByteArrayView channelPrefix);
    void onWhois(const Irc::IrcMessage &message);
    // In a cluster, for a nick no user known here has: `answer` runs with what its server told
    // of it (nothing: no such user), later, through the mailbox.
    using ElsewhereAnswer
        = std::function<void(IrcSession &client, const std::optional<RemoteUserInfo> &user)>;
    void lookUpElsewhere(const QByteArray &nick, ElsewhereAnswer answer);
    void whoisElsewhere(const QByteArray &nick);
    // 311 to 318 for `user`; idle time only where this server saw its lines (`withIdle`).
    void sendWhois(const UserInfo &user, bool withIdle);
    void sendNoSuchNickWhois(const QByteArray &nick);
    QByteArray serverOf(const UserInfo &user) const;
    void whoElsewhere(const QByteArray &nick);
    QByteArray whoisChannels(const QList<ChannelMembership> &channels) const;
    void onAway(const Irc::IrcMessage &message);
    void onIson(const Irc::IrcMessage &message);
    void onUserhost(const Irc::IrcMessage &message);
    void onLusers(const Irc::IrcMessage &message);
    void sendLusers();
    void onMotd(const Irc::IrcMessage &message);
    void onVersion(const Irc::IrcMessage &message);
    void onTime(const Irc::IrcMessage &message);
    void onInfo(const Irc::IrcMessage &message);
    static QByteArray versionString();

    // Server operators, user modes and WHOWAS (ircsession_operators.cpp)
    void onOper(const Irc::IrcMessage &message);
    void operatorChecked(const QByteArray &name, bool accepted);
    void onKill(const Irc::IrcMessage &message);
    void killElsewhere(const QByteArray &nick, const QByteArray &reason);
    void onWallops(const Irc::IrcMessage &message);
    bool checkOperator();
    void userMode(const Irc::IrcMessage &message);
    void setUserModes(const UserModes &modes);
    void onWhowas(const Irc::IrcMessage &message);

    // Accounts (ircsession_accounts.cpp): REGISTER, VERIFY, SASL PLAIN and the nicks that
    // belong to accounts. The password work and the database answer on other threads; the
    // outcome comes back through this client's mailbox.
    enum class LoginOutcome { Accepted, Refused, Unavailable };
    void onRegister(const Irc::IrcMessage &message);
    void onVerify(const Irc::IrcMessage &message);
    void accountCreated(const QByteArray &account, const Storage::Result &result);
    void onAuthenticate(const Irc::IrcMessage &message);
    void saslData(const QByteArray &chunk);
    void saslPayloadComplete();
    void startLoginCheck();
    void loginChecked(quint64 attempt, LoginOutcome outcome, const QByteArray &account);
    void announceLoginOutcome(LoginOutcome outcome, const QByteArray &asked,
                              const QByteArray &account);
    void endSasl(const char *code, QByteArrayView text);
    void abortSaslOnCapEnd();
    bool saslHoldsRegistration() const;
    // While the store or a password check decides a NICK or the end of registration, the
    // client's next lines wait (in the buffers, then the kernel), so that they are handled in
    // order: a JOIN right after CAP END, a PRIVMSG right after NICK.
    bool inputHeld() const;
    void resumeInput();
    void checkSaslTimer(qint64 nowMs);
    void logIn(const QByteArray &account);
    void announceJoin(Audience &members, const QByteArray &channel);
    // A nick equal to an account's name is that account's: the store is asked each time (no
    // cache, so servers sharing a database agree), when registration completes and on NICK.
    enum class NickOwner { Free, Owned, Unknown };
    bool ownsNick(const QByteArray &nick) const;
    bool nickChecked() const;
    void lookUpNickOwner(const QByteArray &nick);
    void nickOwnerFound(quint64 lookup, const QByteArray &nick, NickOwner owner);
    void refuseOwnedNick(const QByteArray &nick, NickOwner owner);
    void failRegister(QByteArrayView code, const QByteArray &account, QByteArrayView text);
    // labeled-response for REGISTER and AUTHENTICATE, whose answers come later: the label is
    // kept (deferLabel) and what `answer` sends then goes out under it.
    QByteArray deferLabel();
    void answerLabeled(const QByteArray &label, const std::function<void()> &answer);
    bool accountsEnabled() const; // a server without a store has no accounts

    // IRCv3: capabilities, tags, labeled responses (ircsession_caps.cpp)
    void onCap(const Irc::IrcMessage &message);
    void capLs(const QByteArray &version);
    void capReq(const QByteArray &list);
    Irc::Capabilities availableCapabilities() const;
    void sendCapList(const QByteArray &subcommand, const QList<QByteArray> &tokens);
    void applyCapabilities(Irc::Capabilities capabilities);
    bool has(Irc::Capability capability) const { return capabilities().testFlag(capability); }
    void onTagmsg(const Irc::IrcMessage &message);
    void onSetname(const Irc::IrcMessage &message);
    void announceAway(const QByteArray &text);
    void announceAwayOnJoin(const Audience &members);
    void notifyInvite(const QByteArray &channel, const QByteArray &line);
    bool checkLineLength(const Irc::TaggedLine &line);
    void replyToNul(const QByteArray &line);
    void dispatchLabeled(const Irc::IrcMessage &message, const QByteArray &label);
    void sendLabeled(const QByteArray &label, const QList<TaggedOutput> &replies);
    ChatStamp stampChat() const;
    // Whether relayed lines get tags: a client here asked for some, or the server is a node.
    bool tagsWanted() const;
    // A relayed event (JOIN, MODE, ...): a time stamp for those who asked. A chat line (PRIVMSG,
    // NOTICE, TAGMSG) also gets a msgid and the sender's client-only tags, from `stamp` when the
    // line is stored too (so that history and recipients agree on them).
    OutgoingLine eventLine(const QByteArray &line, Irc::Capabilities required = {}) const;
    OutgoingLine chatLine(const QByteArray &line, Irc::Capabilities required = {},
                          const ChatStamp *stamp = nullptr) const;
    // To this client, in the variant its capabilities ask for (echo-message, our own JOIN).
    void sendOutgoing(const OutgoingLine &line);
    // A standard reply: `FAIL <command> <code> [context...] :description`.
    void fail(QByteArrayView command, QByteArrayView code,
              std::initializer_list<QByteArrayView> params);

    // Replies
    void numeric(const char *code, std::initializer_list<QByteArrayView> params);
    void sendNumeric(const char *code, const QList<QByteArray> &params);
    QByteArray target() const;
    const QByteArray &serverName() const;
    void sendError(Registry::Status status, const QByteArray &name, const QByteArray &other = {});

    ServerContext &m_context;
    Irc::LineSplitter m_splitter;
    FloodBucket m_flood;
    qint64 m_pingSentMs = -1; // outstanding while later than the last input
    bool m_throttled = false; // out of flood tokens: input waits in the buffers
    QByteArray m_nick, m_user, m_realname, m_password;
    QByteArray m_claimingNick; // asked of the cluster, not answered yet
    // Folded channels whose JOIN waits for the cluster's answer (input held meanwhile).
    QList<QByteArray> m_channelEntries;
    QByteArray m_prefix; // nick!user@host, cached: every relayed line starts with it
    ActivityClock m_lastMessageMs; // for WHOIS's idle time
    bool m_registered = false;
    bool m_capNegotiating = false;
    UserModes m_modes;
    // OPER: one password check at a time; after a failure the next waits a while.
    bool m_operatorCheckPending = false;
    int m_failedOperAttempts = 0;
    qint64 m_nextOperAttemptMs = 0;
    // IRCv3
    Irc::MessageTags m_inputTags; // of the command being handled
    QByteArray m_away; // for away-notify on JOIN
    quint32 m_batches = 0; // labeled-response and chathistory batch references
    QByteArray m_commandLabel; // labeled-response: the label of the command being handled
    bool m_replyDeferred = false; // that command is answered later, label and all
    bool m_capVersion302 = false; // cap-notify is then on for good
    // Accounts
    QByteArray m_account; // logged in to, as registered; empty: not logged in
    bool m_accountCreationPending = false; // REGISTER: hashing and storing
    QByteArray m_registerLabel; // labeled-response: the pending REGISTER's label
    struct SaslExchange
    {
        enum class Step { Idle, Receiving, Waiting, Checking };
        Step step = Step::Idle;
        QByteArray data; // base64, collected from 400-byte chunks
        QByteArray account, password; // while Waiting: the attempt held back by the throttle
        qint64 startAtMs = 0; // Waiting: when the check may start
        quint64 attempt = 0; // a verdict for an earlier (aborted) attempt is ignored
        QByteArray label; // labeled-response: the label of the payload's last line
    };
    SaslExchange m_sasl;
    QByteArray m_nickCheckedFree; // folded: no account owns it (registration may complete)
    quint64 m_nickLookups = 0; // the latest owner lookup; older answers are ignored
    QByteArray m_nickLookingUp; // folded: the nick whose owner is being looked up, if any
};

} // namespace Server
