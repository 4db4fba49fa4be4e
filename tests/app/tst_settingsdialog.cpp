// The settings dialog as a person uses it: fill in the form, press OK, read what it says; and
// the warning that listening beyond this computer gets wherever the address is chosen.
#include "app/appsettings.h"
#include "app/languagemanager.h"
#include "app/serverpanel.h"
#include "app/settingsdialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

class TestSettingsDialog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void invalidLimitKeepsTheDialogOpenAndAppliesNothing();
    void mismatchedPairIsShownUnderTheFieldToFill();
    void validLimitsAndTlsFilesApply();
    void nonLoopbackAddressIsWarnedAboutInTheDialog();
    void nonLoopbackAddressIsWarnedAboutInTheServerPanel();
    void warningsFollowTheLanguage();
    void accountFieldsHideThePassword();
    void clusterFieldsAndProcessesApply();

private:
    QSpinBox *spin(const char *key) const;
    QLineEdit *line(const char *key) const;
    void clickOk();

    QTemporaryDir m_dir;
    std::unique_ptr<App::SettingsDialog> m_dialog;
};

void TestSettingsDialog::initTestCase()
{
    QVERIFY(m_dir.isValid());
    App::AppSettings::setFileName(m_dir.filePath(QStringLiteral("qtchat.ini")));
    QVERIFY(App::LanguageManager().apply(QStringLiteral("en")));
}

void TestSettingsDialog::init()
{
    m_dialog = std::make_unique<App::SettingsDialog>();
    m_dialog->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_dialog.get()));
}

void TestSettingsDialog::cleanup()
{
    m_dialog.reset();
    App::AppSettings::instance()->restoreDefaults();
    QVERIFY(App::LanguageManager().apply(QStringLiteral("en")));
}

QSpinBox *TestSettingsDialog::spin(const char *key) const
{
    return qobject_cast<QSpinBox *>(m_dialog->editor(QString::fromLatin1(key)));
}

QLineEdit *TestSettingsDialog::line(const char *key) const
{
    return qobject_cast<QLineEdit *>(m_dialog->editor(QString::fromLatin1(key)));
}

void TestSettingsDialog::clickOk()
{
    auto *buttons = m_dialog->findChild<QDialogButtonBox *>();
    QTest::mouseClick(buttons->button(QDialogButtonBox::Ok), Qt::LeftButton);
}

void TestSettingsDialog::invalidLimitKeepsTheDialogOpenAndAppliesNothing()
{
    App::AppSettings *settings = App::AppSettings::instance();
    const QString nickname = settings->nickname();
    const qint64 sendQueue = settings->sendQueueBytes();
    line("nickname")->setText(QStringLiteral("changed"));
    spin("maxClients")->setValue(42);
    spin("sendQueueBytes")->setValue(100); // below the 8 KiB a NAMES reply needs

    clickOk();

    QVERIFY(m_dialog->isVisible());
    QCOMPARE(m_dialog->result(), int(QDialog::Rejected));
    QLabel *error = m_dialog->errorLabel(QStringLiteral("sendQueueBytes"));
    QVERIFY(error->isVisible());
    QVERIFY(!error->text().isEmpty());
    QVERIFY(m_dialog->errorLabel(QStringLiteral("maxClients"))->isHidden());
    // The tab with the problem came forward, and nothing else was applied either.
    QVERIFY(m_dialog->tabs()->currentWidget()->isAncestorOf(spin("sendQueueBytes")));
    QCOMPARE(settings->nickname(), nickname);
    QCOMPARE(settings->sendQueueBytes(), sendQueue);
    QCOMPARE(settings->maxClients(),
             App::AppSettings::defaultValue(QStringLiteral("maxClients")).toInt());

    // Fixing the field lets OK through; the message goes.
    spin("sendQueueBytes")->setValue(64 * 1024);
    clickOk();
    QVERIFY(!m_dialog->isVisible());
    QCOMPARE(settings->nickname(), QStringLiteral("changed"));
    QCOMPARE(settings->sendQueueBytes(), qint64(64 * 1024));
    QVERIFY(error->isHidden());
}

