#include "clusterlib/redisurl.h"

#include <QUrl>
#include <QUrlQuery>

namespace Cluster {

namespace {

constexpr char Forms[] = "redis://[[USER]:PASSWORD@]HOST:PORT[/DB] or unix:///PATH[?db=DB]";
constexpr char Mask[] = "****";

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

// [[USER]:PASSWORD@]: a user name alone would be sent without a password, which Redis refuses.
QString parseCredentials(const QUrl &url, RedisUrl *result)
{
    if (url.userInfo().isEmpty())
        return {};
    result->user = url.userName(QUrl::FullyDecoded);
    result->password = url.password(QUrl::FullyDecoded);
    if (result->password.isEmpty())
        return QStringLiteral("a user name needs a password (redis://USER:PASSWORD@HOST, or "
                              "redis://:PASSWORD@HOST for requirepass)");
    return {};
}

QString parseTcp(const QUrl &url, RedisUrl *result)
{
    if (url.host().isEmpty())
        return QStringLiteral("it names no host");
    if (url.hasQuery() || url.hasFragment())
        return QStringLiteral("queries and fragments are not supported");
    if (const QString why = parseCredentials(url, result); !why.isEmpty())
        return why;
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
        *error = QStringLiteral("%1 is not a Redis URL (%2): %3")
                     .arg(redacted(spec), QLatin1String(Forms), why);
        return std::nullopt;
    };
    if (spec.trimmed().isEmpty())
        return fail(QStringLiteral("it is empty"));
    if (!url.isValid()) // QUrl's error ends with the URL itself, and its password
        return fail(url.errorString().section(QLatin1String("; source was"), 0, 0));
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
    if (hasPassword()) {
        url.setUserName(user);
        url.setPassword(QLatin1String(Mask));
    }
    return url.toString(QUrl::FullyEncoded);
}

// Between "://" (or the start) and the last '@' is the user info: all of it is masked but a user
// name before a ':', since a password typed without its ':' is a password all the same.
QString RedisUrl::redacted(const QString &spec)
{
    const qsizetype scheme = spec.indexOf(QLatin1String("://"));
    const qsizetype start = scheme < 0 ? 0 : scheme + 3;
    const qsizetype at = spec.lastIndexOf(u'@');
    if (at < start)
        return spec;
    const qsizetype colon = spec.indexOf(u':', start);
    const qsizetype secret = colon >= 0 && colon < at ? colon + 1 : start;
    return spec.left(secret) + QLatin1String(Mask) + spec.mid(at);
}

} // namespace Cluster
