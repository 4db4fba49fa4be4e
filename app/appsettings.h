#pragma once

#include "app/settingsschema.h"

#include <QByteArray>
#include <QObject>
#include <QSettings>
#include <QString>
#include <QStringList>
#include <QVariant>

#include <array>
#include <bitset>
#include <mutex>
#include <shared_mutex>

namespace App {

// Every setting of the desktop app, in one process-wide object that any thread may read and
// write. What each setting is (key, type, default, range, help) is SettingsSchema's; this
// object keeps the values. They live in memory behind one lock; a change is handed to the
// settings file (QSettings::setValue of that key only) the next time the object's thread runs
// its event loop, or by sync(), which also runs when the application quits and when the object
// is destroyed. (Quassel's settings cache is a set of static hashes without a lock, safe from
// one thread only; this cache is the same idea made safe for many.)
//
// Validation: a setter given an invalid value keeps the old one and emits valueRejected(key,
// reason) with a translated reason; validationError() answers the same question without
// changing anything, so a form can check all its fields before applying any of them. Keys are
// the property names ("port", "nickname", ...).
//
// Signals: a NOTIFY signal fires once per real change, in the thread that made the change,
// after the lock is released (a slot may read or write settings again). With several writers,
// the getter is the truth; the signal's argument is the value that this change stored.
class AppSettings : public QObject
{
    Q_OBJECT
    Q_PROPERTY(QString nickname READ nickname WRITE setNickname NOTIFY nicknameChanged)
    Q_PROPERTY(QString bindAddress READ bindAddress WRITE setBindAddress NOTIFY bindAddressChanged)
    Q_PROPERTY(int port READ port WRITE setPort NOTIFY portChanged)
    Q_PROPERTY(QString threadingModel READ threadingModel WRITE setThreadingModel NOTIFY
                   threadingModelChanged)
    Q_PROPERTY(int workers READ workers WRITE setWorkers NOTIFY workersChanged)
    Q_PROPERTY(QString serverName READ serverName WRITE setServerName NOTIFY serverNameChanged)
    Q_PROPERTY(QString password READ password WRITE setPassword NOTIFY passwordChanged)
    Q_PROPERTY(QString language READ language WRITE setLanguage NOTIFY languageChanged)
    Q_PROPERTY(int logLineCap READ logLineCap WRITE setLogLineCap NOTIFY logLineCapChanged)
    Q_PROPERTY(QByteArray windowGeometry READ windowGeometry WRITE setWindowGeometry NOTIFY
                   windowGeometryChanged)
    Q_PROPERTY(
        QByteArray windowState READ windowState WRITE setWindowState NOTIFY windowStateChanged)
    Q_PROPERTY(QString autoJoinChannel READ autoJoinChannel WRITE setAutoJoinChannel NOTIFY
                   autoJoinChannelChanged)
    Q_PROPERTY(QString account READ account WRITE setAccount NOTIFY accountChanged)
    Q_PROPERTY(QString accountPassword READ accountPassword WRITE setAccountPassword NOTIFY
                   accountPasswordChanged)
    Q_PROPERTY(
        bool notifications READ notifications WRITE setNotifications NOTIFY notificationsChanged)
    Q_PROPERTY(QStringList mutedChannels READ mutedChannels WRITE setMutedChannels NOTIFY
                   mutedChannelsChanged)
    Q_PROPERTY(QByteArray networks READ networks WRITE setNetworks NOTIFY networksChanged)
    // ServerLimits in the units a user thinks in (seconds rather than milliseconds).
    Q_PROPERTY(int maxClients READ maxClients WRITE setMaxClients NOTIFY maxClientsChanged)
    Q_PROPERTY(int maxClientsPerIp READ maxClientsPerIp WRITE setMaxClientsPerIp NOTIFY
                   maxClientsPerIpChanged)
    Q_PROPERTY(int maxChannelsPerClient READ maxChannelsPerClient WRITE setMaxChannelsPerClient
                   NOTIFY maxChannelsPerClientChanged)
    Q_PROPERTY(qint64 sendQueueBytes READ sendQueueBytes WRITE setSendQueueBytes NOTIFY
                   sendQueueBytesChanged)
    Q_PROPERTY(int floodBurstLines READ floodBurstLines WRITE setFloodBurstLines NOTIFY
                   floodBurstLinesChanged)
    Q_PROPERTY(double floodLinesPerSecond READ floodLinesPerSecond WRITE setFloodLinesPerSecond
                   NOTIFY floodLinesPerSecondChanged)
    Q_PROPERTY(int registrationTimeoutSeconds READ registrationTimeoutSeconds WRITE
                   setRegistrationTimeoutSeconds NOTIFY registrationTimeoutSecondsChanged)
    Q_PROPERTY(int pingIntervalSeconds READ pingIntervalSeconds WRITE setPingIntervalSeconds NOTIFY
                   pingIntervalSecondsChanged)
    Q_PROPERTY(int pingTimeoutSeconds READ pingTimeoutSeconds WRITE setPingTimeoutSeconds NOTIFY
                   pingTimeoutSecondsChanged)
    Q_PROPERTY(bool liftLimits READ liftLimits WRITE setLiftLimits NOTIFY liftLimitsChanged)
    Q_PROPERTY(QString tlsCertificatePath READ tlsCertificatePath WRITE setTlsCertificatePath NOTIFY
                   tlsCertificatePathChanged)
    Q_PROPERTY(QString tlsKeyPath READ tlsKeyPath WRITE setTlsKeyPath NOTIFY tlsKeyPathChanged)
    // NAME:HASH words (ServerConfig::operatorsFromText).
    Q_PROPERTY(QString operators READ operators WRITE setOperators NOTIFY operatorsChanged)
    Q_PROPERTY(
        int whowasEntries READ whowasEntries WRITE setWhowasEntries NOTIFY whowasEntriesChanged)
    Q_PROPERTY(QString dataDir READ dataDir WRITE setDataDir NOTIFY dataDirChanged)
    Q_PROPERTY(QString database READ database WRITE setDatabase NOTIFY databaseChanged)
    Q_PROPERTY(int historyDays READ historyDays WRITE setHistoryDays NOTIFY historyDaysChanged)
    Q_PROPERTY(int historyLines READ historyLines WRITE setHistoryLines NOTIFY historyLinesChanged)
    Q_PROPERTY(int replayOnJoin READ replayOnJoin WRITE setReplayOnJoin NOTIFY replayOnJoinChanged)
    Q_PROPERTY(bool noStorage READ noStorage WRITE setNoStorage NOTIFY noStorageChanged)
    Q_PROPERTY(QString cluster READ cluster WRITE setCluster NOTIFY clusterChanged)
    Q_PROPERTY(QString nodeName READ nodeName WRITE setNodeName NOTIFY nodeNameChanged)
    Q_PROPERTY(int processes READ processes WRITE setProcesses NOTIFY processesChanged)

public:
    using Key = SettingKey;
    static constexpr int KeyCount = SettingsSchema::Count;

