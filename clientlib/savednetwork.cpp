#include "clientlib/savednetwork.h"

#include "protocol/names.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include <algorithm>

namespace Client {

namespace {

// The channel types of the servers a client may join: QtChat's '#', and '&' elsewhere.
constexpr QByteArrayView ChannelTypes = "#&";

QJsonObject toObject(const SavedNetwork &network)
{
    return QJsonObject {
        {QStringLiteral("name"), network.name},
        {QStringLiteral("host"), network.host},
        {QStringLiteral("port"), int(network.port)},
        {QStringLiteral("tls"), network.tls},
        {QStringLiteral("nick"), network.nick},
        {QStringLiteral("channels"), QJsonArray::fromStringList(network.channels)},
        {QStringLiteral("account"), network.account},
        {QStringLiteral("password"), network.password},
        {QStringLiteral("connectOnStart"), network.connectOnStart},
    };
}

SavedNetwork fromObject(const QJsonObject &object)
{
    SavedNetwork network;
    network.name = object.value(QLatin1String("name")).toString();
    network.host = object.value(QLatin1String("host")).toString();
    const int port = object.value(QLatin1String("port")).toInt(-1);
    network.port = port >= 1 && port <= 65535 ? quint16(port) : 0;
    network.tls = object.value(QLatin1String("tls")).toBool();
    network.nick = object.value(QLatin1String("nick")).toString();
    for (const QJsonValue &channel : object.value(QLatin1String("channels")).toArray())
        network.channels.append(channel.toString());
    network.account = object.value(QLatin1String("account")).toString();
    network.password = object.value(QLatin1String("password")).toString();
    network.connectOnStart = object.value(QLatin1String("connectOnStart")).toBool();
    return network;
}

} // namespace

ClientSettings SavedNetwork::toClientSettings() const
{
    ClientSettings settings;
    settings.host = host;
    settings.port = port;
    settings.tls = tls;
    settings.nick = nick;
    settings.channels = channels;
    settings.account = account;
    settings.accountPassword = password;
    return settings;
}

QByteArray NetworkList::toJson(const QList<SavedNetwork> &networks)
{
    QJsonArray array;
    for (const SavedNetwork &network : networks)
        array.append(toObject(network));
    return QJsonDocument(array).toJson(QJsonDocument::Compact);
}

QList<SavedNetwork> NetworkList::fromJson(const QByteArray &json, QStringList *problems)
{
    QList<SavedNetwork> networks;
    if (json.trimmed().isEmpty())
        return networks;
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    if (!document.isArray()) {
        if (problems)
            problems->append(tr("The network list cannot be read: %1").arg(error.errorString()));
        return networks;
    }
    for (const QJsonValue &value : document.array()) {
        const SavedNetwork network = fromObject(value.toObject());
        if (const QString reason = problem(network); !reason.isEmpty()) {
            if (problems)
                problems->append(tr("Network “%1” left out: %2").arg(network.name, reason));
            continue;
        }
        networks.append(network);
    }
    return networks;
}

QString NetworkList::problem(const SavedNetwork &network)
{
    if (network.name.trimmed().isEmpty())
        return tr("It has no name.");
    if (network.host.trimmed().isEmpty())
        return tr("It has no server address.");
    if (network.port == 0)
        return tr("Its port is not between 1 and 65535.");
    if (!Irc::isValidNick(network.nick.toUtf8()))
        return tr("“%1” is not a valid nickname.").arg(network.nick);
    for (const QString &channel : network.channels) {
        if (!Irc::isValidChannelName(channel.toUtf8(), ChannelTypes))
            return tr("“%1” is not a channel name.").arg(channel);
    }
    // An account name travels as one word of a line, its password as the last.
    static const QRegularExpression unsafeAccount(QStringLiteral("[\\s,:\\x{0}]"));
    if (network.account.contains(unsafeAccount))
        return tr("“%1” is not a valid account name.").arg(network.account);
    static const QRegularExpression lineBreak(QStringLiteral("[\\r\\n\\x{0}]"));
    if (network.password.contains(lineBreak))
        return tr("The account's password has a line break.");
    return {};
}

QStringList NetworkList::parseChannels(const QString &text)
{
    QStringList channels;
    static const QRegularExpression separators(QStringLiteral("[\\s,]+"));
    for (const QString &channel : text.split(separators, Qt::SkipEmptyParts)) {
        if (!channels.contains(channel, Qt::CaseInsensitive))
            channels.append(channel);
    }
    return channels;
}

QString NetworkList::unusedName(const QList<SavedNetwork> &networks, const QString &base)
{
    const auto taken = [&](const QString &name) {
        return std::any_of(networks.begin(), networks.end(), [&](const SavedNetwork &network) {
            return network.name.compare(name, Qt::CaseInsensitive) == 0;
        });
    };
    QString name = base;
    for (int n = 2; taken(name); ++n)
        name = QStringLiteral("%1 (%2)").arg(base).arg(n);
    return name;
}

} // namespace Client
