#pragma once

#include "clientlib/savednetwork.h"

#include <QDialog>
#include <QHash>
#include <QList>

class QCheckBox;
class QDialogButtonBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QSpinBox;

namespace App {

// File → Networks: the servers the user keeps, as HexChat's network list — where, as whom,
// which channels to join, whether to connect when the app starts. A change is kept in the
// settings as soon as every network in the list is complete; until then the dialog says what
// is missing and keeps the last complete list.
class NetworkListDialog : public QDialog
{
    Q_OBJECT

public:
    explicit NetworkListDialog(QWidget *parent = nullptr);

    QList<Client::SavedNetwork> networks() const { return m_networks; }
    QListWidget *list() const { return m_list; }
    QPushButton *addButton() const { return m_add; }
    QPushButton *removeButton() const { return m_remove; }
    QPushButton *connectButton() const { return m_connect; }
    QString problemText() const;

Q_SIGNALS:
    void connectRequested(const Client::SavedNetwork &network);

protected:
    void changeEvent(QEvent *event) override;

private:
    void buildUi();
    void addLabelledRow(QWidget *field);
    void retranslateUi();
    void addNetwork();
    void removeNetwork();
    void connectSelected();
    void showSelected();
    void takeFields();
    void save();
    void updateProblem();
    int selectedRow() const;

    QListWidget *m_list;
    QFormLayout *m_form;
    QHash<QWidget *, QLabel *> m_labels;
    QLineEdit *m_name;
    QLineEdit *m_host;
    QSpinBox *m_port;
    QCheckBox *m_tls;
    QLineEdit *m_nick;
    QLineEdit *m_channels;
    QLineEdit *m_account;
    QLineEdit *m_password;
    QCheckBox *m_connectOnStart;
    QLabel *m_problem;
    QPushButton *m_add;
    QPushButton *m_remove;
    QPushButton *m_connect;
    QDialogButtonBox *m_buttons;
    QList<Client::SavedNetwork> m_networks;
    QStringList m_loadProblems; // what reading the saved list left out
    bool m_showing = false; // the fields are being filled in, not edited
};

} // namespace App
