-- Consent: the append-only ledger (proof of every change) and its rebuildable projection.
CREATE TABLE consent_ledger (
    workspace_id TEXT NOT NULL,
    change_id TEXT NOT NULL,
    seq BIGINT NOT NULL,
    subject TEXT NOT NULL,
    purpose TEXT NOT NULL,
    status TEXT NOT NULL,
    source TEXT NOT NULL,
    at TEXT NOT NULL,
    method TEXT NOT NULL,
    notice_version TEXT,
    raw TEXT,
    ip_hash TEXT,
    user_agent_hash TEXT,
    explicit INTEGER NOT NULL,
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (workspace_id, change_id)
);
CREATE INDEX consent_ledger_subject ON consent_ledger (workspace_id, subject, seq);
CREATE TRIGGER consent_ledger_no_update BEFORE UPDATE ON consent_ledger
BEGIN SELECT RAISE(ABORT, 'consent_ledger is append-only: UPDATE refused'); END;
CREATE TRIGGER consent_ledger_no_delete BEFORE DELETE ON consent_ledger
BEGIN SELECT RAISE(ABORT, 'consent_ledger is append-only: DELETE refused'); END;
CREATE TABLE consent_state (
    workspace_id TEXT NOT NULL,
    subject TEXT NOT NULL,
    purpose TEXT NOT NULL,
    change_id TEXT NOT NULL,
    status TEXT NOT NULL,
    at TEXT NOT NULL,
    updated_seq BIGINT NOT NULL,
    PRIMARY KEY (workspace_id, subject, purpose)
);
CREATE TABLE consent_subjects (
    workspace_id TEXT NOT NULL,
    subject TEXT NOT NULL,
    evidence TEXT NOT NULL,
    updated_seq BIGINT NOT NULL,
    PRIMARY KEY (workspace_id, subject)
);
CREATE TABLE consent_checkpoint (
    workspace_id TEXT PRIMARY KEY,
    last_seq BIGINT NOT NULL
);
CREATE TABLE consent_salts (
    workspace_id TEXT PRIMARY KEY,
    salt TEXT NOT NULL,
    created_at TEXT NOT NULL
)
