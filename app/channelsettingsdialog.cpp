#include "app/channelsettingsdialog.h"

#include "clientlib/chatclient.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QEvent>
#include <QFormLayout>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QSpinBox>
#include <QTabWidget>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace App {

namespace {

// Far above any real channel; the server takes any positive number.
constexpr int MaxUserLimit = 1'000'000;

} // namespace

ChannelSettingsDialog::ChannelSettingsDialog(Client::ChatClient *client, const QString &channel,
                                             QWidget *parent)
    : QDialog(parent),
      m_client(client),
      m_channel(channel),
      m_pages(new QTabWidget(this)),
      m_topicLabel(new QLabel(this)),
      m_topic(new QLineEdit(this)),
      m_keyLabel(new QLabel(this)),
      m_key(new QLineEdit(this)),
      m_limitLabel(new QLabel(this)),
      m_limit(new QSpinBox(this)),
      m_bans(new QTreeWidget(this)),
      m_banMask(new QLineEdit(this)),
      m_addBan(new QPushButton(this)),
      m_removeBan(new QPushButton(this)),
      m_notice(new QLabel(this)),
      m_error(new QLabel(this)),
      m_buttons(new QDialogButtonBox(QDialogButtonBox::Apply | QDialogButtonBox::Close, this))
{
    setObjectName(QStringLiteral("channelSettingsDialog"));
    m_pages->addTab(buildSettingsPage(), QString());
    m_pages->addTab(buildBansPage(), QString());
    m_notice->setWordWrap(true);
    m_error->setWordWrap(true);
    m_error->hide();
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_notice);
    layout->addWidget(m_pages, 1);
    layout->addWidget(m_error);
    layout->addWidget(m_buttons);
    connect(applyButton(), &QPushButton::clicked, this, &ChannelSettingsDialog::apply);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connectClient();
    retranslateUi();
    showServerState();
    showBans();
    m_client->requestBanList(m_channel);
}

QWidget *ChannelSettingsDialog::buildSettingsPage()
{
    auto *page = new QWidget(m_pages);
    auto *form = new QFormLayout;
    // Buddies: the labels' shortcuts move the focus to their fields (and "&" is not shown).
    m_topicLabel->setBuddy(m_topic);
    m_keyLabel->setBuddy(m_key);
    m_limitLabel->setBuddy(m_limit);
    form->addRow(m_topicLabel, m_topic);
    form->addRow(m_keyLabel, m_key);
    form->addRow(m_limitLabel, m_limit);
    m_limit->setRange(0, MaxUserLimit);
    auto *flags = new QGridLayout;
    for (char flag : Client::ChannelSettings::EditableFlags) {
        auto *box = new QCheckBox(page);
        box->setObjectName(QStringLiteral("flag_") + QLatin1Char(flag));
        flags->addWidget(box, int(m_flags.size()) / 2, int(m_flags.size()) % 2);
        m_flags.append(box);
    }
    auto *layout = new QVBoxLayout(page);
    layout->addLayout(form);
    layout->addLayout(flags);
    layout->addStretch(1);
    return page;
}

QWidget *ChannelSettingsDialog::buildBansPage()
{
    auto *page = new QWidget(m_pages);
    m_bans->setColumnCount(3);
    m_bans->setRootIsDecorated(false);
    m_bans->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_bans->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_bans->header()->setStretchLastSection(false);
    auto *add = new QHBoxLayout;
    add->addWidget(m_banMask, 1);
    add->addWidget(m_addBan);
    add->addWidget(m_removeBan);
    auto *layout = new QVBoxLayout(page);
    layout->addWidget(m_bans, 1);
    layout->addLayout(add);
    connect(m_addBan, &QPushButton::clicked, this, &ChannelSettingsDialog::addBan);
    connect(m_banMask, &QLineEdit::returnPressed, this, &ChannelSettingsDialog::addBan);
    connect(m_removeBan, &QPushButton::clicked, this, &ChannelSettingsDialog::removeSelectedBans);
    connect(m_bans, &QTreeWidget::itemSelectionChanged, this,
            &ChannelSettingsDialog::updateEditable);
    return page;
}

