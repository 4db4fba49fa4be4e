#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QFlags>
#include <QList>

#include <optional>

namespace Irc {

// The IRCv3 capabilities QtChat's server offers (docs/protocol.md, "IRCv3"). One bit each, so
// that a session's set is one word the fan-out reads per recipient.
enum class Capability : quint32 {
    CapNotify = 1u << 0,
    MultiPrefix = 1u << 1,
    UserhostInNames = 1u << 2,
    AwayNotify = 1u << 3,
    InviteNotify = 1u << 4,
    Setname = 1u << 5,
    ServerTime = 1u << 6,
    MessageTags = 1u << 7,
    EchoMessage = 1u << 8,
    Batch = 1u << 9,
    LabeledResponse = 1u << 10,
    StandardReplies = 1u << 11,
    ChatHistory = 1u << 12, // offered only by a server that keeps history
    // Accounts (offered only by a server that keeps them, see storageCapabilities())
    AccountRegistration = 1u << 13,
    Sasl = 1u << 14,
    AccountNotify = 1u << 15,
    ExtendedJoin = 1u << 16,
    AccountTag = 1u << 17,
};
Q_DECLARE_FLAGS(Capabilities, Capability)

namespace CapName {
inline constexpr char CapNotify[] = "cap-notify";
inline constexpr char MultiPrefix[] = "multi-prefix";
inline constexpr char UserhostInNames[] = "userhost-in-names";
inline constexpr char AwayNotify[] = "away-notify";
inline constexpr char InviteNotify[] = "invite-notify";
inline constexpr char Setname[] = "setname";
inline constexpr char ServerTime[] = "server-time";
inline constexpr char MessageTags[] = "message-tags";
inline constexpr char EchoMessage[] = "echo-message";
inline constexpr char Batch[] = "batch";
inline constexpr char LabeledResponse[] = "labeled-response";
inline constexpr char StandardReplies[] = "standard-replies";
inline constexpr char ChatHistory[] = "draft/chathistory";
inline constexpr char AccountRegistration[] = "draft/account-registration";
inline constexpr char Sasl[] = "sasl";
inline constexpr char AccountNotify[] = "account-notify";
inline constexpr char ExtendedJoin[] = "extended-join";
inline constexpr char AccountTag[] = "account-tag";
} // namespace CapName

struct CapabilityInfo
{
    Capability capability;
    const char *name;
    const char *value; // shown by `CAP LS 302` as name=value; empty: none
};

// Every capability the server offers, in the order `CAP LS` lists them.
const QList<CapabilityInfo> &offeredCapabilities();
std::optional<Capability> capabilityFromName(QByteArrayView name);
QByteArray capabilityName(Capability capability);
// The names of the set, space-separated, in offeredCapabilities()'s order.
QByteArray capabilityNames(Capabilities capabilities);
Capabilities allCapabilities();
// What only a server that keeps a database offers: its history and its accounts.
Capabilities storageCapabilities();
// `CAP LS`'s tokens, of `only` (what this server offers): with `withValues` (302), `name=value`
// where there is a value.
QList<QByteArray> capabilityTokens(bool withValues, Capabilities only = allCapabilities());

// Splits space-separated tokens into chunks of at most `maxBytes`, for `CAP LS` and `CAP LIST`
// replies spread over several lines (all but the last marked with `*`).
QList<QByteArray> capabilityChunks(const QList<QByteArray> &tokens, qsizetype maxBytes);

// A parsed `CAP REQ` list: all of it applies or none (the server then answers NAK).
struct CapabilityRequest
{
    Capabilities enable, disable;
    bool valid = false; // false: an unknown name, or an empty list
};
CapabilityRequest parseCapabilityRequest(QByteArrayView list);

} // namespace Irc

Q_DECLARE_OPERATORS_FOR_FLAGS(Irc::Capabilities)
