#pragma once

#include "clientlib/batchtracker.h"
#include "clientlib/capnegotiation.h"
#include "clientlib/chatmessage.h"
#include "clientlib/clientsettings.h"
#include "clientlib/queryresults.h"
#include "clientlib/querytracker.h"

#include "protocol/ircmessage.h"
#include "protocol/isupport.h"
#include "protocol/messagetags.h"
#include "protocol/modes.h"

#include <QDateTime>
#include <QHash>
#include <QObject>

namespace Client {

class ChannelModel;

// The protocol side of a ChatClient: registration (CAP negotiation, PASS, NICK with
// fallbacks, USER), what the server tells us (005, JOIN, PART, KICK, QUIT, NICK, TOPIC, MODE,
// NAMES, AWAY, INVITE, chat, CTCP, WHOIS, LIST, WHO, ban lists) and what the user asks for,
// turned into lines. It owns no socket: lines come in through receive() and go out through
// lineReady(), so it can be driven line by line in a test. The channels it learns about are
// written to a ChannelModel.
class ClientSession : public QObject
{
    Q_OBJECT

public:
    // Paced lines wait their turn; urgent ones (PONG) go ahead of them; background ones (the
    // queries the client makes on its own) wait until no paced line does.
    enum class Urgency { Paced, Urgent, Background };
    Q_ENUM(Urgency)

    explicit ClientSession(ChannelModel *channels, QObject *parent = nullptr);

    // Who we are and which channels to join, for every connection from now on.
    void configure(const ClientSettings &settings);
    const ClientSettings &settings() const { return m_settings; }
    // The account to log in to on every connection from now on; empty: none.
    void setCredentials(const QString &account, const QString &password);

    // A connection is being opened: forget everything the last one told us.
    void reset();
    // The connection is up: register.
    void start();
    void receive(const QByteArray &line);
    // The connection is gone: the channels with it.
    void end();
    // The QUIT line to close with. Marks the session as leaving, so that the server's
    // ERROR is news, not a failure.
    QByteArray quit(const QString &reason);

    bool isActive() const { return m_phase != Phase::Offline; }
    bool isRegistered() const { return m_phase == Phase::Registered; }
    QByteArray nick() const { return m_nick; }
    QString serverName() const { return m_serverName; }
    const Irc::ISupport &serverSupport() const { return m_support; }
    bool sameName(const QString &a, const QString &b) const;
    // The IRCv3 capabilities in use on this connection, sorted.
    QStringList enabledCapabilities() const;
    bool hasCapability(QByteArrayView name) const { return m_caps.isEnabled(name); }
    // What the server offers (CAP LS 302 values, e.g. `sasl` -> `PLAIN`).
    const QMap<QByteArray, QByteArray> &offeredCapabilities() const { return m_caps.offered(); }
    // As the server last confirmed (306 away, 305 back).
    bool isAway() const { return m_away; }
    // The account we are logged in to (900, account-notify, REGISTER SUCCESS); empty: none.
    QString account() const { return m_account; }
    // Whether the server takes REGISTER (it offers draft/account-registration).
    bool canRegisterAccount() const;

