// What a channel settings dialog sends: only the MODE changes between what the channel has
// and what the user asked for, in as few lines as the server's MODES allows.
#include "clientlib/channelsettings.h"
#include "clientlib/channelstate.h"

#include <QTest>

Q_DECLARE_METATYPE(Client::ChannelSettings)

class tst_ChannelSettings : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void readFromTheChannel();
    void modeChanges_data();
    void modeChanges();
    void keyErrors();
    void linesRespectModesPerLine();
};

namespace {

Client::ChannelSettings settings(const QByteArray &flags, const char *key = "", int limit = 0)
{
    Client::ChannelSettings result;
    result.flags = flags;
    result.key = QString::fromUtf8(key);
    result.limit = limit;
    return result;
}

QString describe(const QList<Irc::ModeChange> &changes)
{
    return QString::fromUtf8(Irc::formatModeChanges(changes).join(' '));
}

} // namespace

void tst_ChannelSettings::readFromTheChannel()
{
    Client::ChannelState channel(QStringLiteral("#c"), Irc::CaseMapping::Rfc1459, "@+");
    channel.setTopic(QStringLiteral("主题"));
    channel.setMode('n', true);
    channel.setMode('t', true);
    channel.setMode('p', true); // not offered: left alone
    channel.setMode('k', true, QStringLiteral("sesame"));
    channel.setMode('l', true, QStringLiteral("25"));
    const Client::ChannelSettings read = Client::ChannelSettings::of(channel);
    QCOMPARE(read.topic, QStringLiteral("主题"));
    QCOMPARE(read.flags, QByteArray("nt"));
    QCOMPARE(read.key, QStringLiteral("sesame"));
    QCOMPARE(read.limit, 25);

    Client::ChannelSettings changed = read;
    changed.setFlag('i', true);
    changed.setFlag('t', false);
    QCOMPARE(changed.flags, QByteArray("in"));
}

void tst_ChannelSettings::modeChanges_data()
{
    QTest::addColumn<Client::ChannelSettings>("from");
    QTest::addColumn<Client::ChannelSettings>("to");
    QTest::addColumn<QString>("expected");

    QTest::newRow("nothing changed") << settings("nt", "k", 5) << settings("nt", "k", 5) << "";
    QTest::newRow("flags on and off") << settings("nt") << settings("imn") << "+im-t";
    QTest::newRow("key set") << settings("") << settings("", "sesame") << "+k sesame";
    QTest::newRow("key removed with the old key")
        << settings("", "sesame") << settings("") << "-k sesame";
    QTest::newRow("key changed") << settings("", "old") << settings("", "new") << "-k+k old new";
    QTest::newRow("limit set") << settings("") << settings("", "", 10) << "+l 10";
    QTest::newRow("limit changed") << settings("", "", 10) << settings("", "", 20) << "+l 20";
    QTest::newRow("limit removed") << settings("", "", 10) << settings("") << "-l";
    QTest::newRow("everything") << settings("n", "a", 3) << settings("st", "", 4)
                                << "-n+st-k+l a 4";
}

void tst_ChannelSettings::modeChanges()
{
    QFETCH(Client::ChannelSettings, from);
    QFETCH(Client::ChannelSettings, to);
    QFETCH(QString, expected);
    const QList<Irc::ModeChange> changes = Client::ChannelSettings::modeChanges(from, to);
    QCOMPARE(changes.isEmpty() ? QString() : describe(changes), expected);
}

void tst_ChannelSettings::keyErrors()
{
    QVERIFY(Client::ChannelSettings::keyError(QStringLiteral("fine-key")).isEmpty());
    QVERIFY(!Client::ChannelSettings::keyError(QStringLiteral("two words")).isEmpty());
    QVERIFY(!Client::ChannelSettings::keyError(QStringLiteral("a,b")).isEmpty());
    QVERIFY(!Client::ChannelSettings::keyError(QStringLiteral(":x")).isEmpty());
    QVERIFY(!Client::ChannelSettings::keyError(QString(Irc::MaxKeyLength + 1, u'k')).isEmpty());
}

void tst_ChannelSettings::linesRespectModesPerLine()
{
    Irc::ISupport support;
    QCOMPARE(Client::modesPerLine(support), 3);
    support.apply({"MODES=4"});
    QCOMPARE(Client::modesPerLine(support), 4);

    const QStringList masks
        = {QStringLiteral("a!*@*"), QStringLiteral("b!*@*"), QStringLiteral("c!*@*"),
           QStringLiteral("d!*@*"), QStringLiteral("e!*@*")};
    const QList<QByteArray> lines
        = Client::modeLines(QStringLiteral("#c"), Client::banChanges(masks, false), 4);
    QCOMPARE(
        lines,
        (QList<QByteArray> {"MODE #c -bbbb a!*@* b!*@* c!*@* d!*@*\r\n", "MODE #c -b e!*@*\r\n"}));
    QVERIFY(Client::modeLines(QStringLiteral("#c"), {}, 4).isEmpty());
}

QTEST_GUILESS_MAIN(tst_ChannelSettings)
#include "tst_channelsettings.moc"
