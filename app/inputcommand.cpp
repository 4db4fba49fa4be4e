#include "app/inputcommand.h"

#include <optional>

namespace App {

namespace {

InputCommand make(InputCommand::Kind kind, const QString &target, const QString &text = {})
{
    InputCommand command;
    command.kind = kind;
    command.target = target;
    command.text = text;
    return command;
}

InputCommand fail(const QString &error)
{
    InputCommand command;
    command.kind = InputCommand::Kind::Error;
    command.error = error;
    return command;
}

// Splits "word rest of line" into its first word and the rest.
std::pair<QString, QString> firstWord(const QString &text)
{
    const QString trimmed = text.trimmed();
    const qsizetype space = trimmed.indexOf(u' ');
    if (space < 0)
        return {trimmed, {}};
    return {trimmed.left(space), trimmed.mid(space + 1).trimmed()};
}

InputCommand toConversation(InputCommand::Kind kind, const QString &conversation,
                            const QString &text)
{
    if (conversation.isEmpty())
        return fail(InputCommand::tr("Join a channel or open a conversation first."));
    if (text.isEmpty())
        return make(InputCommand::Kind::None, conversation);
    return make(kind, conversation, text);
}

InputCommand channelCommand(InputCommand::Kind kind, const QString &arguments,
                            const QString &conversation)
{
    auto [word, rest] = firstWord(arguments);
    if (word.startsWith(u'#'))
        return make(kind, word, rest);
    if (kind == InputCommand::Kind::Join)
        return word.isEmpty() ? fail(InputCommand::tr("Usage: /join #channel"))
                              : make(kind, u'#' + word);
    if (!conversation.startsWith(u'#'))
        return fail(InputCommand::tr("Not in a channel: name one, e.g. /part #channel"));
    return make(kind, conversation, arguments.trimmed());
}

// A command whose target is named, or that needs none: the same in every tab.
std::optional<InputCommand> namedCommand(const QString &name, const QString &arguments)
{
    using Kind = InputCommand::Kind;
    const QString word = firstWord(arguments).first;
    if (name == u"nick")
        return word.isEmpty() ? fail(InputCommand::tr("Usage: /nick newname"))
                              : make(Kind::Nick, word);
    if (name == u"whois")
        return word.isEmpty() ? fail(InputCommand::tr("Usage: /whois nick"))
                              : make(Kind::Whois, word);
    if (name == u"list")
        return make(Kind::List, {}, arguments.trimmed());
    if (name == u"away")
        return make(Kind::Away, {}, arguments.trimmed());
    if (name == u"back")
        return make(Kind::Away, {});
    if (name == u"quote" || name == u"raw")
        return arguments.isEmpty() ? fail(InputCommand::tr("Usage: /quote COMMAND params"))
                                   : make(Kind::Raw, {}, arguments);
    return std::nullopt;
}

InputCommand slashCommand(const QString &name, const QString &arguments,
                          const QString &conversation)
{
    using Kind = InputCommand::Kind;
    if (name == u"me")
        return toConversation(Kind::Action, conversation, arguments.trimmed());
    if (name == u"join" || name == u"j")
        return channelCommand(Kind::Join, arguments, conversation);
    if (name == u"part" || name == u"leave")
        return channelCommand(Kind::Part, arguments, conversation);
    if (name == u"topic")
        return channelCommand(Kind::Topic, arguments, conversation);
    if (name == u"msg" || name == u"query") {
        auto [target, text] = firstWord(arguments);
        // /query nick opens the conversation; /msg needs something to say.
        if (name == u"query" && target.isEmpty())
            return fail(InputCommand::tr("Usage: /query nick [message]"));
        if (target.isEmpty() || (text.isEmpty() && name == u"msg"))
            return fail(InputCommand::tr("Usage: /msg nick message"));
        return make(Kind::PrivateMessage, target, text);
    }
    if (std::optional<InputCommand> named = namedCommand(name, arguments))
        return *named;
    return fail(InputCommand::tr("Unknown command /%1. Known: /join /part /nick /msg /topic /me "
                                 "/whois /list /away /back /quote")
                    .arg(name));
}

} // namespace

QStringList InputCommand::commands()
{
    return {QStringLiteral("/join"), QStringLiteral("/part"),  QStringLiteral("/nick"),
            QStringLiteral("/msg"),  QStringLiteral("/query"), QStringLiteral("/topic"),
            QStringLiteral("/me"),   QStringLiteral("/whois"), QStringLiteral("/list"),
            QStringLiteral("/away"), QStringLiteral("/back"),  QStringLiteral("/quote")};
}

InputCommand InputCommand::parse(const QString &line, const QString &conversation)
{
    if (line.trimmed().isEmpty())
        return {};
    // "//text" is how one says something that starts with a slash.
    if (!line.startsWith(u'/') || line.startsWith(u"//"))
        return toConversation(Kind::Message, conversation,
                              line.startsWith(u"//") ? line.mid(1) : line);
    auto [name, arguments] = firstWord(line.mid(1));
    return slashCommand(name.toLower(), arguments, conversation);
}

} // namespace App