    // Joined now when registered, otherwise after registration; remembered for reconnects.
    void join(const QString &channel, const QString &key);
    void part(const QString &channel, const QString &reason);
    // `command` is PRIVMSG or NOTICE. Line breaks make several messages; long lines are cut
    // so that each piece still fits 512 bytes once the server adds our `:nick!user@host`.
    void sendChat(QByteArrayView command, const QString &target, const QString &text, bool action);
    void changeNick(const QString &nick);
    void setTopic(const QString &channel, const QString &topic);
    void requestNames(const QString &channel);
    // AWAY with `message`; an empty one says we are back.
    void setAway(const QString &message);
    // SETNAME, when the server offers it.
    void setRealName(const QString &realName);
    // Answered by whoisReceived (and by nothing in the status view).
    void requestWhois(const QString &nick);
    // draft/chathistory: the lines of `target` before the one with msgid `beforeId`, as
    // historyReceived(). False when the server keeps no history for us.
    bool requestOlderHistory(const QString &target, const QString &beforeId);
    bool hasHistory() const;
    // The latest lines of our private conversation with `nick`, as historyReceived(). False
    // when not asked: no history, not logged in to an account (the server keeps private lines
    // only between accounts), or not a nick.
    bool requestConversationHistory(const QString &nick);
    // LIST [mask]; answered by channelListReceived.
    void requestChannelList(const QString &mask = QString());
    // MODE lines for `changes`, as many as the server's MODES needs. Refused whole (with
    // errorOccurred) when a parameter could not travel in one.
    void changeModes(const QString &channel, const QList<Irc::ModeChange> &changes);
    // MODE #channel +b; answered by banListChanged, after which the channel's bans() are known.
    void requestBanList(const QString &channel);
    // REGISTER of an account named for our current nick, without an email address; answered
    // by accountRegistered or accountRegistrationFailed. On success the account and password
    // become the settings' own, so that a reconnect logs in.
    void registerAccount(const QString &password);
    // Lines as typed after /quote; a QUIT among them is handed to quitRequested(). Their
    // replies are shown as status lines and parsed like any others.
    void sendRaw(const QByteArray &lines);

Q_SIGNALS:
    void lineReady(const QByteArray &line, ClientSession::Urgency urgency);
    void registered(const QString &nick);
    // Registration was refused in a way that retrying would meet again.
    void failed(const QString &message);
    void quitRequested(const QString &reason);
    void capabilitiesChanged(const QStringList &enabled);
    // `time` is when the server says it happened (server-time), else when we heard of it.
    void joined(const QString &channel, const QString &nick, bool self, const QDateTime &time);
    void parted(const QString &channel, const QString &nick, const QString &reason, bool self,
                const QDateTime &time);
    void kicked(const QString &channel, const QString &nick, const QString &by,
                const QString &reason, bool self, const QDateTime &time);
    void userQuit(const QString &nick, const QString &reason, const QStringList &channels,
                  const QDateTime &time);
    void nickChanged(const QString &oldNick, const QString &newNick, bool self,
                     const QDateTime &time);
    void topicChanged(const QString &channel, const QString &topic, const QString &setBy,
                      const QDateTime &time);
    void namesChanged(const QString &channel);
    // A MODE line: `modes` is its mode string and parameters ("+ov bob carol"); `target` a
    // channel or our nick.
    void modeChanged(const QString &target, const QString &setBy, const QString &modes,
                     const QDateTime &time);
    // The channel's modes() (324 or a MODE line) changed.
    void channelModesChanged(const QString &channel);
    // The channel's bans() changed, or were listed (368).
    void banListChanged(const QString &channel);
    // `nick` went away (with `message`) or came back; for ourselves on 305/306.
    void awayChanged(const QString &nick, bool away, const QString &message, const QDateTime &time);
    // `nick` was invited to `channel` (by us seeing it: we, or with invite-notify anyone).
    void invited(const QString &channel, const QString &nick, const QString &by, bool self,
                 const QDateTime &time);
    void realNameChanged(const QString &nick, const QString &realName, const QDateTime &time);
    void whoisReceived(const Client::WhoisInfo &info);
    void channelListReceived(const QList<Client::ChannelListEntry> &channels);
    void messageReceived(const Client::ChatMessage &message);
    // A draft/chathistory answer: the lines of `target`, oldest first (LATEST after our JOIN,
    // or what requestOlderHistory() asked for); none when there are no more.
    void historyReceived(const QString &target, const QList<Client::ChatMessage> &messages);
    // After registration while logged in to an account: the private conversations with lines
    // in the last days, oldest activity first (CHATHISTORY TARGETS).
    void recentConversationsReceived(const QList<Client::RecentConversation> &conversations);
    void serverError(int numeric, const QString &text);
    void errorOccurred(const QString &message);
    void statusMessage(const QString &text);
    // Our account: logged in (SASL's 900, account-notify, a registration), or out (empty).
    void accountChanged(const QString &account);
    // The account in the settings could not be logged in to; registration goes on without it.
    void loginFailed(const QString &reason);
    void accountRegistered(const QString &account);
    void accountRegistrationFailed(const QString &reason);
    // A member's account, from extended-join or account-notify; empty: logged out.
    void memberAccountChanged(const QString &nick, const QString &account);

private:
    enum class SaslStep { Idle, MechanismSent, ResponseSent, Done };

    struct HistoryBatch
    {
        QString target;
        QList<ChatMessage> messages;
        bool listsTargets = false; // draft/chathistory-targets: `conversations`, no messages
        QList<RecentConversation> conversations;
    };

    void trackHistoryBatch(const Irc::IrcMessage &batch);
    HistoryBatch *historyBatchOfLine();
    void requestLatestHistory(const QString &channel);
    void requestRecentConversations();
    void handleChatHistory(const Irc::IrcMessage &message);
    void finishHistoryBatch(const HistoryBatch &batch);
    int historyPageLines() const;
    enum class Phase { Offline, Registering, Registered };
    using Handler = void (ClientSession::*)(const Irc::IrcMessage &);
    using Query = QueryTracker::Query;
    static const QHash<QByteArray, Handler> &handlers();
    static const QHash<QByteArray, Handler> &replyParsers();

