#include "app/appsettings.h"

#include <QFile>
#include <QMetaProperty>
#include <QRegularExpression>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <latch>
#include <thread>
#include <vector>

// AppSettings is a process singleton: the file is chosen once in initTestCase(), the first
// test creates the instance, and cleanup() puts the defaults back after every test, in the
// file too. Changes reach the file at the next event loop pass or sync(): a test that reads
// the file calls sync() first.
class TestAppSettings : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup();
    void sameInstanceFromManyThreads();
    void notifiesOncePerChange_data();
    void notifiesOncePerChange();
    void slotsMayUseSettings();
    void persistsToFile();
    void writesOnlyTheChangedKeyAtTheNextEventLoopPass();
    void reloadReadsFile();
    void rejectsInvalidValues_data();
    void rejectsInvalidValues();
    void acceptsBoundaryValues_data();
    void acceptsBoundaryValues();
    void validationErrorNeedsTheRightType();
    void limitsRoundTripThroughTheFile_data();
    void limitsRoundTripThroughTheFile();
    void limitDefaultsAreTheServers();
    void combinationError_data();
    void combinationError();
    void pairsMaySetInEitherOrder();
    void buildsServerConfig();
    void serverConfigCarriesLimitsAndTls();
    void bindAddressWarning_data();
    void bindAddressWarning();
    void fileCannotChangeOnceCreated();
    void passwordsAreKeptInAFileOnlyItsOwnerReads();

private:
    QTemporaryDir m_dir;
    QString m_file;
};

namespace {

QMetaProperty propertyOf(const QObject *object, const QString &name)
{
    const QMetaObject *meta = object->metaObject();
    return meta->property(meta->indexOfProperty(name.toLatin1().constData()));
}

// Each thread writes a few settings with its own values while reading all of them, and now and
// then writes them to the file.
void exercise(App::AppSettings *settings, int id)
{
    static const char *const models[] = {"per-connection", "pool", "single"};
    for (int round = 0; round < 4; ++round) {
        settings->setPort(2000 + id);
        settings->setNickname(QStringLiteral("user%1").arg(id));
        settings->setThreadingModel(QString::fromLatin1(models[(id + round) % 3]));
        settings->setPort(0); // rejected, from any thread
        if (round % 2 == 1)
            settings->sync();
        for (int read = 0; read < 25; ++read) {
            for (const QString &key : App::AppSettings::keys())
                (void)settings->property(key.toLatin1().constData());
            (void)settings->serverConfig();
        }
    }
}

} // namespace

void TestAppSettings::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_file = m_dir.filePath(QStringLiteral("qtchat.ini"));
    App::AppSettings::setFileName(m_file);
    QCOMPARE(App::AppSettings::fileName(), m_file);
}

void TestAppSettings::cleanup()
{
    App::AppSettings::instance()->restoreDefaults();
    App::AppSettings::instance()->sync();
}

void TestAppSettings::sameInstanceFromManyThreads()
{
    // The first instance() of the process, from 16 threads released at once: the C++ form of
    // the tutorial's `obj1 is obj2`.
    constexpr int ThreadCount = 16;
    std::vector<App::AppSettings *> seen(ThreadCount, nullptr);
    std::latch start(ThreadCount);
    std::vector<std::thread> threads;
    for (int id = 0; id < ThreadCount; ++id) {
        threads.emplace_back([&seen, &start, id] {
            start.arrive_and_wait();
            seen[id] = App::AppSettings::instance();
            exercise(seen[id], id);
        });
    }
    for (std::thread &thread : threads)
        thread.join();

    App::AppSettings *settings = App::AppSettings::instance();
    for (App::AppSettings *pointer : seen)
        QCOMPARE(pointer, settings);
    QCOMPARE(settings->thread(), QCoreApplication::instance()->thread());
    QVERIFY(settings->port() >= 2000 && settings->port() < 2000 + ThreadCount);
    // The file saw the writes in the order memory did: the last one wins in both.
    settings->sync();
    QSettings file(m_file, QSettings::IniFormat);
    QCOMPARE(file.value(QStringLiteral("server/port")).toInt(), settings->port());
    QCOMPARE(file.value(QStringLiteral("chat/nickname")).toString(), settings->nickname());
}

