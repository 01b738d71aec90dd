-- Subject keys in the order they are made: a new subject's key is appended at the end of the
-- table instead of on a random page of a B-tree keyed by its (random) hash, about 5x cheaper
-- inside the log's write transaction. Keys are found through an in-memory index that each
-- process keeps (storage/sqlite_keys.py). AUTOINCREMENT: a shredded key's seq is never reused,
-- so an index that follows the table by seq never skips a row.
CREATE TABLE privacy_subject_keys_appended (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    workspace_id TEXT NOT NULL,
    subject_hash TEXT NOT NULL,
    wrapped_key BLOB NOT NULL,
    created_at TEXT NOT NULL
);
INSERT INTO privacy_subject_keys_appended (workspace_id, subject_hash, wrapped_key, created_at)
    SELECT workspace_id, subject_hash, wrapped_key, created_at FROM privacy_subject_keys
    ORDER BY created_at, workspace_id, subject_hash;
DROP TABLE privacy_subject_keys;
ALTER TABLE privacy_subject_keys_appended RENAME TO privacy_subject_keys
