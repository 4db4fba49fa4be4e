#include "clusterlib/redisurl.h"

#include <QUrl>

namespace Cluster {

namespace {

// Empty when `path` ("", "/" or "/N") names a database; the reason otherwise.
QString parseDatabase(const QString &path, int *database)
{
    if (path.isEmpty() || path == QLatin1String("/"))
        return {};
    bool ok = false;
    *database = path.mid(1).toInt(&ok);
    if (!ok || *database < 0 || *database > RedisUrl::MaxDatabase)
        return QStringLiteral("the database must be a number from 0 to %1, not \"%2\"")
            .arg(RedisUrl::MaxDatabase)
            .arg(path.mid(1));
    return {};
}

} // namespace

std::optional<RedisUrl> RedisUrl::parse(const QString &spec, QString *error)
{
    const QUrl url(spec, QUrl::StrictMode);
    const auto fail = [&](const QString &why) {
        *error
            = QStringLiteral("%1 is not a Redis URL (redis://HOST:PORT[/DB]): %2").arg(spec, why);
        return std::nullopt;
    };
    if (spec.trimmed().isEmpty())
        return fail(QStringLiteral("it is empty"));
    if (!url.isValid())
        return fail(url.errorString());
    if (url.scheme() != QLatin1String("redis"))
        return fail(QStringLiteral("the scheme must be redis"));
    if (url.host().isEmpty())
        return fail(QStringLiteral("it names no host"));
    if (!url.userInfo().isEmpty() || url.hasQuery() || url.hasFragment())
        return fail(QStringLiteral("user names, queries and fragments are not supported"));
    RedisUrl result;
    result.host = url.host();
    result.port = url.port(DefaultPort);
    if (result.port < 1)
        return fail(QStringLiteral("the port must be from 1 to 65535"));
    if (const QString why = parseDatabase(url.path(), &result.database); !why.isEmpty())
        return fail(why);
    error->clear();
    return result;
}

QString RedisUrl::toString() const
{
    return QStringLiteral("redis://%1:%2/%3").arg(host).arg(port).arg(database);
}

} // namespace Cluster
