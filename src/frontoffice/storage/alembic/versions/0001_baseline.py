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
TABLES = (
    "api_tokens",
    "commerce_cursor",
    "commerce_entities",
    "commerce_holds",
    "commerce_keys",
    "commerce_positions",
    "commerce_secrets",
    "consent_checkpoint",
    "consent_conflicts",
    "consent_ledger",
    "consent_person_checkpoint",
    "consent_person_state",
    "consent_salts",
    "consent_state",
    "consent_subjects",
    "destination_deliveries",
    "destinations",
    "dsr_artefacts",
    "dsr_audit",
    "dsr_outbox",
    "dsr_requests",
    "dsr_tokens",
    "events",
    "identity_checkpoint",
    "identity_decisions",
    "identity_history",
    "identity_index",
    "identity_matcher",
    "identity_outbox",
    "identity_persons",
    "identity_records",
    "identity_redirects",
    "identity_review",
    "message_outbox",
    "outbound_decisions",
    "privacy_erasures",
    "privacy_key_epochs",
    "privacy_subject_keys",
    "privacy_suppressed_events",
    "privacy_suppressions",
    "quarantine",
    "sources",
    "workspace_locations",
    "workspaces",
)
"""The tables of the baseline; tables added since are created by the revisions that add them."""


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
    metadata = schema(dialect)
    metadata.create_all(op.get_bind(), tables=[metadata.tables[name] for name in TABLES])
    triggers = _sqlite_triggers if dialect == "sqlite" else _postgres_triggers
    for table in APPEND_ONLY:
        for statement in triggers(table):
            op.execute(statement)