    static AppSettings *instance();
    // The settings file (INI). Call before the first instance(); later calls are ignored
    // with a warning. Without it, the platform's location for QtChat/qtchat is used.
    static void setFileName(const QString &path);
    static QString fileName();

    // Translated reason why `value` is not acceptable for `key`, or empty when it is.
    static QString validationError(const QString &key, const QVariant &value);
    static QVariant defaultValue(const QString &key);
    // The warning shown wherever the bind address is chosen, so that listening beyond this
    // computer stays an explicit choice; empty for loopback (127.0.0.0/8, ::1) and for text
    // that is not an address (that gets validationError() instead).
    static QString bindAddressWarning(const QString &address);
    // "system", "en", "zh_CN".
    static QStringList languages();
    static QString keyName(Key key);
    static QStringList keys();

    // The typed getter and setter of each setting: `int port() const`, `setPort(int)`.
#define QTCHAT_SETTING_ACCESSORS(Name, name, Type)                                                 \
    Type name() const                                                                              \
    {                                                                                              \
        return value(Key::Name).value<Type>();                                                     \
    }                                                                                              \
    void set##Name(const Type &newValue)                                                           \
    {                                                                                              \
        if (store(Key::Name, newValue))                                                            \
            Q_EMIT name##Changed(newValue);                                                        \
    }
    QTCHAT_SETTINGS(QTCHAT_SETTING_ACCESSORS)
#undef QTCHAT_SETTING_ACCESSORS

