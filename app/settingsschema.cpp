#include "app/settingsschema.h"

#include "protocol/names.h"

#include <QHostAddress>
#include <QRegularExpression>
#include <QStringList>

#include <cmath>
#include <string_view>

namespace App {

namespace {

constexpr int MsPerSecond = 1000;

// ServerConfigAccess for a member of ServerConfig, or of its limits, of the setting's type.
template<auto Member> constexpr ServerConfigAccess configField()
{
    return {[](const Server::ServerConfig &config) { return QVariant::fromValue(config.*Member); },
            [](Server::ServerConfig &config, const QVariant &value) {
                config.*Member = value.value<std::remove_reference_t<decltype(config.*Member)>>();
            }};
}

template<auto Member> constexpr ServerConfigAccess limitField()
{
    return {[](const Server::ServerConfig &config) {
                return QVariant::fromValue(config.limits.*Member);
            },
            [](Server::ServerConfig &config, const QVariant &value) {
                config.limits.*Member
                    = value.value<std::remove_reference_t<decltype(config.limits.*Member)>>();
            }};
}

// A timeout the server keeps in milliseconds, set in seconds. The range keeps the product in
// an int.
template<int Server::ServerLimits::*Member> constexpr ServerConfigAccess limitSeconds()
{
    return {[](const Server::ServerConfig &config) {
                return QVariant(config.limits.*Member / MsPerSecond);
            },
            [](Server::ServerConfig &config, const QVariant &value) {
                config.limits.*Member = value.toInt() * MsPerSecond;
            }};
}

// A byte string on the wire, text in the settings.
template<QByteArray Server::ServerConfig::*Member> constexpr ServerConfigAccess utf8Field()
{
    return {[](const Server::ServerConfig &config) {
                return QVariant(QString::fromUtf8(config.*Member));
            },
            [](Server::ServerConfig &config, const QVariant &value) {
                config.*Member = value.toString().toUtf8();
            }};
}

constexpr ServerConfigAccess bindAddressField {
    [](const Server::ServerConfig &config) { return QVariant(config.bindAddress.toString()); },
    [](Server::ServerConfig &config, const QVariant &value) {
        config.bindAddress = QHostAddress(value.toString());
    }};

constexpr ServerConfigAccess portField {
    [](const Server::ServerConfig &config) { return QVariant(int(config.port)); },
    [](Server::ServerConfig &config, const QVariant &value) {
        config.port = quint16(value.toInt());
    }};

constexpr ServerConfigAccess threadingField {
    [](const Server::ServerConfig &config) {
        return QVariant(Server::threadingModelName(config.threading));
    },
    [](Server::ServerConfig &config, const QVariant &value) {
        config.threading
            = Server::threadingModelFromName(value.toString()).value_or(config.threading);
    }};

constexpr ServerConfigAccess operatorsField {
    [](const Server::ServerConfig &config) {
        return QVariant(Server::ServerConfig::operatorsToText(config.operators));
    },
    [](Server::ServerConfig &config, const QVariant &value) {
        config.operators = Server::ServerConfig::operatorsFromText(value.toString());
    }};

// A member of the history's config (ServerConfig::history), of the setting's type.
template<auto Member> constexpr ServerConfigAccess historyField()
{
    return {[](const Server::ServerConfig &config) {
                return QVariant::fromValue(config.history.*Member);
            },
            [](Server::ServerConfig &config, const QVariant &value) {
                config.history.*Member
                    = value.value<std::remove_reference_t<decltype(config.history.*Member)>>();
            }};
}

// A member of the cluster's config (ServerConfig::cluster), of the setting's type.
template<auto Member> constexpr ServerConfigAccess clusterField()
{
    return {[](const Server::ServerConfig &config) {
                return QVariant::fromValue(config.cluster.*Member);
            },
            [](Server::ServerConfig &config, const QVariant &value) {
                config.cluster.*Member
                    = value.value<std::remove_reference_t<decltype(config.cluster.*Member)>>();
            }};
}

// --no-storage is a flag, so the setting says what the flag does: history off.
constexpr ServerConfigAccess noStorageField {
    [](const Server::ServerConfig &config) { return QVariant(!config.history.enabled); },
    [](Server::ServerConfig &config, const QVariant &value) {
        config.history.enabled = !value.toBool();
    }};

constexpr SettingChoice threadingChoices[] = {
    {"per-connection", QT_TRANSLATE_NOOP("App::SettingsSchema", "One thread per connection")},
    {"pool", QT_TRANSLATE_NOOP("App::SettingsSchema", "Thread pool")},
    {"single", QT_TRANSLATE_NOOP("App::SettingsSchema", "Single thread")},
};

constexpr SettingChoice languageChoices[]
    = {{"system", nullptr}, {"en", nullptr}, {"zh_CN", nullptr}};

QVariant defaultNickname()
{
    QString user = qEnvironmentVariable("USER");
    if (user.isEmpty())
        user = qEnvironmentVariable("USERNAME");
    return Irc::isValidNick(user.toUtf8()) ? user : QStringLiteral("qtchat-user");
}

QString nicknameProblem(const QVariant &value)
{
    const QString text = value.toString();
    if (Irc::isValidNick(text.toUtf8()))
        return {};
    return SettingsSchema::tr("\"%1\" is not a valid nickname: use up to %2 letters, digits or "
                              "-[]\\`_^{|} characters, not starting with a digit or '-'.")
        .arg(text)
        .arg(Irc::MaxNickLength);
}

QString channelProblem(const QVariant &value)
{
    const QString text = value.toString();
    if (Irc::isValidChannelName(text.toUtf8()))
        return {};
    return SettingsSchema::tr("\"%1\" is not a valid channel name: it starts with # and has no "
                              "spaces, commas or colons.")
        .arg(text);
}

QString channelListProblem(const QVariant &value)
{
    for (const QString &channel : value.toStringList()) {
        if (QString reason = channelProblem(channel); !reason.isEmpty())
            return reason;
    }
    return {};
}

// An account name travels as one word of a line.
QString accountProblem(const QVariant &value)
{
    static const QRegularExpression unsafe(QStringLiteral("[\\s,:\\x{0}]"));
    const QString text = value.toString();
    if (!text.contains(unsafe))
        return {};
    return SettingsSchema::tr("\"%1\" is not a valid account name: it has no spaces, commas or "
                              "colons.")
        .arg(text);
}

using Section = SettingSection;

// In SettingKey order (checked below). The ranges are ServerConfig's, where the server uses
// the setting; the defaults too.
constexpr SettingSpec table[] = {
    {.name = "nickname",
     .fileKey = "chat/nickname",
     .section = Section::Chat,
     .label = QT_TRANSLATE_NOOP("App::SettingsSchema", "&Nickname:"),
     .help = QT_TRANSLATE_NOOP("App::SettingsSchema",
                               "Your name in the chat pane; others see it next to your messages."),
     .fallback = defaultNickname,
     .check = nicknameProblem},
    {.name = "bindAddress",
     .fileKey = "server/bindAddress",
     .section = Section::Server,
     .label = QT_TRANSLATE_NOOP("App::SettingsSchema", "Listen on &address:"),
     .help = QT_TRANSLATE_NOOP("App::SettingsSchema",
                               "127.0.0.1 accepts connections from this computer only; 0.0.0.0 "
                               "from every network this computer is on."),
     .option = "bind",
     .valueName = QT_TRANSLATE_NOOP("App::SettingsSchema", "address"),
     .config = bindAddressField},
    // The window's server is the one people are told to connect to, so it needs a port that
    // can be told; 0 (any free port, which the log reports) suits scripts and benchmarks,
    // which start the headless server.
    {.name = "port",
     .fileKey = "server/port",
     .section = Section::Server,
     .label = QT_TRANSLATE_NOOP("App::SettingsSchema", "&Port:"),
     .help = QT_TRANSLATE_NOOP("App::SettingsSchema",
                               "The TCP port clients connect to; on the command line, 0 takes "
                               "any free one."),
     .option = "port",
     .valueName = QT_TRANSLATE_NOOP("App::SettingsSchema", "port"),
     .range = Server::ServerConfig::Ports,
     .settingsMinimum = 1,
     .config = portField},
    {.name = "threadingModel",
     .fileKey = "server/threadingModel",
     .section = Section::Server,
     .label = QT_TRANSLATE_NOOP("App::SettingsSchema", "&Threading model:"),
     .help = QT_TRANSLATE_NOOP("App::SettingsSchema",
                               "How the server spreads its clients over threads: one thread per "
                               "connection, as in the tutorial; a pool of a few long-lived "
                               "threads; or a single thread for everyone."),
     .option = "threading",
     .valueName = QT_TRANSLATE_NOOP("App::SettingsSchema", "model"),
     .choices = threadingChoices,
     .config = threadingField},
    {.name = "workers",
     .fileKey = "server/workers",
     .section = Section::Server,
     .label = QT_TRANSLATE_NOOP("App::SettingsSchema", "&Worker threads:"),
     .help = QT_TRANSLATE_NOOP("App::SettingsSchema",
                               "The thread pool's size; 0: one per core. The other models decide "
                               "for themselves."),
     .option = "workers",
     .valueName = QT_TRANSLATE_NOOP("App::SettingsSchema", "count"),
     .range = Server::ServerConfig::Workers,
     .valueText = QT_TRANSLATE_NOOP("App::SettingsSchema", "Automatic (one per core)"),
     .config = configField<&Server::ServerConfig::workers>()},
    {.name = "serverName",
     .fileKey = "server/serverName",
     .section = Section::Server,
     .label = QT_TRANSLATE_NOOP("App::SettingsSchema", "Server &name:"),
     .help = QT_TRANSLATE_NOOP("App::SettingsSchema",
                               "The name the server gives itself in every reply; one word "
                               "without ':'."),
     .option = "server-name",
     .valueName = QT_TRANSLATE_NOOP("App::SettingsSchema", "name"),
     .config = utf8Field<&Server::ServerConfig::serverName>()},
    {.name = "password",
     .fileKey = "server/password",
     .section = Section::Server,
     .label = QT_TRANSLATE_NOOP("App::SettingsSchema", "Pass&word:"),
     .help = QT_TRANSLATE_NOOP("App::SettingsSchema",
                               "Clients must send this password (PASS) to connect. Leave it empty "
                               "for an open server."),
     .option = "password",
     .valueName = QT_TRANSLATE_NOOP("App::SettingsSchema", "password"),
     .input = SettingInput::Secret,
     .config = utf8Field<&Server::ServerConfig::password>()},
    {.name = "language",
     .fileKey = "ui/language",
     .section = Section::Interface,
     .label = QT_TRANSLATE_NOOP("App::SettingsSchema", "&Language:"),
     .help = QT_TRANSLATE_NOOP("App::SettingsSchema",
                               "The language of the window; System follows the desktop's."),
     .choices = languageChoices,
     .fallback =
         [] {
             return QVariant(QStringLiteral("system"));
         }},
    {.name = "logLineCap",
     .fileKey = "ui/logLineCap",
     .section = Section::Interface,
     .label = QT_TRANSLATE_NOOP("App::SettingsSchema", "Log &keeps at most:"),
     .help = QT_TRANSLATE_NOOP("App::SettingsSchema",
                               "The log drops its oldest lines beyond this many, so that a busy "
                               "server does not fill the memory with them."),
     .range = {1000, 1'000'000},
     .step = 1000,
     .unit = QT_TRANSLATE_NOOP("App::SettingsSchema", " lines"),
     .fallback =
         [] {
             return QVariant(50'000);
         }},
    {.name = "windowGeometry",
     .fileKey = "ui/windowGeometry",
     .fallback =
         [] {
             return QVariant(QByteArray());
         }},
    {.name = "windowState",
     .fileKey = "ui/windowState",
     .fallback =
         [] {
             return QVariant(QByteArray());
         }},
    {.name = "autoJoinChannel",
     .fileKey = "chat/autoJoinChannel",
     .section = Section::Chat,
     .label = QT_TRANSLATE_NOOP("App::SettingsSchema", "&Join at start:"),
     .help = QT_TRANSLATE_NOOP("App::SettingsSchema",
                               "The channel the chat pane joins when it "
                               "connects."),
     .fallback = [] { return QVariant(QStringLiteral("#lobby")); },
     .check = channelProblem},
    {.name = "account",
     .fileKey = "chat/account",
     .section = Section::Chat,
     .label = QT_TRANSLATE_NOOP("App::SettingsSchema", "A&ccount:"),
     .help = QT_TRANSLATE_NOOP("App::SettingsSchema",
                               "The account the chat pane logs in to (SASL) when it connects; "
                               "empty: none."),
     .fallback = [] { return QVariant(QString()); },
     .check = accountProblem},
    // Kept in the settings file, which only its owner may read (AppSettings::sync), as irssi
    // and HexChat keep theirs; never in a log or an error message.
    {.name = "accountPassword",
     .fileKey = "chat/accountPassword",
     .section = Section::Chat,
     .label = QT_TRANSLATE_NOOP("App::SettingsSchema", "Account pass&word:"),
     .help = QT_TRANSLATE_NOOP("App::SettingsSchema",
                               "The password of the account. It is kept in the settings file, "
                               "readable by you only."),
     .input = SettingInput::Secret,
     .fallback =
         [] {
             return QVariant(QString());
         }},
    {.name = "notifications",
     .fileKey = "chat/notifications",
     .section = Section::Chat,
     .label = QT_TRANSLATE_NOOP("App::SettingsSchema", "Notifications:"),
     .help = QT_TRANSLATE_NOOP("App::SettingsSchema",
                               "A desktop notification when someone says your nickname or writes "
                               "to you privately while the window is in the background."),
     .valueText
     = QT_TRANSLATE_NOOP("App::SettingsSchema", "N&otify me of mentions and private messages"),
     .fallback =
         [] {
             return QVariant(true);
         }},
    {.name = "mutedChannels",
     .fileKey = "chat/mutedChannels",
     .section = Section::Chat,
     .label = QT_TRANSLATE_NOOP("App::SettingsSchema", "&Muted channels:"),
     .help = QT_TRANSLATE_NOOP("App::SettingsSchema",
                               "Busy channels that never notify, separated by spaces; a channel "
                               "tab's menu mutes or unmutes it too."),
     .fallback = [] { return QVariant(QStringList()); },
     .check = channelListProblem},
    // Edited in File → Networks; JSON, see Client::NetworkList.
    {.name = "networks",
     .fileKey = "chat/networks",
     .fallback =
         [] {
             return QVariant(QByteArray());
         }},
    {.name = "maxClients",
     .fileKey = "limits/maxClients",
     .section = Section::Limits,
     .label = QT_TRANSLATE_NOOP("App::SettingsSchema", "Max. &clients:"),
     .help = QT_TRANSLATE_NOOP("App::SettingsSchema",
                               "Caps the clients connected at once, so that a runaway script "
                               "cannot use up the server's memory and file handles; 0 means no "
                               "cap beyond the open-file limit."),
     .option = "max-clients",
     .valueName = QT_TRANSLATE_NOOP("App::SettingsSchema", "count"),
     .range = Server::ServerLimits::Counts,
     .step = 100,
     .valueText = QT_TRANSLATE_NOOP("App::SettingsSchema", "No cap"),
     .config = limitField<&Server::ServerLimits::maxClients>()},
    {.name = "maxClientsPerIp",
     .fileKey = "limits/maxClientsPerIp",
     .section = Section::Limits,
     .label = QT_TRANSLATE_NOOP("App::SettingsSchema", "Clients per &IP address:"),
     .help = QT_TRANSLATE_NOOP("App::SettingsSchema",
                               "Stops one computer from taking every connection; keep it high "
                               "enough for a classroom or an office that shares one router. 0 "
                               "means no cap."),
     .option = "max-clients-per-ip",
     .valueName = QT_TRANSLATE_NOOP("App::SettingsSchema", "count"),
     .range = Server::ServerLimits::Counts,
     .valueText = QT_TRANSLATE_NOOP("App::SettingsSchema", "No cap"),
     .config = limitField<&Server::ServerLimits::maxClientsPerIp>()},
    {.name = "maxChannelsPerClient",
     .fileKey = "limits/maxChannelsPerClient",
     .section = Section::Limits,
     .label = QT_TRANSLATE_NOOP("App::SettingsSchema", "C&hannels per client:"),
     .help = QT_TRANSLATE_NOOP("App::SettingsSchema",
                               "Stops one client from filling the server with channels; 0 means "
                               "no cap."),
     .option = "max-channels",
     .valueName = QT_TRANSLATE_NOOP("App::SettingsSchema", "count"),
     .range = Server::ServerLimits::Counts,
     .valueText = QT_TRANSLATE_NOOP("App::SettingsSchema", "No cap"),
     .config = limitField<&Server::ServerLimits::maxChannelsPerClient>()},
    {.name = "sendQueueBytes",
     .fileKey = "limits/sendQueueBytes",
     .section = Section::Limits,
     .label = QT_TRANSLATE_NOOP("App::SettingsSchema", "&Send queue per client:"),
     .help = QT_TRANSLATE_NOOP("App::SettingsSchema",
                               "How much unsent output a client that stops reading may pile up "
                               "before it is disconnected (SendQ exceeded), so that one stalled "
                               "client cannot eat the memory; 0 means no cap."),
     .option = "sendq-bytes",
     .valueName = QT_TRANSLATE_NOOP("App::SettingsSchema", "bytes"),
     .range = Server::ServerLimits::SendQueueBytes,
     .step = 64 * 1024,
     .unit = QT_TRANSLATE_NOOP("App::SettingsSchema", " bytes"),
     .valueText = QT_TRANSLATE_NOOP("App::SettingsSchema", "No cap"),
     .config = limitField<&Server::ServerLimits::sendQueueBytes>()},
    {.name = "floodBurstLines",
     .fileKey = "limits/floodBurstLines",
     .section = Section::Limits,
     .label = QT_TRANSLATE_NOOP("App::SettingsSchema", "Flood &burst:"),
     .help = QT_TRANSLATE_NOOP("App::SettingsSchema",
                               "How many lines a client may send in one go before flood control "
                               "slows it down; large enough for what a client sends when it "
                               "connects."),
     .option = "flood-burst",
     .valueName = QT_TRANSLATE_NOOP("App::SettingsSchema", "lines"),
     .range = Server::ServerLimits::Counts,
     .unit = QT_TRANSLATE_NOOP("App::SettingsSchema", " lines"),
     .config = limitField<&Server::ServerLimits::floodBurstLines>()},
    {.name = "floodLinesPerSecond",
     .fileKey = "limits/floodLinesPerSecond",
     .section = Section::Limits,
     .label = QT_TRANSLATE_NOOP("App::SettingsSchema", "Flood &rate:"),
     .help = QT_TRANSLATE_NOOP("App::SettingsSchema",
                               "The lines per second a client may keep up after its burst, so "
                               "that no one can drown a channel in messages; more is "
                               "disconnected (Excess Flood). 0 turns flood control off."),
     .option = "flood-rate",
     .valueName = QT_TRANSLATE_NOOP("App::SettingsSchema", "lines"),
     .range = Server::ServerLimits::Counts,
     .unit = QT_TRANSLATE_NOOP("App::SettingsSchema", " lines/s"),
     .valueText = QT_TRANSLATE_NOOP("App::SettingsSchema", "No flood control"),
     .config = limitField<&Server::ServerLimits::floodLinesPerSecond>()},
    {.name = "registrationTimeoutSeconds",
     .fileKey = "limits/registrationTimeoutSeconds",
     .section = Section::Limits,
     .label = QT_TRANSLATE_NOOP("App::SettingsSchema", "Re&gistration timeout:"),
     .help = QT_TRANSLATE_NOOP("App::SettingsSchema",
                               "Closes connections that never finish signing in, so that idle or "
                               "half-open sockets do not pile up; 0: no timeout."),
     .option = "registration-timeout",
     .valueName = QT_TRANSLATE_NOOP("App::SettingsSchema", "seconds"),
     .range = Server::ServerLimits::Seconds,
     .step = 10,
     .unit = QT_TRANSLATE_NOOP("App::SettingsSchema", " s"),
     .valueText = QT_TRANSLATE_NOOP("App::SettingsSchema", "No timeout"),
     .config = limitSeconds<&Server::ServerLimits::registrationTimeoutMs>()},
    {.name = "pingIntervalSeconds",
     .fileKey = "limits/pingIntervalSeconds",
     .section = Section::Limits,
     .label = QT_TRANSLATE_NOOP("App::SettingsSchema", "P&ing interval:"),
     .help = QT_TRANSLATE_NOOP("App::SettingsSchema",
                               "After this much silence the server sends a PING, to find clients "
                               "whose connection died without a word; 0: never."),
     .option = "ping-interval",
     .valueName = QT_TRANSLATE_NOOP("App::SettingsSchema", "seconds"),
     .range = Server::ServerLimits::Seconds,
     .step = 10,
     .unit = QT_TRANSLATE_NOOP("App::SettingsSchema", " s"),
     .valueText = QT_TRANSLATE_NOOP("App::SettingsSchema", "Never"),
     .config = limitSeconds<&Server::ServerLimits::pingIntervalMs>()},
    {.name = "pingTimeoutSeconds",
     .fileKey = "limits/pingTimeoutSeconds",
     .section = Section::Limits,
     .label = QT_TRANSLATE_NOOP("App::SettingsSchema", "Ping time&out:"),
     .help = QT_TRANSLATE_NOOP("App::SettingsSchema",
                               "How long a client has to answer a PING before it counts as gone; "
                               "generous enough for a laptop waking from sleep."),
     .option = "ping-timeout",
     .valueName = QT_TRANSLATE_NOOP("App::SettingsSchema", "seconds"),
     .range = Server::ServerLimits::Seconds,
     .step = 10,
     .unit = QT_TRANSLATE_NOOP("App::SettingsSchema", " s"),
     .config = limitSeconds<&Server::ServerLimits::pingTimeoutMs>()},
    {.name = "liftLimits",
     .fileKey = "limits/liftLimits",
     .section = Section::Limits,
     .label = QT_TRANSLATE_NOOP("App::SettingsSchema", "Load tests:"),
     .help = QT_TRANSLATE_NOOP("App::SettingsSchema",
                               "For benchmarks and load tests only: with thousands of simulated "
                               "clients on one machine, flood control and the caps would stop "
                               "the test itself; line, buffer and send-queue limits and timeouts "
                               "stay."),
     .option = "no-limits",
     .valueText = QT_TRANSLATE_NOOP("App::SettingsSchema",
                                    "&Lift flood control and the client and channel caps"),
     .config = limitField<&Server::ServerLimits::noLimits>()},
    {.name = "tlsCertificatePath",
     .fileKey = "tls/certificatePath",
     .section = Section::Tls,
     .label = QT_TRANSLATE_NOOP("App::SettingsSchema", "Certi&ficate file:"),
     .help = QT_TRANSLATE_NOOP("App::SettingsSchema",
                               "The server's certificate (chain, PEM): with it and its key, every "
                               "client must connect over TLS, so that no one else on the network "
                               "can read the chat."),
     .option = "tls-cert",
     .valueName = QT_TRANSLATE_NOOP("App::SettingsSchema", "file"),
     .input = SettingInput::PemFile,
     .config = configField<&Server::ServerConfig::tlsCertificatePath>()},
    {.name = "tlsKeyPath",
     .fileKey = "tls/keyPath",
     .section = Section::Tls,
     .label = QT_TRANSLATE_NOOP("App::SettingsSchema", "Pri&vate key file:"),
     .help = QT_TRANSLATE_NOOP("App::SettingsSchema",
                               "The certificate's private key (PEM, not password-protected); "
                               "keep the file readable by you only."),
     .option = "tls-key",
     .valueName = QT_TRANSLATE_NOOP("App::SettingsSchema", "file"),
     .input = SettingInput::PemFile,
     .config = configField<&Server::ServerConfig::tlsKeyPath>()},
    // Hashes only: a password in clear would end up in the settings file and in `ps`.
    {.name = "operators",
     .fileKey = "server/operators",
     .section = Section::Server,
     .help = QT_TRANSLATE_NOOP("App::SettingsSchema",
                               "A server operator, as NAME:HASH, who may then use OPER, KILL and "
                               "WALLOPS and moderate every channel; HASH is what qtchat "
                               "--hash-password prints. Repeat the option for more operators."),
     .option = "oper",
     .valueName = QT_TRANSLATE_NOOP("App::SettingsSchema", "name:hash"),
     .repeatable = true,
     .config = operatorsField},
    {.name = "whowasEntries",
     .fileKey = "server/whowasEntries",
     .section = Section::Server,
     .help = QT_TRANSLATE_NOOP("App::SettingsSchema",
                               "How many nicks given up (by quitting or changing nick) WHOWAS "
                               "remembers; the oldest are forgotten first."),
     .option = "whowas",
     .valueName = QT_TRANSLATE_NOOP("App::SettingsSchema", "count"),
     .range = Server::ServerConfig::WhowasEntries,
     .config = configField<&Server::ServerConfig::whowasEntries>()},
    // Storage is set where the server is started, not in the window's dialog.
    {.name = "dataDir",
     .fileKey = "storage/dataDir",
     .section = Section::Server,
     .help = QT_TRANSLATE_NOOP("App::SettingsSchema",
                               "The folder where the server keeps its data, such as the chat "
                               "history's SQLite file; empty: the system's folder for "
                               "application data."),
     .option = "data-dir",
     .valueName = QT_TRANSLATE_NOOP("App::SettingsSchema", "folder"),
     .config = historyField<&Server::HistoryConfig::dataDir>()},
    // May hold a password: never repeated in an error message.
    {.name = "database",
     .fileKey = "storage/database",
     .section = Section::Server,
     .help = QT_TRANSLATE_NOOP("App::SettingsSchema",
                               "Where the chat history is kept: a postgresql://user@host/database "
                               "URL, so that several servers can share it, or an SQLite file; "
                               "empty: history.sqlite in the data folder."),
     .option = "database",
     .valueName = QT_TRANSLATE_NOOP("App::SettingsSchema", "url"),
     .input = SettingInput::Secret,
     .config = historyField<&Server::HistoryConfig::database>()},
    {.name = "historyDays",
     .fileKey = "storage/historyDays",
     .section = Section::Server,
     .help = QT_TRANSLATE_NOOP("App::SettingsSchema",
                               "Chat history older than this many days is deleted; 0 keeps it "
                               "whatever its age."),
     .option = "history-days",
     .valueName = QT_TRANSLATE_NOOP("App::SettingsSchema", "days"),
     .range = Server::HistoryConfig::Days,
     .config = historyField<&Server::HistoryConfig::maxAgeDays>()},
    {.name = "historyLines",
     .fileKey = "storage/historyLines",
     .section = Section::Server,
     .help = QT_TRANSLATE_NOOP("App::SettingsSchema",
                               "How many lines of history each channel and each private "
                               "conversation keeps, the oldest deleted first; 0 means no cap."),
     .option = "history-lines",
     .valueName = QT_TRANSLATE_NOOP("App::SettingsSchema", "lines"),
     .range = Server::HistoryConfig::LinesPerChannel,
     .config = historyField<&Server::HistoryConfig::maxLinesPerChannel>()},
    {.name = "replayOnJoin",
     .fileKey = "storage/replayOnJoin",
     .section = Section::Server,
     .help = QT_TRANSLATE_NOOP("App::SettingsSchema",
                               "How many of a channel's latest lines a client that joins it is "
                               "sent, for clients that cannot ask for history themselves; 0: "
                               "none."),
     .option = "replay-on-join",
     .valueName = QT_TRANSLATE_NOOP("App::SettingsSchema", "lines"),
     .range = Server::HistoryConfig::ReplayLines,
     .config = historyField<&Server::HistoryConfig::replayOnJoin>()},
    {.name = "noStorage",
     .fileKey = "storage/noStorage",
     .section = Section::Server,
     .help = QT_TRANSLATE_NOOP("App::SettingsSchema",
                               "Keep no chat history: nothing is written to disk, and clients "
                               "cannot ask for earlier messages."),
     .option = "no-storage",
     .config = noStorageField},
    {.name = "cluster",
     .fileKey = "cluster/redis",
     .section = Section::Server,
     .label = QT_TRANSLATE_NOOP("App::SettingsSchema", "&Cluster:"),
     .help = QT_TRANSLATE_NOOP("App::SettingsSchema",
                               "The Redis that several servers share to be one IRC network, as "
                               "redis://host:port or redis://host:port/database, with "
                               "redis://:password@host:port when Redis asks for a password "
                               "(redis://user:password@host:port for a Redis user); empty: "
                               "this server stands alone."),
     .option = "cluster",
     .valueName = QT_TRANSLATE_NOOP("App::SettingsSchema", "url"),
     .config = clusterField<&Server::ClusterConfig::redisUrl>()},
    {.name = "nodeName",
     .fileKey = "cluster/nodeName",
     .section = Section::Server,
     .label = QT_TRANSLATE_NOOP("App::SettingsSchema", "No&de name:"),
     .help = QT_TRANSLATE_NOOP("App::SettingsSchema",
                               "How the other servers of the cluster name this one, also in the "
                               "reason their users see when it leaves; empty: the host name and "
                               "the port."),
     .option = "node-name",
     .valueName = QT_TRANSLATE_NOOP("App::SettingsSchema", "name"),
     .config = clusterField<&Server::ClusterConfig::nodeName>()},
    // In the window, the server panel's "Processes" choice and its count.
    {.name = "processes",
     .fileKey = "server/processes",
     .section = Section::Server,
     .label = QT_TRANSLATE_NOOP("App::SettingsSchema", "Server &processes:"),
     .help = QT_TRANSLATE_NOOP("App::SettingsSchema",
                               "Serve the port from this many server processes, started and "
                               "restarted by this one and joined as one network through Redis "
                               "(a private redis-server unless a cluster is given); 0: this "
                               "process serves the clients itself."),
     .option = "processes",
     .valueName = QT_TRANSLATE_NOOP("App::SettingsSchema", "count"),
     .range = Server::ServerConfig::Processes,
     .valueText = QT_TRANSLATE_NOOP("App::SettingsSchema", "None (threads in this process)"),
     .config = configField<&Server::ServerConfig::processes>()},
};

constexpr const char *keyNames[] = {
#define QTCHAT_SETTING_NAME(Name, name, Type) #name,
    QTCHAT_SETTINGS(QTCHAT_SETTING_NAME)
#undef QTCHAT_SETTING_NAME
};

constexpr bool tableFollowsKeys()
{
    if (std::size(table) != std::size(keyNames))
        return false;
    for (std::size_t i = 0; i < std::size(table); ++i) {
        if (std::string_view(table[i].name) != keyNames[i])
            return false;
    }
    return true;
}
static_assert(tableFollowsKeys(), "the table must list QTCHAT_SETTINGS' keys in their order");
static_assert(std::size(table) == SettingsSchema::Count);

const char *const sectionTitles[] = {
    QT_TRANSLATE_NOOP("App::SettingsSchema", "Chat"),
    QT_TRANSLATE_NOOP("App::SettingsSchema", "Server"),
    QT_TRANSLATE_NOOP("App::SettingsSchema", "Interface"),
    QT_TRANSLATE_NOOP("App::SettingsSchema", "Limits"),
    QT_TRANSLATE_NOOP("App::SettingsSchema", "TLS"),
    nullptr, // Window: kept by the window itself
};

bool isNumber(QMetaType type)
{
    const int id = type.id();
    return id == QMetaType::Int || id == QMetaType::LongLong || id == QMetaType::Double;
}

QString translated(const char *text)
{
    return text ? SettingsSchema::tr(text) : QString();
}

// What to type instead, when a value is of the wrong type or out of range.
QString expected(QMetaType type, Server::Range range)
{
    if (type.id() == QMetaType::Bool)
        return SettingsSchema::tr("Use true or false.");
    if (type.id() == QMetaType::Double)
        return SettingsSchema::tr("Use a number from %1 to %2.")
            .arg(range.minimum)
            .arg(range.maximum);
    return SettingsSchema::tr("Use a whole number from %1 to %2.")
        .arg(range.minimum)
        .arg(range.maximum);
}

QString choiceProblem(const SettingSpec &spec, const QString &value)
{
    if (spec.choices.empty())
        return {};
    QStringList codes;
    for (const SettingChoice &choice : spec.choices) {
        if (value == QLatin1StringView(choice.code))
            return {};
        codes << QString::fromLatin1(choice.code);
    }
    return SettingsSchema::tr("\"%1\" is not one of: %2.").arg(value, codes.join(u", "));
}

} // namespace

std::span<const SettingSpec> SettingsSchema::all()
{
    return table;
}

const SettingSpec &SettingsSchema::spec(SettingKey key)
{
    return table[int(key)];
}

SettingKey SettingsSchema::keyOf(const SettingSpec &spec)
{
    return SettingKey(&spec - table);
}

const SettingSpec *SettingsSchema::find(QStringView name)
{
    for (const SettingSpec &spec : table) {
        if (name == QLatin1StringView(spec.name))
            return &spec;
    }
    return nullptr;
}

QMetaType SettingsSchema::type(SettingKey key)
{
    switch (key) {
#define QTCHAT_SETTING_TYPE(Name, name, Type)                                                      \
    case SettingKey::Name:                                                                         \
        return QMetaType::fromType<Type>();
        QTCHAT_SETTINGS(QTCHAT_SETTING_TYPE)
#undef QTCHAT_SETTING_TYPE
    }
    return {};
}

QVariant SettingsSchema::defaultValue(const SettingSpec &spec)
{
    return spec.inServerConfig() ? spec.config.get(Server::ServerConfig()) : spec.fallback();
}

Server::Range SettingsSchema::range(const SettingSpec &spec, Context context)
{
    Server::Range range = spec.range;
    if (context == Context::Settings && spec.settingsMinimum)
        range.minimum = *spec.settingsMinimum;
    return range;
}

std::optional<QVariant> SettingsSchema::typed(const SettingSpec &spec, const QVariant &value)
{
    const QMetaType type = SettingsSchema::type(keyOf(spec));
    // convert() makes any text but "", "0" and "false" true: a typo must not lift the limits.
    static const QStringList booleans = {QStringLiteral("true"), QStringLiteral("false"),
                                         QStringLiteral("1"), QStringLiteral("0")};
    if (type.id() == QMetaType::Bool && value.typeId() == QMetaType::QString
        && !booleans.contains(value.toString().trimmed().toLower()))
        return std::nullopt;
    // An empty list is written to an INI file as @Invalid(), and read back as nothing.
    if (type.id() == QMetaType::QStringList && !value.isValid())
        return QVariant(QStringList());
    // INI files give strings back; convert() fails on "abc" as an int instead of giving 0.
    QVariant converted = value;
    if (!converted.convert(type))
        return std::nullopt;
    // "nan" and "inf" convert, but no setting can be either.
    if (type.id() == QMetaType::Double && !std::isfinite(converted.toDouble()))
        return std::nullopt;
    return converted;
}

QString SettingsSchema::problem(const SettingSpec &spec, const QVariant &value, Context context)
{
    const QMetaType type = SettingsSchema::type(keyOf(spec));
    const std::optional<QVariant> typedValue = typed(spec, value);
    if (!typedValue && (isNumber(type) || type.id() == QMetaType::Bool))
        return expected(type, range(spec, context));
    if (!typedValue)
        return tr("\"%1\" is not a valid value for the setting %2.")
            .arg(value.toString(), QLatin1StringView(spec.name));
    if (isNumber(type) && !range(spec, context).contains(typedValue->toDouble()))
        return expected(type, range(spec, context));
    if (QString reason = choiceProblem(spec, typedValue->toString()); !reason.isEmpty())
        return reason;
    if (QString reason = spec.check ? spec.check(*typedValue) : QString(); !reason.isEmpty())
        return reason;
    if (!spec.inServerConfig())
        return {};
    // The server's own rules, so that the settings and ChatServer::start() never disagree.
    Server::ServerConfig probe;
    spec.config.set(probe, *typedValue);
    return probe.valueError();
}

QString SettingsSchema::sectionTitle(SettingSection section)
{
    return translated(sectionTitles[int(section)]);
}

QString SettingsSchema::label(const SettingSpec &spec)
{
    return translated(spec.label);
}

QString SettingsSchema::help(const SettingSpec &spec)
{
    return translated(spec.help);
}

QString SettingsSchema::unit(const SettingSpec &spec)
{
    return translated(spec.unit);
}

QString SettingsSchema::valueText(const SettingSpec &spec)
{
    return translated(spec.valueText);
}

QString SettingsSchema::choiceLabel(const SettingChoice &choice)
{
    return translated(choice.label);
}

} // namespace App
