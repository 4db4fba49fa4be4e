#include "clientlib/capnegotiation.h"

#include "clientlib/sasl.h"

#include "protocol/capabilities.h"

#include <algorithm>

namespace Client {

namespace {

// A misbehaving server cannot make the client keep many more names than this.
constexpr qsizetype MaxOfferedCaps = 256;
// REQ lines stay well inside 512 bytes.
constexpr qsizetype MaxRequestBytes = 400;

QByteArray capLine(std::initializer_list<QByteArrayView> params)
{
    return Irc::makeLine({}, "CAP", params);
}

QList<QByteArray> names(const QByteArray &list)
{
    QList<QByteArray> result = list.split(' ');
    result.removeAll(QByteArray());
    return result;
}

QByteArray nameOf(const QByteArray &entry)
{
    const qsizetype equals = entry.indexOf('=');
    return equals < 0 ? entry : entry.first(equals);
}

} // namespace

const QList<QByteArray> &CapNegotiation::understood()
{
    // Not standard-replies: FAIL, WARN and NOTE are shown as any other line is.
    namespace Name = Irc::CapName;
    // draft/account-registration is not asked for: being offered is what it says.
    static const QList<QByteArray> caps = {
        Name::AccountNotify, Name::AccountTag,      Name::AwayNotify,  Name::Batch,
        Name::CapNotify,     Name::ChatHistory,     Name::EchoMessage, Name::ExtendedJoin,
        Name::InviteNotify,  Name::LabeledResponse, Name::MessageTags, Name::MultiPrefix,
        Name::Sasl,          Name::ServerTime,      Name::Setname,     Name::UserhostInNames,
    };
    return caps;
}

QByteArray CapNegotiation::start()
{
    m_offered.clear();
    m_listing.clear();
    m_enabled.clear();
    m_outstanding = 0;
    m_negotiating = true;
    m_authenticating = false;
    m_changed = false;
    return capLine({"LS", "302"});
}

QList<QByteArray> CapNegotiation::handle(const Irc::IrcMessage &message)
{
    // CAP <target> <subcommand> [*] :<list>; the `*` marks a reply continued on the next line.
    m_changed = false;
    const QByteArray subcommand = message.param(1).toUpper();
    const bool continued = message.params.size() >= 4 && message.param(2) == "*";
    const QByteArray list = message.params.size() >= 3 ? message.params.last() : QByteArray();
    if (subcommand == "LS") {
        takeList(list);
        if (continued)
            return {};
        m_offered = std::exchange(m_listing, {});
        return m_negotiating ? requestWanted(m_offered.keys()) : QList<QByteArray>();
    }
    if (subcommand == "ACK") {
        acknowledge(list);
        return answered();
    }
    if (subcommand == "NAK")
        return answered();
    if (subcommand == "NEW") {
        const qsizetype before = m_offered.size();
        m_listing = m_offered;
        takeList(list);
        m_offered = std::exchange(m_listing, {});
        return m_offered.size() == before ? QList<QByteArray>() : requestWanted(names(list));
    }
    if (subcommand == "DEL")
        remove(list);
    return {};
}

QList<QByteArray> CapNegotiation::abandon()
{
    if (!m_negotiating)
        return {};
    m_negotiating = false;
    m_authenticating = false;
    m_outstanding = 0;
    return {capLine({"END"})};
}

QList<QByteArray> CapNegotiation::authenticationDone()
{
    if (!std::exchange(m_authenticating, false))
        return {};
    return m_outstanding == 0 ? abandon() : QList<QByteArray>();
}

QList<QByteArray> CapNegotiation::enabled() const
{
    QList<QByteArray> list(m_enabled.cbegin(), m_enabled.cend());
    std::sort(list.begin(), list.end());
    return list;
}

void CapNegotiation::takeList(const QByteArray &list)
{
    for (const QByteArray &entry : names(list)) {
        const QByteArray name = nameOf(entry);
        // Past the bound only what the client asks for is still kept.
        if (m_listing.size() < MaxOfferedCaps || understood().contains(name))
            m_listing.insert(name, entry.mid(name.size() + 1));
    }
}

bool CapNegotiation::wants(const QByteArray &name) const
{
    if (name == Irc::CapName::Sasl)
        return m_wantsSasl && Sasl::offersPlain(m_offered.value(name));
    return understood().contains(name);
}

QList<QByteArray> CapNegotiation::requestWanted(const QList<QByteArray> &offered)
{
    QList<QByteArray> lines;
    QByteArray request;
    for (const QByteArray &entry : offered) {
        const QByteArray name = nameOf(entry);
        if (!wants(name) || m_enabled.contains(name) || !m_offered.contains(name))
            continue;
        if (!request.isEmpty() && request.size() + 1 + name.size() > MaxRequestBytes) {
            lines.append(capLine({"REQ", request}));
            request.clear();
        }
        request += (request.isEmpty() ? "" : " ") + name;
    }
    if (!request.isEmpty())
        lines.append(capLine({"REQ", request}));
    m_outstanding += int(lines.size());
    if (lines.isEmpty() && m_negotiating && m_outstanding == 0)
        return abandon(); // nothing we want: end at once
    return lines;
}

QList<QByteArray> CapNegotiation::answered()
{
    m_outstanding = qMax(m_outstanding - 1, 0);
    return m_outstanding == 0 && !m_authenticating ? abandon() : QList<QByteArray>();
}

void CapNegotiation::acknowledge(const QByteArray &list)
{
    for (const QByteArray &entry : names(list)) {
        if (entry.startsWith('-')) {
            m_changed |= m_enabled.remove(entry.mid(1));
        } else if (understood().contains(entry) && !m_enabled.contains(entry)) {
            m_enabled.insert(entry);
            m_changed = true;
            // The authentication runs before CAP END; after registration it is not started.
            m_authenticating |= entry == Irc::CapName::Sasl && m_negotiating && m_wantsSasl;
        }
    }
}

void CapNegotiation::remove(const QByteArray &list)
{
    for (const QByteArray &name : names(list)) {
        m_offered.remove(nameOf(name));
        m_changed |= m_enabled.remove(nameOf(name));
    }
}

} // namespace Client
