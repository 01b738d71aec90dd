"""Decisions' tables: the versioned action catalogue, the decision log, outcomes, model versions
and the outcome projection's cursor (text times are ISO-8601 UTC)."""

from __future__ import annotations

from functools import cache

import sqlalchemy as sa

TABLES = ("decisions_actions", "decisions_cursor", "decisions_log", "decisions_models",
          "decisions_outcomes")


@cache
def decisions_schema() -> sa.MetaData:
    """Decisions' tables alone (its store's statements take them from here)."""
    metadata = sa.MetaData()
    define(metadata, "any")
    return metadata


def define(metadata: sa.MetaData, dialect: str) -> None:
    sa.Table(
        "decisions_actions", metadata,
        sa.Column("workspace_id", sa.Text(), nullable=False),
        sa.Column("action_id", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),  # active | retired
        sa.Column("doc", sa.Text(), nullable=False),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("workspace_id", "action_id", "version"),
    )
    sa.Table(
        "decisions_log", metadata,
        sa.Column("workspace_id", sa.Text(), nullable=False),
        sa.Column("decision_id", sa.Text(), nullable=False),
        sa.Column("person_id", sa.Text(), nullable=False),
        sa.Column("channel", sa.Text(), nullable=False),
        sa.Column("placement", sa.Text(), nullable=False),
        sa.Column("at", sa.Text(), nullable=False),
        sa.Column("model_version", sa.Text(), nullable=False),
        sa.Column("chosen", sa.Text(), nullable=False),  # JSON list of action ids, ranked
        sa.Column("doc", sa.Text(), nullable=False),  # candidates, refusals, propensities, reasons
        sa.PrimaryKeyConstraint("workspace_id", "decision_id"),
        sa.Index("decisions_log_person", "workspace_id", "person_id", "at"),
    )
    sa.Table(
        "decisions_outcomes", metadata,
        sa.Column("workspace_id", sa.Text(), nullable=False),
        sa.Column("outcome_id", sa.Text(), nullable=False),
        sa.Column("decision_id", sa.Text(), nullable=False),
        sa.Column("action_id", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),  # click | purchase | kept | returned | ...
        sa.Column("reward", sa.Float(), nullable=False),
        sa.Column("at", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),  # api | event:<seq>
        sa.PrimaryKeyConstraint("workspace_id", "outcome_id"),
        sa.Index("decisions_outcomes_decision", "workspace_id", "decision_id"),
    )
    sa.Table(
        "decisions_models", metadata,
        sa.Column("workspace_id", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),  # bandit
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),  # candidate | promoted | retired
        sa.Column("blob", sa.LargeBinary(), nullable=False),
        sa.Column("metrics", sa.Text(), nullable=False),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("workspace_id", "kind", "version"),
    )
    sa.Table(
        "decisions_cursor", metadata,
        sa.Column("workspace_id", sa.Text(), primary_key=True),
        sa.Column("last_seq", sa.BigInteger(), nullable=False),
    )