void TestAppSettings::notifiesOncePerChange_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QVariant>("first");
    QTest::addColumn<QVariant>("second");
    const auto row = [](const char *key, const QVariant &first, const QVariant &second) {
        QTest::newRow(key) << QString::fromLatin1(key) << first << second;
    };
    row("nickname", QStringLiteral("tester1"), QStringLiteral("tester2"));
    row("bindAddress", QStringLiteral("::1"), QStringLiteral("0.0.0.0"));
    row("port", 7000, 7001);
    row("threadingModel", QStringLiteral("single"), QStringLiteral("per-connection"));
    row("workers", 4, 8);
    row("serverName", QStringLiteral("irc.test"), QStringLiteral("other.test"));
    row("password", QStringLiteral("secret"), QString());
    row("language", QStringLiteral("zh_CN"), QStringLiteral("en"));
    row("logLineCap", 2000, 3000);
    row("windowGeometry", QByteArray("geometry-1"), QByteArray("geometry-2"));
    row("windowState", QByteArray("state-1"), QByteArray("state-2"));
    row("autoJoinChannel", QStringLiteral("#qt"), QStringLiteral("#test"));
    row("networks", QByteArray("[]"), QByteArray(R"([{"name":"n"}])"));
    row("maxClients", 500, 0);
    row("maxClientsPerIp", 5, 0);
    row("maxChannelsPerClient", 3, 0);
    row("sendQueueBytes", qint64(64 * 1024), qint64(0));
    row("floodBurstLines", 5, 50);
    row("floodLinesPerSecond", 0.5, 10.0);
    row("registrationTimeoutSeconds", 20, 0);
    row("pingIntervalSeconds", 30, 0);
    row("pingTimeoutSeconds", 20, 600);
    row("liftLimits", true, false);
    row("tlsCertificatePath", QStringLiteral("/etc/qtchat/cert.pem"), QString());
    row("tlsKeyPath", QStringLiteral("/etc/qtchat/key.pem"), QString());
}

void TestAppSettings::notifiesOncePerChange()
{
    QFETCH(QString, key);
    QFETCH(QVariant, first);
    QFETCH(QVariant, second);
    App::AppSettings *settings = App::AppSettings::instance();
    const QMetaProperty property = propertyOf(settings, key);
    QVERIFY(property.hasNotifySignal());
    QSignalSpy changed(settings, property.notifySignal());
    QSignalSpy rejected(settings, &App::AppSettings::valueRejected);

    for (const QVariant &value : {first, first, second, second})
        QVERIFY(property.write(settings, value));

    QCOMPARE(changed.count(), 2);
    QCOMPARE(changed.at(0).at(0), first);
    QCOMPARE(changed.at(1).at(0), second);
    QCOMPARE(property.read(settings), second);
    QCOMPARE(rejected.count(), 0);
}

void TestAppSettings::slotsMayUseSettings()
{
    // Signals come after the lock is released: a slot that reads and writes settings again
    // would deadlock otherwise (the lock is not recursive).
    App::AppSettings *settings = App::AppSettings::instance();
    int seenPort = 0;
    QObject context;
    connect(settings, &App::AppSettings::portChanged, &context, [&](int) {
        seenPort = settings->port();
        settings->setWorkers(5);
    });
    settings->setPort(7100);
    QCOMPARE(seenPort, 7100);
    QCOMPARE(settings->workers(), 5);
}

