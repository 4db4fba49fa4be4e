#pragma once

#include "storagelib/storagetypes.h"

#include <QString>

namespace Storage {

enum class Backend { Sqlite, Postgresql };

// Where the database is. A file path (or sqlite:PATH) is an SQLite file;
// postgresql://[user[:password]@][host][:port]/database[?host=/socket/dir] is PostgreSQL, as
// libpq's URIs write it (a host starting with '/' is the directory of its Unix socket).
struct DatabaseLocation
{
    Backend backend = Backend::Sqlite;
    QString path; // SQLite: the file
    QString host; // PostgreSQL: a host name, or the socket directory
    int port = -1;
    QString user;
    QString password;
    QString database;

    // Empty `error` when `spec` could be read.
    static DatabaseLocation parse(const QString &spec, QString *error);
    // For logs: never the password.
    QString displayName() const;
};

struct StoreConfig
{
    DatabaseLocation location;
    // Lines waiting for the storage thread. Past this (the disk or the server stalls) a line is
    // counted as not stored instead of queued: about 10 s of a busy server's channel traffic,
    // a few MiB at most.
    int maxPendingWrites = 20'000;
    // Lines per write transaction: large enough that a commit's fsync is shared by many lines,
    // small enough that a read waits for at most one batch.
    int maxBatchRows = 1000;
    // Reads, account requests and prunes waiting for the storage thread; past this a request
    // is refused at once (its id is 0).
    int maxPendingRequests = 10'000;
    // Rows deleted per retention transaction, the event loop served between two.
    int pruneBatchRows = 500;
    // How long SQLite waits for a lock another connection holds before the batch fails.
    int sqliteBusyTimeoutMs = 5000;
    // Retention applied every pruneIntervalMs (0: only when prune() is called).
    Retention retention;
    int pruneIntervalMs = 3600 * 1000;
};

} // namespace Storage
