// Chat → Log In… as a person uses it, against the app's own server (a real SQLite file in a
// temporary folder keeps its accounts): the fields, a refused login said in the dialog and in
// the status tab, registering the window's nick, and logging in to that account again from
// another window and after a reconnect. The password never shows in what the window sees.
#include "app/appsettings.h"
#include "app/chatwidget.h"
#include "app/clientwindow.h"
#include "app/conversationview.h"
#include "app/logindialog.h"
#include "app/mainwindow.h"
#include "clientlib/chatclient.h"
#include "tests/support/freeport.h"

#include <QAction>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

namespace {

constexpr int Timeout = 10000;
const QString Password = QStringLiteral("correct horse");

} // namespace

class TestLoginDialog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void theChatMenuOpensTheDialog();
    void aRefusedLoginIsSaid();
    void registerThisNickThenLogInAgain();
    void thePaneLogsInToTheAccountInSettings();

private:
    App::ClientWindow *connectedWindow();
    App::LoginDialog *openLogin(App::ClientWindow *window);
    // Every line the window's client sent, as its raw view shows them.
    void recordSentLines(App::ClientWindow *window);

    QTemporaryDir m_dir;
    std::unique_ptr<QTemporaryDir> m_data;
    std::unique_ptr<App::MainWindow> m_window;
    QList<QByteArray> m_sent;
};

void TestLoginDialog::initTestCase()
{
    QVERIFY(m_dir.isValid());
    App::AppSettings::setFileName(m_dir.filePath(QStringLiteral("qtchat.ini")));
    App::AppSettings::instance()->setLanguage(QStringLiteral("en"));
}

void TestLoginDialog::init()
{
    m_data = std::make_unique<QTemporaryDir>();
    QVERIFY(m_data->isValid());
    App::AppSettings::instance()->setDataDir(m_data->path()); // no accounts yet
    App::AppSettings::instance()->setPort(freeLoopbackPort());
    m_window = std::make_unique<App::MainWindow>(QStringLiteral("tester"));
    m_window->show();
    m_window->startServer();
    QTRY_VERIFY_WITH_TIMEOUT(m_window->server()->isRunning(), Timeout);
    m_sent.clear();
}

void TestLoginDialog::cleanup()
{
    App::AppSettings::instance()->setAccount(QString());
    App::AppSettings::instance()->setAccountPassword(QString());
    m_window.reset();
    m_data.reset();
}

App::ClientWindow *TestLoginDialog::connectedWindow()
{
    App::ClientWindow *window = m_window->openClientWindow();
    recordSentLines(window);
    if (!QTest::qWaitFor([&] { return window->client()->isRegistered(); }, Timeout))
        return nullptr;
    return window;
}

void TestLoginDialog::recordSentLines(App::ClientWindow *window)
{
    connect(window->client(), &Client::ChatClient::lineSent, this,
            [this](const QByteArray &line) { m_sent.append(line); });
}

App::LoginDialog *TestLoginDialog::openLogin(App::ClientWindow *window)
{
    QAction *logIn = window->chat()->logInAction();
    if (!window->chat()->chatMenu()->actions().contains(logIn))
        return nullptr;
    logIn->trigger();
    return window->chat()->findChild<App::LoginDialog *>();
}

void TestLoginDialog::theChatMenuOpensTheDialog()
{
    App::ClientWindow *window = connectedWindow();
    QVERIFY(window);
    QCOMPARE(window->chat()->logInAction()->text(), QStringLiteral("Log &In…"));
    App::LoginDialog *dialog = openLogin(window);
    QVERIFY(dialog);
    QVERIFY(QTest::qWaitForWindowExposed(dialog));
    QCOMPARE(dialog->accountEdit()->text(), window->client()->nick());
    QCOMPARE(dialog->passwordEdit()->echoMode(), QLineEdit::Password);
    QVERIFY(!dialog->logInButton()->isEnabled()); // nothing to log in with yet
    QVERIFY(!dialog->registerButton()->isEnabled());
    QTest::keyClicks(dialog->passwordEdit(), Password);
    QVERIFY(dialog->logInButton()->isEnabled());
    // The app's server keeps accounts, so the nick may be registered.
    QVERIFY(window->client()->canRegisterAccount());
    QVERIFY(dialog->registerButton()->isEnabled());
    // Opened again, it is the same dialog; closed, it forgets the password.
    QCOMPARE(openLogin(window), dialog);
    dialog->reject();
    QVERIFY(dialog->passwordEdit()->text().isEmpty());
}

