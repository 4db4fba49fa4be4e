#include "tests/support/ircscript.h"

#include <QTest>

#include <algorithm>
#include <utility>

IrcScript::IrcScript(quint16 port, const QByteArray &tag) : m_port(port), m_tag(tag) { }

QString IrcScript::run(const QList<QByteArray> &steps)
{
    for (const QByteArray &step : steps) {
        QString error;
        const bool withCapabilities = step.size() > 3 && step[1] == '+';
        if (withCapabilities && m_clients.count(step[0]))
            return QStringLiteral("already registered: ") + QString::fromUtf8(step);
        RawClient *peer = step.size() > 3
            ? client(step[0], &error, withCapabilities ? step.mid(3) : QByteArray())
            : nullptr;
        if (!peer)
            return error.isEmpty() ? QStringLiteral("bad step: ") + QString::fromUtf8(step) : error;
        const QByteArray rest = expand(step.mid(3));
        if (withCapabilities)
            continue;
        if (step[1] == '>')
            peer->send(rest);
        else if (step[1] == '!')
            m_forbidden.append(rest);
        else if (const QString failure = expectStep(*peer, rest); !failure.isEmpty())
            return QString::fromUtf8(step) + QStringLiteral(": ") + failure;
    }
    return {};
}

void IrcScript::addColumns()
{
    QTest::addColumn<bool>("ngircd");
    QTest::addColumn<QList<QByteArray>>("steps");
    QTest::addColumn<QString>("notOnNgircd");
}

void IrcScript::addRows(const char *name, const QList<QByteArray> &steps, const char *notOnNgircd)
{
    QTest::addRow("qtchat: %s", name) << false << steps << QString();
    QTest::addRow("ngircd: %s", name) << true << steps << QString::fromUtf8(notOnNgircd);
}

IrcScript::RowResult IrcScript::playRow(quint16 qtchatPort, quint16 ngircdPort,
                                        const QByteArray &tag)
{
    QFETCH(bool, ngircd);
    QFETCH(QList<QByteArray>, steps);
    QFETCH(QString, notOnNgircd);
    if (ngircd && !notOnNgircd.isEmpty())
        return {notOnNgircd, {}};
    IrcScript script(ngircd ? ngircdPort : qtchatPort, tag);
    return {{}, script.run(steps)};
}

RawClient *IrcScript::client(char name, QString *error, const QByteArray &capabilities)
{
    std::unique_ptr<RawClient> &slot = m_clients[name];
    if (!slot) {
        slot = std::make_unique<RawClient>();
        const QByteArray nick = expand(QByteArray(QByteArray("%") + name));
        const bool registered = slot->connectTo(m_port)
            && (capabilities.isEmpty() ? slot->registerAs(nick)
                                       : slot->registerWithCapabilities(nick, capabilities));
        if (!registered) {
            *error = QStringLiteral("cannot register ") + QString::fromUtf8(nick);
            slot.reset();
        }
    }
    return slot.get();
}

QByteArray IrcScript::expand(QByteArray text) const
{
    text.replace("%ch", QByteArray("#" + m_tag));
    for (char name = 'a'; name <= 'e'; ++name) {
        const QByteArray nick = name + m_tag;
        text.replace(QByteArray(QByteArray("%") + name), nick);
        text.replace(QByteArray(QByteArray("%") + char(name - 'a' + 'A')), nick.toUpper());
    }
    return text;
}

QByteArray IrcScript::sortedWords(const QByteArray &text)
{
    QList<QByteArray> words = text.split(' ');
    std::sort(words.begin(), words.end());
    return words.join(' ');
}

bool IrcScript::matches(const Irc::IrcMessage &message, const QByteArray &pattern)
{
    const std::optional<Irc::IrcMessage> want = Irc::IrcMessage::parse(pattern);
    if (!want || message.command != want->command)
        return false;
    const bool isNumeric = want->command.toInt() > 0;
    QList<QByteArray> actual = message.params.mid(isNumeric ? 1 : 0, want->params.size());
    QList<QByteArray> wanted = want->params;
    if (want->command == "353" && wanted.size() == 3 && actual.size() == 3) {
        // Servers list names in different orders.
        actual.last() = sortedWords(actual.last());
        wanted.last() = sortedWords(wanted.last());
    }
    return actual == wanted;
}

QString IrcScript::expectStep(RawClient &client, const QByteArray &expected)
{
    const std::optional<Irc::IrcMessage> want = Irc::IrcMessage::parse(expected);
    if (!want)
        return QStringLiteral("unparsable expectation");
    const QList<QByteArray> forbidden = std::exchange(m_forbidden, {});
    QList<QByteArray> seen;
    QByteArray offending;
    const auto reply = client.expectMatch([&](const Irc::IrcMessage &m) {
        if (const QByteArray line = m.toLine().trimmed(); !seen.contains(line))
            seen.append(line);
        for (const QByteArray &pattern : forbidden) {
            if (matches(m, pattern))
                offending = m.toLine().trimmed();
        }
        return m.command == want->command;
    });
    if (!reply)
        return QStringLiteral("never came; saw:\n  ") + QString::fromUtf8(seen.join("\n  "));
    if (!offending.isEmpty())
        return QStringLiteral("came after a forbidden ") + QString::fromUtf8(offending);
    if (!matches(*reply, expected))
        return QStringLiteral("got ") + QString::fromUtf8(reply->toLine().trimmed());
    return {};
}
