#pragma once

#include "serverlib/servercontroller.h"

#include <QList>
#include <QMainWindow>
#include <QMap>
#include <QPointer>

namespace Client {
class ChatClient;
struct SavedNetwork;
} // namespace Client
class QActionGroup;
class QDockWidget;
class QMenu;

namespace App {

class ChatWidget;
class ClientWindow;
class LanguageManager;
class LoadPanel;
class NetworkListDialog;
class LogView;
class ProcessServer;
class ServerPanel;
class ThreadsView;
class TrayIcon;

enum class LogLevel;

// The window people open: the server panel and threads view, the chat pane (a built-in
// client), and the live log. The server runs behind a ServerController — or, with the panel's
// "Processes", a ProcessServer running several server processes: its threads, the listening
// socket's included, are never this (the GUI) thread, and starting and stopping are signals,
// never waits, so the window stays responsive under load and while stopping.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    // `nick` overrides the configured nickname for this run (qtchat --nick).
    explicit MainWindow(const QString &nick = QString(), QWidget *parent = nullptr);
    ~MainWindow() override;

    // Both return at once; the panel shows the server starting, then running or the error, and
    // stopping ("Stopping…") until it has stopped.
    void startServer();
    void stopServer();
    ClientWindow *openClientWindow();
    // A client window for a saved network, connecting at once.
    ClientWindow *openNetworkWindow(const Client::SavedNetwork &network);
    // A window for each saved network marked "connect when QtChat starts".
    void connectStartupNetworks();
    NetworkListDialog *openNetworkList();
    void setLanguage(const QString &language);

    Server::ServerController *server() { return &m_server; }
    ProcessServer *processServer() const { return m_processes; }
    // The server's state, whichever of the two runs it.
    Server::ServerController::State serverState() const;
    ServerPanel *serverPanel() const { return m_panel; }
    ChatWidget *chatPane() const { return m_chat; }
    Client::ChatClient *paneClient() const { return m_paneClient; }
    LogView *logView() const { return m_log; }
    ThreadsView *threadsView() const { return m_threads; }
    LoadPanel *loadPanel() const { return m_load; }
    QList<ClientWindow *> clientWindows() const;

protected:
    // With the server running, the first close stops it and is ignored; the window closes
    // when the server has stopped, or after a bound if it has not.
    void closeEvent(QCloseEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void buildDocks();
    void buildMenus();
    void retranslateUi();
    void updateTitle();
    void connectServer();
    void connectServerEvents();
    void connectProcessServer();
    void connectPaneClient();
    void serverStarted();
    void serverStartFailed(const QString &reason);
    void serverStopped();
    void logRelayed(const QList<Server::RelayedMessage> &messages);
    void showStats(const QList<Server::ThreadStats> &threads);
    void showProcessStats(const QList<Server::ThreadStats> &processes);
    void clusterLinkChanged(bool up, const QString &node, const QString &reason);
    void showStatus(const QString &figures);
    QString clusterLinkText() const;
    static QString linkReasonText(const QString &reason);
    bool runsProcesses() const;
    const Server::ServerConfig &servedConfig() const;
    quint16 servedPort() const;
    void log(LogLevel level, const QString &thread, const QString &text);
    void openSettings();
    void logInPaneAgain();
    void adoptClientWindow(ClientWindow *window);
    void restoreLayout();
    QString localHostForClients() const;

    Server::ServerController m_server;
    ProcessServer *m_processes;
    Client::ChatClient *m_paneClient;
    ServerPanel *m_panel;
    ThreadsView *m_threads;
    ChatWidget *m_chat;
    LogView *m_log;
    LoadPanel *m_load;
    LanguageManager *m_language;
    TrayIcon *m_tray;
    QDockWidget *m_serverDock = nullptr;
    QDockWidget *m_logDock = nullptr;
    QDockWidget *m_loadDock = nullptr;
    QMenu *m_fileMenu = nullptr;
    QMenu *m_languageMenu = nullptr;
    QMenu *m_helpMenu = nullptr;
    QAction *m_newClient = nullptr;
    QAction *m_networks = nullptr;
    QPointer<NetworkListDialog> m_networkList;
    QAction *m_settings = nullptr;
    QAction *m_quit = nullptr;
    QAction *m_about = nullptr;
    QActionGroup *m_languages = nullptr;
    QList<QPointer<ClientWindow>> m_clientWindows;
    QString m_nickOverride;
    int m_nextGuest = 1;
    bool m_closing = false; // the window closes once the server has stopped
    bool m_closeBoundPassed = false;
    bool m_startWhenStopped = false; // a start asked for while the server was stopping
    bool m_threadsStranded = false; // by the stop under way
    // Each cluster node's link to Redis in this run (one node, or one per process).
    enum class Link { Linked, Lost, LinkedAgain };
    struct LinkState
    {
        Link link = Link::Linked;
        QString reason; // why it was lost
    };
    QMap<QString, LinkState> m_links;
    QString m_figures; // the status line's part from the last stats
};

} // namespace App
