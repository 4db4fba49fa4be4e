#pragma once

#include "protocol/modes.h"
#include "serverlib/whowashistory.h"

#include <QByteArray>
#include <QDateTime>
#include <QHash>
#include <QList>
#include <QVarLengthArray>

#include <atomic>
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
    bool voice = false;
    QByteArray account = {}; // empty: not logged in
};

struct ChannelModes
{
    bool inviteOnly = false, moderated = false, noExternal = true, topicLocked = true;
    bool secret = false;
    QByteArray key; // empty: none
    int limit = 0; // 0: none

    // The parameters of 324: `+intk key`; the key only for members.
    QList<QByteArray> describe(bool withKey) const;
};

struct BanEntry
{
    QByteArray mask, setter;
    qint64 time = 0;
};

struct ChannelView
{
    QByteArray name, topic, topicSetter;
    qint64 topicTime = 0, created = 0;
    QList<MemberView> members; // in join order
    ChannelModes modes;
    bool viewerIsMember = false;
};

// What one MODE line changed, and why the rest did not apply.
struct ModeOutcome
{
    enum class Refusal { NoSuchNick, UserNotInChannel, InvalidParam, BanListFull };
    QByteArray channelName;
    QList<Irc::ModeChange> applied;
    QList<std::pair<Refusal, Irc::ModeChange>> refused;
};

// A user as WHOIS, WHO and USERHOST show it to one viewer.
struct ChannelMembership
{
    QByteArray name;
    bool op = false;
    bool voice = false;
};

struct UserInfo
{
    QByteArray nick, user, host, realname, away;
    QByteArray account; // empty: not logged in
    bool serverOperator = false;
    qint64 signOnSecs = 0, lastMessageMs = 0;
    QList<ChannelMembership> channels; // secret ones only if the viewer is on them too
    QByteArray server; // its server's name for a user of another server; empty: this one
};

struct ServerCounts
{
    int users = 0, invisible = 0, unregistered = 0, operators = 0, channels = 0, peakUsers = 0;
};

// A user's own modes (MODE nick): +i invisible, +w receives WALLOPS, +o server operator.
struct UserModes
{
    bool invisible = false, wallops = false, serverOperator = false;

    QByteArray letters() const; // "+iwo", "+" for none
};

