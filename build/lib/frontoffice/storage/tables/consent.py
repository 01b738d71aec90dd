"""Consent: the append-only ledger, state per subject and per person, conflicts, salts."""

from __future__ import annotations

import sqlalchemy as sa

from frontoffice.storage.tables.types import AUTO_ID


def define(metadata: sa.MetaData, dialect: str) -> None:
    sqlite = dialect == "sqlite"  # one-column keys without NOT NULL there, as the .sql migrations made them
    sa.Table(
        "consent_checkpoint", metadata,
        sa.Column("workspace_id", sa.Text(), primary_key=True, nullable=sqlite),
        sa.Column("last_seq", sa.BigInteger(), nullable=False),
    )
    sa.Table(
        "consent_conflicts", metadata,
        sa.Column("id", AUTO_ID, sa.Identity(always=True), primary_key=True, nullable=sqlite),
        sa.Column("workspace_id", sa.Text(), nullable=False),
        sa.Column("person_id", sa.Text(), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("kept_subject", sa.Text(), nullable=False),
        sa.Column("kept_status", sa.Text(), nullable=False),
        sa.Column("kept_change_id", sa.Text(), nullable=False),
        sa.Column("kept_at", sa.Text(), nullable=False),
        sa.Column("overridden_subject", sa.Text(), nullable=False),
        sa.Column("overridden_status", sa.Text(), nullable=False),
        sa.Column("overridden_change_id", sa.Text(), nullable=False),
        sa.Column("overridden_at", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.Text(), nullable=False),
        sa.Index("consent_conflicts_person", "workspace_id", "person_id", "id"),
        sqlite_autoincrement=True,
    )
    sa.Table(
        "consent_ledger", metadata,
        sa.Column("workspace_id", sa.Text(), nullable=False),
        sa.Column("change_id", sa.Text(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("at", sa.Text(), nullable=False),
        sa.Column("method", sa.Text(), nullable=False),
        sa.Column("notice_version", sa.Text()),
        sa.Column("raw", sa.Text()),
        sa.Column("ip_hash", sa.Text()),
        sa.Column("user_agent_hash", sa.Text()),
        sa.Column("explicit", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.Text(), nullable=False),
        sa.Column("subject_sealed", sa.LargeBinary()),
        sa.PrimaryKeyConstraint("workspace_id", "change_id"),
        sa.Index("consent_ledger_subject", "workspace_id", "subject", "seq"),
    )
    sa.Table(
        "consent_person_checkpoint", metadata,
        sa.Column("workspace_id", sa.Text(), primary_key=True, nullable=sqlite),
        sa.Column("last_outbox_id", sa.BigInteger(), nullable=False),
        sa.Column("last_state_seq", sa.BigInteger(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
    )
    sa.Table(
        "consent_person_state", metadata,
        sa.Column("workspace_id", sa.Text(), nullable=False),
        sa.Column("person_id", sa.Text(), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("change_id", sa.Text(), nullable=False),
        sa.Column("at", sa.Text(), nullable=False),
        sa.Column("method", sa.Text(), nullable=False),
        sa.Column("explicit", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("workspace_id", "person_id", "purpose"),
    )
    sa.Table(
        "consent_salts", metadata,
        sa.Column("workspace_id", sa.Text(), primary_key=True, nullable=sqlite),
        sa.Column("salt", sa.Text(), nullable=False),
        sa.Column("created_at", sa.Text(), nullable=False),
    )
    sa.Table(
        "consent_state", metadata,
        sa.Column("workspace_id", sa.Text(), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("change_id", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("at", sa.Text(), nullable=False),
        sa.Column("updated_seq", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("workspace_id", "subject", "purpose"),
        sa.Index("consent_state_updated", "workspace_id", "updated_seq"),
    )
    sa.Table(
        "consent_subjects", metadata,
        sa.Column("workspace_id", sa.Text(), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("updated_seq", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("workspace_id", "subject"),
    )
