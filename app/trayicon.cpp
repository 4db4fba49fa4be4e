#include "app/trayicon.h"

#include "app/chatwidget.h"

#include <QPainter>
#include <QPixmap>
#include <QSystemTrayIcon>
#include <QWidget>

namespace App {

namespace {

constexpr int IconSize = 64;

} // namespace

TrayIcon::TrayIcon(QWidget *window) : QObject(window), m_window(window)
{
    if (!QSystemTrayIcon::isSystemTrayAvailable())
        return;
    m_tray = new QSystemTrayIcon(iconFor(0, false), this);
    connect(m_tray, &QSystemTrayIcon::activated, this, &TrayIcon::showWindow);
    connect(m_tray, &QSystemTrayIcon::messageClicked, this, &TrayIcon::showWindow);
    refresh();
    m_tray->show();
}

void TrayIcon::watch(ChatWidget *chat)
{
    if (!m_tray)
        return;
    m_chats.append(chat);
    connect(chat, &ChatWidget::unreadChanged, this, &TrayIcon::refresh);
    connect(chat, &QObject::destroyed, this, &TrayIcon::refresh, Qt::QueuedConnection);
    connect(chat, &ChatWidget::notificationRequested, this,
            [this](const QString &title, const QString &text) {
                m_tray->showMessage(title, text, QSystemTrayIcon::Information);
            });
}

QIcon TrayIcon::iconFor(int unread, bool mention)
{
    QPixmap pixmap = QIcon(QStringLiteral(":/icons/qtchat-64.png")).pixmap(IconSize, IconSize);
    if (unread > 0) {
        QPainter painter(&pixmap);
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setPen(Qt::white);
        painter.setBrush(mention ? QColor(0xc0, 0x39, 0x2b) : QColor(0x24, 0x71, 0xa3));
        painter.drawEllipse(QRect(IconSize / 2, 0, IconSize / 2 - 1, IconSize / 2 - 1));
    }
    return QIcon(pixmap);
}

void TrayIcon::refresh()
{
    int unread = 0;
    bool mention = false;
    m_chats.removeAll(nullptr);
    for (const QPointer<ChatWidget> &chat : std::as_const(m_chats)) {
        unread += chat->unreadCount();
        mention = mention || chat->hasUnreadMention();
    }
    m_tray->setIcon(iconFor(unread, mention));
    m_tray->setToolTip(unread ? tr("QtChat: %1 unread").arg(unread) : tr("QtChat"));
}

void TrayIcon::showWindow()
{
    m_window->showNormal();
    m_window->raise();
    m_window->activateWindow();
}

} // namespace App
