#include "app/appsettings.h"

#include "protocol/names.h"

#include <QCoreApplication>
#include <QHostAddress>
#include <QLoggingCategory>
#include <QMap>
#include <QMetaProperty>
#include <QMutex>

#include <cmath>
#include <limits>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

namespace App {

Q_LOGGING_CATEGORY(lcSettings, "qtchat.settings")

namespace {

using Key = AppSettings::Key;

struct KeyInfo
{
    const char *name; // the Q_PROPERTY, and the key in valueRejected()
    const char *settingsKey; // grouped, so that the INI file reads well
    QMetaType::Type type;
};

// Indexed by AppSettings::Key.
constexpr KeyInfo keyTable[AppSettings::KeyCount] = {
    {"nickname", "chat/nickname", QMetaType::QString},
    {"bindAddress", "server/bindAddress", QMetaType::QString},
    {"port", "server/port", QMetaType::Int},
    {"threadingModel", "server/threadingModel", QMetaType::QString},
    {"workers", "server/workers", QMetaType::Int},
    {"serverName", "server/serverName", QMetaType::QString},
    {"password", "server/password", QMetaType::QString},
    {"language", "ui/language", QMetaType::QString},
    {"logLineCap", "ui/logLineCap", QMetaType::Int},
    {"windowGeometry", "ui/windowGeometry", QMetaType::QByteArray},
    {"windowState", "ui/windowState", QMetaType::QByteArray},
    {"autoJoinChannel", "chat/autoJoinChannel", QMetaType::QString},
    {"maxClients", "limits/maxClients", QMetaType::Int},
    {"maxClientsPerIp", "limits/maxClientsPerIp", QMetaType::Int},
    {"maxChannelsPerClient", "limits/maxChannelsPerClient", QMetaType::Int},
    {"sendQueueBytes", "limits/sendQueueBytes", QMetaType::LongLong},
    {"floodBurstLines", "limits/floodBurstLines", QMetaType::Int},
    {"floodLinesPerSecond", "limits/floodLinesPerSecond", QMetaType::Double},
    {"registrationTimeoutSeconds", "limits/registrationTimeoutSeconds", QMetaType::Int},
    {"pingIntervalSeconds", "limits/pingIntervalSeconds", QMetaType::Int},
    {"pingTimeoutSeconds", "limits/pingTimeoutSeconds", QMetaType::Int},
    {"liftLimits", "limits/liftLimits", QMetaType::Bool},
    {"tlsCertificatePath", "tls/certificatePath", QMetaType::QString},
    {"tlsKeyPath", "tls/keyPath", QMetaType::QString},
};

constexpr int MinPort = 1;
constexpr int MaxPort = 65535;
constexpr int MinLogLines = 1000;
constexpr int MaxLogLines = 1000000;
constexpr int MsPerSecond = 1000;

// The largest value each limit accepts, and what to say beyond it.
struct UpperBound
{
    Key key;
    qint64 maximum;
    const char *message; // untranslated; %1 is the maximum
};

const UpperBound upperBounds[] = {
    {Key::MaxClients, AppSettings::MaxLimitCount,
     QT_TRANSLATE_NOOP("App::AppSettings", "Client and channel caps must be at most %1.")},
    {Key::MaxClientsPerIp, AppSettings::MaxLimitCount,
     QT_TRANSLATE_NOOP("App::AppSettings", "Client and channel caps must be at most %1.")},
    {Key::MaxChannelsPerClient, AppSettings::MaxLimitCount,
     QT_TRANSLATE_NOOP("App::AppSettings", "Client and channel caps must be at most %1.")},
    {Key::SendQueueBytes, AppSettings::MaxSendQueueBytes,
     QT_TRANSLATE_NOOP("App::AppSettings", "The send queue must hold at most %1 bytes.")},
    {Key::FloodBurstLines, AppSettings::MaxLimitCount,
     QT_TRANSLATE_NOOP("App::AppSettings", "The flood burst must be at most %1 lines.")},
    {Key::FloodLinesPerSecond, AppSettings::MaxLimitCount,
     QT_TRANSLATE_NOOP("App::AppSettings", "The flood rate must be at most %1 lines per second.")},
    {Key::RegistrationTimeoutSeconds, AppSettings::MaxLimitSeconds,
     QT_TRANSLATE_NOOP("App::AppSettings", "Timeouts must be at most %1 seconds (one day).")},
    {Key::PingIntervalSeconds, AppSettings::MaxLimitSeconds,
     QT_TRANSLATE_NOOP("App::AppSettings", "Timeouts must be at most %1 seconds (one day).")},
    {Key::PingTimeoutSeconds, AppSettings::MaxLimitSeconds,
     QT_TRANSLATE_NOOP("App::AppSettings", "Timeouts must be at most %1 seconds (one day).")},
};

// Two settings that ServerConfig::validate() checks together. When they do not fit, the
// problem is shown under the one that is unset (0 or empty): that is the one to fill in.
struct KeyPair
{
    Key first;
    Key second;
};

constexpr KeyPair pairedKeys[] = {
    {Key::PingIntervalSeconds, Key::PingTimeoutSeconds},
    {Key::FloodLinesPerSecond, Key::FloodBurstLines},
    {Key::TlsCertificatePath, Key::TlsKeyPath},
};

const KeyInfo &info(Key key)
{
    return keyTable[int(key)];
}

std::optional<Key> keyFromName(const QString &name)
{
    for (int i = 0; i < AppSettings::KeyCount; ++i) {
        if (name == QLatin1StringView(keyTable[i].name))
            return Key(i);
    }
    return std::nullopt;
}

// What setFileName() asked for. Only read once, by the constructor.
struct FileRequest
{
    QMutex mutex;
    QString path;
    bool instanceCreated = false;
};

FileRequest &fileRequest()
{
    static FileRequest request;
    return request;
}

// Call with request.mutex held.
QString chosenPath(const FileRequest &request)
{
    if (!request.path.isEmpty())
        return request.path;
    return QSettings(QSettings::NativeFormat, QSettings::UserScope, QStringLiteral("QtChat"),
                     QStringLiteral("qtchat"))
        .fileName();
}

QString defaultNickname()
{
    QString user = qEnvironmentVariable("USER");
    if (user.isEmpty())
        user = qEnvironmentVariable("USERNAME");
    return Irc::isValidNick(user.toUtf8()) ? user : QStringLiteral("qtchat-user");
}

// Seconds to milliseconds, saturating: a probe of an absurd value must not overflow.
int toMs(const QVariant &seconds)
{
    constexpr qint64 Lowest = std::numeric_limits<int>::min();
    constexpr qint64 Highest = std::numeric_limits<int>::max();
    return int(qBound(Lowest, seconds.toLongLong() * MsPerSecond, Highest));
}

// The setting's value as it is in `config`; invalid for settings that are not in it here.
QVariant fromConfig(const Server::ServerConfig &config, Key key)
{
    const Server::ServerLimits &limits = config.limits;
    switch (key) {
    case Key::MaxClients:
        return limits.maxClients;
    case Key::MaxClientsPerIp:
        return limits.maxClientsPerIp;
    case Key::MaxChannelsPerClient:
        return limits.maxChannelsPerClient;
    case Key::SendQueueBytes:
        return limits.sendQueueBytes;
    case Key::FloodBurstLines:
        return limits.floodBurstLines;
    case Key::FloodLinesPerSecond:
        return limits.floodLinesPerSecond;
    case Key::RegistrationTimeoutSeconds:
        return limits.registrationTimeoutMs / MsPerSecond;
    case Key::PingIntervalSeconds:
        return limits.pingIntervalMs / MsPerSecond;
    case Key::PingTimeoutSeconds:
        return limits.pingTimeoutMs / MsPerSecond;
    case Key::LiftLimits:
        return limits.noLimits;
    case Key::TlsCertificatePath:
        return config.tlsCertificatePath;
    case Key::TlsKeyPath:
        return config.tlsKeyPath;
    default:
        return {}; // the older server settings keep their own code in serverConfig()
    }
}

// The inverse of fromConfig(); false for settings it does not know.
bool toConfig(Server::ServerConfig &config, Key key, const QVariant &value)
{
    Server::ServerLimits &limits = config.limits;
    switch (key) {
    case Key::MaxClients:
        limits.maxClients = value.toInt();
        break;
    case Key::MaxClientsPerIp:
        limits.maxClientsPerIp = value.toInt();
        break;
    case Key::MaxChannelsPerClient:
        limits.maxChannelsPerClient = value.toInt();
        break;
    case Key::SendQueueBytes:
        limits.sendQueueBytes = value.toLongLong();
        break;
    case Key::FloodBurstLines:
        limits.floodBurstLines = value.toInt();
        break;
    case Key::FloodLinesPerSecond:
        limits.floodLinesPerSecond = value.toDouble();
        break;
    case Key::RegistrationTimeoutSeconds:
        limits.registrationTimeoutMs = toMs(value);
        break;
    case Key::PingIntervalSeconds:
        limits.pingIntervalMs = toMs(value);
        break;
    case Key::PingTimeoutSeconds:
        limits.pingTimeoutMs = toMs(value);
        break;
    case Key::LiftLimits:
        limits.noLimits = value.toBool();
        break;
    case Key::TlsCertificatePath:
        config.tlsCertificatePath = value.toString();
        break;
    case Key::TlsKeyPath:
        config.tlsKeyPath = value.toString();
        break;
    default:
        return false;
    }
    return true;
}

QVariant defaultFor(Key key)
{
    // The limits' defaults are ServerLimits' own, which explain where each number comes from.
    if (const QVariant fromServer = fromConfig(Server::ServerConfig(), key); fromServer.isValid())
        return fromServer;
    switch (key) {
    case Key::Nickname:
        return defaultNickname();
    case Key::BindAddress:
        return QStringLiteral("127.0.0.1");
    case Key::Port:
        return 6667;
    case Key::ThreadingModel:
        return Server::threadingModelName(Server::ThreadingModel::Pool);
    case Key::Workers:
        return 0;
    case Key::ServerName:
        return QStringLiteral("qtchat.local");
    case Key::Password:
        return QString();
    case Key::Language:
        return QStringLiteral("system");
    case Key::LogLineCap:
        return 50000;
    case Key::WindowGeometry:
    case Key::WindowState:
        return QByteArray();
    case Key::AutoJoinChannel:
        return QStringLiteral("#lobby");
    default:
        break; // taken from ServerConfig above
    }
    return {};
}

std::array<QVariant, AppSettings::KeyCount> defaults()
{
    std::array<QVariant, AppSettings::KeyCount> values;
    for (int i = 0; i < AppSettings::KeyCount; ++i)
        values[i] = defaultFor(Key(i));
    return values;
}

// The value converted to the key's type, or nothing when it cannot be ("abc" as a port).
std::optional<QVariant> normalized(Key key, QVariant value)
{
    // convert() makes any text but "", "0" and "false" true: a typo must not lift the limits.
    static const QStringList booleans = {QStringLiteral("true"), QStringLiteral("false"),
                                         QStringLiteral("1"), QStringLiteral("0")};
    if (info(key).type == QMetaType::Bool && value.typeId() == QMetaType::QString
        && !booleans.contains(value.toString().trimmed().toLower()))
        return std::nullopt;
    // INI files give strings back; convert() fails on "abc" as an int instead of giving 0.
    if (!value.convert(QMetaType(info(key).type)))
        return std::nullopt;
    // "nan" and "inf" convert, but no limit can be either.
    if (value.typeId() == QMetaType::Double && !std::isfinite(value.toDouble()))
        return std::nullopt;
    return value;
}

// A config in which only `key`'s own rules can object: its partner in pairedKeys gets a value
// that fits any value of it. combinationError() checks the pairs.
Server::ServerConfig probeFor(Key key, const QVariant &value)
{
    Server::ServerConfig probe;
    if (key == Key::PingTimeoutSeconds)
        probe.limits.pingIntervalMs = 0; // without pings, any timeout will do
    else if (key == Key::FloodBurstLines)
        probe.limits.floodLinesPerSecond = 0; // without flood control, any burst will do
    else if (key == Key::TlsCertificatePath)
        probe.tlsKeyPath = value.toString();
    else if (key == Key::TlsKeyPath)
        probe.tlsCertificatePath = value.toString();
    toConfig(probe, key, value);
    return probe;
}

// The server's own rules, so that the dialog and ChatServer::start() never disagree.
QString serverConfigError(Key key, const QVariant &value)
{
    Server::ServerConfig probe = probeFor(key, value);
    if (key == Key::BindAddress)
        probe.bindAddress = QHostAddress(value.toString());
    else if (key == Key::Workers)
        probe.workers = value.toInt();
    else if (key == Key::ServerName)
        probe.serverName = value.toString().toUtf8();
    else if (key == Key::Password)
        probe.password = value.toString().toUtf8();
    return probe.validate();
}

// The server's rules first (they explain negative values), then the upper bound.
QString limitError(Key key, const QVariant &value)
{
    if (QString reason = serverConfigError(key, value); !reason.isEmpty())
        return reason;
    for (const UpperBound &bound : upperBounds) {
        if (bound.key == key && value.toDouble() > double(bound.maximum))
            return AppSettings::tr(bound.message).arg(bound.maximum);
    }
    return {};
}

QString rangeError(Key key, int number)
{
    if (key == Key::Port && (number < MinPort || number > MaxPort))
        return AppSettings::tr("The port must be between %1 and %2.").arg(MinPort).arg(MaxPort);
    if (key == Key::LogLineCap && (number < MinLogLines || number > MaxLogLines))
        return AppSettings::tr("The log must keep between %1 and %2 lines.")
            .arg(MinLogLines)
            .arg(MaxLogLines);
    return {};
}

QString nameError(Key key, const QString &text)
{
    if (key == Key::Nickname && !Irc::isValidNick(text.toUtf8()))
        return AppSettings::tr("\"%1\" is not a valid nickname: use up to %2 letters, digits or "
                               "-[]\\`_^{|} characters, not starting with a digit or '-'.")
            .arg(text)
            .arg(Irc::MaxNickLength);
    if (key == Key::AutoJoinChannel && !Irc::isValidChannelName(text.toUtf8()))
        return AppSettings::tr("\"%1\" is not a valid channel name: it starts with # and has no "
                               "spaces, commas or colons.")
            .arg(text);
    if (key == Key::ThreadingModel && !Server::threadingModelFromName(text))
        return AppSettings::tr("Unknown threading model \"%1\": use per-connection, pool or "
                               "single.")
            .arg(text);
    if (key == Key::Language && !AppSettings::languages().contains(text))
        return AppSettings::tr("Unknown language \"%1\": use system, en or zh_CN.").arg(text);
    return {};
}

QString checkValue(Key key, const QVariant &value)
{
    switch (key) {
    case Key::BindAddress:
    case Key::Workers:
    case Key::ServerName:
    case Key::Password:
        return serverConfigError(key, value);
    case Key::Port:
    case Key::LogLineCap:
        return rangeError(key, value.toInt());
    case Key::Nickname:
    case Key::AutoJoinChannel:
    case Key::ThreadingModel:
    case Key::Language:
        return nameError(key, value.toString());
    case Key::WindowGeometry:
    case Key::WindowState:
        break; // whatever QWidget::saveGeometry() produced
    case Key::MaxClients:
    case Key::MaxClientsPerIp:
    case Key::MaxChannelsPerClient:
    case Key::SendQueueBytes:
    case Key::FloodBurstLines:
    case Key::FloodLinesPerSecond:
    case Key::RegistrationTimeoutSeconds:
    case Key::PingIntervalSeconds:
    case Key::PingTimeoutSeconds:
    case Key::LiftLimits:
    case Key::TlsCertificatePath:
    case Key::TlsKeyPath:
        return limitError(key, value);
    }
    return {};
}

QString errorFor(Key key, const QVariant &value)
{
    const std::optional<QVariant> typed = normalized(key, value);
    if (!typed)
        return AppSettings::tr("\"%1\" is not a valid value for the setting %2.")
            .arg(value.toString(), QLatin1StringView(info(key).name));
    return checkValue(key, *typed);
}

// 0, 0.0, false or empty: the member of a pair that was left out.
bool isUnset(const QVariant &value)
{
    if (value.typeId() == QMetaType::QString)
        return value.toString().isEmpty();
    return value.toDouble() == 0;
}

} // namespace

AppSettings *AppSettings::instance()
{
    // A function-local static is C++11's thread-safe lazy initialisation ("magic statics"):
    // the compiler emits the tutorial's locked __new__ for us - a fast check of a guard
    // variable, then a lock and a second check - and every other caller blocks until the
    // constructor has returned, so all threads get the same pointer (obj1 is obj2). The
    // tutorial's other form, a module-level object, would be a namespace-scope global here:
    // built before main() (before QCoreApplication and setFileName()) and in no defined order
    // relative to globals in other files. Q_GLOBAL_STATIC would also be lazy and safe, but
    // needs a public constructor.
    static AppSettings settings;
    return &settings;
}

void AppSettings::setFileName(const QString &path)
{
    FileRequest &request = fileRequest();
    QMutexLocker locker(&request.mutex);
    if (request.instanceCreated) {
        qCWarning(lcSettings) << "setFileName() after instance() is ignored:" << path;
        return;
    }
    request.path = path;
}

QString AppSettings::fileName()
{
    FileRequest &request = fileRequest();
    QMutexLocker locker(&request.mutex);
    return chosenPath(request);
}

QString AppSettings::validationError(const QString &key, const QVariant &value)
{
    if (const std::optional<Key> known = keyFromName(key))
        return errorFor(*known, value);
    return tr("Unknown setting \"%1\".").arg(key);
}

QVariant AppSettings::defaultValue(const QString &key)
{
    const std::optional<Key> known = keyFromName(key);
    return known ? defaultFor(*known) : QVariant();
}

QString AppSettings::bindAddressWarning(const QString &address)
{
    const QHostAddress host(address.trimmed());
    if (host.isNull() || host.isLoopback())
        return {};
    return tr("Other computers on your network will be able to connect to this server.");
}

QStringList AppSettings::languages()
{
    return {QStringLiteral("system"), QStringLiteral("en"), QStringLiteral("zh_CN")};
}

QString AppSettings::keyName(Key key)
{
    return QLatin1StringView(info(key).name);
}

QStringList AppSettings::keys()
{
    QStringList names;
    for (const KeyInfo &entry : keyTable)
        names << QLatin1StringView(entry.name);
    return names;
}

AppSettings::AppSettings()
{
    {
        FileRequest &request = fileRequest();
        QMutexLocker locker(&request.mutex);
        request.instanceCreated = true;
        m_fileName = chosenPath(request);
        m_format = request.path.isEmpty() ? QSettings::NativeFormat : QSettings::IniFormat;
    }
    // Whichever thread called instance() first built us; that thread may end long before the
    // app does, and an object whose thread is gone can no longer be a queued-call receiver.
    if (QCoreApplication *app = QCoreApplication::instance()) {
        moveToThread(app->thread());
        connect(app, &QCoreApplication::aboutToQuit, this, &AppSettings::sync);
    }
    m_values = readFile(defaults());
    qCDebug(lcSettings) << "settings file" << m_fileName;
}

AppSettings::~AppSettings()
{
    sync();
}

QVariant AppSettings::value(Key key) const
{
    std::shared_lock locker(m_lock);
    return m_values[int(key)];
}

bool AppSettings::store(Key key, const QVariant &value)
{
    const QString reason = errorFor(key, value);
    if (!reason.isEmpty()) {
        Q_EMIT valueRejected(keyName(key), reason);
        return false;
    }
    const QVariant typed = *normalized(key, value);
    bool queueSync = false;
    {
        std::unique_lock locker(m_lock);
        QVariant &current = m_values[int(key)];
        if (current == typed)
            return false;
        current = typed;
        m_unsaved.set(int(key));
        queueSync = !std::exchange(m_syncQueued, true);
    }
    // One sync for a burst of changes (a dialog's OK sets every field), run by our thread's
    // event loop: posting is safe from any thread, and no timer is touched outside its own.
    if (queueSync)
        QMetaObject::invokeMethod(this, &AppSettings::sync, Qt::QueuedConnection);
    return true;
}

void AppSettings::sync()
{
    std::lock_guard fileLocker(m_fileMutex);
    std::vector<std::pair<const char *, QVariant>> changes;
    {
        std::unique_lock locker(m_lock);
        for (int i = 0; i < KeyCount; ++i) {
            if (m_unsaved.test(i))
                changes.emplace_back(info(Key(i)).settingsKey, m_values[i]);
        }
        m_unsaved.reset();
        m_syncQueued = false;
    }
    if (changes.empty())
        return;
    // A QSettings object per sync, never a shared member: QSettings is reentrant, not
    // thread-safe, and setValue() posts a deferred flush to the object's own thread, which
    // would then run outside our locks. Distinct objects on one file are what Qt documents as
    // safe; sync() writes now, so the deferred flush finds nothing to do.
    QSettings settings(m_fileName, m_format);
    for (const auto &[settingsKey, value] : changes)
        settings.setValue(QLatin1StringView(settingsKey), value);
    settings.sync();
    if (settings.status() != QSettings::NoError)
        qCWarning(lcSettings) << "cannot write" << m_fileName << "status" << settings.status();
}

std::array<QVariant, AppSettings::KeyCount>
AppSettings::readFile(const std::array<QVariant, KeyCount> &fallbacks) const
{
    std::array<QVariant, KeyCount> values;
    std::lock_guard fileLocker(m_fileMutex);
    QSettings settings(m_fileName, m_format);
    for (int i = 0; i < KeyCount; ++i) {
        const Key key = Key(i);
        const QVariant &fallback = fallbacks[i];
        const QVariant stored = settings.value(QLatin1StringView(info(key).settingsKey), fallback);
        const QString reason = errorFor(key, stored);
        if (!reason.isEmpty())
            qCWarning(lcSettings) << "ignoring" << info(key).settingsKey << "in" << m_fileName
                                  << ":" << reason;
        values[i] = reason.isEmpty() ? *normalized(key, stored) : fallback;
    }
    return values;
}

void AppSettings::setAll(const std::array<QVariant, KeyCount> &values)
{
    // Through the setters (via the property system), so each real change emits its signal.
    const QMetaObject *meta = metaObject();
    for (int i = 0; i < KeyCount; ++i)
        meta->property(meta->indexOfProperty(keyTable[i].name)).write(this, values[i]);
}

void AppSettings::reload()
{
    // Our own changes first: as far as we know they are newer than the file.
    sync();
    std::array<QVariant, KeyCount> current;
    {
        std::shared_lock locker(m_lock);
        current = m_values;
    }
    setAll(readFile(current));
}

void AppSettings::restoreDefaults()
{
    setAll(defaults());
}

QString AppSettings::combinationError(const QVariantMap &values, QString *key) const
{
    const auto pick = [&](Key which) {
        return values.value(keyName(which), value(which));
    };
    for (const KeyPair &pair : pairedKeys) {
        Server::ServerConfig probe;
        toConfig(probe, pair.first, pick(pair.first));
        toConfig(probe, pair.second, pick(pair.second));
        const QString reason = probe.validate();
        if (reason.isEmpty())
            continue;
        if (key)
            *key = keyName(isUnset(pick(pair.first)) ? pair.first : pair.second);
        return reason;
    }
    return {};
}

Server::ServerConfig AppSettings::serverConfig() const
{
    std::shared_lock locker(m_lock);
    const auto at = [this](Key key) {
        return m_values[int(key)];
    };
    Server::ServerConfig config;
    config.bindAddress = QHostAddress(at(Key::BindAddress).toString());
    config.port = quint16(at(Key::Port).toInt());
    config.threading = Server::threadingModelFromName(at(Key::ThreadingModel).toString())
                           .value_or(Server::ThreadingModel::Pool);
    config.workers = at(Key::Workers).toInt();
    config.serverName = at(Key::ServerName).toString().toUtf8();
    config.password = at(Key::Password).toString().toUtf8();
    for (int i = 0; i < KeyCount; ++i)
        toConfig(config, Key(i), m_values[i]); // the limits and the TLS files
    return config;
}

QString AppSettings::nickname() const
{
    return value(Key::Nickname).toString();
}

QString AppSettings::bindAddress() const
{
    return value(Key::BindAddress).toString();
}

int AppSettings::port() const
{
    return value(Key::Port).toInt();
}

QString AppSettings::threadingModel() const
{
    return value(Key::ThreadingModel).toString();
}

int AppSettings::workers() const
{
    return value(Key::Workers).toInt();
}

QString AppSettings::serverName() const
{
    return value(Key::ServerName).toString();
}

QString AppSettings::password() const
{
    return value(Key::Password).toString();
}

QString AppSettings::language() const
{
    return value(Key::Language).toString();
}

int AppSettings::logLineCap() const
{
    return value(Key::LogLineCap).toInt();
}

QByteArray AppSettings::windowGeometry() const
{
    return value(Key::WindowGeometry).toByteArray();
}

QByteArray AppSettings::windowState() const
{
    return value(Key::WindowState).toByteArray();
}

QString AppSettings::autoJoinChannel() const
{
    return value(Key::AutoJoinChannel).toString();
}

int AppSettings::maxClients() const
{
    return value(Key::MaxClients).toInt();
}

int AppSettings::maxClientsPerIp() const
{
    return value(Key::MaxClientsPerIp).toInt();
}

int AppSettings::maxChannelsPerClient() const
{
    return value(Key::MaxChannelsPerClient).toInt();
}

qint64 AppSettings::sendQueueBytes() const
{
    return value(Key::SendQueueBytes).toLongLong();
}

int AppSettings::floodBurstLines() const
{
    return value(Key::FloodBurstLines).toInt();
}

double AppSettings::floodLinesPerSecond() const
{
    return value(Key::FloodLinesPerSecond).toDouble();
}

int AppSettings::registrationTimeoutSeconds() const
{
    return value(Key::RegistrationTimeoutSeconds).toInt();
}

int AppSettings::pingIntervalSeconds() const
{
    return value(Key::PingIntervalSeconds).toInt();
}

int AppSettings::pingTimeoutSeconds() const
{
    return value(Key::PingTimeoutSeconds).toInt();
}

bool AppSettings::liftLimits() const
{
    return value(Key::LiftLimits).toBool();
}

QString AppSettings::tlsCertificatePath() const
{
    return value(Key::TlsCertificatePath).toString();
}

QString AppSettings::tlsKeyPath() const
{
    return value(Key::TlsKeyPath).toString();
}

void AppSettings::setNickname(const QString &nickname)
{
    if (store(Key::Nickname, nickname))
        Q_EMIT nicknameChanged(nickname);
}

void AppSettings::setBindAddress(const QString &address)
{
    if (store(Key::BindAddress, address))
        Q_EMIT bindAddressChanged(address);
}

void AppSettings::setPort(int port)
{
    if (store(Key::Port, port))
        Q_EMIT portChanged(port);
}

void AppSettings::setThreadingModel(const QString &model)
{
    if (store(Key::ThreadingModel, model))
        Q_EMIT threadingModelChanged(model);
}

void AppSettings::setWorkers(int workers)
{
    if (store(Key::Workers, workers))
        Q_EMIT workersChanged(workers);
}

void AppSettings::setServerName(const QString &name)
{
    if (store(Key::ServerName, name))
        Q_EMIT serverNameChanged(name);
}

void AppSettings::setPassword(const QString &password)
{
    if (store(Key::Password, password))
        Q_EMIT passwordChanged(password);
}

void AppSettings::setLanguage(const QString &language)
{
    if (store(Key::Language, language))
        Q_EMIT languageChanged(language);
}

void AppSettings::setLogLineCap(int lines)
{
    if (store(Key::LogLineCap, lines))
        Q_EMIT logLineCapChanged(lines);
}

void AppSettings::setWindowGeometry(const QByteArray &geometry)
{
    if (store(Key::WindowGeometry, geometry))
        Q_EMIT windowGeometryChanged(geometry);
}

void AppSettings::setWindowState(const QByteArray &state)
{
    if (store(Key::WindowState, state))
        Q_EMIT windowStateChanged(state);
}

void AppSettings::setAutoJoinChannel(const QString &channel)
{
    if (store(Key::AutoJoinChannel, channel))
        Q_EMIT autoJoinChannelChanged(channel);
}

void AppSettings::setMaxClients(int clients)
{
    if (store(Key::MaxClients, clients))
        Q_EMIT maxClientsChanged(clients);
}

void AppSettings::setMaxClientsPerIp(int clients)
{
    if (store(Key::MaxClientsPerIp, clients))
        Q_EMIT maxClientsPerIpChanged(clients);
}

void AppSettings::setMaxChannelsPerClient(int channels)
{
    if (store(Key::MaxChannelsPerClient, channels))
        Q_EMIT maxChannelsPerClientChanged(channels);
}

void AppSettings::setSendQueueBytes(qint64 bytes)
{
    if (store(Key::SendQueueBytes, bytes))
        Q_EMIT sendQueueBytesChanged(bytes);
}

void AppSettings::setFloodBurstLines(int lines)
{
    if (store(Key::FloodBurstLines, lines))
        Q_EMIT floodBurstLinesChanged(lines);
}

void AppSettings::setFloodLinesPerSecond(double rate)
{
    if (store(Key::FloodLinesPerSecond, rate))
        Q_EMIT floodLinesPerSecondChanged(rate);
}

void AppSettings::setRegistrationTimeoutSeconds(int seconds)
{
    if (store(Key::RegistrationTimeoutSeconds, seconds))
        Q_EMIT registrationTimeoutSecondsChanged(seconds);
}

void AppSettings::setPingIntervalSeconds(int seconds)
{
    if (store(Key::PingIntervalSeconds, seconds))
        Q_EMIT pingIntervalSecondsChanged(seconds);
}

void AppSettings::setPingTimeoutSeconds(int seconds)
{
    if (store(Key::PingTimeoutSeconds, seconds))
        Q_EMIT pingTimeoutSecondsChanged(seconds);
}

void AppSettings::setLiftLimits(bool lift)
{
    if (store(Key::LiftLimits, lift))
        Q_EMIT liftLimitsChanged(lift);
}

void AppSettings::setTlsCertificatePath(const QString &path)
{
    if (store(Key::TlsCertificatePath, path))
        Q_EMIT tlsCertificatePathChanged(path);
}

void AppSettings::setTlsKeyPath(const QString &path)
{
    if (store(Key::TlsKeyPath, path))
        Q_EMIT tlsKeyPathChanged(path);
}

} // namespace App
