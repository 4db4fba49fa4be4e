#pragma once

#include "clientlib/channelmodel.h"
#include "clientlib/chatmessage.h"
#include "clientlib/clientconnection.h"
#include "clientlib/clientsession.h"
#include "clientlib/clientsettings.h"

#include "protocol/isupport.h"

#include <QObject>

namespace Client {

// An IRC client connection for a GUI or a bot. Fully asynchronous: every method returns at
// once and results arrive as signals in the thread that owns the client. It registers
// (negotiating the IRCv3 capabilities it understands), tracks the channels it is in (members,
// statuses, away states, modes, bans), answers PING, paces what it sends and reconnects with
// exponential backoff when a connection drops without the user asking. Event times come
// from the server (server-time) when it sends them.
//
// A small facade over three parts: ClientConnection (the socket), ClientSession (the
// protocol) and ChannelModel (the channels and their members, for views).
class ChatClient : public QObject
{
    Q_OBJECT

public:
    enum class State { Disconnected, Connecting, Registering, Connected };
    Q_ENUM(State)

    explicit ChatClient(QObject *parent = nullptr);
    ~ChatClient() override;

    // Drops any current connection (without reconnecting it) and connects anew.
    void connectToServer(const ClientSettings &settings);
    // Sends QUIT, waits briefly for the server to close, and cancels any pending reconnect.
    void disconnectFromServer(const QString &reason = QString());

    State state() const { return m_state; }
    bool isRegistered() const { return m_state == State::Connected; }
    QString nick() const;
    QString serverName() const { return m_session.serverName(); }
    const ClientSettings &settings() const { return m_session.settings(); }
    const Irc::ISupport &serverSupport() const { return m_session.serverSupport(); }
    // The IRCv3 capabilities in use on this connection (e.g. "multi-prefix"), sorted.
    QStringList enabledCapabilities() const { return m_session.enabledCapabilities(); }
    bool hasCapability(const QString &name) const
    {
        return m_session.hasCapability(name.toLatin1());
    }
    // As the server last confirmed it (306/305).
    bool isAway() const { return m_session.isAway(); }
    // The account we are logged in to on this connection; empty: none.
    QString account() const { return m_session.account(); }
    // Whether registerAccount() can be asked now: connected to a server that offers
    // draft/account-registration.
    bool canRegisterAccount() const { return m_session.canRegisterAccount(); }

    // The channels we are in and their members, for views; it empties when the connection ends.
    ChannelModel *channelModel() { return &m_channels; }
    // Channels we are in, as the server spelled them.
    QStringList channels() const { return m_channels.channelNames(); }
    bool isJoined(const QString &channel) const { return m_channels.channel(channel) != nullptr; }
    // A copy; empty (no name) when we are not in `channel`. Lookups ignore case as the
    // server's CASEMAPPING says.
    ChannelState channel(const QString &channel) const;
    bool isChannelName(const QString &target) const;
    bool sameName(const QString &a, const QString &b) const { return m_session.sameName(a, b); }

    void setReconnectDelays(int initialMs, int maxMs);
    bool isReconnectPending() const { return m_connection.isReconnectPending(); }