void ChannelSettingsDialog::connectClient()
{
    using Client::ChatClient;
    const auto forUs = [this](void (ChannelSettingsDialog::*update)()) {
        return [this, update](const QString &channel) {
            if (m_client->sameName(channel, m_channel))
                (this->*update)();
        };
    };
    connect(m_client, &ChatClient::channelModesChanged, this,
            forUs(&ChannelSettingsDialog::showServerState));
    connect(m_client, &ChatClient::topicChanged, this,
            forUs(&ChannelSettingsDialog::showServerState));
    connect(m_client, &ChatClient::banListChanged, this, forUs(&ChannelSettingsDialog::showBans));
    // Statuses (ours included) and our own coming and going.
    connect(m_client, &ChatClient::namesChanged, this,
            forUs(&ChannelSettingsDialog::updateEditable));
    connect(m_client, &ChatClient::joined, this, forUs(&ChannelSettingsDialog::updateEditable));
    connect(m_client, &ChatClient::parted, this, forUs(&ChannelSettingsDialog::updateEditable));
    connect(m_client, &ChatClient::kicked, this, forUs(&ChannelSettingsDialog::updateEditable));
    connect(m_client, &ChatClient::stateChanged, this, &ChannelSettingsDialog::updateEditable);
}

void ChannelSettingsDialog::retranslateUi()
{
    setWindowTitle(tr("Settings of %1").arg(m_channel));
    m_pages->setTabText(0, tr("&Modes"));
    m_pages->setTabText(1, tr("&Bans"));
    m_topicLabel->setText(tr("&Topic:"));
    m_keyLabel->setText(tr("&Key:"));
    m_key->setPlaceholderText(tr("None: anyone may join"));
    m_limitLabel->setText(tr("User &limit:"));
    m_limit->setSpecialValueText(tr("No limit"));
    retranslateFlags();
    m_bans->setHeaderLabels({tr("Mask"), tr("Set by"), tr("Set at")});
    m_banMask->setPlaceholderText(tr("Mask to ban, e.g. nick!*@* or *!*@example.com"));
    m_addBan->setText(tr("&Add"));
    m_removeBan->setText(tr("&Remove"));
    updateEditable();
}

void ChannelSettingsDialog::retranslateFlags()
{
    const QStringList texts = {
        tr("&Invite only (+i)"),
        tr("M&oderated (+m)"),
        tr("&No outside messages (+n)"),
        tr("&Secret (+s)"),
        tr("Only operators set the to&pic (+t)"),
    };
    for (qsizetype i = 0; i < m_flags.size(); ++i)
        m_flags.at(i)->setText(texts.at(i));
}

void ChannelSettingsDialog::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QDialog::changeEvent(event);
}

QCheckBox *ChannelSettingsDialog::flagBox(char flag) const
{
    const qsizetype index = Client::ChannelSettings::EditableFlags.indexOf(flag);
    return index < 0 ? nullptr : m_flags.at(index);
}

QPushButton *ChannelSettingsDialog::applyButton() const
{
    return m_buttons->button(QDialogButtonBox::Apply);
}

Client::ChannelSettings ChannelSettingsDialog::edited() const
{
    Client::ChannelSettings settings;
    settings.topic = m_topic->text();
    settings.key = m_key->text();
    settings.limit = m_limit->value();
    for (char flag : Client::ChannelSettings::EditableFlags)
        settings.setFlag(flag, flagBox(flag)->isChecked());
    return settings;
}

bool ChannelSettingsDialog::apply()
{
    const Client::ChannelSettings wanted = edited();
    const QString error = Client::ChannelSettings::keyError(wanted.key);
    m_error->setText(error);
    m_error->setVisible(!error.isEmpty());
    if (!error.isEmpty())
        return false;
    const QList<Irc::ModeChange> changes = Client::ChannelSettings::modeChanges(m_shown, wanted);
    if (!changes.isEmpty())
        m_client->changeChannelModes(m_channel, changes);
    if (wanted.topic != m_shown.topic)
        m_client->setTopic(m_channel, wanted.topic);
    return true;
}

