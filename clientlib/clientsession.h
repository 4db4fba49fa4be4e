#pragma once

#include "clientlib/chatmessage.h"
#include "clientlib/clientsettings.h"

#include "protocol/ircmessage.h"
#include "protocol/isupport.h"

#include <QHash>
#include <QObject>

namespace Client {

class ChannelModel;

// The protocol side of a ChatClient: registration (CAP, PASS, NICK with fallbacks, USER),
// what the server tells us (005, JOIN, PART, KICK, QUIT, NICK, TOPIC, MODE, NAMES, chat,
// CTCP) and what the user asks for, turned into lines. It owns no socket: lines come in
// through receive() and go out through lineReady(), so it can be driven line by line in a
// test. The channels it learns about are written to a ChannelModel.
class ClientSession : public QObject
{
    Q_OBJECT

public:
    // Paced lines wait their turn; urgent ones (PONG) go ahead of them.
    enum class Urgency { Paced, Urgent };
    Q_ENUM(Urgency)

    explicit ClientSession(ChannelModel *channels, QObject *parent = nullptr);

    // Who we are and which channels to join, for every connection from now on.
    void configure(const ClientSettings &settings);
    const ClientSettings &settings() const { return m_settings; }

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

    // Joined now when registered, otherwise after registration; remembered for reconnects.
    void join(const QString &channel, const QString &key);
    void part(const QString &channel, const QString &reason);
    // `command` is PRIVMSG or NOTICE. Line breaks make several messages; long lines are cut
    // so that each piece still fits 512 bytes once the server adds our `:nick!user@host`.
    void sendChat(QByteArrayView command, const QString &target, const QString &text, bool action);
    void changeNick(const QString &nick);
    void setTopic(const QString &channel, const QString &topic);
    void requestNames(const QString &channel);
    // Lines as typed after /quote; a QUIT among them is handed to quitRequested().
    void sendRaw(const QByteArray &lines);

Q_SIGNALS:
    void lineReady(const QByteArray &line, ClientSession::Urgency urgency);
    void registered(const QString &nick);
    // Registration was refused in a way that retrying would meet again.
    void failed(const QString &message);
    void quitRequested(const QString &reason);
    void joined(const QString &channel, const QString &nick, bool self);
    void parted(const QString &channel, const QString &nick, const QString &reason, bool self);
    void kicked(const QString &channel, const QString &nick, const QString &by,
                const QString &reason, bool self);
    void userQuit(const QString &nick, const QString &reason, const QStringList &channels);
    void nickChanged(const QString &oldNick, const QString &newNick, bool self);
    void topicChanged(const QString &channel, const QString &topic, const QString &setBy);
    void namesChanged(const QString &channel);
    void messageReceived(const ChatMessage &message);
    void serverError(int numeric, const QString &text);
    void errorOccurred(const QString &message);
    void statusMessage(const QString &text);

private:
    enum class Phase { Offline, Registering, Registered };
    using Handler = void (ClientSession::*)(const Irc::IrcMessage &);
    static const QHash<QByteArray, Handler> &handlers();

    // Incoming lines.
    void handleReply(const Irc::IrcMessage &message);
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
    void handleTopicReply(const Irc::IrcMessage &message);
    void handleNoTopicReply(const Irc::IrcMessage &message);
    void applyTopic(const QByteArray &channel, const QString &topic, const QString &setBy);
    void handleNamesReply(const Irc::IrcMessage &message);
    void handleEndOfNames(const Irc::IrcMessage &message);
    void completeRegistration();
    void retryNick(const Irc::IrcMessage &message);
    void fail(const QString &message);

    // Outgoing lines.
    void sendRegistration();
    void send(QByteArrayView command, std::initializer_list<QByteArrayView> params);
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
    QList<QPair<QString, QString>> m_wantedChannels; // name, key: joined after registration
    QByteArray m_nick;
    QString m_serverName;
    int m_nickAttempt = 0;
    bool m_capEndSent = false;
    bool m_leaving = false; // we sent QUIT, or gave up
};

} // namespace Client
