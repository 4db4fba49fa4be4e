#include "protocol/capabilities.h"

namespace Irc {

const QList<CapabilityInfo> &offeredCapabilities()
{
    // draft/account-registration: REGISTER is accepted before the connection is registered,
    // for the nick in use only (no custom-account-name) and without an e-mail address. sasl:
    // the mechanisms, as SASL 3.2 lists them.
    static const QList<CapabilityInfo> offered {
        {Capability::AccountNotify, CapName::AccountNotify, ""},
        {Capability::AccountTag, CapName::AccountTag, ""},
        {Capability::AwayNotify, CapName::AwayNotify, ""},
        {Capability::Batch, CapName::Batch, ""},
        {Capability::CapNotify, CapName::CapNotify, ""},
        {Capability::AccountRegistration, CapName::AccountRegistration, "before-connect"},
        {Capability::ChatHistory, CapName::ChatHistory, ""},
        {Capability::EchoMessage, CapName::EchoMessage, ""},
        {Capability::ExtendedJoin, CapName::ExtendedJoin, ""},
        {Capability::InviteNotify, CapName::InviteNotify, ""},
        {Capability::LabeledResponse, CapName::LabeledResponse, ""},
        {Capability::MessageTags, CapName::MessageTags, ""},
        {Capability::MultiPrefix, CapName::MultiPrefix, ""},
        {Capability::Sasl, CapName::Sasl, "PLAIN"},
        {Capability::ServerTime, CapName::ServerTime, ""},
        {Capability::Setname, CapName::Setname, ""},
        {Capability::StandardReplies, CapName::StandardReplies, ""},
        {Capability::UserhostInNames, CapName::UserhostInNames, ""},
    };
    return offered;
}

std::optional<Capability> capabilityFromName(QByteArrayView name)
{
    for (const CapabilityInfo &info : offeredCapabilities()) {
        if (name == info.name)
            return info.capability;
    }
    return std::nullopt;
}

QByteArray capabilityName(Capability capability)
{
    for (const CapabilityInfo &info : offeredCapabilities()) {
        if (info.capability == capability)
            return info.name;
    }
    return {};
}

QByteArray capabilityNames(Capabilities capabilities)
{
    QByteArray names;
    for (const CapabilityInfo &info : offeredCapabilities()) {
        if (!capabilities.testFlag(info.capability))
            continue;
        if (!names.isEmpty())
            names += ' ';
        names += info.name;
    }
    return names;
}

QList<QByteArray> capabilityTokens(bool withValues, Capabilities only)
{
    QList<QByteArray> tokens;
    for (const CapabilityInfo &info : offeredCapabilities()) {
        if (!only.testFlag(info.capability))
            continue;
        QByteArray token = info.name;
        if (withValues && *info.value)
            token += QByteArray("=") + info.value;
        tokens.append(token);
    }
    return tokens;
}

Capabilities allCapabilities()
{
    Capabilities all;
    for (const CapabilityInfo &info : offeredCapabilities())
        all |= info.capability;
    return all;
}

Capabilities storageCapabilities()
{
    return Capability::ChatHistory | Capability::AccountRegistration | Capability::Sasl
        | Capability::AccountNotify | Capability::ExtendedJoin | Capability::AccountTag;
}

QList<QByteArray> capabilityChunks(const QList<QByteArray> &tokens, qsizetype maxBytes)
{
    QList<QByteArray> chunks {QByteArray()};
    for (const QByteArray &token : tokens) {
        QByteArray &last = chunks.last();
        if (!last.isEmpty() && last.size() + 1 + token.size() > maxBytes)
            chunks.append(token);
        else
            last += (last.isEmpty() ? QByteArray() : QByteArray(" ")) + token;
    }
    return chunks;
}

CapabilityRequest parseCapabilityRequest(QByteArrayView list)
{
    CapabilityRequest request;
    for (QByteArrayView token : QByteArrayView(list).trimmed().toByteArray().split(' ')) {
        if (token.isEmpty())
            continue;
        const bool removing = token.startsWith('-');
        const std::optional<Capability> capability
            = capabilityFromName(removing ? token.sliced(1) : token);
        if (!capability)
            return {};
        (removing ? request.disable : request.enable) |= *capability;
        request.valid = true;
    }
    return request;
}

} // namespace Irc
