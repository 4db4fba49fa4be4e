#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QHash>
#include <QList>
#include <QVarLengthArray>

#include <memory>
#include <optional>
#include <shared_mutex>

namespace Server {

class Mailbox;

// The members of a channel (or a user's peers) served by one thread. `ids` is an implicitly
// shared copy of the registry's own list, so building an audience allocates nothing per member.
struct MemberGroup
{
    std::shared_ptr<Mailbox> mailbox;
    QList<quint32> ids;
};
using Audience = QVarLengthArray<MemberGroup, 4>;

struct MemberView
{
    QByteArray nick, user, host, realname;
    bool op = false;
};

struct ChannelView
{
    QByteArray name, topic, topicSetter;
    qint64 topicTime = 0, created = 0;
    QList<MemberView> members; // in join order
};

struct ChannelSummary
{
    QByteArray name, topic;
    int members = 0;
};

// Nicknames and channels, shared by every serving thread. Every call is atomic under one
// read-write lock; the hot path (a channel message) only reads. The lock is a
// std::shared_mutex rather than a QReadWriteLock so that ThreadSanitizer, which cannot see
// into Debian's uninstrumented Qt, checks the registry's own tests for real.
class Registry
{
public:
    enum class Status {
        Ok,
        NickInUse,
        NoSuchChannel,
        NotOnChannel,
        AlreadyOnChannel,
        NoSuchNick,
        TooManyChannels,
    };

    // A client may be on at most `maxChannelsPerClient` channels at once; 0: no cap.
    explicit Registry(int maxChannelsPerClient = 0) : m_maxChannelsPerClient(maxChannelsPerClient)
    { }

    void addClient(quint32 id, std::shared_ptr<Mailbox> mailbox, const QByteArray &host);
    // Removes the client from every channel; `peers` are those who shared one with it.
    void removeClient(quint32 id, Audience *peers);

    Status reserveNick(quint32 id, const QByteArray &nick);
    void completeRegistration(quint32 id, const QByteArray &user, const QByteArray &realname);
    // A registered client's nick change; `peers` excludes the client itself.
    Status changeNick(quint32 id, const QByteArray &nick, QByteArray *oldPrefix, Audience *peers);
    QByteArray prefixOf(quint32 id) const;

    // `members` includes the joiner; `view` is the channel as the joiner sees it afterwards.
    // TooManyChannels when the client is already on as many channels as allowed.
    Status join(quint32 id, const QByteArray &name, Audience *members, ChannelView *view);
    Status part(quint32 id, const QByteArray &name, Audience *members, QByteArray *channelName);
    QList<QByteArray> channelsOf(quint32 id) const;

    // The hot path: who receives a line the client says in a channel.
    Status channelAudience(quint32 id, const QByteArray &name, Audience *members,
                           QByteArray *channelName = nullptr) const;
    std::optional<MemberGroup> findNick(const QByteArray &nick,
                                        QByteArray *exactNick = nullptr) const;
    std::optional<MemberView> userView(const QByteArray &nick) const;

    Status setTopic(quint32 id, const QByteArray &name, const QByteArray &topic, Audience *members,
                    QByteArray *channelName);
    std::optional<ChannelView> channelView(const QByteArray &name) const;
    bool isChannelOperator(quint32 id, const QByteArray &name) const;
    QList<ChannelSummary> listChannels() const;
    int clientCount() const;

private:
    struct Client
    {
        QByteArray nick, user, host, realname;
        std::shared_ptr<Mailbox> mailbox;
        QList<QByteArray> channels; // folded names
        bool registered = false;
        QByteArray prefix() const;
    };
    struct Channel
    {
        QByteArray name, topic, topicSetter;
        qint64 topicTime = 0, created = 0;
        QList<quint32> members; // join order
        QList<quint32> operators;
        QList<MemberGroup> groups; // members by serving thread
    };

    // The caller holds the lock; the client is null unless `nick` names a registered one.
    std::pair<quint32, const Client *> registeredClient(const QByteArray &nick) const;
    void addMember(Channel &channel, quint32 id, const Client &client);
    void removeMember(const QByteArray &key, quint32 id);
    void collectPeers(quint32 id, const Client &client, Audience *peers) const;
    ChannelView viewOf(const Channel &channel) const;
    static void appendGroups(const Channel &channel, Audience *audience);

    const int m_maxChannelsPerClient;
    mutable std::shared_mutex m_lock;
    QHash<quint32, Client> m_clients;
    QHash<QByteArray, quint32> m_nicks; // folded nick -> client
    QHash<QByteArray, Channel> m_channels; // folded name -> channel
};

} // namespace Server