void TestSettingsDialog::mismatchedPairIsShownUnderTheFieldToFill()
{
    App::AppSettings *settings = App::AppSettings::instance();
    QVERIFY(settings->pingIntervalSeconds() > 0);
    spin("pingTimeoutSeconds")->setValue(0);
    line("tlsCertificatePath")->setText(QStringLiteral("/srv/cert.pem"));

    QVERIFY(!m_dialog->apply());

    QVERIFY(m_dialog->errorLabel(QStringLiteral("pingTimeoutSeconds"))->isVisible());
    QVERIFY(m_dialog->errorLabel(QStringLiteral("pingIntervalSeconds"))->isHidden());
    QVERIFY(settings->pingTimeoutSeconds() > 0);
    QVERIFY(settings->tlsCertificatePath().isEmpty());

    // Pings off as well: the pair fits, and the next pair (TLS) is the one to fix.
    spin("pingIntervalSeconds")->setValue(0);
    QVERIFY(!m_dialog->apply());
    QVERIFY(m_dialog->errorLabel(QStringLiteral("pingTimeoutSeconds"))->isHidden());
    QVERIFY(m_dialog->errorLabel(QStringLiteral("tlsKeyPath"))->isVisible());
    QVERIFY(settings->pingIntervalSeconds() > 0);
}

