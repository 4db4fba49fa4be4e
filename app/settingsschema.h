#pragma once

#include "serverlib/serverconfig.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QMetaType>
#include <QString>
#include <QVariant>

#include <optional>
#include <span>

namespace App {

// Every setting of the app, once: X(Name, name, Type). `name` is the Q_PROPERTY of
// AppSettings, Name its SettingKey, Type its C++ type. The order is the key order, and the
// order of the table in settingsschema.cpp, which says everything else about each setting.
#define QTCHAT_SETTINGS(X)                                                                         \
    X(Nickname, nickname, QString)                                                                 \
    X(BindAddress, bindAddress, QString)                                                           \
    X(Port, port, int)                                                                             \
    X(ThreadingModel, threadingModel, QString)                                                     \
    X(Workers, workers, int)                                                                       \
    X(ServerName, serverName, QString)                                                             \
    X(Password, password, QString)                                                                 \
    X(Language, language, QString)                                                                 \
    X(LogLineCap, logLineCap, int)                                                                 \
    X(WindowGeometry, windowGeometry, QByteArray)                                                  \
    X(WindowState, windowState, QByteArray)                                                        \
    X(AutoJoinChannel, autoJoinChannel, QString)                                                   \
    X(Account, account, QString)                                                                   \
    X(AccountPassword, accountPassword, QString)                                                   \
    X(Notifications, notifications, bool)                                                          \
    X(MutedChannels, mutedChannels, QStringList)                                                   \
    X(Networks, networks, QByteArray)                                                              \
    X(MaxClients, maxClients, int)                                                                 \
    X(MaxClientsPerIp, maxClientsPerIp, int)                                                       \
    X(MaxChannelsPerClient, maxChannelsPerClient, int)                                             \
    X(SendQueueBytes, sendQueueBytes, qint64)                                                      \
    X(FloodBurstLines, floodBurstLines, int)                                                       \
    X(FloodLinesPerSecond, floodLinesPerSecond, double)                                            \
    X(RegistrationTimeoutSeconds, registrationTimeoutSeconds, int)                                 \
    X(PingIntervalSeconds, pingIntervalSeconds, int)                                               \
    X(PingTimeoutSeconds, pingTimeoutSeconds, int)                                                 \
    X(LiftLimits, liftLimits, bool)                                                                \
    X(TlsCertificatePath, tlsCertificatePath, QString)                                             \
    X(TlsKeyPath, tlsKeyPath, QString)                                                             \
    X(Operators, operators, QString)                                                               \
    X(WhowasEntries, whowasEntries, int)                                                           \
    X(DataDir, dataDir, QString)                                                                   \
    X(Database, database, QString)                                                                 \
    X(HistoryDays, historyDays, int)                                                               \
    X(HistoryLines, historyLines, int)                                                             \
    X(ReplayOnJoin, replayOnJoin, int)                                                             \
    X(NoStorage, noStorage, bool)                                                                  \
    X(Cluster, cluster, QString)                                                                   \
    X(NodeName, nodeName, QString)                                                                 \
    X(Processes, processes, int)

enum class SettingKey {
#define QTCHAT_SETTING_KEY(Name, name, Type) Name,
    QTCHAT_SETTINGS(QTCHAT_SETTING_KEY)
#undef QTCHAT_SETTING_KEY
};

// Where a setting shows up in the settings dialog (and, for the file, which group it is in).
enum class SettingSection { Chat, Server, Interface, Limits, Tls, Window };
constexpr int SettingSectionCount = int(SettingSection::Window) + 1;

// A value a setting may take from a fixed list, and its translatable name (none for the
// languages: LanguageManager names each in its own language).
struct SettingChoice
{
    const char *code;
    const char *label;
};

// How a text setting is typed in.
enum class SettingInput {
    Plain,
    Secret, // hidden while typed, and taken as typed (spaces are part of a password)
    PemFile, // a path, with a button to pick the file
};

// How a setting that the server uses maps to and from ServerConfig, in the setting's units.
struct ServerConfigAccess
{
    QVariant (*get)(const Server::ServerConfig &config) = nullptr;
    void (*set)(Server::ServerConfig &config, const QVariant &value) = nullptr;
};

// One setting, as KDE's KConfigXT describes one in a .kcfg file: what it is called where,
// which values it takes, what it defaults to, how it is explained. AppSettings persists it, the
// settings dialog builds its editor from it, the command line its option.
struct SettingSpec
{
    const char *name; // the Q_PROPERTY, the dialog's editor, the key in valueRejected()
    const char *fileKey; // "group/key" in the settings file; never renamed
    SettingSection section = SettingSection::Window;
    const char *label = nullptr; // the dialog's label, with its shortcut; none: not in the dialog
    const char *help = nullptr; // the dialog's tooltip and the command line's help
    const char *option = nullptr; // the command-line option; none: not on the command line
    const char *valueName = nullptr; // the option's value in --help; none: the option is a flag
    // Numbers: the values the command line accepts; the settings take the same unless
    // settingsMinimum narrows them.
    Server::Range range = {};
    std::optional<qint64> settingsMinimum = {};
    int step = 1; // the spin box's step
    const char *unit = nullptr; // after the number in the dialog (" s")
    // The spin box's text for its minimum ("No cap"); a check box's caption.
    const char *valueText = nullptr;
    std::span<const SettingChoice> choices = {};
    SettingInput input = SettingInput::Plain;
    // The option may be given several times; its values are joined with spaces.
    bool repeatable = false;
    // Server settings take their default from ServerConfig; the others from `fallback`.
    ServerConfigAccess config = {};
    QVariant (*fallback)() = nullptr;
    // A rule of the setting's own beyond range and choices (a valid nickname); empty: fine.
    QString (*check)(const QVariant &value) = nullptr;

    bool inDialog() const { return label != nullptr; }
    bool onCommandLine() const { return option != nullptr; }
    bool inServerConfig() const { return config.get != nullptr; }
};

class SettingsSchema
{
    Q_DECLARE_TR_FUNCTIONS(App::SettingsSchema)

public:
    // The settings persist what the window uses; the command line starts a headless server.
    enum class Context { Settings, CommandLine };
    static constexpr int Count = int(SettingKey::Processes) + 1;

    static std::span<const SettingSpec> all();
    static const SettingSpec &spec(SettingKey key);
    static SettingKey keyOf(const SettingSpec &spec);
    static const SettingSpec *find(QStringView name);
    static QMetaType type(SettingKey key);

    static QVariant defaultValue(const SettingSpec &spec);
    static Server::Range range(const SettingSpec &spec, Context context);
    // The value converted to the setting's type, or nothing when it cannot be ("abc" as a
    // port, "nan" as a rate, "yes please" as a switch).
    static std::optional<QVariant> typed(const SettingSpec &spec, const QVariant &value);
    // Translated reason why `value` is not acceptable on its own, or empty when it is. Rules
    // that tie two settings together are ServerConfig::combinationError()'s.
    static QString problem(const SettingSpec &spec, const QVariant &value, Context context);
    static QString sectionTitle(SettingSection section);
    // Translated texts of the table, empty where it has none.
    static QString label(const SettingSpec &spec);
    static QString help(const SettingSpec &spec);
    static QString unit(const SettingSpec &spec);
    static QString valueText(const SettingSpec &spec);
    static QString choiceLabel(const SettingChoice &choice);
};

} // namespace App
