-- The probabilistic tier's live state: the trained model per workspace, how far the micro-batch
-- matcher has read, and the review queue of "possibly the same" pairs. Decisions taken on the
-- queue are events in the log (family identity), so the projection never depends on these rows.
CREATE TABLE identity_review (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace_id TEXT NOT NULL,
    record_a TEXT NOT NULL,
    record_b TEXT NOT NULL,
    person_a TEXT NOT NULL,
    person_b TEXT NOT NULL,
    match_weight DOUBLE PRECISION NOT NULL,
    match_probability DOUBLE PRECISION NOT NULL,
    explanation TEXT NOT NULL,
    side_a TEXT NOT NULL,
    side_b TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    decided_at TEXT,
    decided_by TEXT,
    UNIQUE (workspace_id, record_a, record_b)
);
CREATE INDEX identity_review_status ON identity_review (workspace_id, status, id);
CREATE TABLE identity_matcher (
    workspace_id TEXT PRIMARY KEY,
    model TEXT,
    trained_at TEXT,
    trained_records INTEGER NOT NULL DEFAULT 0,
    last_seq BIGINT NOT NULL DEFAULT 0,
    matched_at TEXT
);
