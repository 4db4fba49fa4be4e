#pragma once

#include <QDialog>

namespace Client {
class ChatClient;
} // namespace Client
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace App {

// Chat → Log In…: an account and its password for one chat's connection. Log In connects
// anew and logs in while registering (SASL PLAIN), and from then on on every reconnect;
// Register This Nick registers the current nick as an account with the password
// (draft/account-registration), where the server offers that. The dialog stays open with the
// server's verdict until it succeeds. The password is typed hidden and forgotten on closing.
class LoginDialog : public QDialog
{
    Q_OBJECT

public:
    explicit LoginDialog(Client::ChatClient *client, QWidget *parent = nullptr);

    QLineEdit *accountEdit() const { return m_account; }
    QLineEdit *passwordEdit() const { return m_password; }
    QPushButton *logInButton() const { return m_logIn; }
    QPushButton *registerButton() const { return m_register; }
    // What is going on, or why the last attempt failed.
    QLabel *statusLabel() const { return m_status; }

    void done(int result) override;

protected:
    void changeEvent(QEvent *event) override;

private:
    void buildLayout();
    void connectClient();
    void retranslateUi();
    void updateButtons();
    void logIn();
    void registerNick();
    void succeed(const QString &text);
    void showStatus(const QString &text, bool problem);

    Client::ChatClient *m_client;
    QLabel *m_accountLabel;
    QLineEdit *m_account;
    QLabel *m_passwordLabel;
    QLineEdit *m_password;
    QLabel *m_registerHint;
    QLabel *m_status;
    QPushButton *m_logIn;
    QPushButton *m_register;
    QDialogButtonBox *m_buttons;
};

} // namespace App
