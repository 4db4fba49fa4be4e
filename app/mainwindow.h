#pragma once

#include "serverlib/chatserver.h"

#include <QList>
#include <QMainWindow>
#include <QPointer>

namespace Client {
class ChatClient;
} // namespace Client
class QActionGroup;
class QDockWidget;
class QMenu;

namespace App {

class ChatWidget;
class ClientWindow;
class LanguageManager;
class LoadPanel;
class LogView;
class ServerPanel;
class ThreadsView;

enum class LogLevel;

// The window people open: the server panel and threads view, the chat pane (a built-in
// client), and the live log. The server's listening socket lives in this (the GUI) thread; its
// clients are served by worker threads, so the window stays responsive under load.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    // `nick` overrides the configured nickname for this run (qtchat --nick).
    explicit MainWindow(const QString &nick = QString(), QWidget *parent = nullptr);
    ~MainWindow() override;

    void startServer();
    void stopServer();
    ClientWindow *openClientWindow();
    void setLanguage(const QString &language);

    Server::ChatServer *server() { return &m_server; }
    ServerPanel *serverPanel() const { return m_panel; }
    ChatWidget *chatPane() const { return m_chat; }
    Client::ChatClient *paneClient() const { return m_paneClient; }
    LogView *logView() const { return m_log; }
    ThreadsView *threadsView() const { return m_threads; }
    LoadPanel *loadPanel() const { return m_load; }
    QList<ClientWindow *> clientWindows() const;

protected:
    void closeEvent(QCloseEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void buildDocks();
    void buildMenus();
    void retranslateUi();
    void connectServer();
    void connectPaneClient();
    void showStats(const QList<Server::ThreadStats> &threads);
    void log(LogLevel level, const QString &thread, const QString &text);
    void openSettings();
    void restoreLayout();
    QString localHostForClients() const;

    Server::ChatServer m_server;
    Client::ChatClient *m_paneClient;
    ServerPanel *m_panel;
    ThreadsView *m_threads;
    ChatWidget *m_chat;
    LogView *m_log;
    LoadPanel *m_load;
    LanguageManager *m_language;
    QDockWidget *m_serverDock = nullptr;
    QDockWidget *m_logDock = nullptr;
    QDockWidget *m_loadDock = nullptr;
    QMenu *m_fileMenu = nullptr;
    QMenu *m_languageMenu = nullptr;
    QMenu *m_helpMenu = nullptr;
    QAction *m_newClient = nullptr;
    QAction *m_settings = nullptr;
    QAction *m_quit = nullptr;
    QAction *m_about = nullptr;
    QActionGroup *m_languages = nullptr;
    QList<QPointer<ClientWindow>> m_clientWindows;
    QString m_nickOverride;
    int m_nextGuest = 1;
};

} // namespace App
