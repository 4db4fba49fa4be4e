// A LIST reply as a table: the filter on name, topic and users, and sorting by each column
// (users as numbers, names as the server folds them).
#include "clientlib/channellistmodel.h"

#include <QTest>

class tst_ChannelListModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void filterMatchesNameOrTopicIgnoringCase_data();
    void filterMatchesNameOrTopicIgnoringCase();
    void proxyShowsWhatTheFilterAccepts();
    void columnsSortAsTheirValues();
};

namespace {

using Entry = Client::ChannelListEntry;

QList<Entry> sample()
{
    return {{QStringLiteral("#qt"), 12, QStringLiteral("Qt 6 and QML")},
            {QStringLiteral("#Linux"), 3, QStringLiteral("kernels, distros")},
            {QStringLiteral("#lobby"), 100, QStringLiteral("欢迎 everyone")},
            {QStringLiteral("#[rust]"), 9, QString()}};
}

QStringList column(const QAbstractItemModel &model, int column)
{
    QStringList values;
    for (int row = 0; row < model.rowCount(); ++row)
        values.append(model.index(row, column).data().toString());
    return values;
}

} // namespace

void tst_ChannelListModel::filterMatchesNameOrTopicIgnoringCase_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("minimumUsers");
    QTest::addColumn<bool>("accepted");

    QTest::newRow("nothing asked") << QString() << 0 << true;
    QTest::newRow("name, other case") << QStringLiteral("QT") << 0 << true;
    QTest::newRow("topic") << QStringLiteral("qml") << 0 << true;
    QTest::newRow("spaces around") << QStringLiteral("  qml ") << 0 << true;
    QTest::newRow("neither") << QStringLiteral("rust") << 0 << false;
    QTest::newRow("enough users") << QString() << 12 << true;
    QTest::newRow("too few users") << QStringLiteral("qt") << 13 << false;
}

void tst_ChannelListModel::filterMatchesNameOrTopicIgnoringCase()
{
    QFETCH(QString, text);
    QFETCH(int, minimumUsers);
    QFETCH(bool, accepted);
    QCOMPARE(Client::ChannelListFilter::accepts(sample().first(), text, minimumUsers), accepted);
}

void tst_ChannelListModel::proxyShowsWhatTheFilterAccepts()
{
    Client::ChannelListModel model;
    model.setEntries(sample(), Irc::CaseMapping::Rfc1459);
    Client::ChannelListFilter filter;
    filter.setSourceModel(&model);
    QCOMPARE(filter.rowCount(), 4);
    QCOMPARE(filter.columnCount(), 3);
    QCOMPARE(model.headerData(Client::ChannelListModel::UsersColumn, Qt::Horizontal).toString(),
             QStringLiteral("Users"));

    filter.setText(QStringLiteral("欢迎"));
    QCOMPARE(column(filter, 0), QStringList {QStringLiteral("#lobby")});
    filter.setText(QStringLiteral("l"));
    filter.setMinimumUsers(10);
    QCOMPARE(column(filter, 0), (QStringList {QStringLiteral("#qt"), QStringLiteral("#lobby")}));
    filter.setText(QString());
    filter.setMinimumUsers(0);
    QCOMPARE(filter.rowCount(), 4);

    model.setEntries({}, Irc::CaseMapping::Rfc1459); // a new reply replaces the rows
    QCOMPARE(filter.rowCount(), 0);
}

void tst_ChannelListModel::columnsSortAsTheirValues()
{
    Client::ChannelListModel model;
    model.setEntries(sample(), Irc::CaseMapping::Rfc1459);
    Client::ChannelListFilter filter;
    filter.setSourceModel(&model);

    filter.sort(Client::ChannelListModel::UsersColumn, Qt::AscendingOrder);
    // As numbers: 100 is not between 12 and 3.
    QCOMPARE(column(filter, 1),
             (QStringList {QStringLiteral("3"), QStringLiteral("9"), QStringLiteral("12"),
                           QStringLiteral("100")}));
    filter.sort(Client::ChannelListModel::ChannelColumn, Qt::AscendingOrder);
    // Case ignored; under rfc1459 "[" folds to "{", which sorts after the letters.
    QCOMPARE(column(filter, 0),
             (QStringList {QStringLiteral("#Linux"), QStringLiteral("#lobby"),
                           QStringLiteral("#qt"), QStringLiteral("#[rust]")}));
    filter.sort(Client::ChannelListModel::TopicColumn, Qt::DescendingOrder);
    QCOMPARE(column(filter, 0).first(), QStringLiteral("#lobby"));
}

QTEST_GUILESS_MAIN(tst_ChannelListModel)
#include "tst_channellistmodel.moc"
