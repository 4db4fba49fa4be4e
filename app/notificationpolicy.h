#pragma once

#include <QCoreApplication>
#include <QString>
#include <QStringList>

#include <functional>

namespace App {

// Whether a chat line deserves a desktop notification, decided without widgets so that every
// case can be checked directly: a mention of our nick or a private message, while the
// window is not the active one, with notifications switched on, and not from a channel the
// user muted (busy channels). Our own lines and the server's never notify.
class NotificationPolicy
{
    Q_DECLARE_TR_FUNCTIONS(App::NotificationPolicy)

public:
    enum class Reason { None, Mention, PrivateMessage };

    struct Line
    {
        QString conversation; // the channel, or the other party's nick
        bool inChannel = false;
        bool mentionsUs = false;
        bool own = false;
        bool fromServer = false;
        bool notice = false;
    };

    bool enabled = true;
    QStringList mutedChannels;
    // Compares channel names as the server does (its CASEMAPPING); exact when unset.
    std::function<bool(const QString &, const QString &)> sameName;

    Reason decide(const Line &line, bool windowActive) const;
    bool isMuted(const QString &channel) const;
    // The notification's title and text for a line that gets one.
    static QString title(Reason reason, const QString &from, const QString &conversation);
};

} // namespace App
