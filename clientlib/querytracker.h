#pragma once

#include "clientlib/queryresults.h"

#include <QByteArray>
#include <QList>

#include <optional>

namespace Client {

// The queries a session has sent and not yet seen answered, each with what its replies said
// so far. With labeled-response a query carries the label it was sent with and its replies
// are the lines that answer that label; without, a reply belongs to the oldest query of its
// kind for the same target (nick or channel), which is how IRC clients always paired them.
class QueryTracker
{
public:
    enum class Kind { Whois, ChannelList, Modes, BanList, Who };

    struct Query
    {
        Query() = default;
        Query(Kind kind, const QByteArray &target, bool quiet)
            : kind(kind), target(target), quiet(quiet)
        { }

        Kind kind = Kind::Whois;
        QByteArray target; // folded nick or channel; empty for LIST
        QByteArray label; // empty: paired by kind and target
        // Asked through the API (or by the client itself): answered by a signal, so its
        // replies are not repeated as status lines.
        bool quiet = false;
        WhoisInfo whois;
        QList<ChannelListEntry> channels;
    };

    // Queries waiting at once; a server that never answers cannot make the list grow.
    static constexpr qsizetype MaxPending = 64;
    // Channels kept from one LIST reply, and from one WHOIS's 319 lines.
    static constexpr qsizetype MaxListEntries = 100'000;
    static constexpr qsizetype MaxWhoisChannels = 1000;

    void clear() { m_queries.clear(); }
    // The oldest query is forgotten when MaxPending are waiting already. Returns the query
    // added, valid until the tracker changes.
    Query *add(const Query &query);
    // The query `label` answers, when given; otherwise the oldest unlabeled one of `kind` for
    // `target`. nullptr when there is none. Valid until the tracker changes.
    Query *find(Kind kind, const QByteArray &target, const QByteArray &label);
    Query *findLabel(const QByteArray &label);
    std::optional<Query> take(const Query *query);
    // labeled-response was withdrawn (CAP DEL): pair what is waiting the old way.
    void dropLabels();
    qsizetype size() const { return m_queries.size(); }

private:
    QList<Query> m_queries; // oldest first
};

} // namespace Client
