#include "clientlib/channellistmodel.h"

namespace Client {

ChannelListModel::ChannelListModel(QObject *parent) : QAbstractTableModel(parent) { }

void ChannelListModel::setEntries(const QList<ChannelListEntry> &entries, Irc::CaseMapping mapping)
{
    beginResetModel();
    m_entries = entries;
    m_mapping = mapping;
    endResetModel();
}

int ChannelListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

int ChannelListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ChannelListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const ChannelListEntry &entry = m_entries.at(index.row());
    if (role == SortRole)
        return sortKey(entry, index.column());
    if (role == Qt::TextAlignmentRole && index.column() == UsersColumn)
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    switch (index.column()) {
    case ChannelColumn:
        return entry.channel;
    case UsersColumn:
        return entry.userCount;
    default:
        return entry.topic;
    }
}

QVariant ChannelListModel::sortKey(const ChannelListEntry &entry, int column) const
{
    switch (column) {
    case ChannelColumn:
        return QString::fromUtf8(Irc::foldCase(entry.channel.toUtf8(), m_mapping));
    case UsersColumn:
        return entry.userCount;
    default:
        return entry.topic.toCaseFolded();
    }
}

QVariant ChannelListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    // The biggest channels are the ones people look for first.
    if (role == Qt::InitialSortOrderRole)
        return section == UsersColumn ? Qt::DescendingOrder : Qt::AscendingOrder;
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case ChannelColumn:
        return tr("Channel");
    case UsersColumn:
        return tr("Users");
    case TopicColumn:
        return tr("Topic");
    default:
        return {};
    }
}

ChannelListFilter::ChannelListFilter(QObject *parent) : QSortFilterProxyModel(parent)
{
    setSortRole(ChannelListModel::SortRole);
}

void ChannelListFilter::setText(const QString &text)
{
    if (text == m_text)
        return;
    m_text = text;
    invalidateRowsFilter();
}

void ChannelListFilter::setMinimumUsers(int users)
{
    if (users == m_minimumUsers)
        return;
    m_minimumUsers = users;
    invalidateRowsFilter();
}

bool ChannelListFilter::accepts(const ChannelListEntry &entry, const QString &text,
                                int minimumUsers)
{
    if (entry.userCount < minimumUsers)
        return false;
    const QString wanted = text.trimmed();
    return wanted.isEmpty() || entry.channel.contains(wanted, Qt::CaseInsensitive)
        || entry.topic.contains(wanted, Qt::CaseInsensitive);
}

bool ChannelListFilter::filterAcceptsRow(int sourceRow, const QModelIndex &) const
{
    const auto *model = static_cast<const ChannelListModel *>(sourceModel());
    return accepts(model->entries().at(sourceRow), m_text, m_minimumUsers);
}

} // namespace Client
