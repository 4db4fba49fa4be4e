#include "app/networklistdialog.h"

#include "app/appsettings.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QEvent>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace App {

using Client::NetworkList;
using Client::SavedNetwork;

NetworkListDialog::NetworkListDialog(QWidget *parent)
    : QDialog(parent),
      m_list(new QListWidget(this)),
      m_form(new QFormLayout),
      m_name(new QLineEdit(this)),
      m_host(new QLineEdit(this)),
      m_port(new QSpinBox(this)),
      m_tls(new QCheckBox(this)),
      m_nick(new QLineEdit(this)),
      m_channels(new QLineEdit(this)),
      m_account(new QLineEdit(this)),
      m_password(new QLineEdit(this)),
      m_connectOnStart(new QCheckBox(this)),
      m_problem(new QLabel(this)),
      m_add(new QPushButton(this)),
      m_remove(new QPushButton(this)),
      m_connect(new QPushButton(this)),
      m_buttons(new QDialogButtonBox(QDialogButtonBox::Close, this))
{
    setObjectName(QStringLiteral("networkListDialog"));
    m_networks = NetworkList::fromJson(AppSettings::instance()->networks(), &m_loadProblems);
    buildUi();
    for (const SavedNetwork &network : std::as_const(m_networks))
        m_list->addItem(network.name);
    retranslateUi();
    m_list->setCurrentRow(m_networks.isEmpty() ? -1 : 0);
    showSelected();
}

void NetworkListDialog::buildUi()
{
    m_port->setRange(1, 65535);
    const std::pair<QWidget *, const char *> names[]
        = {{m_name, "name"},       {m_host, "host"},         {m_port, "port"},
           {m_tls, "tls"},         {m_nick, "nick"},         {m_channels, "channels"},
           {m_account, "account"}, {m_password, "password"}, {m_connectOnStart, "connectOnStart"}};
    for (const auto &[field, name] : names)
        field->setObjectName(QLatin1String(name));
    m_problem->setWordWrap(true);
    m_problem->setTextInteractionFlags(Qt::TextSelectableByMouse);
    for (QWidget *field : std::initializer_list<QWidget *> {m_name, m_host, m_port})
        addLabelledRow(field);
    m_form->addRow(m_tls);
    m_password->setEchoMode(QLineEdit::Password);
    for (QWidget *field :
         std::initializer_list<QWidget *> {m_nick, m_channels, m_account, m_password})
        addLabelledRow(field);
    m_form->addRow(m_connectOnStart);
    auto *listButtons = new QHBoxLayout;
    listButtons->addWidget(m_add);
    listButtons->addWidget(m_remove);
    auto *left = new QVBoxLayout;
    left->addWidget(m_list);
    left->addLayout(listButtons);
    auto *right = new QVBoxLayout;
    right->addLayout(m_form);
    right->addWidget(m_problem);
    right->addStretch();
    right->addWidget(m_connect, 0, Qt::AlignRight);
    auto *columns = new QHBoxLayout;
    columns->addLayout(left, 1);
    columns->addLayout(right, 2);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(columns);
    layout->addWidget(m_buttons);

    connect(m_list, &QListWidget::currentRowChanged, this, &NetworkListDialog::showSelected);
    connect(m_list, &QListWidget::itemDoubleClicked, this, &NetworkListDialog::connectSelected);
    connect(m_add, &QPushButton::clicked, this, &NetworkListDialog::addNetwork);
    connect(m_remove, &QPushButton::clicked, this, &NetworkListDialog::removeNetwork);
    connect(m_connect, &QPushButton::clicked, this, &NetworkListDialog::connectSelected);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    for (QLineEdit *field : {m_name, m_host, m_nick, m_channels, m_account, m_password})
        connect(field, &QLineEdit::textEdited, this, &NetworkListDialog::takeFields);
    connect(m_port, &QSpinBox::valueChanged, this, &NetworkListDialog::takeFields);
    for (QCheckBox *box : {m_tls, m_connectOnStart})
        connect(box, &QCheckBox::toggled, this, &NetworkListDialog::takeFields);
}

// A label whose shortcut moves the focus to its field.
void NetworkListDialog::addLabelledRow(QWidget *field)
{
    auto *label = new QLabel(this);
    label->setBuddy(field);
    m_labels.insert(field, label);
    m_form->addRow(label, field);
}