void TestAppSettings::persistsToFile()
{
    App::AppSettings *settings = App::AppSettings::instance();
    const QByteArray geometry("\x01\x02\xff geometry", 12);
    settings->setNickname(QStringLiteral("persisted"));
    settings->setPort(6697);
    settings->setThreadingModel(QStringLiteral("single"));
    settings->setLanguage(QStringLiteral("zh_CN"));
    settings->setWindowGeometry(geometry);
    settings->setAutoJoinChannel(QStringLiteral("#persist"));
    settings->sync();

    QSettings file(m_file, QSettings::IniFormat);
    QCOMPARE(file.value(QStringLiteral("chat/nickname")).toString(), QStringLiteral("persisted"));
    QCOMPARE(file.value(QStringLiteral("server/port")).toInt(), 6697);
    QCOMPARE(file.value(QStringLiteral("server/threadingModel")).toString(),
             QStringLiteral("single"));
    QCOMPARE(file.value(QStringLiteral("ui/language")).toString(), QStringLiteral("zh_CN"));
    QCOMPARE(file.value(QStringLiteral("ui/windowGeometry")).toByteArray(), geometry);
    QCOMPARE(file.value(QStringLiteral("chat/autoJoinChannel")).toString(),
             QStringLiteral("#persist"));

    // QSettings caches files within a process; the bytes on disk are what a restart reads.
    QFile raw(m_file);
    QVERIFY(raw.open(QIODevice::ReadOnly));
    const QByteArray text = raw.readAll();
    QVERIFY2(text.contains("nickname=persisted"), text.constData());
    QVERIFY2(text.contains("port=6697"), text.constData());
}

void TestAppSettings::writesOnlyTheChangedKeyAtTheNextEventLoopPass()
{
    App::AppSettings *settings = App::AppSettings::instance();
    const auto fileText = [this] {
        QFile raw(m_file);
        return raw.open(QIODevice::ReadOnly) ? raw.readAll() : QByteArray();
    };
    {
        // Someone else's edit of another setting, which we have not reloaded.
        QSettings file(m_file, QSettings::IniFormat);
        file.setValue(QStringLiteral("ui/logLineCap"), 4000);
    }

    settings->setPort(7400);
    settings->setPort(7401);

    QVERIFY(!fileText().contains("port=740")); // not one file write per setter...
    QTRY_VERIFY(fileText().contains("port=7401")); // ...but one for both, soon
    QVERIFY(fileText().contains("logLineCap=4000")); // and only the changed key is written
    QCOMPARE(settings->logLineCap(),
             App::AppSettings::defaultValue(QStringLiteral("logLineCap")).toInt());
    QSettings(m_file, QSettings::IniFormat).remove(QStringLiteral("ui/logLineCap"));
}

void TestAppSettings::reloadReadsFile()
{
    App::AppSettings *settings = App::AppSettings::instance();
    settings->setPort(7200);
    settings->sync();
    {
        QSettings file(m_file, QSettings::IniFormat);
        file.setValue(QStringLiteral("chat/nickname"), QStringLiteral("reloaded"));
        file.setValue(QStringLiteral("server/port"), QStringLiteral("not a number"));
        file.sync();
    }
    QSignalSpy nickChanged(settings, &App::AppSettings::nicknameChanged);
    QSignalSpy portChanged(settings, &App::AppSettings::portChanged);
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("ignoring.*port")));

    settings->reload();

    QCOMPARE(settings->nickname(), QStringLiteral("reloaded"));
    QCOMPARE(nickChanged.count(), 1);
    QCOMPARE(settings->port(), 7200); // the bad entry does not replace a good value
    QCOMPARE(portChanged.count(), 0);
}

