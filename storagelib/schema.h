#pragma once

#include "storagelib/storeconfig.h"

#include <QString>
#include <QStringList>

namespace Storage {

class SqlConnection;

// The versioned schema. Version N is the resource :/qtchat/sql/<backend>/NNN_name.sql; a
// database records the version it has in schema_version. Migrating applies each missing
// version in a transaction of its own together with the new version number, so a failed or
// interrupted start leaves the previous version intact, and a second start finds nothing to
// do. Two servers starting together on one database migrate one after the other (a lock).
namespace Schema {

int latestVersion(Backend backend);
// The statements of one version, in order; empty when there is no such version.
QStringList statements(Backend backend, int version);
// Brings the database up to latestVersion(); empty on success, else why not. A database newer
// than this program is refused rather than touched.
QString migrate(SqlConnection &connection);
// The version the database has: 0 for an empty one, -1 when it cannot be read.
int installedVersion(SqlConnection &connection);

} // namespace Schema

} // namespace Storage