// When a client last sent a message, written by its own thread without the registry's lock.
using ActivityClock = std::shared_ptr<std::atomic<qint64>>;

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
        NotChannelOperator,
        BannedFromChannel,
        BadChannelKey,
        ChannelIsFull,
        InviteOnly,
        CannotSend,
        UserNotInChannel,
        UserOnChannel,
        // A client id that addClient() never added (or removeClient() removed): a bug in the
        // caller, asserted in debug builds and logged as critical in every build.
        NoSuchClient,
    };
    static constexpr qsizetype MaxBans = Irc::MaxBans;
    static constexpr qsizetype MaxKeyLength = Irc::MaxKeyLength;

    // A client may be on at most `maxChannelsPerClient` channels at once; 0: no cap. WHOWAS
    // remembers the last `whowasEntries` nicks given up.
    explicit Registry(int maxChannelsPerClient = 0, int whowasEntries = 0)
        : m_maxChannelsPerClient(maxChannelsPerClient), m_whowas(whowasEntries)
    { }

    void addClient(quint32 id, std::shared_ptr<Mailbox> mailbox, const QByteArray &host);
    // A user served by another server of the cluster, registered at once; its lines reach it
    // through `mailbox` (the cluster's bridge). Its own server checked what it does, so the
    // registry lets it join, speak and change a channel as a server operator could.
    Status addRemoteClient(quint32 id, std::shared_ptr<Mailbox> mailbox, const QByteArray &nick,
                           const QByteArray &user, const QByteArray &host,
                           const QByteArray &realname, const QByteArray &server = {});
    // An unregistered client gives up the nick it reserved (the cluster refused it).
    void forgetNick(quint32 id, const QByteArray &nick);
    // Removes the client from every channel; `peers` are those who shared one with it.
    void removeClient(quint32 id, Audience *peers);

    Status reserveNick(quint32 id, const QByteArray &nick);
    // An unregistered client gives its nick up (it belongs to an account it is not logged in to).
    void releaseNick(quint32 id);
    void completeRegistration(quint32 id, const QByteArray &user, const QByteArray &realname);
    // A registered client's nick change; `peers` excludes the client itself.
    Status changeNick(quint32 id, const QByteArray &nick, QByteArray *oldPrefix, Audience *peers);
    QByteArray prefixOf(quint32 id) const;

    // `members` includes the joiner; `view` is the channel as the joiner sees it afterwards.
    // TooManyChannels when the client is already on as many channels as allowed; the channel's
    // ban list, invite-only flag, key and limit are checked in that order. The first member is
    // the channel's operator, unless `mayFound` is false (in a cluster: the channel has members
    // on another server).
    Status join(quint32 id, const QByteArray &name, const QByteArray &givenKey, Audience *members,
                ChannelView *view, bool mayFound = true);
    Status part(quint32 id, const QByteArray &name, Audience *members, QByteArray *channelName);
    QList<QByteArray> channelsOf(quint32 id) const;

    // The hot path: who receives a line the client says in a channel. The sender's right to
    // speak (+n, +m, bans) is checked once, from flags kept per member.
    Status channelAudience(quint32 id, const QByteArray &name, Audience *members,
                           QByteArray *channelName = nullptr) const;
    // `away`: the user's away message, empty when present; `account`: empty when not logged in.
    std::optional<MemberGroup> findNick(const QByteArray &nick, QByteArray *exactNick = nullptr,
                                        QByteArray *away = nullptr,
                                        QByteArray *account = nullptr) const;
    std::optional<UserInfo> userInfo(const QByteArray &nick, quint32 viewer) const;
    // Registered users whose nick, user, host or real name matches `mask`, at most `max`;
    // invisible ones (+i) only if they share a channel with `viewer`, or it is an operator.
    QList<UserInfo> matchUsers(const QByteArray &mask, qsizetype max, quint32 viewer = 0) const;
    void setAway(quint32 id, const QByteArray &message); // empty: back
    ActivityClock activityOf(quint32 id) const;
    ServerCounts counts() const;

    Status setTopic(quint32 id, const QByteArray &name, const QByteArray &topic, Audience *members,
                    QByteArray *channelName);
    // `viewer` decides viewerIsMember.
    std::optional<ChannelView> channelView(const QByteArray &name, quint32 viewer = 0) const;
    std::optional<QList<BanEntry>> banList(const QByteArray &name) const;
    // Everyone on the channel, whoever speaks (a line another server already checked).
    Status channelMembers(const QByteArray &name, Audience *members) const;
    // Whether a member of the channel is served by another mailbox than `except`.
    bool hasMembersOutside(const QByteArray &name, const Mailbox *except) const;
    // Applies what the client may change, all or nothing as to privileges: a channel operator
    // (or a server operator) changes modes, anyone else gets NotChannelOperator.
    Status changeModes(quint32 id, const QByteArray &name, const QList<Irc::ModeChange> &changes,
                       ModeOutcome *outcome, Audience *members);
    // `members` (taken before the target leaves) includes the target.
    Status kick(quint32 id, const QByteArray &name, const QByteArray &nick, Audience *members,
                QByteArray *channelName, QByteArray *exactNick);
    Status invite(quint32 id, const QByteArray &nick, const QByteArray &name, MemberGroup *target,
                  QByteArray *exactNick, QByteArray *channelName);
    // In a cluster, for a nick held on another server: whether the client may invite to the
    // channel (its checks of invite() but the invited user's).
    Status mayInvite(quint32 id, const QByteArray &name, QByteArray *channelName) const;
    // An invitation made on another server, for client `id` of this one: its JOIN is checked
    // here. Nothing when the channel is not known here (nothing here keeps it from joining).
    void addInvitation(quint32 id, const QByteArray &name);
    // Secret channels only for their members.
    QList<ChannelSummary> listChannels(quint32 viewer = 0) const;
    void setUserModes(quint32 id, const UserModes &modes);
    // Those who receive WALLOPS (+w), the sender included if it has +w.
    Audience wallopsAudience() const;
    // The nick's last users (quits and nick changes), newest first, at most `max`.
    QList<WhowasEntry> whowas(const QByteArray &nick, qsizetype max) const;
    int clientCount() const;
    // The nicks of registered users served by another mailbox than `except`.
    QList<QByteArray> nicksOutside(const Mailbox *except) const;

    // IRCv3 notifications (away-notify, setname, invite-notify).
    // Those who share a channel with the client, without the client.
    Audience peersOf(quint32 id) const;
    void setRealname(quint32 id, const QByteArray &realname, Audience *peers);
    // The account the client logged in to; `peers` (if given): who shares a channel with it.
    void setAccount(quint32 id, const QByteArray &account, Audience *peers);
    // The channel's operators, for invite-notify; NoSuchChannel if there is no such channel.
    Status channelOperators(const QByteArray &name, Audience *operators) const;

