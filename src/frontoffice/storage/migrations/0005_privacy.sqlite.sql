-- Privacy: per-subject keys (crypto-shredding), the suppression list, erasures and drops.
-- events.subject_hash: NULL = a row stored in clear (written before 0005, or about nobody);
-- else the keyed hash of the subject whose key seals payload and ids.
-- No index on it: every append would pay for it, and only an erasure (rare) looks rows up by it.
ALTER TABLE events ADD COLUMN subject_hash TEXT;
-- consent_ledger rows from now on keep subject = 'h:' || keyed hash, and the subject itself
-- sealed under its key in subject_sealed: shredding the key is enough, the ledger stays append-only.
ALTER TABLE consent_ledger ADD COLUMN subject_sealed BLOB;
CREATE TABLE privacy_subject_keys (
    workspace_id TEXT NOT NULL,
    subject_hash TEXT NOT NULL,
    wrapped_key BLOB NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (workspace_id, subject_hash)
) WITHOUT ROWID;  -- one b-tree keyed by the hash: a new subject dirties one page, not two
CREATE TABLE privacy_suppressions (
    workspace_id TEXT NOT NULL,
    identifier_hash TEXT NOT NULL,
    erasure_id TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (workspace_id, identifier_hash)
);
CREATE TABLE privacy_erasures (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL,
    person_id TEXT NOT NULL,
    reason TEXT NOT NULL,
    requested_by TEXT NOT NULL,
    subjects_shredded INTEGER NOT NULL,
    rows_purged TEXT NOT NULL,
    suppressed_identifiers INTEGER NOT NULL,
    requested_at TEXT NOT NULL,
    completed_at TEXT NOT NULL
);
CREATE INDEX privacy_erasures_ws ON privacy_erasures (workspace_id, completed_at);
CREATE TABLE privacy_suppressed_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    workspace_id TEXT NOT NULL,
    source_id TEXT NOT NULL,
    origin TEXT NOT NULL,
    message_id TEXT NOT NULL,
    reason TEXT NOT NULL,
    dropped_at TEXT NOT NULL
);
CREATE INDEX privacy_suppressed_ws ON privacy_suppressed_events (workspace_id, id)