    // Joined now when registered, otherwise after registration; remembered for reconnects.
    void join(const QString &channel, const QString &key = QString());
    void part(const QString &channel, const QString &reason = QString());
    // Text with line breaks becomes several messages; long lines are split so that each
    // piece still fits 512 bytes after the server adds our `:nick!user@host` prefix.
    void sendMessage(const QString &target, const QString &text);
    void sendAction(const QString &target, const QString &text);
    void sendNotice(const QString &target, const QString &text);
    void changeNick(const QString &nick);
    void setTopic(const QString &channel, const QString &topic);
    void requestNames(const QString &channel);
    // Away with `message`; an empty message: back.
    void setAway(const QString &message);
    // Needs the server's setname capability.
    void setRealName(const QString &realName);
    // Answered by whoisReceived.
    void requestWhois(const QString &nick);
    // The lines of `target` before the one with msgid `beforeId`, as historyReceived(); false
    // when the server keeps no history for us (no draft/chathistory).
    bool requestOlderHistory(const QString &target, const QString &beforeId);
    bool hasHistory() const;
    // The latest lines of the private conversation with `nick`, as historyReceived(): asked
    // when logged in to an account on a server with history; false when not asked.
    bool requestConversationHistory(const QString &nick);
    // Answered by channelListReceived; `mask` as the server understands it (e.g. "#qt*").
    void requestChannelList(const QString &mask = QString());
    // MODE lines for `changes` (e.g. ChannelSettings::modeChanges, banChanges), split as the
    // server's MODES says; the state changes when the server's MODE comes back.
    void changeChannelModes(const QString &channel, const QList<Irc::ModeChange> &changes);
    // Answered by banListChanged; then channel(channel).bans() is the list.
    void requestBanList(const QString &channel);
    // Logs in to `account` with SASL PLAIN, from now on on every connection: connects anew
    // if connected (a connection logs in while it registers), else at the next connection.
    // Answered by loggedIn or loginFailed.
    void logIn(const QString &account, const QString &password);
    // Registers an account named for our current nick (draft/account-registration, no email
    // address). Answered by accountRegistered (then we are logged in to it, and reconnects log
    // in again) or accountRegistrationFailed with the server's reason.
    void registerAccount(const QString &password);
    // One or more protocol lines, as typed after /quote. QUIT goes through disconnectFromServer.
    void sendRaw(const QByteArray &lines);

Q_SIGNALS:
    void stateChanged(ChatClient::State state);
    void registered(const QString &nick);
    void capabilitiesChanged(const QStringList &enabled);
    // `time` (UTC) is when the server says it happened (server-time), else when we heard of it.
    void joined(const QString &channel, const QString &nick, bool self, const QDateTime &time);
    void parted(const QString &channel, const QString &nick, const QString &reason, bool self,
                const QDateTime &time);
    void kicked(const QString &channel, const QString &nick, const QString &by,
                const QString &reason, bool self, const QDateTime &time);
    // `channels` are the channels we shared with `nick`.
    void userQuit(const QString &nick, const QString &reason, const QStringList &channels,
                  const QDateTime &time);
    void nickChanged(const QString &oldNick, const QString &newNick, bool self,
                     const QDateTime &time);
    void topicChanged(const QString &channel, const QString &topic, const QString &setBy,
                      const QDateTime &time);
    // The member list of `channel` changed (members, statuses, away states); channelModel()
    // has the details.
    void namesChanged(const QString &channel);
    // A MODE line: `modes` is "+ov bob carol"; `target` a channel or our nick.
    void modeChanged(const QString &target, const QString &setBy, const QString &modes,
                     const QDateTime &time);
    // channel(channel).modes() changed.
    void channelModesChanged(const QString &channel);
    // channel(channel).bans() changed or was listed.
    void banListChanged(const QString &channel);
    // `nick` went away or came back (ourselves included).
    void awayChanged(const QString &nick, bool away, const QString &message, const QDateTime &time);
    void invited(const QString &channel, const QString &nick, const QString &by, bool self,
                 const QDateTime &time);
    void realNameChanged(const QString &nick, const QString &realName, const QDateTime &time);
    void whoisReceived(const Client::WhoisInfo &info);
    void channelListReceived(const QList<Client::ChannelListEntry> &channels);
    void messageReceived(const ChatMessage &message);
    // Lines from the server's history (draft/chathistory), oldest first: after our JOIN the
    // channel's latest, then what requestOlderHistory() asked for. Empty: no more.
    void historyReceived(const QString &target, const QList<Client::ChatMessage> &messages);
    // After registration while logged in to an account: the private conversations with lines
    // from the last week (at most 20), oldest activity first. Nothing is asked for their lines.
    void recentConversationsReceived(const QList<Client::RecentConversation> &conversations);
    // An error numeric (400-599) from the server, e.g. 401 or 433 after registration.
    void serverError(int numeric, const QString &text);
    // A failure the user should see: connection errors, refused registration.
    void errorOccurred(const QString &message);
    // Server information a UI shows in its status view: welcome, MOTD, other numerics.
    void statusMessage(const QString &text);
    void reconnectScheduled(int attempt, int delayMs);
    // Logged in to `account` (SASL, account-notify or a registration), or out of it while
    // connected; the end of a connection ends its login without loggedOut.
    void loggedIn(const QString &account);
    void loggedOut();
    // The account in the settings was not logged in to (a wrong password, a server without
    // SASL PLAIN); the connection goes on without it.
    void loginFailed(const QString &reason);
    void accountRegistered(const QString &account);
    void accountRegistrationFailed(const QString &reason);
    // A member's account changed (account-notify); empty: logged out.
    void memberAccountChanged(const QString &nick, const QString &account);
    void lineReceived(const QByteArray &line);
    void lineSent(const QByteArray &line);

private:
    void connectSession();
    void connectConnection();
    void onConnecting();
    void onConnected();
    void onRegistered(const QString &nick);
    void onEnded();
    void onFailed(const QString &message);
    void onReconnectScheduled(int attempt, int delayMs);
    void onAccountChanged(const QString &account);
    void onLineReady(const QByteArray &line, ClientSession::Urgency urgency);
    void setState(State state);

    State m_state = State::Disconnected;
    ChannelModel m_channels;
    ClientSession m_session {&m_channels};
    // Last, so that it is destroyed first, while the session and the model still exist.
    ClientConnection m_connection;
};

} // namespace Client
