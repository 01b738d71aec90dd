"""The event log and the quarantine of what it refused."""

from __future__ import annotations

import sqlalchemy as sa

from frontoffice.columns import AUTO_ID, TIMESTAMP, on_sqlite


def define(metadata: sa.MetaData, dialect: str) -> None:
    sqlite = on_sqlite(dialect)  # one-column keys without NOT NULL there, as the .sql migrations made them
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
