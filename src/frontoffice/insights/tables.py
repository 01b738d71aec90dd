"""The insights tables: the daily rollups, the hourly ones of the metrics where the hour matters,
and the references they are sliced by (a fold of the log: ``rebuild`` replays it), the
projection's cursor, and the flags (a fold of ``insight.*`` events)."""

from __future__ import annotations

import sqlalchemy as sa

from frontoffice.columns import REAL

TABLES = ("insights_cursor", "insights_daily", "insights_flags", "insights_hourly", "insights_refs")
PROJECTION_TABLES = TABLES


def define(metadata: sa.MetaData, dialect: str) -> None:
    """The same declaration on SQLite and PostgreSQL (days are ISO dates, times ISO-8601 text)."""
    sa.Table(
        "insights_cursor",
        metadata,
        sa.Column("workspace_id", sa.Text(), primary_key=True),
        sa.Column("last_seq", sa.BigInteger(), nullable=False),
    )
    sa.Table(
        "insights_refs",
        metadata,  # what a later event is sliced by: a sku's product, an order's lines
        sa.Column("workspace_id", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("ref_id", sa.Text(), nullable=False),
        sa.Column("doc", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("workspace_id", "kind", "ref_id"),
    )
    sa.Table(
        "insights_daily",
        metadata,
        sa.Column("workspace_id", sa.Text(), nullable=False),
        sa.Column("metric", sa.Text(), nullable=False),
        sa.Column("dimension", sa.Text(), nullable=False),
        sa.Column("slice", sa.Text(), nullable=False),
        sa.Column("day", sa.Text(), nullable=False),
        sa.Column("n", sa.BigInteger(), nullable=False),  # how many facts
        sa.Column("total", REAL, nullable=False),  # their summed value (units, minutes, score)
        sa.Column("evidence", sa.Text(), nullable=False),  # JSON list of "kind:id", capped
        sa.PrimaryKeyConstraint("workspace_id", "metric", "dimension", "slice", "day"),
        sa.Index("insights_daily_day", "workspace_id", "metric", "day"),
    )
    sa.Table(
        "insights_hourly",
        metadata,  # the same cells by UTC hour ("YYYY-MM-DDTHH"), for the metrics whose facts name one
        sa.Column("workspace_id", sa.Text(), nullable=False),
        sa.Column("metric", sa.Text(), nullable=False),
        sa.Column("dimension", sa.Text(), nullable=False),
        sa.Column("slice", sa.Text(), nullable=False),
        sa.Column("hour", sa.Text(), nullable=False),
        sa.Column("n", sa.BigInteger(), nullable=False),
        sa.Column("total", REAL, nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("workspace_id", "metric", "dimension", "slice", "hour"),
        sa.Index("insights_hourly_hour", "workspace_id", "metric", "hour"),
    )
    sa.Table(
        "insights_flags",
        metadata,
        sa.Column("workspace_id", sa.Text(), nullable=False),
        sa.Column("flag_id", sa.Text(), nullable=False),  # one per metric x dimension x slice
        sa.Column("metric", sa.Text(), nullable=False),
        sa.Column("dimension", sa.Text(), nullable=False),
        sa.Column("slice", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),  # open, acknowledged, snoozed
        sa.Column("raised_at", sa.Text(), nullable=False),
        sa.Column("snoozed_until", sa.Text()),
        sa.Column("doc", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("workspace_id", "flag_id"),
        sa.Index("insights_flags_status", "workspace_id", "status", "raised_at"),
    )