void TestAppSettings::rejectsInvalidValues_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QVariant>("value");
    const auto row = [](const char *name, const char *key, const QVariant &value) {
        QTest::newRow(name) << QString::fromLatin1(key) << value;
    };
    row("port 0", "port", 0);
    row("port 70000", "port", 70000);
    row("port -1", "port", -1);
    row("nick starts with digit", "nickname", QStringLiteral("9abc"));
    row("nick empty", "nickname", QString());
    row("nick with space", "nickname", QStringLiteral("a b"));
    row("nick too long", "nickname", QString(31, QLatin1Char('n')));
    row("nick not ascii", "nickname", QStringLiteral("小明"));
    row("bind not an ip", "bindAddress", QStringLiteral("not-an-ip"));
    row("bind empty", "bindAddress", QString());
    row("threading forks", "threadingModel", QStringLiteral("forks"));
    row("workers -1", "workers", -1);
    row("workers 257", "workers", 257);
    row("server name with space", "serverName", QStringLiteral("two words"));
    row("server name empty", "serverName", QString());
    row("password with space", "password", QStringLiteral("a b"));
    row("language fr", "language", QStringLiteral("fr"));
    row("log cap 5", "logLineCap", 5);
    row("log cap 2000000", "logLineCap", 2000000);
    row("channel without #", "autoJoinChannel", QStringLiteral("lobby"));
    row("channel with space", "autoJoinChannel", QStringLiteral("#a b"));
    row("channel empty", "autoJoinChannel", QString());
    row("max clients -1", "maxClients", -1);
    row("max clients 1000001", "maxClients", 1000001);
    row("clients per ip -1", "maxClientsPerIp", -1);
    row("clients per ip 1000001", "maxClientsPerIp", 1000001);
    row("channels per client -1", "maxChannelsPerClient", -1);
    row("channels per client 1000001", "maxChannelsPerClient", 1000001);
    row("send queue 8191 bytes", "sendQueueBytes", qint64(8191));
    row("send queue 1 byte", "sendQueueBytes", qint64(1));
    row("send queue -1", "sendQueueBytes", qint64(-1));
    row("send queue 1 GiB + 1", "sendQueueBytes", qint64(1024 * 1024 * 1024) + 1);
    row("flood burst -1", "floodBurstLines", -1);
    row("flood burst 1000001", "floodBurstLines", 1000001);
    row("flood rate -0.5", "floodLinesPerSecond", -0.5);
    row("flood rate 1e7", "floodLinesPerSecond", 1e7);
    row("flood rate nan", "floodLinesPerSecond", QStringLiteral("nan"));
    row("flood rate inf", "floodLinesPerSecond", QStringLiteral("inf"));
    row("registration timeout -1", "registrationTimeoutSeconds", -1);
    row("registration timeout 86401", "registrationTimeoutSeconds", 86401);
    row("registration timeout overflowing ms", "registrationTimeoutSeconds", 3000000);
    row("ping interval -1", "pingIntervalSeconds", -1);
    row("ping interval 86401", "pingIntervalSeconds", 86401);
    row("ping timeout -1", "pingTimeoutSeconds", -1);
    row("ping timeout 86401", "pingTimeoutSeconds", 86401);
}

void TestAppSettings::rejectsInvalidValues()
{
    QFETCH(QString, key);
    QFETCH(QVariant, value);
    App::AppSettings *settings = App::AppSettings::instance();
    const QMetaProperty property = propertyOf(settings, key);
    const QVariant before = property.read(settings);
    QSignalSpy changed(settings, property.notifySignal());
    QSignalSpy rejected(settings, &App::AppSettings::valueRejected);

    QVERIFY(property.write(settings, value));

    QCOMPARE(property.read(settings), before);
    QCOMPARE(changed.count(), 0);
    QCOMPARE(rejected.count(), 1);
    QCOMPARE(rejected.at(0).at(0).toString(), key);
    const QString reason = rejected.at(0).at(1).toString();
    QVERIFY(!reason.isEmpty());
    QCOMPARE(App::AppSettings::validationError(key, value), reason);
}

