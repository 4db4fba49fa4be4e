#include "app/mainwindow.h"

#include "app/appsettings.h"
#include "app/chatwidget.h"
#include "app/clientwindow.h"
#include "app/languagemanager.h"
#include "app/loadpanel.h"
#include "app/logview.h"
#include "app/networklistdialog.h"
#include "app/processserver.h"
#include "app/serverpanel.h"
#include "app/settingsdialog.h"
#include "app/threadsview.h"
#include "app/trayicon.h"
#include "clientlib/chatclient.h"
#include "clientlib/savednetwork.h"
#include "clusterlib/redisconnection.h"

#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QSplitter>
#include <QSslCertificate>
#include <QStatusBar>
#include <QTimer>
#include <QVBoxLayout>

namespace App {

namespace {

const QString SystemLanguage = QStringLiteral("system");
// How long a close waits for the server to stop: past the server's own deadline, after which it
// reports the threads that did not end and stops anyway.
constexpr int CloseBoundMs = Server::ChatServer::StopDeadlineMs + 2000;

double totalMessagesPerSecond(const QList<Server::ThreadStats> &threads)
{
    double total = 0;
    for (const Server::ThreadStats &thread : threads)
        total += thread.messagesPerSecond;
    return total;
}

LogLevel logLevelOf(QtMsgType type)
{
    switch (type) {
    case QtDebugMsg:
        return LogLevel::Debug;
    case QtInfoMsg:
        return LogLevel::Info;
    case QtWarningMsg:
        return LogLevel::Warning;
    case QtCriticalMsg:
    case QtFatalMsg:
        break;
    }
    return LogLevel::Error;
}

} // namespace

MainWindow::MainWindow(const QString &nick, QWidget *parent)
    : QMainWindow(parent),
      m_processes(new ProcessServer(this)),
      m_paneClient(new Client::ChatClient(this)),
      m_panel(new ServerPanel(this)),
      m_threads(new ThreadsView(this)),
      m_chat(new ChatWidget(m_paneClient, this)),
      m_log(new LogView(this)),
      m_load(new LoadPanel(this)),
      m_language(new LanguageManager(this)),
      m_tray(new TrayIcon(this)),
      m_nickOverride(nick)
{
    m_language->apply(AppSettings::instance()->language());
    setCentralWidget(m_chat);
    buildDocks();
    buildMenus();
    m_panel->setConfig(AppSettings::instance()->serverConfig());
    m_log->setLineCap(AppSettings::instance()->logLineCap());
    connect(AppSettings::instance(), &AppSettings::logLineCapChanged, m_log, &LogView::setLineCap);
    connect(m_panel, &ServerPanel::startRequested, this, &MainWindow::startServer);
    connect(m_panel, &ServerPanel::stopRequested, this, &MainWindow::stopServer);
    connect(m_load, &LoadPanel::restartServerRequested, this, [this] {
        stopServer();
        startServer(); // the controller starts it once it has stopped
    });
    connectServer();
    connectPaneClient();
    m_tray->watch(m_chat);
    connect(m_chat, &ChatWidget::unreadChanged, this, &MainWindow::updateTitle);
    restoreLayout();
    retranslateUi();
}

MainWindow::~MainWindow()
{
    // The bots leave before the server goes (with it, in m_server's destructor, if it still
    // runs: a close waits for the stop, a plain delete does not).
    m_load->serverStopping();
}

void MainWindow::buildDocks()
{
    auto *serverSide = new QWidget(this);
    auto *layout = new QVBoxLayout(serverSide);
    layout->addWidget(m_panel);
    layout->addWidget(m_threads, 1);
    m_serverDock = new QDockWidget(this);
    m_serverDock->setObjectName(QStringLiteral("serverDock"));
    m_serverDock->setWidget(serverSide);
    addDockWidget(Qt::LeftDockWidgetArea, m_serverDock);
    m_logDock = new QDockWidget(this);
    m_logDock->setObjectName(QStringLiteral("logDock"));
    m_logDock->setWidget(m_log);
    addDockWidget(Qt::BottomDockWidgetArea, m_logDock);
    m_loadDock = new QDockWidget(this);
    m_loadDock->setObjectName(QStringLiteral("loadDock"));
    m_loadDock->setWidget(m_load);
    addDockWidget(Qt::LeftDockWidgetArea, m_loadDock); // under the threads view, both in sight
    // The log spans the chat only: the left column keeps the window's full height, which the
    // server panel, the threads and the load lab need to be read without scrolling.
    setCorner(Qt::BottomLeftCorner, Qt::LeftDockWidgetArea);
}

void MainWindow::buildMenus()
{
    m_fileMenu = menuBar()->addMenu(QString());
    m_newClient = m_fileMenu->addAction(QString(), this, &MainWindow::openClientWindow);
    m_newClient->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_N));
    m_networks = m_fileMenu->addAction(QString(), this, &MainWindow::openNetworkList);
    m_networks->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_N));
    m_settings = m_fileMenu->addAction(QString(), this, &MainWindow::openSettings);
    m_settings->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Comma));
    m_fileMenu->addSeparator();
    m_quit = m_fileMenu->addAction(QString(), this, &QWidget::close);
    m_quit->setShortcut(QKeySequence::Quit);

    menuBar()->addMenu(m_chat->chatMenu()); // the chat pane's own, translated by it

    m_languageMenu = menuBar()->addMenu(QString());
    m_languages = new QActionGroup(this);
    for (const QString &code : {SystemLanguage, QStringLiteral("en"), QStringLiteral("zh_CN")}) {
        QAction *action = m_languageMenu->addAction(QString());
        action->setData(code);
        action->setCheckable(true);
        action->setChecked(code == AppSettings::instance()->language());
        m_languages->addAction(action);
    }
    connect(m_languages, &QActionGroup::triggered, this,
            [this](QAction *action) { setLanguage(action->data().toString()); });

    m_helpMenu = menuBar()->addMenu(QString());
    m_about = m_helpMenu->addAction(QString(), this, [this] {
        QMessageBox::about(this, tr("About QtChat"),
                           tr("QtChat %1\nA threaded IRC-subset chat server you can watch, and "
                              "its client.")
                               .arg(QStringLiteral(QTCHAT_VERSION)));
    });
}

