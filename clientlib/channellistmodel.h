#pragma once

#include "clientlib/queryresults.h"

#include "protocol/names.h"

#include <QAbstractTableModel>
#include <QSortFilterProxyModel>

namespace Client {

// A LIST reply as a table for views: one row per channel, the columns Channel, Users and
// Topic. SortRole gives what sorting compares: the folded name, the user count as a number,
// the topic ignoring case.
class ChannelListModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { ChannelColumn, UsersColumn, TopicColumn, ColumnCount };
    enum Role { SortRole = Qt::UserRole + 1 };

    explicit ChannelListModel(QObject *parent = nullptr);

    // Replaces every row; names are folded with `mapping` for sorting.
    void setEntries(const QList<ChannelListEntry> &entries, Irc::CaseMapping mapping);
    const QList<ChannelListEntry> &entries() const { return m_entries; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QVariant sortKey(const ChannelListEntry &entry, int column) const;

    QList<ChannelListEntry> m_entries;
    Irc::CaseMapping m_mapping = Irc::CaseMapping::Rfc1459;
};

// What a channel list shows of a ChannelListModel: channels whose name or topic contains the
// filter text (ignoring case) and that have at least a minimum of users, sorted by any column.
class ChannelListFilter : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    explicit ChannelListFilter(QObject *parent = nullptr);

    QString text() const { return m_text; }
    void setText(const QString &text);
    int minimumUsers() const { return m_minimumUsers; }
    void setMinimumUsers(int users);
    // The rule on its own, for one entry.
    static bool accepts(const ChannelListEntry &entry, const QString &text, int minimumUsers);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QString m_text;
    int m_minimumUsers = 0;
};

} // namespace Client
