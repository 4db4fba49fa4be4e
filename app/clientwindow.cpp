#include "app/clientwindow.h"

#include "app/chatwidget.h"
#include "clientlib/chatclient.h"
#include "clientlib/savednetwork.h"

#include <QCloseEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace App {

ClientWindow::ClientWindow(const QString &host, quint16 port, const QString &nick, QWidget *parent)
    : QWidget(parent, Qt::Window),
      m_client(new Client::ChatClient(this)),
      m_host(new QLineEdit(host, this)),
      m_port(new QSpinBox(this)),
      m_nick(new QLineEdit(nick, this)),
      m_connect(new QPushButton(this)),
      m_state(new QLabel(this)),
      m_chat(new ChatWidget(m_client, this))
{
    setAttribute(Qt::WA_DeleteOnClose);
    m_port->setRange(1, 65535);
    m_port->setValue(port);
    auto *bar = new QHBoxLayout;
    bar->addWidget(m_host, 3);
    bar->addWidget(m_port, 1);
    bar->addWidget(m_nick, 2);
    bar->addWidget(m_connect);
    bar->addWidget(m_state, 2);
    auto *layout = new QVBoxLayout(this);
    auto *menus = new QMenuBar(this);
    menus->addMenu(m_chat->chatMenu());
    layout->setMenuBar(menus);
    layout->addLayout(bar);
    layout->addWidget(m_chat);
    connect(m_connect, &QPushButton::clicked, this, &ClientWindow::toggleConnection);
    connect(m_client, &Client::ChatClient::stateChanged, this, &ClientWindow::updateState);
    connect(m_client, &Client::ChatClient::nickChanged, this,
            [this](const QString &, const QString &nick, bool self) {
                if (self)
                    m_nick->setText(nick);
                retranslateUi();
            });
    connect(m_chat, &ChatWidget::unreadChanged, this, &ClientWindow::retranslateUi);
    connect(m_client, &Client::ChatClient::awayChanged, this, &ClientWindow::retranslateUi);
    connect(m_client, &Client::ChatClient::loggedIn, this, &ClientWindow::retranslateUi);
    connect(m_client, &Client::ChatClient::loggedOut, this, &ClientWindow::retranslateUi);
    resize(760, 520);
    retranslateUi();
}

ClientWindow::~ClientWindow() = default;

void ClientWindow::connectToServer()
{
    Client::ClientSettings settings;
    settings.host = m_host->text().trimmed();
    settings.port = quint16(m_port->value());
    settings.nick = m_nick->text().trimmed();
    settings.channels = m_channels;
    settings.tls = m_tls;
    settings.pinnedCertificates = m_pinned;
    // The account last logged in to (from the Log In dialog), else the saved network's.
    const Client::ClientSettings &last = m_client->settings();
    const bool keepLast = !last.account.isEmpty();
    settings.account = keepLast ? last.account : m_account;
    settings.accountPassword = keepLast ? last.accountPassword : m_accountPassword;
    m_client->connectToServer(settings);
}

void ClientWindow::useTls(const QList<QSslCertificate> &pinned)
{
    m_tls = true;
    m_pinned = pinned;
}

void ClientWindow::useNetwork(const Client::SavedNetwork &network)
{
    m_networkName = network.name;
    m_host->setText(network.host);
    m_port->setValue(network.port);
    m_nick->setText(network.nick);
    m_channels = network.channels;
    m_tls = network.tls;
    m_pinned.clear();
    m_account = network.account;
    m_accountPassword = network.password;
    retranslateUi();
}

void ClientWindow::toggleConnection()
{
    if (m_client->state() == Client::ChatClient::State::Disconnected
        && !m_client->isReconnectPending())
        connectToServer();
    else
        m_client->disconnectFromServer(tr("Disconnected by user"));
}

void ClientWindow::closeEvent(QCloseEvent *event)
{
    // The client outlives its window until the server has read our QUIT and closed: deleting
    // it now could reset the connection before the reason got through.
    Client::ChatClient *client = m_client;
    client->setParent(nullptr);
    if (client->state() == Client::ChatClient::State::Disconnected) {
        client->deleteLater();
    } else {
        connect(client, &Client::ChatClient::stateChanged, client,
                [client](Client::ChatClient::State state) {
                    if (state == Client::ChatClient::State::Disconnected)
                        client->deleteLater();
                });
        client->disconnectFromServer(tr("Window closed"));
    }
    event->accept();
}

void ClientWindow::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void ClientWindow::updateState()
{
    retranslateUi();
}

void ClientWindow::retranslateUi()
{
    const QString title = m_networkName.isEmpty()
        ? tr("QtChat client — %1").arg(m_nick->text())
        : tr("%1 — %2").arg(m_networkName, m_nick->text());
    setWindowTitle(m_chat->decoratedTitle(title));
    m_host->setPlaceholderText(tr("Server address"));
    m_nick->setPlaceholderText(tr("Nickname"));
    const bool offline = m_client->state() == Client::ChatClient::State::Disconnected;
    m_connect->setText(offline ? tr("Connect") : tr("Disconnect"));
    switch (m_client->state()) {
    case Client::ChatClient::State::Disconnected:
        m_state->setText(tr("Offline"));
        break;
    case Client::ChatClient::State::Connecting:
        m_state->setText(tr("Connecting…"));
        break;
    case Client::ChatClient::State::Registering:
        m_state->setText(tr("Signing in…"));
        break;
    case Client::ChatClient::State::Connected:
        m_state->setText(m_client->isAway() ? tr("Away as %1").arg(m_client->nick())
                                            : tr("Online as %1").arg(m_client->nick()));
        if (!m_client->account().isEmpty())
            m_state->setText(tr("%1, logged in as %2").arg(m_state->text(), m_client->account()));
        break;
    }
}

} // namespace App
