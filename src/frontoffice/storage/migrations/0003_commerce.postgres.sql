-- Commerce projections: rebuilt from the event log's "commerce" family, never written by hand.
CREATE TABLE commerce_cursor (
    workspace_id TEXT PRIMARY KEY,
    last_seq BIGINT NOT NULL
);
CREATE TABLE commerce_entities (
    workspace_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    version BIGINT NOT NULL,
    ref TEXT,
    doc TEXT NOT NULL,
    PRIMARY KEY (workspace_id, kind, entity_id)
);
CREATE INDEX commerce_entities_ref ON commerce_entities (workspace_id, kind, ref);
CREATE TABLE commerce_keys (
    workspace_id TEXT NOT NULL,
    customer_key TEXT NOT NULL,
    kind TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    PRIMARY KEY (workspace_id, customer_key, kind, entity_id)
);
CREATE INDEX commerce_keys_entity ON commerce_keys (workspace_id, kind, entity_id);
CREATE TABLE commerce_positions (
    workspace_id TEXT NOT NULL,
    sku TEXT NOT NULL,
    location_id TEXT NOT NULL,
    on_hand BIGINT NOT NULL,
    committed BIGINT NOT NULL,
    incoming BIGINT NOT NULL,
    version BIGINT NOT NULL,
    PRIMARY KEY (workspace_id, sku, location_id)
);
CREATE TABLE commerce_holds (
    workspace_id TEXT NOT NULL,
    hold_id TEXT NOT NULL,
    sku TEXT NOT NULL,
    location_id TEXT NOT NULL,
    qty BIGINT NOT NULL,
    expires_at TEXT NOT NULL,
    released INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, hold_id)
);
CREATE INDEX commerce_holds_sku ON commerce_holds (workspace_id, sku, location_id);
CREATE TABLE commerce_secrets (
    source_id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL,
    secret TEXT NOT NULL,
    created_at TEXT NOT NULL
);
