#include "app/serverpanel.h"

#include "app/appsettings.h"
#include "app/processserver.h"

#include <QComboBox>
#include <QEvent>
#include <QGridLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>

namespace App {

namespace {

constexpr Server::ThreadingModel Models[]
    = {Server::ThreadingModel::PerConnection, Server::ThreadingModel::Pool,
       Server::ThreadingModel::Single};
// The threading box's item data for "Processes": not a ThreadingModel, the children keep theirs.
constexpr int ProcessesItem = -1;

} // namespace

ServerPanel::ServerPanel(QWidget *parent)
    : QWidget(parent),
      m_bind(new QLineEdit(this)),
      m_port(new QSpinBox(this)),
      m_threading(new QComboBox(this)),
      m_workers(new QSpinBox(this)),
      m_processes(new QSpinBox(this)),
      m_startStop(new QPushButton(this)),
      m_status(new QLabel(this)),
      m_bindWarning(new QLabel(this)),
      m_bindLabel(new QLabel(this)),
      m_portLabel(new QLabel(this)),
      m_threadingLabel(new QLabel(this)),
      m_workersLabel(new QLabel(this)),
      m_processesLabel(new QLabel(this))
{
    for (const auto &[spin, key] :
         {std::pair {m_port, SettingKey::Port}, std::pair {m_workers, SettingKey::Workers}}) {
        const Server::Range range
            = SettingsSchema::range(SettingsSchema::spec(key), SettingsSchema::Context::Settings);
        spin->setRange(int(range.minimum), int(range.maximum));
    }
    for (Server::ThreadingModel model : Models)
        m_threading->addItem(QString(), QVariant::fromValue(int(model)));
    m_threading->addItem(QString(), ProcessesItem);
    m_processes->setObjectName(QStringLiteral("processesBox"));
    m_processes->setRange(1, int(Server::ServerConfig::Processes.maximum));
    m_processes->setValue(ProcessServer::defaultProcessCount());
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_bindWarning->setObjectName(QStringLiteral("bindAddressWarning"));
    m_bindWarning->setWordWrap(true);
    m_bindWarning->setStyleSheet(QStringLiteral("color: #b26a00")); // the dialog's amber
    m_bindWarning->hide();
    auto *grid = new QGridLayout(this);
    grid->addWidget(m_bindLabel, 0, 0);
    grid->addWidget(m_bind, 0, 1);
    grid->addWidget(m_portLabel, 0, 2);
    grid->addWidget(m_port, 0, 3);
    grid->addWidget(m_threadingLabel, 1, 0);
    grid->addWidget(m_threading, 1, 1);
    grid->addWidget(m_workersLabel, 1, 2);
    grid->addWidget(m_workers, 1, 3);
    grid->addWidget(m_processesLabel, 1, 2);
    grid->addWidget(m_processes, 1, 3);
    grid->addWidget(m_startStop, 0, 4, 2, 1);
    grid->addWidget(m_bindWarning, 2, 0, 1, 5);
    grid->addWidget(m_status, 3, 0, 1, 5);
    grid->setColumnStretch(1, 1);
    connect(m_startStop, &QPushButton::clicked, this, [this] {
        if (m_state == Server::ServerController::State::Running)
            Q_EMIT stopRequested();
        else if (m_state == Server::ServerController::State::Stopped)
            Q_EMIT startRequested();
    });
    connect(m_threading, &QComboBox::currentIndexChanged, this, &ServerPanel::updateWorkersEnabled);
    connect(m_bind, &QLineEdit::textChanged, this, &ServerPanel::updateBindWarning);
    updateWorkersEnabled(); // one of the two counts is shown
    retranslateUi();
}

void ServerPanel::setConfig(const Server::ServerConfig &config)
{
    m_bind->setText(config.bindAddress.toString());
    m_port->setValue(config.port);
    m_threading->setCurrentIndex(
        config.processes > 0 ? ProcessesIndex : m_threading->findData(int(config.threading)));
    m_workers->setValue(config.workers);
    if (config.processes > 0)
        m_processes->setValue(config.processes);
}

Server::ServerConfig ServerPanel::config(const Server::ServerConfig &base, QString *error) const
{
    Server::ServerConfig config = base;
    if (!config.bindAddress.setAddress(m_bind->text().trimmed())) {
        *error = tr("'%1' is not an IP address. Use 127.0.0.1 for this computer only, or "
                    "0.0.0.0 for every network.")
                     .arg(m_bind->text());
        return config;
    }
    config.port = quint16(m_port->value());
    if (processesChosen()) {
        config.processes = m_processes->value();
    } else {
        config.processes = 0;
        config.threading = Server::ThreadingModel(m_threading->currentData().toInt());
        config.workers = m_workers->value();
    }
    *error = config.validate();
    return config;
}

void ServerPanel::setState(Server::ServerController::State state)
{
    m_state = state;
    const bool stopped = state == Server::ServerController::State::Stopped;
    for (QWidget *field : {static_cast<QWidget *>(m_bind), static_cast<QWidget *>(m_port),
                           static_cast<QWidget *>(m_threading)})
        field->setEnabled(stopped);
    updateWorkersEnabled();
    m_startStop->setEnabled(stopped || state == Server::ServerController::State::Running);
    if (state == Server::ServerController::State::Running)
        m_showingError = false;
    retranslateUi();
}

void ServerPanel::setStatus(const QString &text)
{
    if (m_showingError)
        return;
    m_status->setStyleSheet(QString());
    m_status->setText(text);
}

void ServerPanel::showError(const QString &text)
{
    m_showingError = true;
    m_status->setStyleSheet(QStringLiteral("color: #b03a2e"));
    m_status->setText(text);
}

QString ServerPanel::statusText() const
{
    return m_status->text();
}

bool ServerPanel::processesChosen() const
{
    return m_threading->currentData().toInt() == ProcessesItem;
}

void ServerPanel::updateWorkersEnabled()
{
    const bool processes = processesChosen();
    m_workers->setVisible(!processes);
    m_workersLabel->setVisible(!processes);
    m_processes->setVisible(processes);
    m_processesLabel->setVisible(processes);
    const bool stopped = m_state == Server::ServerController::State::Stopped;
    m_processes->setEnabled(stopped);
    m_workers->setEnabled(stopped
                          && Server::ThreadingModel(m_threading->currentData().toInt())
                              == Server::ThreadingModel::Pool);
}

void ServerPanel::updateBindWarning()
{
    // Listening beyond this computer is an explicit choice; the panel can make it without the
    // settings dialog, so it says so here as well, in the same words.
    const QString warning = AppSettings::bindAddressWarning(m_bind->text());
    m_bindWarning->setText(warning);
    m_bindWarning->setVisible(!warning.isEmpty());
}

void ServerPanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void ServerPanel::retranslateUi()
{
    m_bindLabel->setText(tr("Address:"));
    m_portLabel->setText(tr("Port:"));
    m_threadingLabel->setText(tr("Threading:"));
    m_workersLabel->setText(tr("Workers:"));
    m_processesLabel->setText(tr("Processes:"));
    m_workers->setSpecialValueText(tr("automatic"));
    m_threading->setItemText(0, tr("Thread per connection"));
    m_threading->setItemText(1, tr("Worker pool"));
    m_threading->setItemText(2, tr("Single thread"));
    m_threading->setItemText(ProcessesIndex, tr("Processes"));
    showStateInStatus();
    updateBindWarning();
    m_threading->setToolTip(
        tr("Per connection: one QThread per client, as in the tutorial. Pool: a few long-lived "
           "threads share the clients. Single: one thread serves everyone. Processes: several "
           "server processes share the port and form one network through Redis, each serving "
           "its share of the clients with its own threads."));
    m_processes->setToolTip(tr("How many server processes share the port. Without a cluster in "
                               "Settings, a private redis-server joins them."));
}

void ServerPanel::showStateInStatus()
{
    switch (m_state) {
    case Server::ServerController::State::Stopped:
        m_startStop->setText(tr("Start"));
        setStatus(tr("Stopped. Choose a threading model and press Start."));
        break;
    case Server::ServerController::State::Starting:
        m_startStop->setText(tr("Starting…"));
        setStatus(tr("Starting…"));
        break;
    case Server::ServerController::State::Running:
        m_startStop->setText(tr("Stop"));
        break;
    case Server::ServerController::State::Stopping:
        m_startStop->setText(tr("Stopping…"));
        setStatus(tr("Stopping: every client gets the lines already sent, then the threads "
                     "end."));
        break;
    }
}

} // namespace App
