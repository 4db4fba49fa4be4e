-- Accounts and chat history. Byte strings are BYTEA: IRC text need not be valid UTF-8.
-- Statements end with ';' at the end of a line (the store splits them there).
CREATE TABLE accounts (
    id BIGSERIAL PRIMARY KEY,
    folded_name BYTEA NOT NULL UNIQUE,
    name BYTEA NOT NULL,
    password_hash TEXT NOT NULL,
    registered_ms BIGINT NOT NULL,
    verified INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE history (
    id BIGSERIAL PRIMARY KEY,
    msgid BYTEA NOT NULL UNIQUE,
    time_ms BIGINT NOT NULL,
    target BYTEA NOT NULL,
    peer_a BYTEA,
    peer_b BYTEA,
    sender BYTEA NOT NULL,
    command BYTEA NOT NULL,
    text BYTEA NOT NULL,
    tags BYTEA NOT NULL
);
CREATE INDEX history_target_time ON history (target, time_ms, id);
CREATE INDEX history_time ON history (time_ms);
CREATE INDEX history_peer_a ON history (peer_a) WHERE peer_a IS NOT NULL;
CREATE INDEX history_peer_b ON history (peer_b) WHERE peer_b IS NOT NULL;
