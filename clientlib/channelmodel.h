#pragma once

#include "clientlib/channelstate.h"

#include "protocol/modes.h"

#include <QAbstractItemModel>

#include <memory>
#include <vector>

namespace Client {

// The channels a client is in and their members, as a tree for views: top-level rows are
// channels (sorted by name), the rows under a channel are its members (highest prefix
// first, then by nick). A view shows one channel's member list by using the channel's index
// as its root. Every change is announced for exactly the rows it touches -- a JOIN is one
// inserted row, a NICK one changed (and perhaps moved) row -- so views keep their selection
// and scroll position and a big channel is never rebuilt.
//
// ClientSession is the only writer; everything else reads.
class ChannelModel : public QAbstractItemModel
{
    Q_OBJECT

public:
    enum Role {
        // A channel's or a member's plain name, without prefixes.
        NameRole = Qt::UserRole + 1,
        // A member's prefix symbols, all of them ("@+").
        PrefixesRole,
        // A channel's topic.
        TopicRole,
        // A channel's modes without lists and statuses ("+klnt").
        ModesRole,
        // Whether a member is away (bool).
        AwayRole,
        // A member's account (extended-join, account-notify); empty: none known.
        AccountRole,
    };
    Q_ENUM(Role)

    explicit ChannelModel(QObject *parent = nullptr);
    ~ChannelModel() override;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    // Display: "#channel", or a member's highest prefix and nick ("@alice").
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QHash<int, QByteArray> roleNames() const override;

    // Invalid when we are not in `name`. Lookups ignore case as the server's case mapping says.
    QModelIndex channelIndex(const QString &name) const;
    const ChannelState *channel(const QString &name) const;
    QStringList channelNames() const;

    // What 005 said; applies to channels joined from now on.
    void setNameRules(Irc::CaseMapping mapping, const QByteArray &prefixSymbols);
    void addChannel(const QString &name);
    bool removeChannel(const QString &name);
    void clear();
    bool setTopic(const QString &channel, const QString &topic, const QString &setBy);
    bool addMember(const QString &channel, const QString &nick, const QString &account = {});
    bool removeMember(const QString &channel, const QString &nick);
    // The channels `nick` was removed from.
    QStringList removeMemberEverywhere(const QString &nick);
    // The channels where `oldNick` is now `newNick`.
    QStringList renameMember(const QString &oldNick, const QString &newNick);
    // Gives or takes one status (a MODE +o/-v ...); false when nothing changed.
    bool setMemberStatus(const QString &channel, const QString &nick, QChar symbol, bool on);
    // Sets or unsets flag and parameter modes (not lists, not statuses). With `replace` (a
    // 324 reply), modes not given are unset. False when nothing changed.
    bool setModes(const QString &channel, const QList<Irc::ModeChange> &changes, bool replace);
    bool setCreatedAt(const QString &channel, const QDateTime &time);
    bool setBan(const QString &channel, const ChannelState::Ban &ban, bool on);
    // A ban list reply: entries from 367 lines, then 368 replaces the list.
    void addBanListEntry(const QString &channel, const ChannelState::Ban &ban);
    bool finishBanList(const QString &channel);
    // The channels where `nick` is a member whose away state changed.
    QStringList setAway(const QString &nick, bool away);
    // The channels where `nick` is a member whose account changed (empty: logged out).
    QStringList setAccount(const QString &nick, const QString &account);
    // A NAMES reply: entries from 353 lines, then 366 merges them into the member list.
    void addNamesEntry(const QString &channel, const QString &nick, const QString &prefixes);
    bool finishNames(const QString &channel);

private:
    ChannelState *find(const QString &name) const;
    int channelRow(const ChannelState *channel) const;
    QModelIndex indexOf(const ChannelState *channel) const;
    void announceChannelChange(const ChannelState &channel, int role);
    void insertMember(ChannelState &channel, const ChannelState::Member &member);
    void removeMemberAt(ChannelState &channel, int row);
    void updateMember(ChannelState &channel, int row, const ChannelState::Member &member);
    void mergeNames(ChannelState &channel, const QList<ChannelState::Member> &names);

    Irc::CaseMapping m_mapping = Irc::CaseMapping::Rfc1459;
    QByteArray m_prefixSymbols = "@+";
    // Sorted by folded name. The pointers are stable: member indexes point at their channel.
    std::vector<std::unique_ptr<ChannelState>> m_channels;
};

} // namespace Client