void TestAppSettings::acceptsBoundaryValues_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QVariant>("value");
    const auto row = [](const char *name, const char *key, const QVariant &value) {
        QTest::newRow(name) << QString::fromLatin1(key) << value;
    };
    row("port 1", "port", 1);
    row("port 65535", "port", 65535);
    row("workers 0 (automatic)", "workers", 0);
    row("workers 256", "workers", 256);
    row("log cap 1000", "logLineCap", 1000);
    row("log cap 1000000", "logLineCap", 1000000);
    row("bind ipv6 loopback", "bindAddress", QStringLiteral("::1"));
    row("bind any", "bindAddress", QStringLiteral("0.0.0.0"));
    row("nick specials", "nickname", QStringLiteral("[x]`_^{|}\\"));
    row("nick 30 chars", "nickname", QString(30, QLatin1Char('n')));
    row("channel utf-8", "autoJoinChannel", QStringLiteral("#中文"));
    row("password empty", "password", QString());
    row("max clients 0 (no cap)", "maxClients", 0);
    row("max clients 1000000", "maxClients", 1000000);
    row("clients per ip 1", "maxClientsPerIp", 1);
    row("channels per client 1000000", "maxChannelsPerClient", 1000000);
    row("send queue 0 (no cap)", "sendQueueBytes", qint64(0));
    row("send queue 8 KiB", "sendQueueBytes", qint64(8192));
    row("send queue 1 GiB", "sendQueueBytes", qint64(1024 * 1024 * 1024));
    // Alone, a 0 in a pair is fine: the other member decides (see combinationError).
    row("flood burst 0", "floodBurstLines", 0);
    row("flood burst 1000000", "floodBurstLines", 1000000);
    row("flood rate 0 (off)", "floodLinesPerSecond", 0.0);
    row("flood rate 0.1", "floodLinesPerSecond", 0.1);
    row("flood rate 1000000", "floodLinesPerSecond", 1e6);
    row("registration timeout 0 (never)", "registrationTimeoutSeconds", 0);
    row("registration timeout one day", "registrationTimeoutSeconds", 86400);
    row("ping interval 0 (never)", "pingIntervalSeconds", 0);
    row("ping interval one day", "pingIntervalSeconds", 86400);
    row("ping timeout 0", "pingTimeoutSeconds", 0);
    row("ping timeout one day", "pingTimeoutSeconds", 86400);
    row("lift limits", "liftLimits", true);
    row("certificate alone", "tlsCertificatePath", QStringLiteral("/srv/tls/cert.pem"));
    row("key alone", "tlsKeyPath", QStringLiteral("/srv/tls/密钥 key.pem"));
}

void TestAppSettings::acceptsBoundaryValues()
{
    QFETCH(QString, key);
    QFETCH(QVariant, value);
    App::AppSettings *settings = App::AppSettings::instance();
    const QMetaProperty property = propertyOf(settings, key);
    QSignalSpy rejected(settings, &App::AppSettings::valueRejected);

    QVERIFY(property.write(settings, value));

    QCOMPARE(rejected.count(), 0);
    QCOMPARE(property.read(settings), value);
    QCOMPARE(App::AppSettings::validationError(key, value), QString());
}

void TestAppSettings::validationErrorNeedsTheRightType()
{
    QVERIFY(App::AppSettings::validationError(QStringLiteral("port"), QStringLiteral("6667"))
                .isEmpty());
    QVERIFY(!App::AppSettings::validationError(QStringLiteral("port"), QStringLiteral("abc"))
                 .isEmpty());
    QVERIFY(!App::AppSettings::validationError(QStringLiteral("port"), QVariant()).isEmpty());
    QVERIFY(!App::AppSettings::validationError(QStringLiteral("no-such-key"), 1).isEmpty());
    // What an INI file (or a hand edit of it) may hold for the limits.
    const auto error = [](const char *key, const char *text) {
        return App::AppSettings::validationError(QString::fromLatin1(key),
                                                 QString::fromLatin1(text));
    };
    QVERIFY(error("sendQueueBytes", "1048576").isEmpty());
    QVERIFY(!error("sendQueueBytes", "a lot").isEmpty());
    QVERIFY(error("floodLinesPerSecond", "2.5").isEmpty());
    QVERIFY(!error("floodLinesPerSecond", "fast").isEmpty());
    QVERIFY(error("liftLimits", "true").isEmpty());
    QVERIFY(error("liftLimits", "0").isEmpty());
    // A typo must not lift the limits (QVariant would make any such text true).
    QVERIFY(!error("liftLimits", "yes please").isEmpty());
}

