// The settings schema drives everything that knows a setting: every entry goes through the
// settings file, the settings dialog and the command line and comes back unchanged, and the
// ranges they enforce are ServerConfig's.
#include "app/appsettings.h"
#include "app/commandline.h"
#include "app/languagemanager.h"
#include "app/settingsdialog.h"
#include "app/settingsschema.h"

#include <QDoubleSpinBox>
#include <QProcess>
#include <QRegularExpression>
#include <QSettings>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>

class TestSettingsSchema : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup();
    void everyEntryRoundTrips_data();
    void everyEntryRoundTrips();
    void rangeEndsAreEnforced_data();
    void rangeEndsAreEnforced();
    void dialogRangesAreTheServers_data();
    void dialogRangesAreTheServers();
    void portZeroIsForTheCommandLineOnly();
    void commandLineOptionsAreServerSettings();
    void helpListsEveryOptionWithItsHelp();
    void headlessRejectsAnOutOfRangeValue();
    void headlessTakesAnyFreePort();
    void operatorOptionRepeatsAndNeverEchoesItsValue();
    void databaseOptionNeverEchoesItsPassword();

private:
    QTemporaryDir m_dir;
};

using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(const App::SettingSpec *)

namespace {

using Context = App::SettingsSchema::Context;

// qtchat --hash-password's answer to "sample password".
const QString SampleHash = QStringLiteral("$argon2id$v=19$m=65536,t=2,p=1$B7IX9PJoYQnICraeeRBR0A$"
                                          "uT4iIcK/d+43y9IOWHjcMnquZqkj/1eJqXEGuwPlojk");

// A valid value that is not the default, for every entry: a new text setting needs one here.
QVariant sampleFor(const App::SettingSpec &spec)
{
    const QMetaType type = App::SettingsSchema::type(App::SettingsSchema::keyOf(spec));
    if (!spec.choices.empty())
        return QString::fromLatin1(spec.choices.back().code);
    if (type.id() == QMetaType::Bool)
        return !App::SettingsSchema::defaultValue(spec).toBool();
    if (type.id() == QMetaType::QByteArray)
        return QByteArray("\x01\x02\xff sample", 10);
    if (type.id() == QMetaType::QStringList)
        return QStringList {QStringLiteral("#busy"), QStringLiteral("#样本")};
    if (type.id() != QMetaType::QString) {
        QVariant largest = App::SettingsSchema::range(spec, Context::Settings).maximum;
        largest.convert(type);
        return largest;
    }
    static const QHash<QString, QVariant> texts = {
        {QStringLiteral("nickname"), QStringLiteral("sampler")},
        {QStringLiteral("bindAddress"), QStringLiteral("::1")},
        {QStringLiteral("serverName"), QStringLiteral("irc.sample")},
        {QStringLiteral("password"), QStringLiteral("s3cret")},
        {QStringLiteral("autoJoinChannel"), QStringLiteral("#样本")},
        {QStringLiteral("account"), QStringLiteral("样本")},
        {QStringLiteral("accountPassword"), QStringLiteral(" two words, 样本 ")},
        {QStringLiteral("tlsCertificatePath"), QStringLiteral("/srv/tls/样本 cert.pem")},
        {QStringLiteral("tlsKeyPath"), QStringLiteral("/srv/tls/样本 key.pem")},
        {QStringLiteral("operators"), QString(u"admin:"_s + SampleHash + u" 管理:"_s + SampleHash)},
        {QStringLiteral("dataDir"), QStringLiteral("/srv/qtchat/样本")},
        {QStringLiteral("database"),
         QStringLiteral("postgresql://chat:s3cret@db.sample:5433/样本")},
        {QStringLiteral("cluster"), QStringLiteral("redis://redis.sample:6380/2")},
        {QStringLiteral("nodeName"), QStringLiteral("节点-b")},
    };
    return texts.value(QLatin1StringView(spec.name));
}

QString textOf(const QVariant &value)
{
    return value.toString();
}

// The TLS files count only in pairs: every form and command line gets both, and the entry
// under test overrides its own.
const QString BaseCertificate = QStringLiteral("/srv/tls/base-cert.pem");
const QString BaseKey = QStringLiteral("/srv/tls/base-key.pem");

App::CommandLine parse(const QStringList &options)
{
    return App::CommandLine::parse(QStringList {QStringLiteral("qtchat"),
                                                QStringLiteral("--headless"),
                                                QStringLiteral("--tls-cert"), BaseCertificate,
                                                QStringLiteral("--tls-key"), BaseKey}
                                   + options);
}

QVariant converted(QVariant value, QMetaType type)
{
    value.convert(type);
    return value;
}

QProcess *startQtChat(QObject *parent, const QStringList &arguments)
{
    auto *process = new QProcess(parent);
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("qtchat.*.info=true"));
    environment.insert(QStringLiteral("LANGUAGE"), QStringLiteral("en"));
    process->setProcessEnvironment(environment);
    process->start(QStringLiteral(QTCHAT_BINARY), arguments);
    return process;
}

} // namespace