void MainWindow::updateTitle()
{
    setWindowTitle(m_chat->decoratedTitle(tr("QtChat")));
}

void MainWindow::retranslateUi()
{
    updateTitle();
    m_serverDock->setWindowTitle(tr("Server"));
    m_logDock->setWindowTitle(tr("Log"));
    m_loadDock->setWindowTitle(tr("Load"));
    m_fileMenu->setTitle(tr("&File"));
    m_newClient->setText(tr("New &Client Window"));
    m_networks->setText(tr("&Networks…"));
    m_settings->setText(tr("&Settings…"));
    m_quit->setText(tr("&Quit"));
    m_languageMenu->setTitle(tr("&Language"));
    const QList<QAction *> languages = m_languages->actions();
    languages[0]->setText(tr("System"));
    languages[1]->setText(QStringLiteral("English"));
    languages[2]->setText(QStringLiteral("中文"));
    m_helpMenu->setTitle(tr("&Help"));
    m_about->setText(tr("&About QtChat"));
}

void MainWindow::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QMainWindow::changeEvent(event);
}

void MainWindow::setLanguage(const QString &language)
{
    AppSettings::instance()->setLanguage(language);
    m_language->apply(AppSettings::instance()->language());
    for (QAction *action : m_languages->actions())
        action->setChecked(action->data().toString() == AppSettings::instance()->language());
}

void MainWindow::connectServer()
{
    connect(&m_server, &Server::ServerController::started, this, &MainWindow::serverStarted);
    connect(&m_server, &Server::ServerController::startFailed, this,
            &MainWindow::serverStartFailed);
    connect(&m_server, &Server::ServerController::stopping, this,
            [this] { m_panel->setState(Server::ServerController::State::Stopping); });
    connect(&m_server, &Server::ServerController::stopped, this, &MainWindow::serverStopped);
    connect(&m_server, &Server::ServerController::threadsStranded, this,
            [this](const QStringList &names) {
                m_threadsStranded = true;
                log(LogLevel::Error, tr("main"),
                    tr("Thread(s) %1 did not end in time; they are left to end by themselves.")
                        .arg(names.join(QStringLiteral(", "))));
            });
    connect(&m_server, &Server::ServerController::messagesRelayed, this, &MainWindow::logRelayed);
    connect(&m_server, &Server::ServerController::statsUpdated, this, &MainWindow::showStats);
    connect(&m_server, &Server::ServerController::clusterLinkChanged, this,
            &MainWindow::clusterLinkChanged);
    connectServerEvents();
    connectProcessServer();
}

