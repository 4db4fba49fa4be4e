#pragma once

#include "serverlib/servercontroller.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace App {

// The server's controls: where to listen, which threading model — or several processes
// (ServerConfig::processes) — Start/Stop, and a status line.
// An address other computers can reach gets a warning line while it is in the field. While the
// server starts or stops, the button says so and takes no click.
class ServerPanel : public QWidget
{
    Q_OBJECT

public:
    explicit ServerPanel(QWidget *parent = nullptr);

    void setConfig(const Server::ServerConfig &config);
    // The fields over `base`; an empty *error when they make a valid config.
    Server::ServerConfig config(const Server::ServerConfig &base, QString *error) const;

    // Enables what may change in `state` and shows it; the status line says what the server
    // does, except while it runs (the window shows its figures then, setStatus()).
    void setState(Server::ServerController::State state);
    Server::ServerController::State state() const { return m_state; }
    void setStatus(const QString &text);
    // Shown in the window, in red, until the next start.
    void showError(const QString &text);
    QString statusText() const;
    QPushButton *startStopButton() const { return m_startStop; }
    QComboBox *threadingBox() const { return m_threading; }
    // The threading box's item that runs the server as processes, and their count.
    static constexpr int ProcessesIndex = 3;
    QSpinBox *processesBox() const { return m_processes; }
    QLineEdit *bindEdit() const { return m_bind; }
    // Visible while the address is not a loopback one; named "bindAddressWarning".
    QLabel *bindWarning() const { return m_bindWarning; }

Q_SIGNALS:
    void startRequested();
    void stopRequested();

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void showStateInStatus();
    void updateWorkersEnabled();
    bool processesChosen() const;
    void updateBindWarning();

    QLineEdit *m_bind;
    QSpinBox *m_port;
    QComboBox *m_threading;
    QSpinBox *m_workers;
    QSpinBox *m_processes; // where m_workers is, while "Processes" is chosen
    QPushButton *m_startStop;
    QLabel *m_status;
    QLabel *m_bindWarning;
    QLabel *m_bindLabel, *m_portLabel, *m_threadingLabel, *m_workersLabel, *m_processesLabel;
    Server::ServerController::State m_state = Server::ServerController::State::Stopped;
    bool m_showingError = false;
};

} // namespace App