void TestSettingsSchema::initTestCase()
{
    QVERIFY(m_dir.isValid());
    App::AppSettings::setFileName(m_dir.filePath(QStringLiteral("qtchat.ini")));
    QVERIFY(App::LanguageManager().apply(QStringLiteral("en")));
}

void TestSettingsSchema::cleanup()
{
    App::AppSettings::instance()->restoreDefaults();
    App::AppSettings::instance()->sync();
}

void TestSettingsSchema::everyEntryRoundTrips_data()
{
    QTest::addColumn<const App::SettingSpec *>("spec");
    QTest::addColumn<QVariant>("sample");
    for (const App::SettingSpec &spec : App::SettingsSchema::all())
        QTest::newRow(spec.name) << &spec << sampleFor(spec);
}

void TestSettingsSchema::everyEntryRoundTrips()
{
    QFETCH(const App::SettingSpec *, spec);
    QFETCH(QVariant, sample);
    QVERIFY2(sample.isValid(), "no sample value for this setting");
    QVERIFY(sample != App::SettingsSchema::defaultValue(*spec));
    App::AppSettings *settings = App::AppSettings::instance();
    const QMetaType type = App::SettingsSchema::type(App::SettingsSchema::keyOf(*spec));
    const QString key = QString::fromLatin1(spec->name);
    const QString fileKey = QString::fromLatin1(spec->fileKey);

    // The settings file: written under its key, and read back from it as a restart would.
    QVERIFY(settings->setProperty(spec->name, sample));
    QCOMPARE(settings->property(spec->name), sample);
    settings->sync();
    QSettings file(App::AppSettings::fileName(), QSettings::IniFormat);
    QCOMPARE(converted(file.value(fileKey), type), sample);
    settings->restoreDefaults();
    settings->sync();
    file.setValue(fileKey, sample);
    file.sync();
    settings->reload();
    QCOMPARE(settings->property(spec->name), sample);
    settings->restoreDefaults();

    if (spec->inDialog()) {
        // The dialog: what the user types in is what the setting becomes, and shows again.
        App::SettingsDialog dialog;
        dialog.setFieldValue(QStringLiteral("tlsCertificatePath"), BaseCertificate);
        dialog.setFieldValue(QStringLiteral("tlsKeyPath"), BaseKey);
        dialog.setFieldValue(key, sample);
        QCOMPARE(converted(dialog.fieldValue(key), type), sample);
        QVERIFY(dialog.apply());
        QCOMPARE(settings->property(spec->name), sample);
        App::SettingsDialog again;
        QCOMPARE(converted(again.fieldValue(key), type), sample);
    }

    if (spec->onCommandLine()) {
        // The command line: the option sets the ServerConfig field the settings set.
        const QString option = QStringLiteral("--") + QLatin1StringView(spec->option);
        const App::CommandLine parsed
            = parse(spec->valueName ? QStringList {option, textOf(sample)} : QStringList {option});
        QCOMPARE(parsed.error, QString());
        QCOMPARE(spec->config.get(parsed.server), sample);
        QVERIFY(spec->config.get(parse({}).server) != sample);
    }
}

void TestSettingsSchema::rangeEndsAreEnforced_data()
{
    QTest::addColumn<const App::SettingSpec *>("spec");
    QTest::addColumn<int>("context");
    for (const App::SettingSpec &spec : App::SettingsSchema::all()) {
        if (spec.range.maximum == 0)
            continue;
        for (Context context : {Context::Settings, Context::CommandLine}) {
            const char *where = context == Context::Settings ? "settings" : "command line";
            QTest::addRow("%s, %s", spec.name, where) << &spec << int(context);
        }
    }
}

