"""Privacy: subject keys (crypto-shredding), key epochs, suppressions, erasures."""

from __future__ import annotations

import sqlalchemy as sa

from frontoffice.storage.tables.types import AUTO_ID


def define(metadata: sa.MetaData, dialect: str) -> None:
    sqlite = dialect == "sqlite"  # one-column keys without NOT NULL there, as the .sql migrations made them
    sa.Table(
        "privacy_erasures", metadata,
        sa.Column("id", sa.Text(), primary_key=True, nullable=sqlite),
        sa.Column("workspace_id", sa.Text(), nullable=False),
        sa.Column("person_id", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("requested_by", sa.Text(), nullable=False),
        sa.Column("subjects_shredded", sa.Integer(), nullable=False),
        sa.Column("rows_purged", sa.Text(), nullable=False),
        sa.Column("suppressed_identifiers", sa.Integer(), nullable=False),
        sa.Column("requested_at", sa.Text(), nullable=False),
        sa.Column("completed_at", sa.Text(), nullable=False),
        sa.Index("privacy_erasures_ws", "workspace_id", "completed_at"),
    )
    sa.Table(
        "privacy_key_epochs", metadata,
        sa.Column("workspace_id", sa.Text(), primary_key=True, nullable=sqlite),
        sa.Column("epoch", sa.Integer(), nullable=False),
    )
    key_columns = (
        sa.Column("workspace_id", sa.Text(), nullable=False),
        sa.Column("subject_hash", sa.Text(), nullable=False),
        sa.Column("wrapped_key", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.Text(), nullable=False),
    )
    if sqlite:
        # Appended in seq order, found through frontoffice.storage.sqlite_keys' index.
        sa.Table("privacy_subject_keys", metadata,
                 sa.Column("seq", sa.Integer(), primary_key=True, nullable=sqlite), *key_columns,
                 sqlite_autoincrement=True)
    else:
        sa.Table("privacy_subject_keys", metadata, *key_columns,
                 sa.PrimaryKeyConstraint("workspace_id", "subject_hash"))
    sa.Table(
        "privacy_suppressed_events", metadata,
        sa.Column("id", AUTO_ID, sa.Identity(always=True), primary_key=True, nullable=sqlite),
        sa.Column("workspace_id", sa.Text(), nullable=False),
        sa.Column("source_id", sa.Text(), nullable=False),
        sa.Column("origin", sa.Text(), nullable=False),
        sa.Column("message_id", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("dropped_at", sa.Text(), nullable=False),
        sa.Index("privacy_suppressed_ws", "workspace_id", "id"),
        sqlite_autoincrement=True,
    )
    sa.Table(
        "privacy_suppressions", metadata,
        sa.Column("workspace_id", sa.Text(), nullable=False),
        sa.Column("identifier_hash", sa.Text(), nullable=False),
        sa.Column("erasure_id", sa.Text(), nullable=False),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("workspace_id", "identifier_hash"),
    )