void NetworkListDialog::retranslateUi()
{
    setWindowTitle(tr("Networks"));
    const auto label = [this](QWidget *field, const QString &text) {
        m_labels.value(field)->setText(text);
    };
    label(m_name, tr("&Name:"));
    label(m_host, tr("&Server:"));
    label(m_port, tr("&Port:"));
    label(m_nick, tr("N&ickname:"));
    label(m_channels, tr("&Channels:"));
    label(m_account, tr("Acco&unt:"));
    label(m_password, tr("Account pass&word:"));
    m_account->setToolTip(tr("Logged in to (SASL) when connecting; empty: none."));
    m_tls->setText(tr("Use &TLS"));
    m_connectOnStart->setText(tr("Connect when QtChat &starts"));
    m_channels->setPlaceholderText(tr("#lobby #help"));
    m_channels->setToolTip(tr("Joined after connecting; separate them with spaces."));
    m_add->setText(tr("&Add"));
    m_remove->setText(tr("&Remove"));
    m_connect->setText(tr("C&onnect"));
    updateProblem();
}

void NetworkListDialog::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QDialog::changeEvent(event);
}

int NetworkListDialog::selectedRow() const
{
    const int row = m_list->currentRow();
    return row >= 0 && row < m_networks.size() ? row : -1;
}

void NetworkListDialog::addNetwork()
{
    SavedNetwork network;
    network.name = NetworkList::unusedName(m_networks, tr("New network"));
    network.nick = AppSettings::instance()->nickname();
    network.channels = {QStringLiteral("#lobby")};
    m_networks.append(network);
    m_list->addItem(network.name);
    m_list->setCurrentRow(int(m_networks.size()) - 1);
    m_host->setFocus();
    save();
}

void NetworkListDialog::removeNetwork()
{
    const int row = selectedRow();
    if (row < 0)
        return;
    m_networks.removeAt(row);
    delete m_list->takeItem(row);
    save();
    showSelected();
}

void NetworkListDialog::connectSelected()
{
    const int row = selectedRow();
    if (row >= 0 && NetworkList::problem(m_networks.at(row)).isEmpty())
        Q_EMIT connectRequested(m_networks.at(row));
}

void NetworkListDialog::showSelected()
{
    const int row = selectedRow();
    const SavedNetwork network = row >= 0 ? m_networks.at(row) : SavedNetwork();
    m_showing = true;
    m_name->setText(network.name);
    m_host->setText(network.host);
    m_port->setValue(network.port);
    m_tls->setChecked(network.tls);
    m_nick->setText(network.nick);
    m_channels->setText(network.channels.join(u' '));
    m_account->setText(network.account);
    m_password->setText(network.password);
    m_connectOnStart->setChecked(network.connectOnStart);
    m_showing = false;
    for (QWidget *field :
         std::initializer_list<QWidget *> {m_name, m_host, m_port, m_tls, m_nick, m_channels,
                                           m_account, m_password, m_connectOnStart, m_remove})
        field->setEnabled(row >= 0);
    updateProblem();
}

void NetworkListDialog::takeFields()
{
    const int row = selectedRow();
    if (m_showing || row < 0)
        return;
    SavedNetwork &network = m_networks[row];
    network.name = m_name->text().trimmed();
    network.host = m_host->text().trimmed();
    network.port = quint16(m_port->value());
    network.tls = m_tls->isChecked();
    network.nick = m_nick->text().trimmed();
    network.channels = NetworkList::parseChannels(m_channels->text());
    network.account = m_account->text().trimmed();
    network.password = m_password->text(); // as typed: spaces are part of a password
    network.connectOnStart = m_connectOnStart->isChecked();
    m_list->item(row)->setText(network.name);
    save();
}

// Only a list of complete networks is kept: reading drops incomplete entries, so saving one
// would lose it.
void NetworkListDialog::save()
{
    updateProblem();
    for (const SavedNetwork &network : std::as_const(m_networks)) {
        if (!NetworkList::problem(network).isEmpty())
            return;
    }
    AppSettings::instance()->setNetworks(NetworkList::toJson(m_networks));
}

void NetworkListDialog::updateProblem()
{
    const int row = selectedRow();
    const QString problem = row >= 0 ? NetworkList::problem(m_networks.at(row)) : QString();
    m_connect->setEnabled(row >= 0 && problem.isEmpty());
    QStringList lines = m_loadProblems;
    if (!problem.isEmpty())
        lines.append(tr("Not saved yet: %1").arg(problem));
    m_problem->setText(lines.join(u'\n'));
    m_problem->setVisible(!lines.isEmpty());
}

QString NetworkListDialog::problemText() const
{
    return m_problem->text();
}

} // namespace App
