-- PostgreSQL keeps privacy_subject_keys keyed by (workspace_id, subject_hash): its B-tree pages
-- are written to the WAL as records, not whole pages per commit. The SQLite file appends keys
-- in this migration (see 0012_subject_keys_appended.sqlite.sql).
SELECT 1;
