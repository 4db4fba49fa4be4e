#include "clientlib/secrets.h"

#include "protocol/ircmessage.h"

namespace Client {

namespace {

constexpr char Hidden[] = "****";

// AUTHENTICATE's own words are no secret; everything else it carries may be a password.
bool isAuthenticateKeyword(const QByteArray &param)
{
    return param == "+" || param == "*" || param.toUpper() == "PLAIN";
}

} // namespace

QByteArray withoutSecrets(const QByteArray &line)
{
    const std::optional<Irc::IrcMessage> message = Irc::IrcMessage::parse(line);
    if (!message || message->params.isEmpty())
        return line;
    const QByteArray command = message->command.toUpper();
    const bool lastIsSecret = command == "PASS" || command == "OPER" || command == "REGISTER"
        || (command == "AUTHENTICATE" && !isAuthenticateKeyword(message->params.last()));
    if (!lastIsSecret)
        return line;
    QByteArray shown = command;
    for (qsizetype i = 0; i + 1 < message->params.size(); ++i)
        shown += ' ' + message->params.at(i);
    return shown + ' ' + Hidden;
}

} // namespace Client
