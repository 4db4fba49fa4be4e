// File → Networks as a person uses it: add a network by typing into the dialog, connect to it
// (a real QtChat server on loopback, which then reports the window in the saved channels),
// have it connect when the app starts, remove it, and a damaged saved list.
#include "app/appsettings.h"
#include "app/channellistdialog.h"
#include "app/channelsettingsdialog.h"
#include "app/clientwindow.h"
#include "app/mainwindow.h"
#include "app/networklistdialog.h"
#include "clientlib/chatclient.h"
#include "clientlib/savednetwork.h"
#include "protocol/numerics.h"
#include "tests/support/freeport.h"
#include "tests/support/rawclient.h"

#include <QAction>
#include <QCheckBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using Client::NetworkList;
using Client::SavedNetwork;

namespace {

constexpr int Timeout = 10000;

// Replaces a field's text as typed: select all, then the new text.
void retype(QWidget *field, const QString &text)
{
    QTest::keyClick(field, Qt::Key_A, Qt::ControlModifier);
    QTest::keyClicks(field, text);
}

} // namespace

class TestNetworkList : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void typedNetworkIsSavedAndConnectJoinsItsChannels();
    void incompleteNetworkIsNotSaved();
    void savedNetworksConnectWhenTheAppStarts();
    void removedNetworkIsGoneFromTheSettings();
    void damagedListKeepsTheGoodEntriesAndSaysWhy();
    void everyShortcutLabelNamesItsField();

private:
    App::NetworkListDialog *openFromMenu();
    template<typename Field> Field *field(App::NetworkListDialog *dialog, const char *name)
    {
        return dialog->findChild<Field *>(QLatin1String(name));
    }
    SavedNetwork localNetwork(const QString &name, const QString &channel) const;

    QTemporaryDir m_dir;
    std::unique_ptr<App::MainWindow> m_window;
};

void TestNetworkList::initTestCase()
{
    QVERIFY(m_dir.isValid());
    App::AppSettings::setFileName(m_dir.filePath(QStringLiteral("qtchat.ini")));
    App::AppSettings::instance()->setLanguage(QStringLiteral("en"));
}

void TestNetworkList::init()
{
    App::AppSettings::instance()->setNetworks({});
    App::AppSettings::instance()->setPort(freeLoopbackPort());
    m_window = std::make_unique<App::MainWindow>(QStringLiteral("tester"));
    m_window->show();
    m_window->startServer();
    QTRY_VERIFY_WITH_TIMEOUT(m_window->server()->isRunning(), Timeout);
}

void TestNetworkList::cleanup()
{
    m_window.reset();
}

App::NetworkListDialog *TestNetworkList::openFromMenu()
{
    for (QAction *action : m_window->findChildren<QAction *>()) {
        if (action->text() == QStringLiteral("&Networks…")) {
            action->trigger();
            return m_window->findChild<App::NetworkListDialog *>();
        }
    }
    return nullptr;
}

SavedNetwork TestNetworkList::localNetwork(const QString &name, const QString &channel) const
{
    SavedNetwork network;
    network.name = name;
    network.host = QStringLiteral("127.0.0.1");
    network.port = m_window->server()->serverPort();
    network.nick = name.toLower();
    network.channels = {channel};
    return network;
}

