#include "storagelib/accounttable.h"

#include "storagelib/sqlconnection.h"

#include "protocol/names.h"

#include <QDateTime>
#include <QSqlQuery>

namespace Storage {

namespace {

QString nameProblem(const QByteArray &name)
{
    if (name.isEmpty() || name.size() > MaxKeyLength || name.contains(','))
        return QStringLiteral("the account name is empty, too long or contains ','");
    return {};
}

Result withStatus(Status status, const QString &error)
{
    Result result;
    result.status = status;
    result.error = error;
    return result;
}

} // namespace

Result AccountTable::create(const Account &account)
{
    if (const QString problem = nameProblem(account.name); !problem.isEmpty())
        return withStatus(Status::InvalidRequest, problem);
    if (account.passwordHash.isEmpty())
        return withStatus(Status::InvalidRequest, QStringLiteral("no password hash"));
    QSqlQuery query = m_connection.prepare(
        QStringLiteral("INSERT INTO accounts (folded_name, name, password_hash, registered_ms, "
                       "verified) VALUES (?, ?, ?, ?, ?) ON CONFLICT (folded_name) DO NOTHING"));
    query.addBindValue(Irc::foldCase(account.name));
    query.addBindValue(account.name);
    query.addBindValue(QString::fromLatin1(account.passwordHash));
    query.addBindValue(account.registeredMs > 0 ? account.registeredMs
                                                : QDateTime::currentMSecsSinceEpoch());
    query.addBindValue(account.verified ? 1 : 0);
    if (!m_connection.exec(query))
        return failure();
    if (query.numRowsAffected() == 0)
        return withStatus(Status::Duplicate, QStringLiteral("the account name is taken"));
    return find(account.name);
}

Result AccountTable::find(const QByteArray &name)
{
    if (const QString problem = nameProblem(name); !problem.isEmpty())
        return withStatus(Status::InvalidRequest, problem);
    QSqlQuery query = m_connection.prepare(
        QStringLiteral("SELECT id, name, password_hash, registered_ms, verified FROM accounts "
                       "WHERE folded_name = ?"));
    query.addBindValue(Irc::foldCase(name));
    if (!m_connection.exec(query))
        return failure();
    if (!query.next())
        return withStatus(Status::NotFound, QStringLiteral("no such account"));
    Result result;
    result.account = Account {query.value(0).toLongLong(), query.value(1).toByteArray(),
                              query.value(2).toString().toLatin1(), query.value(3).toLongLong(),
                              query.value(4).toInt() != 0};
    return result;
}

Result AccountTable::setVerified(const QByteArray &name)
{
    if (const QString problem = nameProblem(name); !problem.isEmpty())
        return withStatus(Status::InvalidRequest, problem);
    QSqlQuery query = m_connection.prepare(
        QStringLiteral("UPDATE accounts SET verified = 1 WHERE folded_name = ?"));
    query.addBindValue(Irc::foldCase(name));
    if (!m_connection.exec(query))
        return failure();
    if (query.numRowsAffected() == 0)
        return withStatus(Status::NotFound, QStringLiteral("no such account"));
    return find(name);
}

Result AccountTable::failure() const
{
    return withStatus(Status::Unavailable, m_connection.lastError());
}

} // namespace Storage
