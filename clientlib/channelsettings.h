#pragma once

#include "protocol/isupport.h"
#include "protocol/modes.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QList>
#include <QString>
#include <QStringList>

namespace Client {

class ChannelState;

// What a channel settings dialog edits -- topic, key, user limit and the usual flags -- and
// the MODE changes that turn one such state into another, so that applying a dialog sends
// only what the user changed.
struct ChannelSettings
{
    Q_DECLARE_TR_FUNCTIONS(Client::ChannelSettings)

public:
    // Invite-only, moderated, no outside messages, secret, topic lock: the flags offered.
    static constexpr QByteArrayView EditableFlags = "imnst";

    QString topic;
    QString key; // empty: none
    int limit = 0; // 0: none
    QByteArray flags; // those of EditableFlags that are set, in its order

    bool hasFlag(char flag) const { return flags.contains(flag); }
    void setFlag(char flag, bool on);
    bool operator==(const ChannelSettings &) const = default;

    static ChannelSettings of(const ChannelState &channel);
    // Flags first, then the key, then the limit; nothing for what is equal. A changed key is
    // removed first (with the old key, as RFC 1459 servers ask) and then set: several
    // servers refuse +k while a key is set.
    static QList<Irc::ModeChange> modeChanges(const ChannelSettings &from,
                                              const ChannelSettings &to);
    // Why `key` cannot be a channel key, for the user; empty when it can.
    static QString keyError(const QString &key);
};

// Adding (or removing) each mask of `masks` as a ban.
QList<Irc::ModeChange> banChanges(const QStringList &masks, bool add);
// The MODE lines (with CR LF) that make `changes` on `channel`, at most `perLine` changes a
// line.
QList<QByteArray> modeLines(const QString &channel, const QList<Irc::ModeChange> &changes,
                            int perLine);
// How many mode changes the server takes in one MODE line (005 MODES; 3 when not said).
int modesPerLine(const Irc::ISupport &support);

} // namespace Client
