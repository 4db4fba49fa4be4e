#include "app/appsettings.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHostAddress>
#include <QLoggingCategory>
#include <QMetaProperty>
#include <QMutex>

#include <utility>
#include <vector>

namespace App {

Q_LOGGING_CATEGORY(lcSettings, "qtchat.settings")

namespace {

using Key = AppSettings::Key;
using Context = SettingsSchema::Context;

// Two settings that ServerConfig::combinationError() checks together. When they do not fit,
// the problem is shown under the one that is unset (0 or empty): that is the one to fill in.
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

const SettingSpec &spec(Key key)
{
    return SettingsSchema::spec(key);
}

QString errorFor(Key key, const QVariant &value)
{
    return SettingsSchema::problem(spec(key), value, Context::Settings);
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

std::array<QVariant, AppSettings::KeyCount> defaults()
{
    std::array<QVariant, AppSettings::KeyCount> values;
    for (int i = 0; i < AppSettings::KeyCount; ++i)
        values[i] = SettingsSchema::defaultValue(spec(Key(i)));
    return values;
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
    if (const SettingSpec *known = SettingsSchema::find(key))
        return SettingsSchema::problem(*known, value, Context::Settings);
    return tr("Unknown setting \"%1\".").arg(key);
}

QVariant AppSettings::defaultValue(const QString &key)
{
    const SettingSpec *known = SettingsSchema::find(key);
    return known ? SettingsSchema::defaultValue(*known) : QVariant();
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
    QStringList codes;
    for (const SettingChoice &choice : spec(Key::Language).choices)
        codes << QString::fromLatin1(choice.code);
    return codes;
}

QString AppSettings::keyName(Key key)
{
    return QLatin1StringView(spec(key).name);
}

QStringList AppSettings::keys()
{
    QStringList names;
    for (const SettingSpec &entry : SettingsSchema::all())
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
    const QVariant typed = *SettingsSchema::typed(spec(key), value);
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

// The file holds passwords (the server's, the account's): only its owner may read it. It is
// made so before anything is written to it; QSettings replaces it through QSaveFile, which
// keeps the permissions of the file it replaces.
void AppSettings::keepOwnerOnly(const QString &path)
{
    constexpr QFile::Permissions ownerOnly = QFile::ReadOwner | QFile::WriteOwner;
    if (!QFile::exists(path)) {
        QDir().mkpath(QFileInfo(path).path());
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly, ownerOnly))
            qCWarning(lcSettings) << "cannot create" << path << file.errorString();
        return;
    }
    constexpr QFile::Permissions others = QFile::ReadGroup | QFile::WriteGroup | QFile::ExeGroup
        | QFile::ReadOther | QFile::WriteOther | QFile::ExeOther;
    if ((QFile::permissions(path) & others) && !QFile::setPermissions(path, ownerOnly))
        qCWarning(lcSettings) << "cannot make" << path << "readable by its owner only";
}

void AppSettings::sync()
{
    std::lock_guard fileLocker(m_fileMutex);
    std::vector<std::pair<const char *, QVariant>> changes;
    {
        std::unique_lock locker(m_lock);
        for (int i = 0; i < KeyCount; ++i) {
            if (m_unsaved.test(i))
                changes.emplace_back(spec(Key(i)).fileKey, m_values[i]);
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
    keepOwnerOnly(m_fileName);
    QSettings settings(m_fileName, m_format);
    for (const auto &[fileKey, value] : changes)
        settings.setValue(QLatin1StringView(fileKey), value);
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
        const SettingSpec &entry = spec(Key(i));
        const QVariant &fallback = fallbacks[i];
        const QVariant stored = settings.value(QLatin1StringView(entry.fileKey), fallback);
        const QString reason = errorFor(Key(i), stored);
        if (!reason.isEmpty())
            qCWarning(lcSettings) << "ignoring" << entry.fileKey << "in" << m_fileName << ":"
                                  << reason;
        values[i] = reason.isEmpty() ? *SettingsSchema::typed(entry, stored) : fallback;
    }
    return values;
}

void AppSettings::setAll(const std::array<QVariant, KeyCount> &values)
{
    // Through the setters (via the property system), so each real change emits its signal.
    const QMetaObject *meta = metaObject();
    for (int i = 0; i < KeyCount; ++i)
        meta->property(meta->indexOfProperty(spec(Key(i)).name)).write(this, values[i]);
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
        spec(pair.first).config.set(probe, pick(pair.first));
        spec(pair.second).config.set(probe, pick(pair.second));
        const QString reason = probe.combinationError();
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
    Server::ServerConfig config;
    for (const SettingSpec &entry : SettingsSchema::all()) {
        if (entry.inServerConfig())
            entry.config.set(config, m_values[int(SettingsSchema::keyOf(entry))]);
    }
    return config;
}

} // namespace App
