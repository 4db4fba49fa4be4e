#include "app/channellistdialog.h"

#include "clientlib/channellistmodel.h"
#include "clientlib/chatclient.h"

#include <QDialogButtonBox>
#include <QEvent>
#include <QGridLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScreen>
#include <QSpinBox>
#include <QTreeView>
#include <QVBoxLayout>

namespace App {

namespace {

// Enough for any user count a spin box needs to ask for.
constexpr int MaxMinimumUsers = 1'000'000;

} // namespace

ChannelListDialog::ChannelListDialog(Client::ChatClient *client, QWidget *parent)
    : QDialog(parent),
      m_client(client),
      m_model(new Client::ChannelListModel(this)),
      m_filter(new Client::ChannelListFilter(this)),
      m_filterLabel(new QLabel(this)),
      m_filterEdit(new QLineEdit(this)),
      m_minimumLabel(new QLabel(this)),
      m_minimumUsers(new QSpinBox(this)),
      m_refresh(new QPushButton(this)),
      m_view(new QTreeView(this)),
      m_summary(new QLabel(this)),
      m_join(new QPushButton(this)),
      m_buttons(new QDialogButtonBox(QDialogButtonBox::Close, this))
{
    setObjectName(QStringLiteral("channelListDialog"));
    m_filter->setSourceModel(m_model);
    m_view->setModel(m_filter);
    m_view->setRootIsDecorated(false);
    m_view->setUniformRowHeights(true); // a big network lists thousands of channels
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(Client::ChannelListModel::UsersColumn, Qt::DescendingOrder);
    m_minimumUsers->setRange(0, MaxMinimumUsers);
    m_filterEdit->setClearButtonEnabled(true);
    buildLayout();
    connectWidgets();
    retranslateUi();
    refresh();
}

void ChannelListDialog::buildLayout()
{
    auto *filters = new QGridLayout;
    filters->addWidget(m_filterLabel, 0, 0);
    filters->addWidget(m_filterEdit, 0, 1);
    filters->addWidget(m_minimumLabel, 0, 2);
    filters->addWidget(m_minimumUsers, 0, 3);
    filters->addWidget(m_refresh, 0, 4);
    filters->setColumnStretch(1, 1);
    m_filterLabel->setBuddy(m_filterEdit);
    m_minimumLabel->setBuddy(m_minimumUsers);
    m_buttons->addButton(m_join, QDialogButtonBox::ActionRole);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(filters);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_summary);
    layout->addWidget(m_buttons);
    // Wide enough for a topic, in the font's own units so that it scales with the screen.
    const int em = fontMetrics().horizontalAdvance(u'M');
    m_view->setColumnWidth(Client::ChannelListModel::ChannelColumn, 14 * em);
    m_view->setColumnWidth(Client::ChannelListModel::UsersColumn, 5 * em);
    const QSize wanted(48 * em, 30 * fontMetrics().height());
    resize(screen() ? wanted.boundedTo(screen()->availableGeometry().size()) : wanted);
}

void ChannelListDialog::connectWidgets()
{
    connect(m_client, &Client::ChatClient::channelListReceived, this,
            &ChannelListDialog::showEntries);
    connect(m_filterEdit, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_filter->setText(text);
        updateSummary();
    });
    connect(m_minimumUsers, &QSpinBox::valueChanged, this, [this](int users) {
        m_filter->setMinimumUsers(users);
        updateSummary();
    });
    connect(m_refresh, &QPushButton::clicked, this, &ChannelListDialog::refresh);
    connect(m_view, &QTreeView::activated, this, &ChannelListDialog::joinChannel);
    connect(m_join, &QPushButton::clicked, this, [this] { joinChannel(m_view->currentIndex()); });
    connect(m_view->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this] { m_join->setEnabled(!currentChannel().isEmpty()); });
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
}

void ChannelListDialog::retranslateUi()
{
    setWindowTitle(tr("Channel List"));
    m_filterLabel->setText(tr("&Filter:"));
    m_filterEdit->setPlaceholderText(tr("Part of a name or topic"));
    m_minimumLabel->setText(tr("At &least:"));
    m_minimumUsers->setSuffix(tr(" users"));
    m_minimumUsers->setSpecialValueText(tr("any number of users"));
    m_refresh->setText(tr("&Refresh"));
    m_join->setText(tr("&Join"));
    m_join->setToolTip(tr("Join the selected channel (or double-click it)"));
    updateSummary();
}

void ChannelListDialog::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QDialog::changeEvent(event);
}

void ChannelListDialog::refresh()
{
    m_waiting = true;
    m_client->requestChannelList();
    updateSummary();
}

void ChannelListDialog::setFilterText(const QString &text)
{
    m_filterEdit->setText(text);
}

QString ChannelListDialog::currentChannel() const
{
    const QModelIndex index = m_view->currentIndex();
    return index.isValid()
        ? index.siblingAtColumn(Client::ChannelListModel::ChannelColumn).data().toString()
        : QString();
}

void ChannelListDialog::showEntries(const QList<Client::ChannelListEntry> &entries)
{
    m_waiting = false;
    m_model->setEntries(entries, m_client->serverSupport().caseMapping);
    m_join->setEnabled(false);
    updateSummary();
}

void ChannelListDialog::joinChannel(const QModelIndex &index)
{
    if (!index.isValid())
        return;
    m_client->join(
        index.siblingAtColumn(Client::ChannelListModel::ChannelColumn).data().toString());
}

void ChannelListDialog::updateSummary()
{
    m_join->setEnabled(!currentChannel().isEmpty());
    if (m_waiting && m_model->rowCount() == 0) {
        m_summary->setText(tr("Asking the server for its channels…"));
        return;
    }
    m_summary->setText(
        tr("Channels shown: %1 of %2").arg(m_filter->rowCount()).arg(m_model->rowCount()));
}

} // namespace App
