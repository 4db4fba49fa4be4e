#include "clientlib/querytracker.h"

namespace Client {

QueryTracker::Query *QueryTracker::add(const Query &query)
{
    if (m_queries.size() >= MaxPending)
        m_queries.removeFirst();
    m_queries.append(query);
    return &m_queries.last();
}

QueryTracker::Query *QueryTracker::find(Kind kind, const QByteArray &target,
                                        const QByteArray &label)
{
    if (!label.isEmpty())
        return findLabel(label);
    for (Query &query : m_queries) {
        if (query.label.isEmpty() && query.kind == kind && query.target == target)
            return &query;
    }
    return nullptr;
}

QueryTracker::Query *QueryTracker::findLabel(const QByteArray &label)
{
    if (label.isEmpty())
        return nullptr;
    for (Query &query : m_queries) {
        if (query.label == label)
            return &query;
    }
    return nullptr;
}

std::optional<QueryTracker::Query> QueryTracker::take(const Query *query)
{
    for (qsizetype i = 0; i < m_queries.size(); ++i) {
        if (&m_queries.at(i) == query)
            return m_queries.takeAt(i);
    }
    return std::nullopt;
}

void QueryTracker::dropLabels()
{
    for (Query &query : m_queries)
        query.label.clear();
}

} // namespace Client
