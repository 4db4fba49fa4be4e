#pragma once

#include <QList>
#include <QSslCertificate>
#include <QStringList>
#include <QWidget>

namespace Client {
class ChatClient;
struct SavedNetwork;
} // namespace Client
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace App {

class ChatWidget;

// File → New Client Window: a separate window with its own connection, for chatting with
// the other windows (or any IRC server). Closing it quits its connection cleanly.
class ClientWindow : public QWidget
{
    Q_OBJECT

public:
    ClientWindow(const QString &host, quint16 port, const QString &nick, QWidget *parent = nullptr);
    ~ClientWindow() override;

    Client::ChatClient *client() const { return m_client; }
    ChatWidget *chat() const { return m_chat; }
    void connectToServer();
    // TLS for the next connection, trusting `pinned` as the server's certificate.
    void useTls(const QList<QSslCertificate> &pinned);
    // A saved network's server, nick, TLS (the system's CAs), channels and account, and its
    // name in the title.
    void useNetwork(const Client::SavedNetwork &network);

protected:
    void closeEvent(QCloseEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void updateState();
    void toggleConnection();

    Client::ChatClient *m_client;
    QLineEdit *m_host;
    QSpinBox *m_port;
    QLineEdit *m_nick;
    QPushButton *m_connect;
    QLabel *m_state;
    ChatWidget *m_chat;
    QString m_networkName;
    QStringList m_channels {QStringLiteral("#lobby")};
    // A saved network's account, logged in to until the Log In dialog names another.
    QString m_account;
    QString m_accountPassword;
    bool m_tls = false;
    QList<QSslCertificate> m_pinned;
};

} // namespace App
