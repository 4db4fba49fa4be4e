#pragma once

#include "clientlib/queryresults.h"

#include <QDialog>

namespace Client {
class ChatClient;
class ChannelListFilter;
class ChannelListModel;
} // namespace Client
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QTreeView;

namespace App {

// The server's channels (LIST) in a table to filter, sort and join from: the filter matches
// names and topics, the spin box asks for a minimum of users, a click on a column header
// sorts by it, and a double-click (or Join) joins the channel.
class ChannelListDialog : public QDialog
{
    Q_OBJECT

public:
    explicit ChannelListDialog(Client::ChatClient *client, QWidget *parent = nullptr);

    // Asks the server for the list again.
    void refresh();
    void setFilterText(const QString &text);
    // The channel of the current row; empty when none.
    QString currentChannel() const;

    QLineEdit *filterEdit() const { return m_filterEdit; }
    QSpinBox *minimumUsersBox() const { return m_minimumUsers; }
    QTreeView *view() const { return m_view; }
    QPushButton *joinButton() const { return m_join; }
    QLabel *summary() const { return m_summary; }

protected:
    void changeEvent(QEvent *event) override;

private:
    void buildLayout();
    void connectWidgets();
    void retranslateUi();
    void showEntries(const QList<Client::ChannelListEntry> &entries);
    void joinChannel(const QModelIndex &index);
    void updateSummary();

    Client::ChatClient *m_client;
    Client::ChannelListModel *m_model;
    Client::ChannelListFilter *m_filter;
    QLabel *m_filterLabel;
    QLineEdit *m_filterEdit;
    QLabel *m_minimumLabel;
    QSpinBox *m_minimumUsers;
    QPushButton *m_refresh;
    QTreeView *m_view;
    QLabel *m_summary;
    QPushButton *m_join;
    QDialogButtonBox *m_buttons;
    bool m_waiting = false;
};

} // namespace App