void TestLoginDialog::aRefusedLoginIsSaid()
{
    App::ClientWindow *window = connectedWindow();
    QVERIFY(window);
    App::LoginDialog *dialog = openLogin(window);
    QVERIFY(dialog);
    QSignalSpy failed(window->client(), &Client::ChatClient::loginFailed);
    dialog->accountEdit()->setText(QStringLiteral("nobody"));
    QTest::keyClicks(dialog->passwordEdit(), Password);
    QTest::mouseClick(dialog->logInButton(), Qt::LeftButton);
    QVERIFY(failed.wait(Timeout));
    QTRY_VERIFY_WITH_TIMEOUT(window->client()->isRegistered(), Timeout); // connected all the same
    QVERIFY(window->client()->account().isEmpty());
    // In the dialog, which stays open for another try, and in the status tab.
    QVERIFY(dialog->isVisible());
    const QString reason = failed.first().first().toString();
    QCOMPARE(dialog->statusLabel()->text(), reason);
    QVERIFY(dialog->statusLabel()->styleSheet().contains(QStringLiteral("color")));
    QVERIFY2(window->chat()->statusView()->transcript().contains(QStringLiteral("Not logged in")),
             qPrintable(window->chat()->statusView()->transcript()));
    for (const QByteArray &line : std::as_const(m_sent))
        QVERIFY2(!line.contains(Password.toUtf8()) && !line.contains("Y29ycmVjdCBob3Jz"),
                 line.constData());
}

void TestLoginDialog::registerThisNickThenLogInAgain()
{
    App::ClientWindow *window = connectedWindow();
    QVERIFY(window);
    QVERIFY(window->client()->canRegisterAccount()); // a server that keeps a database
    const QString nick = window->client()->nick();
    App::LoginDialog *dialog = openLogin(window);
    QVERIFY(dialog);
    QTest::keyClicks(dialog->passwordEdit(), Password);
    QVERIFY(dialog->registerButton()->isEnabled());
    QSignalSpy registered(window->client(), &Client::ChatClient::accountRegistered);
    QTest::mouseClick(dialog->registerButton(), Qt::LeftButton);
    QVERIFY(registered.wait(Timeout));
    QCOMPARE(window->client()->account(), nick);
    QTRY_VERIFY_WITH_TIMEOUT(!dialog->isVisible(), Timeout);
    bool shown = false;
    for (const QLabel *label : window->findChildren<QLabel *>())
        shown |= label->text().contains(QStringLiteral("logged in as %1").arg(nick));
    QVERIFY(shown);

    // The connection drops and comes back: logged in again.
    QSignalSpy loggedIn(window->client(), &Client::ChatClient::loggedIn);
    window->client()->sendRaw("QUIT :bye");
    QTRY_VERIFY_WITH_TIMEOUT(window->client()->state() == Client::ChatClient::State::Disconnected,
                             Timeout);
    window->connectToServer();
    QVERIFY(loggedIn.wait(Timeout));
    QCOMPARE(window->client()->account(), nick);

    // Another window logs in to the account from the dialog.
    App::ClientWindow *other = connectedWindow();
    QVERIFY(other);
    App::LoginDialog *otherDialog = openLogin(other);
    QVERIFY(otherDialog);
    otherDialog->accountEdit()->setText(nick);
    QTest::keyClicks(otherDialog->passwordEdit(), Password);
    QSignalSpy otherLoggedIn(other->client(), &Client::ChatClient::loggedIn);
    QTest::mouseClick(otherDialog->logInButton(), Qt::LeftButton);
    QVERIFY(otherLoggedIn.wait(Timeout));
    QCOMPARE(other->client()->account(), nick);
    for (const QByteArray &line : std::as_const(m_sent))
        QVERIFY2(!line.contains(Password.toUtf8()), line.constData());
}

// Settings → Account and Password: the chat pane logs in whenever it connects.
void TestLoginDialog::thePaneLogsInToTheAccountInSettings()
{
    App::ClientWindow *window = connectedWindow();
    QVERIFY(window);
    const QString nick = window->client()->nick();
    QSignalSpy registered(window->client(), &Client::ChatClient::accountRegistered);
    window->client()->registerAccount(Password);
    QVERIFY(registered.wait(Timeout));

    // The server restarts (keeping its accounts) with the account in the settings.
    m_window->stopServer();
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->server()->isRunning(), Timeout);
    App::AppSettings::instance()->setAccount(nick);
    App::AppSettings::instance()->setAccountPassword(Password);
    Client::ChatClient *pane = m_window->paneClient();
    QSignalSpy loggedIn(pane, &Client::ChatClient::loggedIn);
    m_window->startServer();
    QVERIFY(loggedIn.wait(Timeout));
    QCOMPARE(pane->account(), nick);
    QVERIFY2(m_window->chatPane()->statusView()->transcript().contains(
                 QStringLiteral("Logged in as %1.").arg(nick)),
             qPrintable(m_window->chatPane()->statusView()->transcript()));
}

QTEST_MAIN(TestLoginDialog)
#include "tst_logindialog.moc"
