"""The event log and tenancy: workspaces, their sources and tokens, the log, quarantine, locations."""

from __future__ import annotations

import sqlalchemy as sa

from frontoffice.storage.tables.types import AUTO_ID, TIMESTAMP


def define(metadata: sa.MetaData, dialect: str) -> None:
    sqlite = dialect == "sqlite"  # one-column keys without NOT NULL there, as the .sql migrations made them
    sa.Table(
        "api_tokens", metadata,
        sa.Column("id", sa.Text(), primary_key=True, nullable=sqlite),
        sa.Column("workspace_id", sa.Text()),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("scopes", sa.Text(), nullable=False),
        sa.Column("token_hash", sa.Text(), nullable=False),
        sa.Column("key_hint", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(["workspace_id"], ["workspaces.id"]),
        sa.UniqueConstraint("token_hash"),
    )
    sa.Table(
        "events", metadata,
        sa.Column("seq", AUTO_ID, sa.Identity(always=True), primary_key=True, nullable=sqlite),
        sa.Column("workspace_id", sa.Text(), nullable=False),
        sa.Column("source_id", sa.Text(), nullable=False),
        sa.Column("message_id", sa.Text(), nullable=False),
        sa.Column("family", sa.Text(), nullable=False),
        sa.Column("type", sa.Text(), nullable=False),
        sa.Column("event", sa.Text()),
        sa.Column("user_id", sa.Text()),
        sa.Column("anonymous_id", sa.Text()),
        sa.Column("previous_id", sa.Text()),
        sa.Column("group_id", sa.Text()),
        sa.Column("timestamp", TIMESTAMP, nullable=False),
        sa.Column("original_timestamp", TIMESTAMP),
        sa.Column("sent_at", TIMESTAMP),
        sa.Column("received_at", TIMESTAMP, nullable=False),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.Column("subject_hash", sa.Text()),
        # PostgreSQL dedupes the log through this constraint; SQLite through
        # frontoffice.storage.sqlite_dedupe's index, kept off the file's write path.
        sa.UniqueConstraint("source_id", "message_id").ddl_if(dialect="postgresql"),
        sa.Index("events_workspace_seq", "workspace_id", "seq"),
        sqlite_autoincrement=True,
    )
    sa.Table(
        "quarantine", metadata,
        sa.Column("id", AUTO_ID, sa.Identity(always=True), primary_key=True, nullable=sqlite),
        sa.Column("workspace_id", sa.Text(), nullable=False),
        sa.Column("source_id", sa.Text(), nullable=False),
        sa.Column("origin", sa.Text(), nullable=False),
        sa.Column("reference", sa.Text(), nullable=False),
        sa.Column("message_id", sa.Text()),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.Column("received_at", TIMESTAMP, nullable=False),
        sa.Index("quarantine_workspace", "workspace_id", "id"),
        sqlite_autoincrement=True,
    )
    sa.Table(
        "sources", metadata,
        sa.Column("id", sa.Text(), primary_key=True, nullable=sqlite),
        sa.Column("workspace_id", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("channel", sa.Text(), nullable=False),
        sa.Column("key_hash", sa.Text(), nullable=False),
        sa.Column("key_hint", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("trust", sa.Text(), nullable=False, server_default=sa.text("'client'")),
        sa.ForeignKeyConstraint(["workspace_id"], ["workspaces.id"]),
        sa.UniqueConstraint("workspace_id", "name"),
        sa.UniqueConstraint("key_hash"),
    )
    sa.Table(
        "workspace_locations", metadata,
        sa.Column("workspace_id", sa.Text(), primary_key=True, nullable=sqlite),
        sa.Column("data_location", sa.Text(), nullable=False),
        sa.Column("created_at", sa.Text(), nullable=False),
    )
    sa.Table(
        "workspaces", metadata,
        sa.Column("id", sa.Text(), primary_key=True, nullable=sqlite),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("region", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.UniqueConstraint("name"),
    )