    // The rules that tie two settings together (pings need a ping timeout, flood control a
    // burst, TLS both files). No setter checks them: setters take one value at a time, in any
    // order, and a pair may pass through a state that is invalid only for a moment. `values`
    // (property name -> value, each already accepted by validationError()) is taken over the
    // current settings. Gives the first problem, and in *key the setting it is best shown
    // under; empty when the values fit together.
    QString combinationError(const QVariantMap &values, QString *key = nullptr) const;

    // A consistent snapshot (one lock) of what the server needs.
    Server::ServerConfig serverConfig() const;

public Q_SLOTS:
    // Writes the changes not yet in the file, now. From any thread.
    void sync();
    // Re-reads the file (someone else wrote it) after writing our own changes to it; changed
    // values emit their signals.
    void reload();
    // Every setting back to its default; changes emit their signals.
    void restoreDefaults();

Q_SIGNALS:
    void nicknameChanged(const QString &nickname);
    void bindAddressChanged(const QString &address);
    void portChanged(int port);
    void threadingModelChanged(const QString &model);
    void workersChanged(int workers);
    void serverNameChanged(const QString &name);
    void passwordChanged(const QString &password);
    void languageChanged(const QString &language);
    void logLineCapChanged(int lines);
    void windowGeometryChanged(const QByteArray &geometry);
    void windowStateChanged(const QByteArray &state);
    void autoJoinChannelChanged(const QString &channel);
    void accountChanged(const QString &account);
    void accountPasswordChanged(const QString &password);
    void notificationsChanged(bool notify);
    void mutedChannelsChanged(const QStringList &channels);
    void networksChanged(const QByteArray &networks);
    void maxClientsChanged(int clients);
    void maxClientsPerIpChanged(int clients);
    void maxChannelsPerClientChanged(int channels);
    void sendQueueBytesChanged(qint64 bytes);
    void floodBurstLinesChanged(int lines);
    void floodLinesPerSecondChanged(double rate);
    void registrationTimeoutSecondsChanged(int seconds);
    void pingIntervalSecondsChanged(int seconds);
    void pingTimeoutSecondsChanged(int seconds);
    void liftLimitsChanged(bool lift);
    void tlsCertificatePathChanged(const QString &path);
    void tlsKeyPathChanged(const QString &path);
    void operatorsChanged(const QString &operators);
    void whowasEntriesChanged(int entries);
    void dataDirChanged(const QString &dir);
    void databaseChanged(const QString &database);
    void historyDaysChanged(int days);
    void historyLinesChanged(int lines);
    void replayOnJoinChanged(int lines);
    void noStorageChanged(bool off);
    void clusterChanged(const QString &redisUrl);
    void nodeNameChanged(const QString &name);
    void processesChanged(int processes);
    void valueRejected(const QString &key, const QString &reason);

private:
    AppSettings();
    ~AppSettings() override;
    Q_DISABLE_COPY_MOVE(AppSettings)

    QVariant value(Key key) const;
    // Validates and stores; true when the value changed. Emits valueRejected itself; the
    // caller emits the NOTIFY signal because only it knows the signal's type.
    bool store(Key key, const QVariant &value);
    void setAll(const std::array<QVariant, KeyCount> &values);
    // What the file holds; a missing or invalid entry gives its fallback.
    std::array<QVariant, KeyCount> readFile(const std::array<QVariant, KeyCount> &fallbacks) const;
    static void keepOwnerOnly(const QString &path);

    // Chosen once by the constructor; constant afterwards, so read without the lock.
    QString m_fileName;
    QSettings::Format m_format = QSettings::NativeFormat;
    // Guards m_values, m_unsaved and m_syncQueued. std::shared_mutex rather than
    // QReadWriteLock: it is a pthread rwlock, which ThreadSanitizer understands; Qt's own locks
    // live in the uninstrumented libQt6Core, where TSan cannot see them and reports races they
    // prevent.
    mutable std::shared_mutex m_lock;
    std::array<QVariant, KeyCount> m_values;
    std::bitset<KeyCount> m_unsaved; // changed in memory, not yet handed to the file
    bool m_syncQueued = false;
    // Held around every file access, so that the file sees the changes in the order memory
    // did. Taken before m_lock, never while holding it.
    mutable std::mutex m_fileMutex;
};

} // namespace App