void MainWindow::connectProcessServer()
{
    connect(m_processes, &ProcessServer::started, this, &MainWindow::serverStarted);
    connect(m_processes, &ProcessServer::startFailed, this, &MainWindow::serverStartFailed);
    connect(m_processes, &ProcessServer::stopping, this,
            [this] { m_panel->setState(Server::ServerController::State::Stopping); });
    connect(m_processes, &ProcessServer::stopped, this, &MainWindow::serverStopped);
    connect(m_processes, &ProcessServer::statsUpdated, this, &MainWindow::showProcessStats);
    connect(m_processes, &ProcessServer::clusterLinkChanged, this, &MainWindow::clusterLinkChanged);
    // Each line names its process ("host-1 4242"); the line itself names the thread.
    connect(m_processes, &ProcessServer::logLine, this,
            [this](const QString &process, QtMsgType type, const QString &text) {
                log(logLevelOf(type), process, text);
            });
}

Server::ServerController::State MainWindow::serverState() const
{
    return runsProcesses() ? m_processes->state() : m_server.state();
}

bool MainWindow::runsProcesses() const
{
    return m_processes->state() != Server::ServerController::State::Stopped;
}

const Server::ServerConfig &MainWindow::servedConfig() const
{
    return runsProcesses() ? m_processes->config() : m_server.config();
}

quint16 MainWindow::servedPort() const
{
    return runsProcesses() ? m_processes->config().port : m_server.serverPort();
}

void MainWindow::connectServerEvents()
{
    connect(&m_server, &Server::ServerController::clientConnected, this,
            [this](quint32 id, const QString &peer, const QString &thread) {
                log(LogLevel::Info, thread,
                    tr("client %1 connected from %2, served by %3").arg(id).arg(peer, thread));
            });
    connect(&m_server, &Server::ServerController::clientRegistered, this,
            [this](quint32 id, const QString &nick, const QString &thread) {
                log(LogLevel::Info, thread, tr("client %1 registered as %2").arg(id).arg(nick));
            });
    connect(&m_server, &Server::ServerController::clientDisconnected, this,
            [this](quint32 id, const QString &nick, const QString &reason, const QString &thread) {
                log(LogLevel::Info, thread,
                    tr("client %1 (%2) disconnected: %3").arg(id).arg(nick, reason));
            });
}

void MainWindow::logRelayed(const QList<Server::RelayedMessage> &messages)
{
    for (const Server::RelayedMessage &message : messages) {
        const QString route
            = message.target.isEmpty() ? message.from : message.from + u" → " + message.target;
        log(LogLevel::Debug, message.thread,
            tr("Message received from client: %1").arg(message.text) + u"  [" + route + u']');
    }
}

void MainWindow::connectPaneClient()
{
    connect(m_paneClient, &Client::ChatClient::errorOccurred, this,
            [this](const QString &message) { log(LogLevel::Warning, tr("chat pane"), message); });
}

void MainWindow::startServer()
{
    QString error;
    Server::ServerConfig config = m_panel->config(AppSettings::instance()->serverConfig(), &error);
    config.limits.noLimits = config.limits.noLimits || m_load->liftsLimits();
    if (!error.isEmpty()) {
        serverStartFailed(error);
        return;
    }
    if (serverState() == Server::ServerController::State::Stopping) {
        m_startWhenStopped = true; // the Load panel's restart
        return;
    }
    if (serverState() != Server::ServerController::State::Stopped)
        return;
    m_panel->setState(Server::ServerController::State::Starting);
    m_links.clear();
    m_threads->clear();
    m_threads->setShowsProcesses(config.processes > 0);
    if (config.processes > 0)
        m_processes->start(config);
    else
        m_server.start(config);
}

