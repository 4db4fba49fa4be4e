#include "tests/support/testbackend.h"

#include <QTest>

#include <functional>
#include <vector>

namespace {

struct BackendRow
{
    const char *name;
    std::function<std::unique_ptr<TestBackend>()> make;
};

const std::vector<BackendRow> &backendRows()
{
    static const std::vector<BackendRow> rows = {
        {"ngircd",
         [] {
             return std::make_unique<NgircdBackend>();
         }},
        {"qtchat-pool",
         [] {
             return std::make_unique<QtChatBackend>(Server::ThreadingModel::Pool);
         }},
        {"qtchat-per-connection",
         [] {
             return std::make_unique<QtChatBackend>(Server::ThreadingModel::PerConnection);
         }},
        {"qtchat-single",
         [] {
             return std::make_unique<QtChatBackend>(Server::ThreadingModel::Single);
         }},
    };
    return rows;
}

} // namespace

void TestBackend::addRows()
{
    QTest::addColumn<QString>("backend");
    for (const BackendRow &row : backendRows())
        QTest::newRow(row.name) << QString::fromLatin1(row.name);
}

std::unique_ptr<TestBackend> TestBackend::make(QByteArrayView row)
{
    for (const BackendRow &candidate : backendRows()) {
        if (row == candidate.name)
            return candidate.make();
    }
    return nullptr;
}

bool NgircdBackend::start(const QByteArray &password, QString *error)
{
    if (!NgircdProcess::isAvailable()) {
        *error = NgircdProcess::unavailableReason();
        return false;
    }
    m_ngircd.setPassword(password);
    if (m_ngircd.start())
        return true;
    *error = m_ngircd.errorString();
    return false;
}

QStringList QtChatBackend::capabilities() const
{
    return {QStringLiteral("away-notify"),      QStringLiteral("batch"),
            QStringLiteral("cap-notify"),       QStringLiteral("echo-message"),
            QStringLiteral("invite-notify"),    QStringLiteral("labeled-response"),
            QStringLiteral("message-tags"),     QStringLiteral("multi-prefix"),
            QStringLiteral("server-time"),      QStringLiteral("setname"),
            QStringLiteral("userhost-in-names")};
}

bool QtChatBackend::start(const QByteArray &password, QString *error)
{
    Server::ServerConfig config;
    config.port = 0;
    config.threading = m_model;
    config.password = password;
    if (m_server.start(config))
        return true;
    *error = m_server.startError();
    return false;
}
