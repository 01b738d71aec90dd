"""Outbound: destinations, deliveries, the message outbox, gating decisions."""

from __future__ import annotations

import sqlalchemy as sa

from frontoffice.storage.tables.types import AUTO_ID


def define(metadata: sa.MetaData, dialect: str) -> None:
    sqlite = dialect == "sqlite"  # one-column keys without NOT NULL there, as the .sql migrations made them
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
        "message_outbox", metadata,
        sa.Column("id", AUTO_ID, sa.Identity(always=True), primary_key=True, nullable=sqlite),
        sa.Column("workspace_id", sa.Text(), nullable=False),
        sa.Column("message_id", sa.Text(), nullable=False),
        sa.Column("person_id", sa.Text(), nullable=False),
        sa.Column("channel", sa.Text(), nullable=False),
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("template_id", sa.Text(), nullable=False),
        sa.Column("variables", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("rule", sa.Text(), nullable=False),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.UniqueConstraint("workspace_id", "message_id"),
        sqlite_autoincrement=True,
    )
    sa.Table(
        "outbound_decisions", metadata,
        sa.Column("id", AUTO_ID, sa.Identity(always=True), primary_key=True, nullable=sqlite),
        sa.Column("workspace_id", sa.Text(), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("request_id", sa.Text(), nullable=False),
        sa.Column("person", sa.Text(), nullable=False),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("channel", sa.Text(), nullable=False),
        sa.Column("allowed", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("rule", sa.Text(), nullable=False),
        sa.Column("region", sa.Text(), nullable=False),
        sa.Column("at", sa.Text(), nullable=False),
        sa.Index("outbound_decisions_ws", "workspace_id", "request_id"),
        sqlite_autoincrement=True,
    )
