-- Consent of merged persons (a projection: rebuilt from identity + consent state), the conflicts
-- found while merging, a cheap "has consent moved?" probe for the collector, and where each
-- workspace's data lives (data residency).
CREATE INDEX consent_state_updated ON consent_state (workspace_id, updated_seq);
CREATE TABLE consent_person_state (
    workspace_id TEXT NOT NULL,
    person_id TEXT NOT NULL,
    purpose TEXT NOT NULL,
    status TEXT NOT NULL,
    subject TEXT NOT NULL,
    change_id TEXT NOT NULL,
    at TEXT NOT NULL,
    method TEXT NOT NULL,
    explicit INTEGER NOT NULL,
    reason TEXT NOT NULL,
    PRIMARY KEY (workspace_id, person_id, purpose)
);
CREATE TABLE consent_conflicts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    workspace_id TEXT NOT NULL,
    person_id TEXT NOT NULL,
    purpose TEXT NOT NULL,
    kept_subject TEXT NOT NULL,
    kept_status TEXT NOT NULL,
    kept_change_id TEXT NOT NULL,
    kept_at TEXT NOT NULL,
    overridden_subject TEXT NOT NULL,
    overridden_status TEXT NOT NULL,
    overridden_change_id TEXT NOT NULL,
    overridden_at TEXT NOT NULL,
    reason TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX consent_conflicts_person ON consent_conflicts (workspace_id, person_id, id);
CREATE TABLE consent_person_checkpoint (
    workspace_id TEXT PRIMARY KEY,
    last_outbox_id BIGINT NOT NULL,
    last_state_seq BIGINT NOT NULL,
    version BIGINT NOT NULL
);
CREATE TABLE workspace_locations (
    workspace_id TEXT PRIMARY KEY,
    data_location TEXT NOT NULL,
    created_at TEXT NOT NULL
);