void TestAppSettings::limitsRoundTripThroughTheFile_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("iniKey");
    QTest::addColumn<QVariant>("value");
    const auto row = [](const char *key, const char *iniKey, const QVariant &value) {
        QTest::newRow(key) << QString::fromLatin1(key) << QString::fromLatin1(iniKey) << value;
    };
    row("maxClients", "limits/maxClients", 1234);
    row("maxClientsPerIp", "limits/maxClientsPerIp", 7);
    row("maxChannelsPerClient", "limits/maxChannelsPerClient", 0);
    row("sendQueueBytes", "limits/sendQueueBytes", qint64(512 * 1024));
    row("floodBurstLines", "limits/floodBurstLines", 8);
    row("floodLinesPerSecond", "limits/floodLinesPerSecond", 1.5);
    row("registrationTimeoutSeconds", "limits/registrationTimeoutSeconds", 45);
    row("pingIntervalSeconds", "limits/pingIntervalSeconds", 300);
    row("pingTimeoutSeconds", "limits/pingTimeoutSeconds", 90);
    row("liftLimits", "limits/liftLimits", true);
    row("tlsCertificatePath", "tls/certificatePath", QStringLiteral("/home/我/cert.pem"));
    row("tlsKeyPath", "tls/keyPath", QStringLiteral("/home/我/key.pem"));
}

void TestAppSettings::limitsRoundTripThroughTheFile()
{
    QFETCH(QString, key);
    QFETCH(QString, iniKey);
    QFETCH(QVariant, value);
    App::AppSettings *settings = App::AppSettings::instance();
    const QMetaProperty property = propertyOf(settings, key);

    // Written under its group...
    QVERIFY(property.write(settings, value));
    settings->sync();
    QSettings file(m_file, QSettings::IniFormat);
    QVariant written = file.value(iniKey);
    QVERIFY2(written.convert(value.metaType()), qPrintable(written.toString()));
    QCOMPARE(written, value);

    // ...and read back from it, as a restart would.
    settings->restoreDefaults();
    settings->sync();
    QVERIFY(property.read(settings) != value);
    file.setValue(iniKey, value);
    file.sync();
    settings->reload();
    QCOMPARE(property.read(settings), value);
}

void TestAppSettings::limitDefaultsAreTheServers()
{
    const Server::ServerLimits server;
    const Server::ServerLimits ours = App::AppSettings::instance()->serverConfig().limits;
    QCOMPARE(ours.maxClients, server.maxClients);
    QCOMPARE(ours.maxClientsPerIp, server.maxClientsPerIp);
    QCOMPARE(ours.maxChannelsPerClient, server.maxChannelsPerClient);
    QCOMPARE(ours.sendQueueBytes, server.sendQueueBytes);
    QCOMPARE(ours.floodBurstLines, server.floodBurstLines);
    QCOMPARE(ours.floodLinesPerSecond, server.floodLinesPerSecond);
    QCOMPARE(ours.registrationTimeoutMs, server.registrationTimeoutMs);
    QCOMPARE(ours.pingIntervalMs, server.pingIntervalMs);
    QCOMPARE(ours.pingTimeoutMs, server.pingTimeoutMs);
    QCOMPARE(ours.noLimits, server.noLimits);
    QCOMPARE(App::AppSettings::defaultValue(QStringLiteral("pingIntervalSeconds")),
             QVariant(server.pingIntervalMs / 1000));
    QCOMPARE(App::AppSettings::instance()->serverConfig().validate(), QString());
}

