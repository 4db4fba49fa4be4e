#pragma once

#include "clientlib/channelsettings.h"

#include <QDialog>

namespace Client {
class ChatClient;
} // namespace Client
class QCheckBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QTabWidget;
class QTreeWidget;

namespace App {

// One channel's settings -- topic, key, user limit, the flags +i +m +n +t +s -- and its ban
// list. Only a channel operator may change them (anyone may change the topic of a channel
// without +t); otherwise everything is read-only and the dialog says why. Apply sends only
// what the user changed (ChannelSettings::modeChanges, and TOPIC); the fields show what the
// server confirmed, and follow changes made by anyone while the dialog is open.
class ChannelSettingsDialog : public QDialog
{
    Q_OBJECT

public:
    ChannelSettingsDialog(Client::ChatClient *client, const QString &channel,
                          QWidget *parent = nullptr);

    QString channel() const { return m_channel; }
    // What the fields say now, edits included.
    Client::ChannelSettings edited() const;
    // Sends what changed; false (and the reason in error()) when a field is not valid.
    bool apply();

    QLineEdit *topicEdit() const { return m_topic; }
    QLineEdit *keyEdit() const { return m_key; }
    QSpinBox *limitBox() const { return m_limit; }
    QCheckBox *flagBox(char flag) const;
    QTreeWidget *banList() const { return m_bans; }
    QLineEdit *banMaskEdit() const { return m_banMask; }
    QPushButton *addBanButton() const { return m_addBan; }
    QPushButton *removeBanButton() const { return m_removeBan; }
    QPushButton *applyButton() const;
    QLabel *notice() const { return m_notice; }
    QLabel *error() const { return m_error; }

protected:
    void changeEvent(QEvent *event) override;

private:
    QWidget *buildSettingsPage();
    QWidget *buildBansPage();
    void connectClient();
    void retranslateUi();
    void retranslateFlags();
    // Shows what the server says now; a field the user edited keeps the edit unless the
    // server changed that very setting meanwhile.
    void showServerState();
    void showChangedFields(const Client::ChannelSettings &now);
    void showBans();
    void updateEditable();
    QString whyReadOnly(bool joined, bool topicOpen) const;
    bool isOperator() const;
    void addBan();
    void removeSelectedBans();

    Client::ChatClient *m_client;
    QString m_channel;
    Client::ChannelSettings m_shown; // what the server said when the fields were last filled
    QTabWidget *m_pages;
    QLabel *m_topicLabel;
    QLineEdit *m_topic;
    QLabel *m_keyLabel;
    QLineEdit *m_key;
    QLabel *m_limitLabel;
    QSpinBox *m_limit;
    QList<QCheckBox *> m_flags; // in ChannelSettings::EditableFlags order
    QTreeWidget *m_bans;
    QLineEdit *m_banMask;
    QPushButton *m_addBan;
    QPushButton *m_removeBan;
    QLabel *m_notice; // why the fields cannot be changed
    QLabel *m_error; // why Apply or Add refused
    QDialogButtonBox *m_buttons;
};

} // namespace App
