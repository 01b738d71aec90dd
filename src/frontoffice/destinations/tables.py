"""Destinations, and the delivery log of each."""

from __future__ import annotations

import sqlalchemy as sa

from frontoffice.columns import AUTO_ID, on_sqlite


def define(metadata: sa.MetaData, dialect: str) -> None:
    sqlite = on_sqlite(dialect)  # one-column keys without NOT NULL there, as the .sql migrations made them
    sa.Table(
        "destinations", metadata,
        sa.Column("workspace_id", sa.Text(), nullable=False),
        sa.Column("destination_id", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("event_types", sa.Text(), nullable=False),
        sa.Column("event_names", sa.Text(), nullable=False),
        sa.Column("secret", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("max_attempts", sa.Integer(), nullable=False),
        sa.Column("cursor_seq", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("workspace_id", "destination_id"),
        sa.UniqueConstraint("workspace_id", "name"),
    )
    sa.Table(
        "destination_deliveries", metadata,
        sa.Column("id", AUTO_ID, sa.Identity(always=True), primary_key=True, nullable=sqlite),
        sa.Column("workspace_id", sa.Text(), nullable=False),
        sa.Column("destination_id", sa.Text(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("message_id", sa.Text(), nullable=False),
        sa.Column("person", sa.Text()),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("rule", sa.Text(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("status_code", sa.Integer()),
        sa.Column("at", sa.Text(), nullable=False),
        sa.Index("destination_deliveries_dest", "workspace_id", "destination_id", "id"),
        sqlite_autoincrement=True,
    )