void TestSettingsSchema::rangeEndsAreEnforced()
{
    QFETCH(const App::SettingSpec *, spec);
    QFETCH(int, context);
    const Server::Range range = App::SettingsSchema::range(*spec, Context(context));
    const auto problem = [&](qint64 value) {
        return App::SettingsSchema::problem(*spec, value, Context(context));
    };
    QCOMPARE(problem(range.minimum), QString());
    QCOMPARE(problem(range.maximum), QString());
    QVERIFY(!problem(range.minimum - 1).isEmpty());
    QVERIFY(!problem(range.maximum + 1).isEmpty());
    // As the text a settings file or a command line gives.
    QVERIFY(
        !App::SettingsSchema::problem(*spec, QString::number(range.maximum + 1), Context(context))
             .isEmpty());
}

void TestSettingsSchema::dialogRangesAreTheServers_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<qint64>("minimum");
    QTest::addColumn<qint64>("maximum");
    const auto row = [](const char *key, Server::Range range) {
        QTest::newRow(key) << QString::fromLatin1(key) << range.minimum << range.maximum;
    };
    row("port", {1, Server::ServerConfig::Ports.maximum}); // the window needs a port it can tell
    row("workers", Server::ServerConfig::Workers);
    row("maxClients", Server::ServerLimits::Counts);
    row("maxClientsPerIp", Server::ServerLimits::Counts);
    row("maxChannelsPerClient", Server::ServerLimits::Counts);
    row("sendQueueBytes", Server::ServerLimits::SendQueueBytes);
    row("floodBurstLines", Server::ServerLimits::Counts);
    row("floodLinesPerSecond", Server::ServerLimits::Counts);
    row("registrationTimeoutSeconds", Server::ServerLimits::Seconds);
    row("pingIntervalSeconds", Server::ServerLimits::Seconds);
    row("pingTimeoutSeconds", Server::ServerLimits::Seconds);
}

void TestSettingsSchema::dialogRangesAreTheServers()
{
    QFETCH(QString, key);
    QFETCH(qint64, minimum);
    QFETCH(qint64, maximum);
    App::SettingsDialog dialog;
    QWidget *editor = dialog.editor(key);
    if (auto *spin = qobject_cast<QSpinBox *>(editor)) {
        QCOMPARE(spin->minimum(), minimum);
        QCOMPARE(spin->maximum(), maximum);
    } else {
        auto *doubleSpin = qobject_cast<QDoubleSpinBox *>(editor);
        QVERIFY(doubleSpin);
        QCOMPARE(doubleSpin->minimum(), double(minimum));
        QCOMPARE(doubleSpin->maximum(), double(maximum));
    }
    // The server holds a config to the same ends.
    const App::SettingSpec &spec = *App::SettingsSchema::find(key);
    Server::ServerConfig config;
    spec.config.set(config, maximum);
    QCOMPARE(config.valueError(), QString());
    if (key == u"port")
        return; // a quint16 cannot even hold a port out of range
    spec.config.set(config, maximum + 1);
    QVERIFY(!config.valueError().isEmpty());
    spec.config.set(config, minimum - 1);
    QVERIFY(!config.valueError().isEmpty());
}

void TestSettingsSchema::portZeroIsForTheCommandLineOnly()
{
    const App::CommandLine parsed = parse({QStringLiteral("--port"), QStringLiteral("0")});
    QCOMPARE(parsed.error, QString());
    QCOMPARE(parsed.server.port, quint16(0));
    QVERIFY(!App::AppSettings::validationError(QStringLiteral("port"), 0).isEmpty());
    const App::CommandLine tooHigh = parse({QStringLiteral("--port"), QStringLiteral("65536")});
    QVERIFY(tooHigh.error.contains(QStringLiteral("--port")));
}

void TestSettingsSchema::commandLineOptionsAreServerSettings()
{
    // The command line builds a ServerConfig; an option that could not reach it would be lost.
    for (const App::SettingSpec &spec : App::SettingsSchema::all()) {
        if (spec.onCommandLine())
            QVERIFY2(spec.inServerConfig() && spec.help, spec.name);
        if (spec.inDialog())
            QVERIFY2(spec.help, spec.name);
    }
}

