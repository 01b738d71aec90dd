-- A counter per workspace, raised in the transaction that shreds subject keys. Keys are only
-- ever inserted or shredded, never changed: an appender that saw epoch N and sees N again under
-- the log lock knows every key it read since is still stored, without reading them again.
CREATE TABLE privacy_key_epochs (
    workspace_id TEXT PRIMARY KEY,
    epoch INTEGER NOT NULL
);
