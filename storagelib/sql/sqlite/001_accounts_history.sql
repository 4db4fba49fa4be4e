-- Accounts and chat history. Byte strings are BLOBs: IRC text need not be valid UTF-8.
-- Statements end with ';' at the end of a line (the store splits them there).
CREATE TABLE accounts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    folded_name BLOB NOT NULL UNIQUE,
    name BLOB NOT NULL,
    password_hash TEXT NOT NULL,
    registered_ms INTEGER NOT NULL,
    verified INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE history (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    msgid BLOB NOT NULL UNIQUE,
    time_ms INTEGER NOT NULL,
    target BLOB NOT NULL,
    peer_a BLOB,
    peer_b BLOB,
    sender BLOB NOT NULL,
    command BLOB NOT NULL,
    text BLOB NOT NULL,
    tags BLOB NOT NULL
);
CREATE INDEX history_target_time ON history (target, time_ms, id);
CREATE INDEX history_time ON history (time_ms);
CREATE INDEX history_peer_a ON history (peer_a) WHERE peer_a IS NOT NULL;
CREATE INDEX history_peer_b ON history (peer_b) WHERE peer_b IS NOT NULL;