void TestSettingsSchema::helpListsEveryOptionWithItsHelp()
{
    QProcess *qtchat = startQtChat(this, {QStringLiteral("--help")});
    QVERIFY(qtchat->waitForFinished(30'000));
    QCOMPARE(qtchat->exitCode(), 0);
    // --help wraps its lines; compare the words.
    const auto words = [](QString text) {
        return text.replace(QRegularExpression(QStringLiteral("\\s+")), QStringLiteral(" "));
    };
    const QString help = words(QString::fromLocal8Bit(qtchat->readAllStandardOutput()));
    for (const App::SettingSpec &spec : App::SettingsSchema::all()) {
        if (!spec.onCommandLine())
            continue;
        QVERIFY2(help.contains(QStringLiteral("--") + QLatin1StringView(spec.option)), spec.option);
        QVERIFY2(help.contains(words(App::SettingsSchema::help(spec))), spec.option);
    }
}

void TestSettingsSchema::headlessRejectsAnOutOfRangeValue()
{
    QProcess *qtchat = startQtChat(
        this,
        {QStringLiteral("--headless"), QStringLiteral("--max-clients"), QStringLiteral("-1")});
    QVERIFY(qtchat->waitForFinished(30'000));
    QCOMPARE(qtchat->exitCode(), 2);
    const QString error = QString::fromLocal8Bit(qtchat->readAllStandardError());
    QVERIFY2(error.contains(QStringLiteral("Invalid --max-clients '-1'")), qPrintable(error));
}

void TestSettingsSchema::headlessTakesAnyFreePort()
{
    QProcess *qtchat = startQtChat(
        this, {QStringLiteral("--headless"), QStringLiteral("--port"), QStringLiteral("0")});
    QString log;
    connect(qtchat, &QProcess::readyReadStandardError, this,
            [&] { log += QString::fromLocal8Bit(qtchat->readAllStandardError()); });
    const QRegularExpression listening(QStringLiteral("listening on 127\\.0\\.0\\.1 ([1-9]\\d*)"));
    QTRY_VERIFY2_WITH_TIMEOUT(listening.match(log).hasMatch(), qPrintable(log), 30'000);
    qtchat->terminate();
    QVERIFY(qtchat->waitForFinished(30'000));
    QCOMPARE(qtchat->exitStatus(), QProcess::NormalExit);
}

void TestSettingsSchema::operatorOptionRepeatsAndNeverEchoesItsValue()
{
    const App::CommandLine both = parse({QStringLiteral("--oper"), u"admin:"_s + SampleHash,
                                         QStringLiteral("--oper"), u"helper:"_s + SampleHash});
    QVERIFY2(both.error.isEmpty(), qPrintable(both.error));
    QCOMPARE(both.server.operators.size(), 2);
    QCOMPARE(both.server.operators.at(1).name, QByteArray("helper"));
    QCOMPARE(both.server.operators.at(1).passwordHash, SampleHash.toUtf8());
    // A password given where its hash belongs is refused without being repeated: stderr is
    // the headless server's log.
    const App::CommandLine clear
        = parse({QStringLiteral("--oper"), QStringLiteral("admin:hunter2")});
    QVERIFY(!clear.error.isEmpty());
    QVERIFY2(!clear.error.contains(u"hunter2"_s), qPrintable(clear.error));
}

// A PostgreSQL URL may hold a password: a bad one is refused without repeating it.
void TestSettingsSchema::databaseOptionNeverEchoesItsPassword()
{
    const App::CommandLine bad = parse(
        {QStringLiteral("--database"), QStringLiteral("postgresql://u:hunter2@host:99999x/")});
    QVERIFY(!bad.error.isEmpty());
    QVERIFY2(!bad.error.contains(QStringLiteral("hunter2")), qPrintable(bad.error));
    QVERIFY2(bad.error.contains(QStringLiteral("--database")), qPrintable(bad.error));
    const App::CommandLine good = parse(
        {QStringLiteral("--database"), QStringLiteral("postgresql://u:pw@/chat?host=/run/pg"),
         QStringLiteral("--history-days"), QStringLiteral("30"), QStringLiteral("--replay-on-join"),
         QStringLiteral("5"), QStringLiteral("--no-storage")});
    QVERIFY2(good.error.isEmpty(), qPrintable(good.error));
    QCOMPARE(good.server.history.database, QStringLiteral("postgresql://u:pw@/chat?host=/run/pg"));
    QCOMPARE(good.server.history.maxAgeDays, 30);
    QCOMPARE(good.server.history.replayOnJoin, 5);
    QVERIFY(!good.server.history.enabled);
    QVERIFY(App::CommandLine::parse({QStringLiteral("qtchat"), QStringLiteral("--headless")})
                .server.history.enabled);
}

QTEST_MAIN(TestSettingsSchema)
#include "tst_settingsschema.moc"
