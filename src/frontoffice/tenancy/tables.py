"""Tenancy: workspaces, their sources and API tokens."""

from __future__ import annotations

import sqlalchemy as sa

from frontoffice.columns import TIMESTAMP, on_sqlite


def define(metadata: sa.MetaData, dialect: str) -> None:
    sqlite = on_sqlite(dialect)  # one-column keys without NOT NULL there, as the .sql migrations made them
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
        "workspaces", metadata,
        sa.Column("id", sa.Text(), primary_key=True, nullable=sqlite),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("region", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.UniqueConstraint("name"),
    )
