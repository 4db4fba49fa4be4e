#pragma once

#include <QIcon>
#include <QList>
#include <QObject>
#include <QPointer>

class QSystemTrayIcon;
class QWidget;

namespace App {

class ChatWidget;

// The app's icon in the system tray, where the desktop has one: it shows whether any chat
// (the main window's pane, the client windows) has unread lines or a mention, shows their
// desktop notifications, and brings the main window back when clicked. Without a tray it
// does nothing.
class TrayIcon : public QObject
{
    Q_OBJECT

public:
    explicit TrayIcon(QWidget *window);

    void watch(ChatWidget *chat);
    // The icon for an unread state: the app's icon, with a dot for unread lines (red for a
    // mention).
    static QIcon iconFor(int unread, bool mention);

private:
    void refresh();
    void showWindow();

    QWidget *m_window;
    QSystemTrayIcon *m_tray = nullptr;
    QList<QPointer<ChatWidget>> m_chats;
};

} // namespace App
