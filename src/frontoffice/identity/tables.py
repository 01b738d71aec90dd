"""Identity resolution: records, persons, the index, merges, history, review, decisions."""

from __future__ import annotations

import sqlalchemy as sa

from frontoffice.columns import AUTO_ID, REAL, on_sqlite


def define(metadata: sa.MetaData, dialect: str) -> None:
    sqlite = on_sqlite(dialect)  # one-column keys without NOT NULL there, as the .sql migrations made them
    sa.Table(
        "identity_checkpoint", metadata,
        sa.Column("workspace_id", sa.Text(), primary_key=True, nullable=sqlite),
        sa.Column("last_seq", sa.BigInteger(), nullable=False),
        sa.Column("last_decision", sa.BigInteger(), nullable=False),
    )
    sa.Table(
        "identity_decisions", metadata,
        sa.Column("id", AUTO_ID, sa.Identity(always=True), primary_key=True, nullable=sqlite),
        sa.Column("workspace_id", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("side_a", sa.Text(), nullable=False),
        sa.Column("side_b", sa.Text(), nullable=False),
        sa.Column("rule", sa.Text(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("weight", REAL),
        sa.Column("created_at", sa.Text(), nullable=False),
        sqlite_autoincrement=True,
    )
    sa.Table(
        "identity_history", metadata,
        sa.Column("id", AUTO_ID, sa.Identity(always=True), primary_key=True, nullable=sqlite),
        sa.Column("workspace_id", sa.Text(), nullable=False),
        sa.Column("at_seq", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("person_id", sa.Text(), nullable=False),
        sa.Column("others", sa.Text(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Index("identity_history_ws", "workspace_id", "id"),
        sqlite_autoincrement=True,
    )
    sa.Table(
        "identity_index", metadata,
        sa.Column("workspace_id", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("person_id", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("workspace_id", "kind", "value", "person_id"),
        sa.Index("identity_index_person", "workspace_id", "person_id"),
    )
    sa.Table(
        "identity_matcher", metadata,
        sa.Column("workspace_id", sa.Text(), primary_key=True, nullable=sqlite),
        sa.Column("model", sa.Text()),
        sa.Column("trained_at", sa.Text()),
        sa.Column("trained_records", sa.Integer(), nullable=False, server_default=sa.text("0")),
        sa.Column("last_seq", sa.BigInteger(), nullable=False, server_default=sa.text("0")),
        sa.Column("matched_at", sa.Text()),
    )
    sa.Table(  # who trains the workspace's model now, until when (one training across processes)
        "identity_training", metadata,
        sa.Column("workspace_id", sa.Text(), primary_key=True),
        sa.Column("holder", sa.Text(), nullable=False),
        sa.Column("until", sa.Text(), nullable=False),  # ISO-8601 UTC: the lease ends
    )
    sa.Table(
        "identity_outbox", metadata,
        sa.Column("id", AUTO_ID, sa.Identity(always=True), primary_key=True, nullable=sqlite),
        sa.Column("workspace_id", sa.Text(), nullable=False),
        sa.Column("type", sa.Text(), nullable=False),
        sa.Column("person_id", sa.Text(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.Index("identity_outbox_ws", "workspace_id", "id"),
        sqlite_autoincrement=True,
    )
    sa.Table(
        "identity_persons", metadata,
        sa.Column("workspace_id", sa.Text(), nullable=False),
        sa.Column("person_id", sa.Text(), nullable=False),
        sa.Column("golden", sa.Text(), nullable=False),
        sa.Column("record_count", sa.Integer(), nullable=False),
        sa.Column("first_seen", sa.Text(), nullable=False),
        sa.Column("last_seen", sa.Text(), nullable=False),
        sa.Column("updated_seq", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("workspace_id", "person_id"),
    )
    sa.Table(
        "identity_records", metadata,
        sa.Column("workspace_id", sa.Text(), nullable=False),
        sa.Column("record_id", sa.Text(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("source_id", sa.Text(), nullable=False),
        sa.Column("observed_at", sa.Text(), nullable=False),
        sa.Column("person_id", sa.Text(), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("workspace_id", "record_id"),
        sa.Index("identity_records_person", "workspace_id", "person_id", "seq"),
    )
    sa.Table(
        "identity_redirects", metadata,
        sa.Column("workspace_id", sa.Text(), nullable=False),
        sa.Column("old_person_id", sa.Text(), nullable=False),
        sa.Column("person_id", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("workspace_id", "old_person_id"),
    )
    sa.Table(
        "identity_review", metadata,
        sa.Column("id", AUTO_ID, sa.Identity(always=True), primary_key=True, nullable=sqlite),
        sa.Column("workspace_id", sa.Text(), nullable=False),
        sa.Column("record_a", sa.Text(), nullable=False),
        sa.Column("record_b", sa.Text(), nullable=False),
        sa.Column("person_a", sa.Text(), nullable=False),
        sa.Column("person_b", sa.Text(), nullable=False),
        sa.Column("match_weight", REAL, nullable=False),
        sa.Column("match_probability", REAL, nullable=False),
        sa.Column("explanation", sa.Text(), nullable=False),
        sa.Column("side_a", sa.Text(), nullable=False),
        sa.Column("side_b", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.Column("decided_at", sa.Text()),
        sa.Column("decided_by", sa.Text()),
        sa.UniqueConstraint("workspace_id", "record_a", "record_b"),
        sa.Index("identity_review_status", "workspace_id", "status", "id"),
        sqlite_autoincrement=True,
    )
