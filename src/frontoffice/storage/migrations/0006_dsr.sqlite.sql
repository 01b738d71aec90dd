-- Data-subject requests: the requests, their verification tokens, the notifier outbox, the
-- artefacts (access reports) and the append-only audit log.
CREATE TABLE dsr_requests (
    workspace_id TEXT NOT NULL,
    id TEXT NOT NULL,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    person_id TEXT NOT NULL,
    requester_kind TEXT NOT NULL,
    requester_hash TEXT NOT NULL,
    requester_masked TEXT NOT NULL,
    contact_kind TEXT,
    contact_masked TEXT,
    region TEXT NOT NULL,
    region_reason TEXT NOT NULL,
    opened_at TEXT NOT NULL,
    due_at TEXT NOT NULL,
    extended_due_at TEXT,
    extension_reason TEXT,
    verified_at TEXT,
    closed_at TEXT,
    reason TEXT,
    details TEXT,
    outcome TEXT,
    PRIMARY KEY (workspace_id, id)
);
CREATE INDEX dsr_requests_status ON dsr_requests (workspace_id, status, due_at);
CREATE TABLE dsr_tokens (
    workspace_id TEXT NOT NULL,
    request_id TEXT NOT NULL,
    token_hash TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    used_at TEXT,
    created_at TEXT NOT NULL,
    PRIMARY KEY (workspace_id, request_id)
);
CREATE TABLE dsr_outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    workspace_id TEXT NOT NULL,
    request_id TEXT NOT NULL,
    channel TEXT NOT NULL,
    recipient TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX dsr_outbox_request ON dsr_outbox (workspace_id, request_id);
CREATE TABLE dsr_artefacts (
    workspace_id TEXT NOT NULL,
    request_id TEXT NOT NULL,
    format TEXT NOT NULL,
    content BLOB NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (workspace_id, request_id, format)
);
CREATE TABLE dsr_audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    workspace_id TEXT NOT NULL,
    request_id TEXT NOT NULL,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    detail TEXT NOT NULL
);
CREATE INDEX dsr_audit_request ON dsr_audit (workspace_id, request_id, id);
CREATE TRIGGER dsr_audit_no_update BEFORE UPDATE ON dsr_audit
BEGIN SELECT RAISE(ABORT, 'dsr_audit is append-only: UPDATE refused'); END;
CREATE TRIGGER dsr_audit_no_delete BEFORE DELETE ON dsr_audit
BEGIN SELECT RAISE(ABORT, 'dsr_audit is append-only: DELETE refused'); END
