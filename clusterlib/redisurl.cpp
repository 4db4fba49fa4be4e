#include "clusterlib/redisurl.h"

#include <QUrl>
#include <QUrlQuery>

namespace Cluster {

namespace {

constexpr char Forms[] = "redis://HOST:PORT[/DB] or unix:///PATH[?db=DB]";

// Empty when `number` names a database; the reason otherwise.
QString parseDatabaseNumber(const QString &number, int *database)
{
    bool ok = false;
    *database = number.toInt(&ok);
    if (!ok || *database < 0 || *database > RedisUrl::MaxDatabase)
        return QStringLiteral("the database must be a number from 0 to %1, not \"%2\"")
            .arg(RedisUrl::MaxDatabase)
            .arg(number);
    return {};
}

// Empty when `path` ("", "/" or "/N") names a database; the reason otherwise.
QString parseDatabase(const QString &path, int *database)
{
    if (path.isEmpty() || path == QLatin1String("/"))
        return {};
    return parseDatabaseNumber(path.mid(1), database);
}

// unix:///PATH[?db=DB]: an absolute path, no host; the database is the only query item.
QString parseUnixSocket(const QUrl &url, RedisUrl *result)
{
    if (!url.host().isEmpty() || url.port() != -1)
        return QStringLiteral("a Unix socket URL names no host (unix:///PATH, three slashes)");
    if (!url.path().startsWith(u'/') || url.path().size() < 2)
        return QStringLiteral("it names no socket");
    if (!url.userInfo().isEmpty() || url.hasFragment())
        return QStringLiteral("user names and fragments are not supported");
    const QUrlQuery query(url);
    const auto items = query.queryItems(QUrl::FullyDecoded);
    for (const auto &[key, value] : items) {
        if (key != QLatin1String("db"))
            return QStringLiteral("the only query item is db, not \"%1\"").arg(key);
        if (const QString why = parseDatabaseNumber(value, &result->database); !why.isEmpty())
            return why;
    }
    result->socketPath = url.path(QUrl::FullyDecoded);
    return {};
}

QString parseTcp(const QUrl &url, RedisUrl *result)
{
    if (url.host().isEmpty())
        return QStringLiteral("it names no host");
    if (!url.userInfo().isEmpty() || url.hasQuery() || url.hasFragment())
        return QStringLiteral("user names, queries and fragments are not supported");
    result->host = url.host();
    result->port = url.port(RedisUrl::DefaultPort);
    if (result->port < 1)
        return QStringLiteral("the port must be from 1 to 65535");
    return parseDatabase(url.path(), &result->database);
}

} // namespace

std::optional<RedisUrl> RedisUrl::parse(const QString &spec, QString *error)
{
    const QUrl url(spec, QUrl::StrictMode);
    const auto fail = [&](const QString &why) {
        *error
            = QStringLiteral("%1 is not a Redis URL (%2): %3").arg(spec, QLatin1String(Forms), why);
        return std::nullopt;
    };
    if (spec.trimmed().isEmpty())
        return fail(QStringLiteral("it is empty"));
    if (!url.isValid())
        return fail(url.errorString());
    RedisUrl result;
    QString why;
    if (url.scheme() == QLatin1String("redis"))
        why = parseTcp(url, &result);
    else if (url.scheme() == QLatin1String("unix"))
        why = parseUnixSocket(url, &result);
    else
        why = QStringLiteral("the scheme must be redis or unix");
    if (!why.isEmpty())
        return fail(why);
    error->clear();
    return result;
}

// Through QUrl, so that what parse() reads back is encoded: an IPv6 host in brackets, a space
// in a path as %20.
QString RedisUrl::toString() const
{
    if (isUnixSocket())
        return QStringLiteral("unix://%1?db=%2")
            .arg(QString::fromLatin1(QUrl::toPercentEncoding(socketPath, "/")))
            .arg(database);
    QUrl url;
    url.setScheme(QStringLiteral("redis"));
    url.setHost(host);
    url.setPort(port);
    url.setPath(QStringLiteral("/%1").arg(database));
    return url.toString(QUrl::FullyEncoded);
}

} // namespace Cluster