private:
    struct Client
    {
        QByteArray nick, user, host, realname, away, account;
        std::shared_ptr<Mailbox> mailbox;
        ActivityClock lastMessageMs = std::make_shared<std::atomic<qint64>>(0);
        qint64 signOnSecs = 0;
        QList<QByteArray> channels; // folded names
        bool registered = false;
        bool remote = false; // served by another server of the cluster
        QByteArray server; // that server's name
        UserModes modes;
        QByteArray prefix() const;
        WhowasEntry whowasEntry() const;
    };
    struct MemberState
    {
        bool op = false, voice = false;
        // Whether a ban matches the member: kept up to date on ban and nick changes, so that
        // a message is checked without matching masks.
        bool banned = false;
        bool maySpeak(const ChannelModes &modes) const
        {
            return op || voice || (!banned && !modes.moderated);
        }
    };
    struct Channel
    {
        QByteArray name, topic, topicSetter;
        qint64 topicTime = 0, created = 0;
        QList<quint32> members; // join order
        QHash<quint32, MemberState> states;
        QList<MemberGroup> groups; // members by serving thread
        ChannelModes modes;
        QList<BanEntry> bans;
        QList<quint32> invited; // until they join
    };
    enum class ModeStep { Applied, Unchanged, Refused };
    using Refusal = ModeOutcome::Refusal;

    // The caller holds the lock; the client is null unless `nick` names a registered one.
    std::pair<quint32, const Client *> registeredClient(const QByteArray &nick) const;
    void addMember(Channel &channel, quint32 id, const Client &client);
    void removeMember(const QByteArray &key, quint32 id);
    void collectPeers(quint32 id, const Client &client, Audience *peers) const;
    ChannelView viewOf(const Channel &channel, quint32 viewer = 0) const;
    UserInfo infoOf(const Client &client) const;
    Status joinRefusal(const Channel &channel, quint32 id, const Client &client,
                       const QByteArray &givenKey) const;
    bool isBanned(const Channel &channel, const Client &client) const;
    void refreshBans(Channel &channel);
    bool isServerOperator(quint32 id) const;
    // A server operator, or a remote user whose own server checked its right.
    bool mayOverride(quint32 id) const;
    bool sharesChannel(const Client &client, quint32 viewer) const;
    // Whether `viewer` may see `client` in a WHO mask: not invisible, or sharing a channel.
    bool isVisibleTo(quint32 id, const Client &client, quint32 viewer) const;
    void countModes(const UserModes &modes, int change); // +1 or -1 on the running totals
    bool mayModerate(const Channel &channel, quint32 id) const;
    // Each may rewrite the change's parameter to what is announced (the exact nick, the mask).
    ModeStep applyMode(Channel &channel, const Client &setter, Irc::ModeChange &change,
                       Refusal *refusal);
    ModeStep applyMemberMode(Channel &channel, Irc::ModeChange &change, Refusal *refusal);
    ModeStep applyBan(Channel &channel, const Client &setter, Irc::ModeChange &change,
                      Refusal *refusal);
    static ModeStep applyFlag(ChannelModes &modes, const Irc::ModeChange &change);
    static ModeStep applyKey(ChannelModes &modes, Irc::ModeChange &change, Refusal *refusal);
    static ModeStep applyLimit(ChannelModes &modes, Irc::ModeChange &change, Refusal *refusal);
    static void appendGroups(const Channel &channel, Audience *audience);

    const int m_maxChannelsPerClient;
    mutable std::shared_mutex m_lock;
    QHash<quint32, Client> m_clients;
    QHash<QByteArray, quint32> m_nicks; // folded nick -> client
    QHash<QByteArray, Channel> m_channels; // folded name -> channel
    WhowasHistory m_whowas;
    int m_registeredUsers = 0, m_peakUsers = 0;
    int m_invisibleUsers = 0, m_operators = 0; // set only on registered clients (MODE, OPER)
};

} // namespace Server
