-- Identity resolution: the projection of the event log into persons (rebuildable).
CREATE TABLE identity_records (
    workspace_id TEXT NOT NULL,
    record_id TEXT NOT NULL,
    seq BIGINT NOT NULL,
    source_id TEXT NOT NULL,
    observed_at TEXT NOT NULL,
    person_id TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (workspace_id, record_id)
);
CREATE INDEX identity_records_person ON identity_records (workspace_id, person_id, seq);
CREATE TABLE identity_index (
    workspace_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    value TEXT NOT NULL,
    person_id TEXT NOT NULL,
    PRIMARY KEY (workspace_id, kind, value, person_id)
);
CREATE INDEX identity_index_person ON identity_index (workspace_id, person_id);
CREATE TABLE identity_persons (
    workspace_id TEXT NOT NULL,
    person_id TEXT NOT NULL,
    golden TEXT NOT NULL,
    record_count INTEGER NOT NULL,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    updated_seq BIGINT NOT NULL,
    PRIMARY KEY (workspace_id, person_id)
);
CREATE TABLE identity_redirects (
    workspace_id TEXT NOT NULL,
    old_person_id TEXT NOT NULL,
    person_id TEXT NOT NULL,
    PRIMARY KEY (workspace_id, old_person_id)
);
CREATE TABLE identity_history (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace_id TEXT NOT NULL,
    at_seq BIGINT NOT NULL,
    kind TEXT NOT NULL,
    person_id TEXT NOT NULL,
    others TEXT NOT NULL,
    evidence TEXT NOT NULL
);
CREATE INDEX identity_history_ws ON identity_history (workspace_id, id);
CREATE TABLE identity_outbox (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace_id TEXT NOT NULL,
    type TEXT NOT NULL,
    person_id TEXT NOT NULL,
    payload TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX identity_outbox_ws ON identity_outbox (workspace_id, id);
CREATE TABLE identity_decisions (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    side_a TEXT NOT NULL,
    side_b TEXT NOT NULL,
    rule TEXT NOT NULL,
    detail TEXT NOT NULL,
    weight DOUBLE PRECISION,
    created_at TEXT NOT NULL
);
CREATE TABLE identity_checkpoint (
    workspace_id TEXT PRIMARY KEY,
    last_seq BIGINT NOT NULL,
    last_decision BIGINT NOT NULL
);
