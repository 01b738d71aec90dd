"""Baseline: the whole schema of the 13 .sql migrations frontoffice applied before alembic.

A database those made (its ``schema_migrations`` lists 0001_event_log … 0013_source_trust) is
stamped at this revision unchanged; an empty database gets the tables from
``frontoffice.storage.tables`` and the triggers that keep two tables append-only.
"""

from __future__ import annotations

from alembic import context, op

from frontoffice.storage.tables import schema

revision = "0001_baseline"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None

APPEND_ONLY = ("consent_ledger", "dsr_audit")


def _sqlite_triggers(table: str) -> list[str]:
    return [
        f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: {verb} refused'); END"
        for verb in ("UPDATE", "DELETE")
    ]


def _postgres_triggers(table: str) -> list[str]:
    return [
        f"CREATE FUNCTION {table}_append_only() RETURNS trigger LANGUAGE plpgsql AS $$\n"
        f"BEGIN\n    RAISE EXCEPTION '{table} is append-only: % refused', TG_OP;\nEND\n$$",
        f"CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {table}_append_only()",
        f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {table}_append_only()",
    ]


def upgrade() -> None:
    dialect: str = context.config.attributes["dialect"]
    schema(dialect).create_all(op.get_bind())
    triggers = _sqlite_triggers if dialect == "sqlite" else _postgres_triggers
    for table in APPEND_ONLY:
        for statement in triggers(table):
            op.execute(statement)

