-- Outbound: destinations (signed webhooks) with their delivery log, the decisions log and the
-- message outbox. Every row that records a refusal carries the consent gate's reason and rule.
CREATE TABLE destinations (
    workspace_id TEXT NOT NULL,
    destination_id TEXT NOT NULL,
    name TEXT NOT NULL,
    url TEXT NOT NULL,
    purpose TEXT NOT NULL,
    event_types TEXT NOT NULL,
    event_names TEXT NOT NULL,
    secret TEXT NOT NULL,
    status TEXT NOT NULL,
    max_attempts INTEGER NOT NULL,
    cursor_seq BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (workspace_id, destination_id),
    UNIQUE (workspace_id, name)
);
CREATE TABLE destination_deliveries (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace_id TEXT NOT NULL,
    destination_id TEXT NOT NULL,
    seq BIGINT NOT NULL,
    message_id TEXT NOT NULL,
    person TEXT,
    outcome TEXT NOT NULL,
    reason TEXT NOT NULL,
    rule TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    status_code INTEGER,
    at TEXT NOT NULL
);
CREATE INDEX destination_deliveries_dest ON destination_deliveries (workspace_id, destination_id, id);
CREATE TABLE outbound_decisions (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace_id TEXT NOT NULL,
    path TEXT NOT NULL,
    request_id TEXT NOT NULL,
    person TEXT NOT NULL,
    action TEXT NOT NULL,
    purpose TEXT NOT NULL,
    channel TEXT NOT NULL,
    allowed INTEGER NOT NULL,
    reason TEXT NOT NULL,
    rule TEXT NOT NULL,
    region TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX outbound_decisions_ws ON outbound_decisions (workspace_id, request_id);
CREATE TABLE message_outbox (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace_id TEXT NOT NULL,
    message_id TEXT NOT NULL,
    person_id TEXT NOT NULL,
    channel TEXT NOT NULL,
    address TEXT NOT NULL,
    purpose TEXT NOT NULL,
    template_id TEXT NOT NULL,
    variables TEXT NOT NULL,
    status TEXT NOT NULL,
    reason TEXT NOT NULL,
    rule TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (workspace_id, message_id)
);