void MainWindow::serverStartFailed(const QString &reason)
{
    m_panel->setState(serverState());
    m_panel->showError(reason);
    log(LogLevel::Error, tr("main"), reason);
}

void MainWindow::serverStarted()
{
    const Server::ServerConfig &config = servedConfig();
    AppSettings *settings = AppSettings::instance();
    settings->setBindAddress(config.bindAddress.toString());
    settings->setPort(config.port);
    settings->setThreadingModel(Server::threadingModelName(config.threading));
    settings->setWorkers(config.workers);
    settings->setProcesses(config.processes);
    m_panel->setState(Server::ServerController::State::Running);
    m_load->serverStarted(localHostForClients(), servedPort(), config.limits.noLimits);
    if (runsProcesses())
        log(LogLevel::Info, tr("main"),
            tr("Listening on %1 port %2 with %n server process(es)", nullptr, config.processes)
                .arg(config.bindAddress.toString())
                .arg(servedPort()));
    else
        log(LogLevel::Info, tr("main"),
            tr("Listening on %1 port %2 with %3 threading")
                .arg(config.bindAddress.toString())
                .arg(servedPort())
                .arg(Server::threadingModelName(config.threading)));
    Client::ClientSettings client;
    client.host = localHostForClients();
    client.port = servedPort();
    client.nick = m_nickOverride.isEmpty() ? settings->nickname() : m_nickOverride;
    client.channels = {settings->autoJoinChannel()};
    client.account = settings->account();
    client.accountPassword = settings->accountPassword();
    // A TLS-only server: the app's own windows trust exactly the certificate it serves.
    client.tls = !config.tlsCertificatePath.isEmpty();
    if (client.tls)
        client.pinnedCertificates = QSslCertificate::fromPath(config.tlsCertificatePath);
    m_paneClient->connectToServer(client);
}

void MainWindow::stopServer()
{
    const Server::ServerController::State state = serverState();
    if (state == Server::ServerController::State::Stopped
        || state == Server::ServerController::State::Stopping)
        return;
    m_paneClient->disconnectFromServer(tr("Server stopping"));
    // The bots leave first, so that none of them sees the server close on it.
    m_load->serverStopping();
    // The processes end first, then their redis-server: ProcessServer::stop().
    if (runsProcesses())
        m_processes->stop();
    else
        m_server.stop();
}

void MainWindow::serverStopped()
{
    m_panel->setState(serverState());
    const bool processes = m_threads->showsProcesses();
    m_threads->clear();
    m_links.clear();
    log(LogLevel::Info, tr("main"),
        processes               ? tr("Server stopped; every process ended, then Redis.")
            : m_threadsStranded ? tr("Server stopped.")
                                : tr("Server stopped; every thread ended."));
    m_threadsStranded = false;
    if (std::exchange(m_startWhenStopped, false))
        startServer();
}

QString MainWindow::localHostForClients() const
{
    const QHostAddress bound
        = runsProcesses() ? m_processes->config().bindAddress : m_server.serverAddress();
    if (bound == QHostAddress::Any || bound == QHostAddress::AnyIPv4)
        return QStringLiteral("127.0.0.1");
    if (bound == QHostAddress::AnyIPv6)
        return QStringLiteral("::1");
    return bound.toString();
}

ClientWindow *MainWindow::openClientWindow()
{
    const bool running = serverState() == Server::ServerController::State::Running;
    const quint16 port = running ? servedPort() : quint16(AppSettings::instance()->port());
    auto *window = new ClientWindow(localHostForClients(), port,
                                    QStringLiteral("guest-%1").arg(m_nextGuest++));
    adoptClientWindow(window);
    if (running && !servedConfig().tlsCertificatePath.isEmpty())
        window->useTls(QSslCertificate::fromPath(servedConfig().tlsCertificatePath));
    window->show();
    if (running)
        window->connectToServer();
    return window;
}

void MainWindow::adoptClientWindow(ClientWindow *window)
{
    m_clientWindows.append(window);
    m_tray->watch(window->chat());
}