void TestNetworkList::typedNetworkIsSavedAndConnectJoinsItsChannels()
{
    App::NetworkListDialog *dialog = openFromMenu();
    QVERIFY(dialog);
    QTest::mouseClick(dialog->addButton(), Qt::LeftButton);
    QCOMPARE(dialog->list()->count(), 1);
    QTest::keyClicks(field<QLineEdit>(dialog, "host"), QStringLiteral("127.0.0.1"));
    retype(field<QSpinBox>(dialog, "port"), QString::number(m_window->server()->serverPort()));
    retype(field<QLineEdit>(dialog, "nick"), QStringLiteral("netuser"));
    retype(field<QLineEdit>(dialog, "channels"), QStringLiteral("#netroom, #second"));
    retype(field<QLineEdit>(dialog, "name"), QStringLiteral("Home"));
    QCOMPARE(dialog->list()->item(0)->text(), QStringLiteral("Home"));
    retype(field<QLineEdit>(dialog, "account"), QStringLiteral("netacct"));
    QCOMPARE(field<QLineEdit>(dialog, "password")->echoMode(), QLineEdit::Password);
    retype(field<QLineEdit>(dialog, "password"), QStringLiteral("pass word"));

    const QList<SavedNetwork> saved
        = NetworkList::fromJson(App::AppSettings::instance()->networks());
    QCOMPARE(saved.size(), 1);
    QCOMPARE(saved.first().host, QStringLiteral("127.0.0.1"));
    QCOMPARE(saved.first().port, m_window->server()->serverPort());
    QCOMPARE(saved.first().nick, QStringLiteral("netuser"));
    QCOMPARE(saved.first().channels,
             QStringList({QStringLiteral("#netroom"), QStringLiteral("#second")}));
    QCOMPARE(saved.first().account, QStringLiteral("netacct"));
    QCOMPARE(saved.first().password, QStringLiteral("pass word"));

    QVERIFY(dialog->connectButton()->isEnabled());
    QTest::mouseClick(dialog->connectButton(), Qt::LeftButton);
    QCOMPARE(m_window->clientWindows().size(), 1);
    App::ClientWindow *window = m_window->clientWindows().first();
    QTRY_VERIFY_WITH_TIMEOUT(window->client()->isJoined(QStringLiteral("#second")), Timeout);
    QVERIFY(window->windowTitle().contains(QStringLiteral("Home")));
    // The connection was asked to log in to the network's account.
    QCOMPARE(window->client()->settings().account, QStringLiteral("netacct"));
    QCOMPARE(window->client()->settings().accountPassword, QStringLiteral("pass word"));

    // The server itself has the window in the saved channel.
    RawClient outsider;
    QVERIFY(outsider.connectTo(m_window->server()->serverPort()));
    QVERIFY(outsider.registerAs("outsider"));
    outsider.send("NAMES #netroom");
    const auto names = outsider.expect(Irc::Numeric::NamReply);
    QVERIFY(names);
    QVERIFY2(names->param(3).contains("netuser"), names->param(3).constData());
}

void TestNetworkList::incompleteNetworkIsNotSaved()
{
    App::NetworkListDialog *dialog = openFromMenu();
    QVERIFY(dialog);
    QTest::mouseClick(dialog->addButton(), Qt::LeftButton);
    // No server address yet: said, not connectable, and the settings keep the last complete
    // list (none).
    QVERIFY2(dialog->problemText().contains(QStringLiteral("no server address")),
             qPrintable(dialog->problemText()));
    QVERIFY(!dialog->connectButton()->isEnabled());
    QVERIFY(App::AppSettings::instance()->networks().isEmpty());
    // Complete with the configured nickname: saved.
    QTest::keyClicks(field<QLineEdit>(dialog, "host"), QStringLiteral("irc.example"));
    const auto savedNick = [] {
        const QList<SavedNetwork> saved
            = NetworkList::fromJson(App::AppSettings::instance()->networks());
        return saved.size() == 1 ? saved.first().nick : QString();
    };
    QCOMPARE(savedNick(), App::AppSettings::instance()->nickname());
    // Broken again (a nick never starts with a digit): said, and the settings keep the last
    // complete version.
    retype(field<QLineEdit>(dialog, "nick"), QStringLiteral("9lives"));
    QVERIFY2(dialog->problemText().contains(QStringLiteral("not a valid nickname")),
             qPrintable(dialog->problemText()));
    QVERIFY(!dialog->connectButton()->isEnabled());
    QCOMPARE(savedNick(), App::AppSettings::instance()->nickname());
    retype(field<QLineEdit>(dialog, "nick"), QStringLiteral("goodnick"));
    QVERIFY(dialog->problemText().isEmpty());
    QCOMPARE(savedNick(), QStringLiteral("goodnick"));
}

