#include "app/hashpasswordcommand.h"

#include "serverlib/passwordhash.h"

#include <QByteArray>
#include <QString>

#include <cstdio>
#include <optional>

#include <termios.h>
#include <unistd.h>

namespace App {

namespace {

// Turns the terminal's echo off for its lifetime, and back on after.
class EchoOff
{
public:
    EchoOff()
    {
        m_active = tcgetattr(STDIN_FILENO, &m_saved) == 0;
        if (!m_active)
            return;
        termios quiet = m_saved;
        quiet.c_lflag &= ~tcflag_t(ECHO);
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    }
    ~EchoOff()
    {
        if (m_active)
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &m_saved);
    }
    EchoOff(const EchoOff &) = delete;
    EchoOff &operator=(const EchoOff &) = delete;

private:
    termios m_saved {};
    bool m_active = false;
};

void say(const QString &text)
{
    std::fputs(qUtf8Printable(text), stderr);
    std::fflush(stderr);
}

// One line of standard input without its line end; nothing at the end of input.
std::optional<QByteArray> readLine(const QString &prompt, bool interactive)
{
    std::optional<EchoOff> echoOff;
    if (interactive) {
        say(prompt);
        echoOff.emplace();
    }
    QByteArray line;
    for (int c = std::getchar(); c != EOF && c != '\n'; c = std::getchar())
        line += char(c);
    if (interactive)
        say(QStringLiteral("\n")); // the Enter that was not echoed
    if (line.isEmpty() && std::feof(stdin))
        return std::nullopt;
    if (line.endsWith('\r'))
        line.chop(1);
    return line;
}

} // namespace

int HashPasswordCommand::run()
{
    const bool interactive = isatty(STDIN_FILENO) == 1;
    const std::optional<QByteArray> password = readLine(tr("Password: "), interactive);
    if (!password || password->isEmpty()) {
        say(tr("qtchat: no password given on standard input.\n"));
        return 1;
    }
    if (interactive && readLine(tr("Again: "), interactive) != password) {
        say(tr("qtchat: the passwords differ.\n"));
        return 1;
    }
    const QByteArray hash = Server::PasswordHash::make(*password);
    if (hash.isEmpty()) {
        say(tr("qtchat: could not hash the password (out of memory?).\n"));
        return 1;
    }
    std::printf("%s\n", hash.constData());
    return 0;
}

} // namespace App
