-- PostgreSQL keeps UNIQUE (source_id, message_id) on the log: its B-tree pages are written by
-- the WAL as records, not whole pages per commit, and the server's ratio to raw inserts stays
-- ~0.9. The SQLite file drops it in this migration (see 0011_events_dedupe.sqlite.sql).
SELECT 1;
