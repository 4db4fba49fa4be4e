#include "app/logindialog.h"

#include "clientlib/chatclient.h"

#include <QDialogButtonBox>
#include <QEvent>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace App {

LoginDialog::LoginDialog(Client::ChatClient *client, QWidget *parent)
    : QDialog(parent),
      m_client(client),
      m_accountLabel(new QLabel(this)),
      m_account(new QLineEdit(this)),
      m_passwordLabel(new QLabel(this)),
      m_password(new QLineEdit(this)),
      m_registerHint(new QLabel(this)),
      m_status(new QLabel(this)),
      m_logIn(new QPushButton(this)),
      m_register(new QPushButton(this)),
      m_buttons(new QDialogButtonBox(QDialogButtonBox::Close, this))
{
    setObjectName(QStringLiteral("loginDialog"));
    m_account->setObjectName(QStringLiteral("account"));
    m_password->setObjectName(QStringLiteral("password"));
    m_password->setEchoMode(QLineEdit::Password);
    m_logIn->setObjectName(QStringLiteral("logIn"));
    m_register->setObjectName(QStringLiteral("registerNick"));
    m_status->setObjectName(QStringLiteral("loginStatus"));
    m_status->setWordWrap(true);
    m_registerHint->setWordWrap(true);
    QString account = client->account();
    if (account.isEmpty())
        account = client->settings().account;
    m_account->setText(account.isEmpty() ? client->nick() : account);
    buildLayout();
    connectClient();
    retranslateUi();
}

void LoginDialog::buildLayout()
{
    auto *form = new QFormLayout;
    form->addRow(m_accountLabel, m_account);
    form->addRow(m_passwordLabel, m_password);
    m_accountLabel->setBuddy(m_account);
    m_passwordLabel->setBuddy(m_password);
    m_buttons->addButton(m_logIn, QDialogButtonBox::ActionRole);
    m_buttons->addButton(m_register, QDialogButtonBox::ActionRole);
    m_logIn->setDefault(true);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_registerHint);
    layout->addWidget(m_status);
    layout->addWidget(m_buttons);
}

void LoginDialog::connectClient()
{
    connect(m_logIn, &QPushButton::clicked, this, &LoginDialog::logIn);
    connect(m_register, &QPushButton::clicked, this, &LoginDialog::registerNick);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_account, &QLineEdit::textChanged, this, &LoginDialog::updateButtons);
    connect(m_password, &QLineEdit::textChanged, this, &LoginDialog::updateButtons);
    connect(m_client, &Client::ChatClient::stateChanged, this, &LoginDialog::retranslateUi);
    connect(m_client, &Client::ChatClient::nickChanged, this, &LoginDialog::retranslateUi);
    connect(m_client, &Client::ChatClient::loggedIn, this,
            [this](const QString &account) { succeed(tr("Logged in as %1.").arg(account)); });
    connect(m_client, &Client::ChatClient::accountRegistered, this, [this](const QString &account) {
        succeed(tr("Registered the account %1; you are logged in to it.").arg(account));
    });
    connect(m_client, &Client::ChatClient::loginFailed, this,
            [this](const QString &reason) { showStatus(reason, true); });
    connect(m_client, &Client::ChatClient::accountRegistrationFailed, this,
            [this](const QString &reason) {
                showStatus(tr("The nickname was not registered: %1").arg(reason), true);
            });
}

void LoginDialog::retranslateUi()
{
    setWindowTitle(tr("Log In"));
    m_accountLabel->setText(tr("&Account:"));
    m_passwordLabel->setText(tr("&Password:"));
    m_logIn->setText(tr("&Log In"));
    m_register->setText(tr("&Register This Nick"));
    m_logIn->setToolTip(tr("Connects again and logs in while connecting (SASL)."));
    if (!m_client->isRegistered())
        m_registerHint->setText(tr("Connect to register your nickname as an account."));
    else if (!m_client->canRegisterAccount())
        m_registerHint->setText(tr("This server does not offer account registration."));
    else
        m_registerHint->setText(
            tr("Register This Nick makes your nickname, %1, an account with this password.")
                .arg(m_client->nick()));
    updateButtons();
}

void LoginDialog::updateButtons()
{
    const bool hasPassword = !m_password->text().isEmpty();
    m_logIn->setEnabled(hasPassword && !m_account->text().trimmed().isEmpty());
    m_register->setEnabled(hasPassword && m_client->canRegisterAccount());
}

void LoginDialog::logIn()
{
    const QString account = m_account->text().trimmed();
    m_client->logIn(account, m_password->text());
    if (m_client->state() == Client::ChatClient::State::Disconnected)
        showStatus(tr("Not connected: you will be logged in as %1 when connecting.").arg(account),
                   false);
    else
        showStatus(tr("Logging in as %1…").arg(account), false);
}

void LoginDialog::registerNick()
{
    showStatus(tr("Registering %1…").arg(m_client->nick()), false);
    m_client->registerAccount(m_password->text());
}

void LoginDialog::succeed(const QString &text)
{
    showStatus(text, false);
    accept();
}

void LoginDialog::showStatus(const QString &text, bool problem)
{
    m_status->setText(text);
    m_status->setStyleSheet(problem ? QStringLiteral("color: #c62828;") : QString());
}

void LoginDialog::done(int result)
{
    m_password->clear(); // not kept in a hidden dialog's memory longer than needed
    QDialog::done(result);
}

void LoginDialog::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QDialog::changeEvent(event);
}

} // namespace App