void TestSettingsDialog::validLimitsAndTlsFilesApply()
{
    spin("maxClients")->setValue(0);
    spin("maxClientsPerIp")->setValue(8);
    spin("maxChannelsPerClient")->setValue(5);
    spin("sendQueueBytes")->setValue(8192);
    spin("floodBurstLines")->setValue(10);
    qobject_cast<QDoubleSpinBox *>(m_dialog->editor(QStringLiteral("floodLinesPerSecond")))
        ->setValue(1.5);
    spin("registrationTimeoutSeconds")->setValue(30);
    spin("pingIntervalSeconds")->setValue(60);
    spin("pingTimeoutSeconds")->setValue(30);
    qobject_cast<QCheckBox *>(m_dialog->editor(QStringLiteral("liftLimits")))->setChecked(true);
    QVERIFY(m_dialog->findChild<QPushButton *>(QStringLiteral("tlsCertificatePathBrowse")));
    QVERIFY(m_dialog->findChild<QPushButton *>(QStringLiteral("tlsKeyPathBrowse")));
    line("tlsCertificatePath")->setText(QStringLiteral(" /srv/tls/cert.pem "));
    line("tlsKeyPath")->setText(QStringLiteral("/srv/tls/key.pem"));

    clickOk();

    QVERIFY(!m_dialog->isVisible());
    QCOMPARE(m_dialog->result(), int(QDialog::Accepted));
    const Server::ServerConfig config = App::AppSettings::instance()->serverConfig();
    QCOMPARE(config.limits.maxClients, 0);
    QCOMPARE(config.limits.maxClientsPerIp, 8);
    QCOMPARE(config.limits.maxChannelsPerClient, 5);
    QCOMPARE(config.limits.sendQueueBytes, qint64(8192));
    QCOMPARE(config.limits.floodBurstLines, 10);
    QCOMPARE(config.limits.floodLinesPerSecond, 1.5);
    QCOMPARE(config.limits.registrationTimeoutMs, 30'000);
    QCOMPARE(config.limits.pingIntervalMs, 60'000);
    QCOMPARE(config.limits.pingTimeoutMs, 30'000);
    QVERIFY(config.limits.noLimits);
    QCOMPARE(config.tlsCertificatePath, QStringLiteral("/srv/tls/cert.pem"));
    QCOMPARE(config.tlsKeyPath, QStringLiteral("/srv/tls/key.pem"));
    QCOMPARE(config.validate(), QString());

    // A new dialog shows what was saved.
    App::SettingsDialog again;
    QCOMPARE(qobject_cast<QSpinBox *>(again.editor(QStringLiteral("maxClientsPerIp")))->value(), 8);
    QCOMPARE(qobject_cast<QLineEdit *>(again.editor(QStringLiteral("tlsKeyPath")))->text(),
             QStringLiteral("/srv/tls/key.pem"));
}

void TestSettingsDialog::nonLoopbackAddressIsWarnedAboutInTheDialog()
{
    QLabel *warning = m_dialog->bindWarning();
    QLineEdit *bind = line("bindAddress");
    QCOMPARE(bind->text(), QStringLiteral("127.0.0.1"));
    QVERIFY(warning->isHidden());

    bind->clear();
    QTest::keyClicks(bind, QStringLiteral("0.0.0.0"));
    QTRY_VERIFY(warning->isVisible());
    QCOMPARE(warning->text(), App::AppSettings::bindAddressWarning(QStringLiteral("0.0.0.0")));

    bind->setText(QStringLiteral("::1"));
    QTRY_VERIFY(warning->isHidden());
}

void TestSettingsDialog::nonLoopbackAddressIsWarnedAboutInTheServerPanel()
{
    App::ServerPanel panel;
    Server::ServerConfig config;
    panel.setConfig(config);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    QVERIFY(panel.bindWarning()->isHidden());

    config.bindAddress = QHostAddress(QHostAddress::AnyIPv6);
    panel.setConfig(config);
    QTRY_VERIFY(panel.bindWarning()->isVisible());
    QCOMPARE(panel.bindWarning()->text(),
             QStringLiteral("Other computers on your network will be able to connect to this "
                            "server."));

    // Typed by hand, as the panel is used; still only a warning, the address is allowed.
    panel.bindEdit()->clear();
    QTest::keyClicks(panel.bindEdit(), QStringLiteral("127.0.0.2"));
    QTRY_VERIFY(panel.bindWarning()->isHidden());
    panel.bindEdit()->clear();
    QTest::keyClicks(panel.bindEdit(), QStringLiteral("192.168.1.20"));
    QTRY_VERIFY(panel.bindWarning()->isVisible());
    QString error;
    (void)panel.config(Server::ServerConfig(), &error);
    QCOMPARE(error, QString());
}

void TestSettingsDialog::warningsFollowTheLanguage()
{
    App::ServerPanel panel;
    Server::ServerConfig config;
    config.bindAddress = QHostAddress(QHostAddress::AnyIPv4);
    panel.setConfig(config);
    line("bindAddress")->setText(QStringLiteral("0.0.0.0"));
    const QString english = m_dialog->bindWarning()->text();
    const QString limitsTab = m_dialog->tabs()->tabText(1);
    const QString toolTip = m_dialog->editor(QStringLiteral("maxClientsPerIp"))->toolTip();

    QVERIFY(App::LanguageManager().apply(QStringLiteral("zh_CN")));

    QTRY_VERIFY(m_dialog->bindWarning()->text() != english);
    QVERIFY(m_dialog->bindWarning()->text().contains(QStringLiteral("计算机")));
    QTRY_COMPARE(panel.bindWarning()->text(), m_dialog->bindWarning()->text());
    QVERIFY(m_dialog->tabs()->tabText(1) != limitsTab);
    QVERIFY(m_dialog->editor(QStringLiteral("maxClientsPerIp"))->toolTip() != toolTip);
}

void TestSettingsDialog::accountFieldsHideThePassword()
{
    App::AppSettings *settings = App::AppSettings::instance();
    QLineEdit *account = line("account");
    QLineEdit *password = line("accountPassword");
    QVERIFY(account);
    QVERIFY(password);
    QCOMPARE(password->echoMode(), QLineEdit::Password);
    QVERIFY(m_dialog->tabs()->widget(0)->isAncestorOf(account)); // the Chat tab
    account->setText(QStringLiteral("al ice"));
    password->setText(QStringLiteral(" pass word "));
    clickOk();
    QVERIFY(m_dialog->isVisible());
    QVERIFY(m_dialog->errorLabel(QStringLiteral("account"))->isVisible());
    QVERIFY(!m_dialog->errorLabel(QStringLiteral("account"))->text().contains(u"pass word"));
    QVERIFY(settings->accountPassword().isEmpty());

    account->setText(QStringLiteral("alice"));
    clickOk();
    QVERIFY(!m_dialog->isVisible());
    QCOMPARE(settings->account(), QStringLiteral("alice"));
    QCOMPARE(settings->accountPassword(), QStringLiteral(" pass word ")); // not trimmed
}

// The cluster's Redis, this node's name and the number of server processes are fields of the
// dialog like any other, checked by the same rules as their command-line options.
void TestSettingsDialog::clusterFieldsAndProcessesApply()
{
    App::AppSettings *settings = App::AppSettings::instance();
    QCOMPARE(spin("processes")->specialValueText(),
             QStringLiteral("None (threads in this process)"));
    line("cluster")->setText(QStringLiteral("not a url"));
    QVERIFY(!m_dialog->apply());
    QVERIFY(m_dialog->errorLabel(QStringLiteral("cluster"))->isVisible());
    QVERIFY(settings->cluster().isEmpty());

    line("cluster")->setText(QStringLiteral("redis://127.0.0.1:6390/2"));
    line("nodeName")->setText(QStringLiteral("node-a"));
    spin("processes")->setValue(3);
    QVERIFY(m_dialog->apply());
    QCOMPARE(settings->cluster(), QStringLiteral("redis://127.0.0.1:6390/2"));
    QCOMPARE(settings->nodeName(), QStringLiteral("node-a"));
    QCOMPARE(settings->processes(), 3);
    // The server panel starts that many processes.
    App::ServerPanel panel;
    panel.setConfig(settings->serverConfig());
    QCOMPARE(panel.threadingBox()->currentIndex(), App::ServerPanel::ProcessesIndex);
    QCOMPARE(panel.processesBox()->value(), 3);
    QString error;
    const Server::ServerConfig config = panel.config(settings->serverConfig(), &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(config.processes, 3);
    QCOMPARE(config.cluster.nodeName, QStringLiteral("node-a"));
}

QTEST_MAIN(TestSettingsDialog)
#include "tst_settingsdialog.moc"
