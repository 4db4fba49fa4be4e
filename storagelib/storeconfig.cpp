#include "storagelib/storeconfig.h"

#include <QUrl>
#include <QUrlQuery>

namespace Storage {

namespace {

bool isPostgresUrl(const QString &spec)
{
    return spec.startsWith(QLatin1String("postgresql://"))
        || spec.startsWith(QLatin1String("postgres://"));
}

DatabaseLocation parsePostgres(const QString &spec, QString *error)
{
    const QUrl url(spec, QUrl::StrictMode);
    DatabaseLocation location;
    location.backend = Backend::Postgresql;
    if (!url.isValid()) {
        *error = QStringLiteral("not a valid PostgreSQL URL: %1").arg(url.errorString());
        return location;
    }
    location.user = url.userName();
    location.password = url.password();
    location.host = url.host();
    location.port = url.port(-1);
    location.database = url.path().mid(1);
    const QUrlQuery query(url);
    if (query.hasQueryItem(QStringLiteral("host")))
        location.host = query.queryItemValue(QStringLiteral("host"), QUrl::FullyDecoded);
    if (location.database.isEmpty() || location.database.contains(QLatin1Char('/')))
        *error = QStringLiteral("the PostgreSQL URL names no database");
    return location;
}

} // namespace

DatabaseLocation DatabaseLocation::parse(const QString &spec, QString *error)
{
    error->clear();
    if (isPostgresUrl(spec))
        return parsePostgres(spec, error);
    DatabaseLocation location;
    location.path = spec.startsWith(QLatin1String("sqlite:")) ? spec.mid(7) : spec;
    if (location.path.isEmpty())
        *error = QStringLiteral("no database file given");
    return location;
}

QString DatabaseLocation::displayName() const
{
    if (backend == Backend::Sqlite)
        return QStringLiteral("SQLite %1").arg(path);
    const QString where = host.isEmpty() ? QStringLiteral("localhost") : host;
    return QStringLiteral("PostgreSQL %1 on %2").arg(database, where);
}

} // namespace Storage
