#pragma once

#include <QCoreApplication>
#include <QString>
#include <QStringList>

namespace App {

// What the user typed into a chat input line, decided before anything is sent: plain text
// for the current conversation, or one of the slash commands.
struct InputCommand
{
    Q_DECLARE_TR_FUNCTIONS(App::InputCommand)

public:
    enum class Kind {
        None,
        Message,
        Action,
        Join,
        Part,
        Nick,
        PrivateMessage, // opens the conversation with `target`; says `text` unless empty
        Topic,
        Away, // `text` is the away message; empty: back
        Whois,
        List, // `text` filters the channel list
        Raw,
        Error
    };

    Kind kind = Kind::None;
    QString target; // channel or nick the command acts on
    QString text; // message, reason, topic, away message or list filter
    QString error; // for Kind::Error: what is wrong, for the user

    // `conversation` is the channel or nick of the current tab; empty in the status tab.
    static InputCommand parse(const QString &line, const QString &conversation);
    // The commands parse() knows, with their slash, for completion.
    static QStringList commands();
};

} // namespace App
