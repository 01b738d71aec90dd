-- The log no longer carries UNIQUE (source_id, message_id): with UUID messageIds that index put
-- every event on a random B-tree page, tripling the pages each commit wrote and fsynced. Each
-- appending process now dedupes with an index it rebuilds from the log (storage/sqlite_dedupe.py).
-- SQLite cannot drop a table constraint, so the table is rebuilt with the same rows and seqs.
CREATE TABLE events_rebuilt (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    workspace_id TEXT NOT NULL,
    source_id TEXT NOT NULL,
    message_id TEXT NOT NULL,
    family TEXT NOT NULL,
    type TEXT NOT NULL,
    event TEXT,
    user_id TEXT,
    anonymous_id TEXT,
    previous_id TEXT,
    group_id TEXT,
    timestamp TEXT NOT NULL,
    original_timestamp TEXT,
    sent_at TEXT,
    received_at TEXT NOT NULL,
    payload BLOB NOT NULL,
    subject_hash TEXT
);
INSERT INTO events_rebuilt (seq, workspace_id, source_id, message_id, family, type, event, user_id,
    anonymous_id, previous_id, group_id, timestamp, original_timestamp, sent_at, received_at, payload,
    subject_hash)
SELECT seq, workspace_id, source_id, message_id, family, type, event, user_id, anonymous_id,
    previous_id, group_id, timestamp, original_timestamp, sent_at, received_at, payload, subject_hash
FROM events ORDER BY seq;
DROP TABLE events;
ALTER TABLE events_rebuilt RENAME TO events;
CREATE INDEX events_workspace_seq ON events (workspace_id, seq);