ClientWindow *MainWindow::openNetworkWindow(const Client::SavedNetwork &network)
{
    auto *window = new ClientWindow(network.host, network.port, network.nick);
    window->useNetwork(network);
    adoptClientWindow(window);
    window->show();
    window->connectToServer();
    return window;
}

void MainWindow::connectStartupNetworks()
{
    QStringList problems;
    const QList<Client::SavedNetwork> networks
        = Client::NetworkList::fromJson(AppSettings::instance()->networks(), &problems);
    for (const QString &problem : std::as_const(problems))
        log(LogLevel::Warning, tr("main"), problem);
    for (const Client::SavedNetwork &network : networks) {
        if (network.connectOnStart)
            openNetworkWindow(network);
    }
}

NetworkListDialog *MainWindow::openNetworkList()
{
    if (!m_networkList) {
        m_networkList = new NetworkListDialog(this);
        m_networkList->setAttribute(Qt::WA_DeleteOnClose);
        connect(m_networkList, &NetworkListDialog::connectRequested, this,
                &MainWindow::openNetworkWindow);
    }
    m_networkList->show();
    m_networkList->raise();
    m_networkList->activateWindow();
    return m_networkList;
}

QList<ClientWindow *> MainWindow::clientWindows() const
{
    QList<ClientWindow *> open;
    for (const QPointer<ClientWindow> &window : m_clientWindows) {
        if (window)
            open.append(window);
    }
    return open;
}

void MainWindow::showStats(const QList<Server::ThreadStats> &threads)
{
    m_threads->updateStats(threads);
    const QString clients = tr("%n client(s)", nullptr, m_server.clientCount());
    const QString threadCount = tr("%n thread(s)", nullptr, m_server.threadCount());
    showStatus(tr("Listening on %1:%2 · %3 · %4 · %5 messages/s")
                   .arg(m_server.serverAddress().toString())
                   .arg(m_server.serverPort())
                   .arg(clients, threadCount)
                   .arg(totalMessagesPerSecond(threads), 0, 'f', 0));
}

void MainWindow::showProcessStats(const QList<Server::ThreadStats> &processes)
{
    m_threads->updateStats(processes);
    const QString clients = tr("%n client(s)", nullptr, m_processes->clientCount());
    const QString processCount = tr("%n process(es)", nullptr, int(processes.size()));
    showStatus(tr("Listening on %1:%2 · %3 · %4 · %5 messages/s")
                   .arg(m_processes->config().bindAddress.toString())
                   .arg(m_processes->config().port)
                   .arg(clients, processCount)
                   .arg(totalMessagesPerSecond(processes), 0, 'f', 0));
}

void MainWindow::showStatus(const QString &figures)
{
    m_figures = figures;
    const QString link = clusterLinkText();
    m_panel->setStatus(link.isEmpty() ? figures : figures + u" · " + link);
}

// The log says each change, the status line the state of every node of this run.
void MainWindow::clusterLinkChanged(bool up, const QString &node, const QString &reason)
{
    const auto known = m_links.constFind(node);
    const bool wasLost = known != m_links.cend() && known->link == Link::Lost;
    if (up) {
        m_links.insert(node, {wasLost ? Link::LinkedAgain : Link::Linked, {}});
        log(LogLevel::Info, node,
            wasLost ? tr("Cluster node %1: linked to Redis again.").arg(node)
                    : tr("Cluster node %1: linked to Redis.").arg(node));
    } else {
        m_links.insert(node, {Link::Lost, reason});
        const QString lost = reason.isEmpty()
            ? tr("Cluster node %1: the link to Redis is lost.").arg(node)
            : tr("Cluster node %1: the link to Redis is lost (%2).").arg(node, reason);
        log(LogLevel::Warning, node,
            lost + u' '
                + tr("It serves its own users only, and refuses new nicks until the link is "
                     "back."));
    }
    if (serverState() == Server::ServerController::State::Running && !m_figures.isEmpty())
        showStatus(m_figures);
}