void TestAppSettings::combinationError_data()
{
    QTest::addColumn<QVariantMap>("values");
    QTest::addColumn<QString>("blamed"); // empty: the values fit together
    const auto row = [](const char *name, const QVariantMap &values, const char *blamed) {
        QTest::newRow(name) << values << QString::fromLatin1(blamed);
    };
    row("defaults", {}, "");
    row("pings without a timeout", {{QStringLiteral("pingTimeoutSeconds"), 0}},
        "pingTimeoutSeconds");
    row("no pings, no timeout",
        {{QStringLiteral("pingIntervalSeconds"), 0}, {QStringLiteral("pingTimeoutSeconds"), 0}},
        "");
    row("flood control without a burst", {{QStringLiteral("floodBurstLines"), 0}},
        "floodBurstLines");
    row("no flood control, no burst",
        {{QStringLiteral("floodLinesPerSecond"), 0.0}, {QStringLiteral("floodBurstLines"), 0}}, "");
    row("certificate without key", {{QStringLiteral("tlsCertificatePath"), QStringLiteral("c")}},
        "tlsKeyPath");
    row("key without certificate", {{QStringLiteral("tlsKeyPath"), QStringLiteral("k")}},
        "tlsCertificatePath");
    row("both TLS files",
        {{QStringLiteral("tlsCertificatePath"), QStringLiteral("c")},
         {QStringLiteral("tlsKeyPath"), QStringLiteral("k")}},
        "");
}

void TestAppSettings::combinationError()
{
    QFETCH(QVariantMap, values);
    QFETCH(QString, blamed);
    QString key = QStringLiteral("untouched");
    const QString reason = App::AppSettings::instance()->combinationError(values, &key);
    QCOMPARE(reason.isEmpty(), blamed.isEmpty());
    if (!blamed.isEmpty())
        QCOMPARE(key, blamed);
}

void TestAppSettings::pairsMaySetInEitherOrder()
{
    // Setters check one value at a time, so turning pings off works timeout-first too; the
    // stored pair is judged against the current settings.
    App::AppSettings *settings = App::AppSettings::instance();
    QSignalSpy rejected(settings, &App::AppSettings::valueRejected);
    settings->setPingTimeoutSeconds(0);
    QVERIFY(!settings->combinationError({}).isEmpty());
    settings->setPingIntervalSeconds(0);
    QCOMPARE(settings->combinationError({}), QString());
    settings->setTlsKeyPath(QStringLiteral("key.pem"));
    settings->setTlsCertificatePath(QStringLiteral("cert.pem"));
    QCOMPARE(settings->combinationError({}), QString());
    QCOMPARE(rejected.count(), 0);
    QCOMPARE(settings->pingTimeoutSeconds(), 0);
    QCOMPARE(settings->serverConfig().validate(), QString());
}

void TestAppSettings::buildsServerConfig()
{
    App::AppSettings *settings = App::AppSettings::instance();
    settings->setBindAddress(QStringLiteral("0.0.0.0"));
    settings->setPort(7300);
    settings->setThreadingModel(QStringLiteral("per-connection"));
    settings->setWorkers(3);
    settings->setServerName(QStringLiteral("irc.example"));
    settings->setPassword(QStringLiteral("pw"));

    const Server::ServerConfig config = settings->serverConfig();

    QCOMPARE(config.bindAddress, QHostAddress(QHostAddress::AnyIPv4));
    QCOMPARE(config.port, quint16(7300));
    QCOMPARE(config.threading, Server::ThreadingModel::PerConnection);
    QCOMPARE(config.workers, 3);
    QCOMPARE(config.serverName, QByteArray("irc.example"));
    QCOMPARE(config.password, QByteArray("pw"));
    QCOMPARE(config.validate(), QString());
}