void ChannelSettingsDialog::showServerState()
{
    if (m_client->isJoined(m_channel)) {
        const auto now = Client::ChannelSettings::of(m_client->channel(m_channel));
        showChangedFields(now);
        m_shown = now;
    }
    updateEditable();
}

void ChannelSettingsDialog::showChangedFields(const Client::ChannelSettings &now)
{
    if (now.topic != m_shown.topic) {
        m_topic->setText(now.topic);
        m_topic->setCursorPosition(0);
    }
    if (now.key != m_shown.key)
        m_key->setText(now.key);
    if (now.limit != m_shown.limit)
        m_limit->setValue(now.limit);
    for (char flag : Client::ChannelSettings::EditableFlags) {
        if (now.hasFlag(flag) != m_shown.hasFlag(flag))
            flagBox(flag)->setChecked(now.hasFlag(flag));
    }
}

void ChannelSettingsDialog::showBans()
{
    m_bans->clear();
    // A copy: bans() refers into it, and a temporary would be gone before the loop ran.
    const Client::ChannelState channel = m_client->channel(m_channel);
    for (const auto &ban : channel.bans()) {
        const QString setAt = ban.setAt.isValid()
            ? QLocale().toString(ban.setAt.toLocalTime(), QLocale::ShortFormat)
            : QString();
        m_bans->addTopLevelItem(new QTreeWidgetItem({ban.mask, ban.setBy, setAt}));
    }
    updateEditable();
}

bool ChannelSettingsDialog::isOperator() const
{
    return m_client->channel(m_channel).hasOperatorStatus(m_client->nick());
}

void ChannelSettingsDialog::updateEditable()
{
    const bool joined = m_client->isJoined(m_channel) && m_client->isRegistered();
    const bool op = joined && isOperator();
    const bool topicOpen = joined && (op || !m_shown.hasFlag('t'));
    m_topic->setReadOnly(!topicOpen);
    m_key->setReadOnly(!op);
    m_limit->setReadOnly(!op);
    const QByteArray offered = m_client->serverSupport().channelModes.flags;
    for (char flag : Client::ChannelSettings::EditableFlags)
        flagBox(flag)->setEnabled(op && offered.contains(flag));
    m_banMask->setEnabled(op);
    m_addBan->setEnabled(op);
    m_removeBan->setEnabled(op && !m_bans->selectedItems().isEmpty());
    applyButton()->setEnabled(topicOpen);
    m_notice->setVisible(!op);
    m_notice->setText(whyReadOnly(joined, topicOpen));
}

QString ChannelSettingsDialog::whyReadOnly(bool joined, bool topicOpen) const
{
    if (!joined)
        return tr("You are not in %1: nothing here can be changed.").arg(m_channel);
    if (topicOpen)
        return tr("You are not an operator of %1: only its operators can change its modes and "
                  "bans. Anyone in it may change the topic, since it is not +t.")
            .arg(m_channel);
    return tr("You are not an operator of %1: only its operators can change these settings.")
        .arg(m_channel);
}

void ChannelSettingsDialog::addBan()
{
    const QString mask = m_banMask->text().trimmed();
    if (mask.isEmpty())
        return;
    const bool valid = !mask.contains(u' ') && !mask.contains(u',');
    m_error->setText(valid ? QString() : tr("A ban mask cannot contain spaces or commas."));
    m_error->setVisible(!valid);
    if (!valid)
        return;
    m_client->changeChannelModes(m_channel, Client::banChanges({mask}, true));
    m_banMask->clear();
}

void ChannelSettingsDialog::removeSelectedBans()
{
    QStringList masks;
    for (const QTreeWidgetItem *item : m_bans->selectedItems())
        masks.append(item->text(0));
    if (!masks.isEmpty())
        m_client->changeChannelModes(m_channel, Client::banChanges(masks, false));
}

} // namespace App
