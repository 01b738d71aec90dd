"""Data residency: where each workspace's data lives."""

from __future__ import annotations

import sqlalchemy as sa

from frontoffice.columns import on_sqlite


def define(metadata: sa.MetaData, dialect: str) -> None:
    sqlite = on_sqlite(dialect)  # one-column keys without NOT NULL there, as the .sql migrations made them
    sa.Table(
        "workspace_locations", metadata,
        sa.Column("workspace_id", sa.Text(), primary_key=True, nullable=sqlite),
        sa.Column("data_location", sa.Text(), nullable=False),
        sa.Column("created_at", sa.Text(), nullable=False),
    )
