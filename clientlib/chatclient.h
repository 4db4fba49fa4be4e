#pragma once

#include "clientlib/channelstate.h"
#include "clientlib/chatmessage.h"
#include "clientlib/clientsettings.h"
#include "clientlib/reconnectbackoff.h"
#include "clientlib/sendqueue.h"

#include "protocol/ircmessage.h"
#include "protocol/isupport.h"
#include "protocol/linesplitter.h"

#include <QHash>
#include <QObject>
#include <QSslSocket>
#include <QTimer>

namespace Client {

// An IRC client connection for a GUI or a bot. Fully asynchronous: every method returns at
// once and results arrive as signals in the thread that owns the client. It registers,
// tracks the channels it is in, answers PING, paces what it sends and reconnects with
// exponential backoff when a connection drops without the user asking.
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
    QString serverName() const { return m_serverName; }
    const ClientSettings &settings() const { return m_settings; }
    const Irc::ISupport &serverSupport() const { return m_support; }

    // Channels we are in, as the server spelled them.
    QStringList channels() const;
    bool isJoined(const QString &channel) const;
    // A copy; empty (no name) when we are not in `channel`. Lookups ignore case as the
    // server's CASEMAPPING says.
    ChannelState channel(const QString &channel) const;
    bool isChannelName(const QString &target) const;
    bool sameName(const QString &a, const QString &b) const;

    void setReconnectDelays(int initialMs, int maxMs);
    bool isReconnectPending() const { return m_reconnectTimer.isActive(); }

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
    // One or more protocol lines, as typed after /quote. QUIT goes through disconnectFromServer.
    void sendRaw(const QByteArray &lines);

Q_SIGNALS:
    void stateChanged(ChatClient::State state);
    void registered(const QString &nick);
    void joined(const QString &channel, const QString &nick, bool self);
    void parted(const QString &channel, const QString &nick, const QString &reason, bool self);
    void kicked(const QString &channel, const QString &nick, const QString &by,
                const QString &reason, bool self);
    // `channels` are the channels we shared with `nick`.
    void userQuit(const QString &nick, const QString &reason, const QStringList &channels);
    void nickChanged(const QString &oldNick, const QString &newNick, bool self);
    void topicChanged(const QString &channel, const QString &topic, const QString &setBy);
    void namesChanged(const QString &channel);
    void messageReceived(const ChatMessage &message);
    // An error numeric (400-599) from the server, e.g. 401 or 433 after registration.
    void serverError(int numeric, const QString &text);
    // A failure the user should see: connection errors, refused registration.
    void errorOccurred(const QString &message);
    // Server information a UI shows in its status view: welcome, MOTD, other numerics.
    void statusMessage(const QString &text);
    void reconnectScheduled(int attempt, int delayMs);
    void lineReceived(const QByteArray &line);
    void lineSent(const QByteArray &line);

private:
    using Handler = void (ChatClient::*)(const Irc::IrcMessage &);
    static const QHash<QByteArray, Handler> &handlers();

    // Connection lifecycle.
    void openConnection();
    void onConnected();
    void onSocketStateChanged(QAbstractSocket::SocketState socketState);
    void onSocketError(QAbstractSocket::SocketError error);
    void onSslErrors(const QList<QSslError> &errors);
    void onReadyRead();
    void onTimeout();
    void onLivenessTimeout();
    void connectionEnded();
    void scheduleReconnect();
    void failFatally(const QString &message);
    void setState(State state);

    // Incoming lines.
    void processLine(const QByteArray &line);
    void dispatch(const Irc::IrcMessage &message);
    void handleNumeric(const Irc::IrcMessage &message);
    void handleRegistrationNumeric(const Irc::IrcMessage &message, int code);
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
    void handleChat(const Irc::IrcMessage &message);
    void handleCtcpQuery(const Irc::IrcMessage &message, const QByteArray &command,
                         const QByteArray &body);
    void handleWelcome(const Irc::IrcMessage &message);
    void handleISupport(const Irc::IrcMessage &message);
    void handleTopicReply(const Irc::IrcMessage &message, bool hasTopic);
    void handleNamesReply(const Irc::IrcMessage &message);
    void handleEndOfNames(const Irc::IrcMessage &message);
    void handleEndOfMotd();
    void retryNick(const Irc::IrcMessage &message);

    // Outgoing lines.
    void sendRegistration();
    void send(QByteArrayView command, std::initializer_list<QByteArrayView> params);
    void writeLine(const QByteArray &line);
    void sendChat(QByteArrayView command, const QString &target, const QString &text, bool action);
    qsizetype bodyBudget(QByteArrayView command, QByteArrayView target) const;
    void emitOwnMessage(const QString &target, const QByteArray &body, bool notice, bool action);
    bool checkParameter(const QString &value, const QString &what, bool allowEmpty = false);

    // Channel bookkeeping.
    QByteArray fold(QByteArrayView name) const;
    bool isMe(QByteArrayView nick) const;
    ChannelState *findChannel(QByteArrayView name);
    void rememberChannel(const QString &channel, const QString &key = QString());
    void forgetChannel(const QString &channel);
    void joinRememberedChannels();

    ClientSettings m_settings;
    State m_state = State::Disconnected;
    Irc::ISupport m_support;
    Irc::LineSplitter m_splitter;
    QHash<QByteArray, ChannelState> m_channels; // by folded name
    QList<QPair<QString, QString>> m_wantedChannels; // name, key: joined after registration
    QByteArray m_nick;
    QString m_serverName;
    int m_nickAttempt = 0;
    bool m_capEndSent = false;
    bool m_userQuit = false;
    bool m_fatal = false;
    bool m_pingOutstanding = false;
    ReconnectBackoff m_backoff;
    QTimer m_reconnectTimer;
    QTimer m_timeout; // connecting, registering, or waiting for the server to close after QUIT
    QTimer m_liveness;
    SendQueue m_sendQueue;
    // Last, so that it is destroyed first, while everything its signals reach still exists.
    QSslSocket m_socket;
};

} // namespace Client