    // Incoming lines.
    void beginLine(const QByteArray &line);
    void dispatch(const Irc::IrcMessage &message);
    void finishLabel(const QByteArray &label);
    void handleReply(const Irc::IrcMessage &message);
    void showReply(const Irc::IrcMessage &message);
    void handleCap(const Irc::IrcMessage &message);
    void handlePing(const Irc::IrcMessage &message);
    void handleError(const Irc::IrcMessage &message);
    void handleJoin(const Irc::IrcMessage &message);
    void handlePart(const Irc::IrcMessage &message);
    void handleKick(const Irc::IrcMessage &message);
    void handleQuit(const Irc::IrcMessage &message);
    void handleNick(const Irc::IrcMessage &message);
    void handleTopic(const Irc::IrcMessage &message);
    void handleMode(const Irc::IrcMessage &message);
    void handleAway(const Irc::IrcMessage &message);
    void handleInvite(const Irc::IrcMessage &message);
    void handleSetName(const Irc::IrcMessage &message);
    void handleChat(const Irc::IrcMessage &message);
    void handleAuthenticate(const Irc::IrcMessage &message);
    void handleAccount(const Irc::IrcMessage &message);
    void handleRegister(const Irc::IrcMessage &message);
    void handleFail(const Irc::IrcMessage &message);
    void parseSaslReply(const Irc::IrcMessage &message);
    void startAuthentication();
    void finishAuthentication(const QString &failure);
    void setAccount(const QString &account);
    bool wantsLogin() const;
    QString noSaslReason() const;
    void handleCtcpQuery(const Irc::IrcMessage &message, const QByteArray &command,
                         const QByteArray &body);
    void handleWelcome(const Irc::IrcMessage &message);
    void handleISupport(const Irc::IrcMessage &message);
    void handleTopicReply(const Irc::IrcMessage &message);
    void handleNoTopicReply(const Irc::IrcMessage &message);
    void applyTopic(const QByteArray &channel, const QString &topic, const QString &setBy);
    void handleNamesReply(const Irc::IrcMessage &message);
    void handleEndOfNames(const Irc::IrcMessage &message);
    void completeRegistration();
    void retryNick(const Irc::IrcMessage &message);
    void fail(const QString &message);

    // Replies that are parsed into state or results (and also shown, unless asked quietly).
    void parseWhoisLine(const Irc::IrcMessage &message);
    void parseEndOfWhois(const Irc::IrcMessage &message);
    void parseAwayReply(const Irc::IrcMessage &message);
    void parseNotFound(const Irc::IrcMessage &message);
    void parseListLine(const Irc::IrcMessage &message);
    void parseEndOfList(const Irc::IrcMessage &message);
    void parseChannelModes(const Irc::IrcMessage &message);
    void parseCreationTime(const Irc::IrcMessage &message);
    void parseBanLine(const Irc::IrcMessage &message);
    void parseEndOfBans(const Irc::IrcMessage &message);
    void parseWhoLine(const Irc::IrcMessage &message);
    void parseEndOfWho(const Irc::IrcMessage &message);
    void parseOwnAway(const Irc::IrcMessage &message);
    Query *queryFor(QueryTracker::Kind kind, QByteArrayView target, bool createIfMissing);
    void takeQuery(Query *query);
    void emitResult(const Query &query);
    void applyModeChanges(const QString &channel, const QList<Irc::ModeChange> &changes,
                          const QString &setBy);
    // `alwaysAnnounce`: awayChanged even when the state is as we knew it (away-notify, 305/306).
    void applyAway(const QString &nick, bool away, const QString &message, bool alwaysAnnounce);
    Irc::ChannelModeTypes modeTypes() const;

    // Outgoing lines.
    void sendRegistration();
    void send(QByteArrayView command, std::initializer_list<QByteArrayView> params,
              Urgency urgency = Urgency::Paced);
    Urgency unpacedWhileRegistering(Urgency urgency) const;
    void sendLines(const QList<QByteArray> &lines);
    // A query whose replies are paired with it, by label when the server supports that.
    void sendQuery(Query query, QByteArrayView command,
                   std::initializer_list<QByteArrayView> params, Urgency urgency);
    bool usesLabels() const;
    void queryNewChannel(const QString &channel);
    qsizetype bodyBudget(QByteArrayView command, QByteArrayView target) const;
    void emitOwnMessage(const QString &target, const QByteArray &body, bool notice, bool action);
    bool checkParameter(const QString &value, const QString &what, bool allowEmpty = false);

    // Channels to (re)join.
    QByteArray fold(QByteArrayView name) const;
    bool isMe(QByteArrayView nick) const;
    void rememberChannel(const QString &channel, const QString &key = QString());
    void forgetChannel(const QString &channel);
    void joinRememberedChannels();

    ChannelModel *m_channels;
    ClientSettings m_settings;
    Phase m_phase = Phase::Offline;
    Irc::ISupport m_support;
    CapNegotiation m_caps;
    BatchTracker m_batches;
    QHash<QByteArray, HistoryBatch> m_historyBatches; // open chathistory batches, by reference
    QueryTracker m_queries;
    QList<QPair<QString, QString>> m_wantedChannels; // name, key: joined after registration
    QByteArray m_nick;
    QString m_serverName;
    int m_nickAttempt = 0;
    quint64 m_nextLabel = 0;
    bool m_away = false;
    bool m_leaving = false; // we sent QUIT, or gave up
    QString m_account;
    SaslStep m_saslStep = SaslStep::Idle;
    QString m_registeringPassword; // REGISTER sent, no answer yet

    // The line being handled.
    Irc::MessageTags m_lineTags;
    QDateTime m_lineTime; // its server-time, else when it arrived
    QByteArray m_lineLabel; // the label it answers, if any
    bool m_lineQuiet = false; // it answers a quiet query: no status line
    // A quiet 324 is followed by its 329: the channel, for the next line only.
    QByteArray m_quietModesChannel;
    QByteArray m_previousQuietModes;
};

} // namespace Client