void TestNetworkList::savedNetworksConnectWhenTheAppStarts()
{
    SavedNetwork automatic = localNetwork(QStringLiteral("Auto"), QStringLiteral("#auto"));
    automatic.connectOnStart = true;
    const SavedNetwork manual = localNetwork(QStringLiteral("Manual"), QStringLiteral("#manual"));
    App::AppSettings::instance()->setNetworks(NetworkList::toJson({manual, automatic}));

    m_window->connectStartupNetworks();
    QCOMPARE(m_window->clientWindows().size(), 1);
    App::ClientWindow *window = m_window->clientWindows().first();
    QTRY_VERIFY_WITH_TIMEOUT(window->client()->isJoined(QStringLiteral("#auto")), Timeout);
    QCOMPARE(window->client()->nick(), QStringLiteral("auto"));
}

void TestNetworkList::removedNetworkIsGoneFromTheSettings()
{
    const SavedNetwork first = localNetwork(QStringLiteral("First"), QStringLiteral("#a"));
    const SavedNetwork second = localNetwork(QStringLiteral("Second"), QStringLiteral("#b"));
    App::AppSettings::instance()->setNetworks(NetworkList::toJson({first, second}));
    App::NetworkListDialog *dialog = openFromMenu();
    QVERIFY(dialog);
    QCOMPARE(dialog->list()->count(), 2);
    dialog->list()->setCurrentRow(0);
    QTest::mouseClick(dialog->removeButton(), Qt::LeftButton);
    QCOMPARE(dialog->list()->count(), 1);
    QCOMPARE(field<QLineEdit>(dialog, "name")->text(), QStringLiteral("Second"));
    QCOMPARE(NetworkList::fromJson(App::AppSettings::instance()->networks()),
             QList<SavedNetwork> {second});
}

void TestNetworkList::damagedListKeepsTheGoodEntriesAndSaysWhy()
{
    const SavedNetwork good = localNetwork(QStringLiteral("Good"), QStringLiteral("#g"));
    const QByteArray goodJson = NetworkList::toJson({good});
    App::AppSettings::instance()->setNetworks(R"([{"name":"Broken","port":6667},)"
                                              + goodJson.mid(1));
    App::NetworkListDialog *dialog = openFromMenu();
    QVERIFY(dialog);
    QCOMPARE(dialog->list()->count(), 1);
    QCOMPARE(dialog->list()->item(0)->text(), QStringLiteral("Good"));
    QVERIFY2(dialog->problemText().contains(QStringLiteral("“Broken” left out")),
             qPrintable(dialog->problemText()));
}

// A label with a shortcut ("&Server:") shows the "&" and moves no focus unless its field is
// its buddy; a form row given an empty label text has no label at all.
void TestNetworkList::everyShortcutLabelNamesItsField()
{
    Client::ChatClient client;
    const std::unique_ptr<QDialog> dialogs[] = {
        std::make_unique<App::NetworkListDialog>(),
        std::make_unique<App::ChannelSettingsDialog>(&client, QStringLiteral("#room")),
        std::make_unique<App::ChannelListDialog>(&client),
    };
    for (const std::unique_ptr<QDialog> &dialog : dialogs) {
        int labelled = 0;
        for (QLabel *label : dialog->findChildren<QLabel *>()) {
            if (!label->text().contains(u'&'))
                continue;
            ++labelled;
            QVERIFY2(label->buddy(),
                     qPrintable(QLatin1String(dialog->metaObject()->className()) + u' '
                                + label->text()));
        }
        QVERIFY2(labelled > 0, dialog->metaObject()->className());
    }
}

QTEST_MAIN(TestNetworkList)
#include "tst_networklist.moc"