QString MainWindow::clusterLinkText() const
{
    if (!runsProcesses() && !m_server.config().cluster.enabled())
        return {};
    if (m_links.isEmpty())
        return tr("Redis: linking…");
    QStringList linked, again;
    QMap<QString, QStringList> lostByReason;
    for (auto it = m_links.cbegin(); it != m_links.cend(); ++it) {
        if (it->link == Link::Lost)
            lostByReason[linkReasonText(it->reason)] << it.key();
        else
            (it->link == Link::LinkedAgain ? again : linked) << it.key();
    }
    QStringList parts;
    for (auto it = lostByReason.cbegin(); it != lostByReason.cend(); ++it)
        parts << (it.key().isEmpty()
                      ? tr("Redis link lost on %1: local users only").arg(it->join(u", "))
                      : tr("Redis link lost on %1 (%2): local users only")
                            .arg(it->join(u", "), it.key()));
    if (!again.isEmpty())
        parts << tr("Redis linked again on %1").arg(again.join(u", "));
    if (!linked.isEmpty())
        parts << tr("Redis linked on %1").arg(linked.join(u", "));
    return parts.join(u" · ");
}

// Short, for the status line: a word of its own for the reasons the cluster names, else the
// reason cut; the log has it whole.
QString MainWindow::linkReasonText(const QString &reason)
{
    constexpr qsizetype MaxChars = 40;
    switch (Cluster::linkProblemOf(reason)) {
    case Cluster::LinkProblem::Password:
        return tr("Redis password wrong or missing");
    case Cluster::LinkProblem::Refused:
        return tr("connection refused");
    case Cluster::LinkProblem::NoAnswer:
        return tr("Redis does not answer");
    case Cluster::LinkProblem::OutputBuffer:
        return tr("dropped by Redis: output buffer full");
    case Cluster::LinkProblem::Other:
        break;
    }
    return reason.size() <= MaxChars ? reason : reason.left(MaxChars - 1) + u'…';
}

void MainWindow::log(LogLevel level, const QString &thread, const QString &text)
{
    m_log->append(level, thread, text);
}

void MainWindow::openSettings()
{
    SettingsDialog dialog(this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    setLanguage(AppSettings::instance()->language());
    if (serverState() != Server::ServerController::State::Running)
        m_panel->setConfig(AppSettings::instance()->serverConfig());
    if (m_paneClient->isRegistered() && m_nickOverride.isEmpty())
        m_paneClient->changeNick(AppSettings::instance()->nickname());
    logInPaneAgain();
}

// A changed account takes effect at once: the pane connects anew, and logs in as it registers.
void MainWindow::logInPaneAgain()
{
    const AppSettings *settings = AppSettings::instance();
    const Client::ClientSettings &current = m_paneClient->settings();
    if (m_paneClient->state() == Client::ChatClient::State::Disconnected
        || (current.account == settings->account()
            && current.accountPassword == settings->accountPassword()))
        return;
    m_paneClient->logIn(settings->account(), settings->accountPassword());
}

void MainWindow::restoreLayout()
{
    resize(1100, 720);
    restoreGeometry(AppSettings::instance()->windowGeometry());
    if (restoreState(AppSettings::instance()->windowState()))
        return;
    // Until the user arranges them: the load lab as tall as its form, the server panel and
    // threads view the rest. The load lab scrolls, so its minimum size alone would not say it.
    // Once shown: before that the dock area has no size to divide.
    QTimer::singleShot(0, this, [this] {
        const int title = m_loadDock->height() - m_load->height();
        resizeDocks({m_loadDock}, {m_load->heightForWidth(m_load->width()) + title}, Qt::Vertical);
    });
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (serverState() != Server::ServerController::State::Stopped && !m_closeBoundPassed) {
        event->ignore();
        if (m_closing)
            return;
        m_closing = true;
        m_startWhenStopped = false;
        if (runsProcesses())
            connect(m_processes, &ProcessServer::stopped, this, &QWidget::close,
                    Qt::SingleShotConnection);
        else
            connect(&m_server, &Server::ServerController::stopped, this, &QWidget::close,
                    Qt::SingleShotConnection);
        stopServer();
        QTimer::singleShot(CloseBoundMs, this, [this] {
            m_closeBoundPassed = true;
            close();
        });
        return;
    }
    AppSettings::instance()->setWindowGeometry(saveGeometry());
    AppSettings::instance()->setWindowState(saveState());
    for (ClientWindow *window : clientWindows())
        window->close();
    event->accept();
}

} // namespace App
