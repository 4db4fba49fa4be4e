#pragma once

#include "protocol/capabilities.h"

#include <QByteArray>

#include <array>
#include <memory>

namespace Server {

// The IRCv3 tags of one relayed line in each form a recipient may get, made once by the sender
// and shared, like the line, by every recipient on every thread. A recipient's capabilities
// pick the form: `time` (server-time), `msgid` and the sender's client-only tags
// (message-tags), `account` (account-tag, when the sender is logged in), any mix, or none (an
// empty prefix).
struct LineTags
{
    std::array<QByteArray, 8> prefixes; // `@...;... ` or empty, indexed by variantOf()
    // What make() was given, so that a cluster node passes the tags on as they are
    // (docs/cluster.md): the same msgid and time on every server.
    QByteArray time, messageTags, account;

    static int variantOf(Irc::Capabilities capabilities)
    {
        return (capabilities.testFlag(Irc::Capability::ServerTime) ? 1 : 0)
            | (capabilities.testFlag(Irc::Capability::MessageTags) ? 2 : 0)
            | (capabilities.testFlag(Irc::Capability::AccountTag) ? 4 : 0);
    }
    const QByteArray &forRecipient(Irc::Capabilities capabilities) const
    {
        return prefixes[variantOf(capabilities)];
    }
    // `messageTags`: msgid and client-only tags, serialised; empty for an event without them.
    // `account`: the sender's, empty when it is not logged in (the account-tag forms are then
    // the others, shared).
    static std::shared_ptr<const LineTags>
    make(const QByteArray &time, const QByteArray &messageTags, const QByteArray &account = {});
};

// A line for some recipients: its tags, and what a recipient must have negotiated to get it at
// all (away-notify's AWAY, message-tags' TAGMSG) or must not have (the plain JOIN that
// extended-join replaces).
struct OutgoingLine
{
    QByteArray line;
    std::shared_ptr<const LineTags> tags; // null: nobody gets tags
    Irc::Capabilities required;
    Irc::Capabilities excluded = {};
};

} // namespace Server
