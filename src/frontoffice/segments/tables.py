"""Segments' tables: versioned definitions, each person's projected events, facts, computed
values, memberships with their history, the due-time queue, the cursor, moment firings, the
moments' own cursors (events, audience syncs) and the dates each person's date moments come due."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from frontoffice.columns import AUTO_ID, on_sqlite

TABLES = ("segments_cursor", "segments_definitions", "segments_due", "segments_events", "segments_facts",
          "segments_firings", "segments_history", "segments_members", "segments_moment_cursors",
          "segments_moment_due", "segments_values")
PERSON_TABLES = ("segments_due", "segments_events", "segments_facts", "segments_firings",
                 "segments_history", "segments_members", "segments_moment_due", "segments_values")
DEFERRED: dict[str, Any] = {"sqlite_where": sa.text("resume_at IS NOT NULL"),
                            "postgresql_where": sa.text("resume_at IS NOT NULL")}
"""The firings still deferred (a quiet hour, a cap): the few a pass looks for among every firing."""


def define(metadata: sa.MetaData, dialect: str) -> None:
    sqlite = on_sqlite(dialect)
    sa.Table(
        "segments_definitions", metadata,
        sa.Column("id", AUTO_ID, sa.Identity(always=True), primary_key=True, nullable=sqlite),
        sa.Column("workspace_id", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),  # trait | segment | moment
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("active", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.UniqueConstraint("workspace_id", "kind", "name", "version"),
        sqlite_autoincrement=True,
    )
    sa.Table(
        "segments_events", metadata,
        sa.Column("workspace_id", sa.Text(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("person_id", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("at", sa.BigInteger(), nullable=False),  # epoch ms
        sa.Column("props", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("workspace_id", "seq"),
        sa.Index("segments_events_person", "workspace_id", "person_id", "name", "at"),
    )
    sa.Table(
        "segments_facts", metadata,
        sa.Column("workspace_id", sa.Text(), nullable=False),
        sa.Column("person_id", sa.Text(), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("workspace_id", "person_id", "key"),
    )
    sa.Table(
        "segments_values", metadata,
        sa.Column("workspace_id", sa.Text(), nullable=False),
        sa.Column("person_id", sa.Text(), nullable=False),
        sa.Column("trait", sa.Text(), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),  # JSON
        sa.Column("explain", sa.Text(), nullable=False),  # JSON
        sa.PrimaryKeyConstraint("workspace_id", "person_id", "trait"),
    )
    sa.Table(
        "segments_members", metadata,
        sa.Column("workspace_id", sa.Text(), nullable=False),
        sa.Column("segment", sa.Text(), nullable=False),
        sa.Column("person_id", sa.Text(), nullable=False),
        sa.Column("since", sa.Text(), nullable=False),
        sa.Column("why", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("workspace_id", "segment", "person_id"),
        sa.Index("segments_members_person", "workspace_id", "person_id"),
    )
    sa.Table(
        "segments_history", metadata,
        sa.Column("id", AUTO_ID, sa.Identity(always=True), primary_key=True, nullable=sqlite),
        sa.Column("workspace_id", sa.Text(), nullable=False),
        sa.Column("person_id", sa.Text(), nullable=False),
        sa.Column("segment", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("change", sa.Text(), nullable=False),  # entered | exited
        sa.Column("at", sa.Text(), nullable=False),
        sa.Column("cause", sa.Text(), nullable=False),
        sa.Column("why", sa.Text(), nullable=False),
        sa.Index("segments_history_person", "workspace_id", "person_id"),
        sa.Index("segments_history_segment", "workspace_id", "segment", "id"),
        sqlite_autoincrement=True,
    )
    sa.Table(
        "segments_due", metadata,
        sa.Column("workspace_id", sa.Text(), nullable=False),
        sa.Column("person_id", sa.Text(), nullable=False),
        sa.Column("due_at", sa.BigInteger(), nullable=False),  # epoch ms; 0: re-evaluate now
        sa.Column("cause", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("workspace_id", "person_id"),
        sa.Index("segments_due_at", "workspace_id", "due_at"),
    )
    sa.Table(
        "segments_cursor", metadata,
        sa.Column("workspace_id", sa.Text(), primary_key=True, nullable=sqlite),
        sa.Column("last_seq", sa.BigInteger(), nullable=False),
        sa.Column("last_change", sa.BigInteger(), nullable=False),
        sa.Column("last_history", sa.BigInteger(), nullable=False),
    )
    sa.Table(
        "segments_firings", metadata,
        sa.Column("id", AUTO_ID, sa.Identity(always=True), primary_key=True, nullable=sqlite),
        sa.Column("workspace_id", sa.Text(), nullable=False),
        sa.Column("moment", sa.Text(), nullable=False),
        sa.Column("person_id", sa.Text(), nullable=False),
        sa.Column("trigger", sa.Text(), nullable=False),
        sa.Column("decision", sa.Text(), nullable=False),  # fired | refused
        sa.Column("rule", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("message_id", sa.Text()),
        sa.Column("at", sa.BigInteger(), nullable=False),  # epoch ms
        sa.Column("resume_at", sa.BigInteger()),  # a deferred firing: when to try again (None: done)
        sa.Index("segments_firings_moment", "workspace_id", "moment", "person_id"),
        sa.Index("segments_firings_deferred", "workspace_id", "resume_at", **DEFERRED),
        sqlite_autoincrement=True,
    )
    sa.Table(
        "segments_moment_cursors", metadata,  # how far moments and syncs followed a feed
        sa.Column("workspace_id", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),  # events | sync:<name>
        sa.Column("position", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("workspace_id", "name"),
    )
    sa.Table(
        "segments_moment_due", metadata,  # a date moment's next occurrence for one person
        sa.Column("workspace_id", sa.Text(), nullable=False),
        sa.Column("moment", sa.Text(), nullable=False),
        sa.Column("person_id", sa.Text(), nullable=False),
        sa.Column("due_at", sa.BigInteger(), nullable=False),  # epoch ms, in the person's time zone
        sa.Column("occurrence", sa.Text(), nullable=False),  # birthday 2027-05-17
        sa.PrimaryKeyConstraint("workspace_id", "moment", "person_id"),
        sa.Index("segments_moment_due_at", "workspace_id", "due_at"),
    )