void TestAppSettings::serverConfigCarriesLimitsAndTls()
{
    App::AppSettings *settings = App::AppSettings::instance();
    settings->setMaxClients(300);
    settings->setMaxClientsPerIp(4);
    settings->setMaxChannelsPerClient(6);
    settings->setSendQueueBytes(256 * 1024);
    settings->setFloodBurstLines(12);
    settings->setFloodLinesPerSecond(3.5);
    settings->setRegistrationTimeoutSeconds(15);
    settings->setPingIntervalSeconds(90);
    settings->setPingTimeoutSeconds(40);
    settings->setLiftLimits(true);
    settings->setTlsCertificatePath(QStringLiteral("/srv/cert.pem"));
    settings->setTlsKeyPath(QStringLiteral("/srv/key.pem"));

    const Server::ServerConfig config = settings->serverConfig();

    QCOMPARE(config.limits.maxClients, 300);
    QCOMPARE(config.limits.maxClientsPerIp, 4);
    QCOMPARE(config.limits.maxChannelsPerClient, 6);
    QCOMPARE(config.limits.sendQueueBytes, qint64(256 * 1024));
    QCOMPARE(config.limits.floodBurstLines, 12);
    QCOMPARE(config.limits.floodLinesPerSecond, 3.5);
    QCOMPARE(config.limits.registrationTimeoutMs, 15'000);
    QCOMPARE(config.limits.pingIntervalMs, 90'000);
    QCOMPARE(config.limits.pingTimeoutMs, 40'000);
    QVERIFY(config.limits.noLimits);
    QCOMPARE(config.tlsCertificatePath, QStringLiteral("/srv/cert.pem"));
    QCOMPARE(config.tlsKeyPath, QStringLiteral("/srv/key.pem"));
    QCOMPARE(config.validate(), QString());
}

void TestAppSettings::bindAddressWarning_data()
{
    QTest::addColumn<QString>("address");
    QTest::addColumn<bool>("warns");
    QTest::newRow("127.0.0.1") << QStringLiteral("127.0.0.1") << false;
    QTest::newRow("127.1.2.3") << QStringLiteral("127.1.2.3") << false;
    QTest::newRow("::1") << QStringLiteral("::1") << false;
    QTest::newRow("not an address") << QStringLiteral("localhost") << false;
    QTest::newRow("0.0.0.0") << QStringLiteral("0.0.0.0") << true;
    QTest::newRow("::") << QStringLiteral("::") << true;
    QTest::newRow("LAN address") << QStringLiteral(" 192.168.1.20 ") << true;
}

void TestAppSettings::bindAddressWarning()
{
    QFETCH(QString, address);
    QFETCH(bool, warns);
    QCOMPARE(!App::AppSettings::bindAddressWarning(address).isEmpty(), warns);
}

void TestAppSettings::fileCannotChangeOnceCreated()
{
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("ignored")));
    App::AppSettings::setFileName(m_dir.filePath(QStringLiteral("other.ini")));
    QCOMPARE(App::AppSettings::fileName(), m_file);
}

// The account's password is kept in the settings file (the decision in docs/architecture.md,
// "Settings"), which is therefore readable by its owner only, even when it was not before.
void TestAppSettings::passwordsAreKeptInAFileOnlyItsOwnerReads()
{
    constexpr QFile::Permissions others = QFile::ReadGroup | QFile::WriteGroup | QFile::ExeGroup
        | QFile::ReadOther | QFile::WriteOther | QFile::ExeOther;
    App::AppSettings *settings = App::AppSettings::instance();
    settings->sync();
    QVERIFY(QFile::setPermissions(m_file, QFile::ReadOwner | QFile::WriteOwner | QFile::ReadOther));
    settings->setAccount(QStringLiteral("alice"));
    settings->setAccountPassword(QStringLiteral(" two words "));
    QCOMPARE(settings->accountPassword(), QStringLiteral(" two words ")); // as typed
    settings->sync();
    QCOMPARE(QFile::permissions(m_file) & others, QFile::Permissions());
    QVERIFY(QFile::permissions(m_file) & QFile::ReadOwner);
    QSettings file(m_file, QSettings::IniFormat);
    QCOMPARE(file.value(QStringLiteral("chat/account")).toString(), QStringLiteral("alice"));
    QCOMPARE(file.value(QStringLiteral("chat/accountPassword")).toString(),
             QStringLiteral(" two words "));
    // A bad account name is refused, and the reason does not need the password.
    QSignalSpy rejected(settings, &App::AppSettings::valueRejected);
    settings->setAccount(QStringLiteral("al ice"));
    QCOMPARE(rejected.size(), 1);
    QCOMPARE(settings->account(), QStringLiteral("alice"));
}

QTEST_GUILESS_MAIN(TestAppSettings)
#include "tst_appsettings.moc"
