"""Decisions (issue 18): the action catalogue, the decision log, outcomes, model versions and the
outcome projection's cursor.

Spelled out here rather than imported from ``frontoffice.decisions.tables``: a revision is a
snapshot, and storage imports no capability package."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_decisions"
down_revision: str | None = "0003_segments"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "decisions_actions",
        sa.Column("workspace_id", sa.Text(), nullable=False),
        sa.Column("action_id", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("doc", sa.Text(), nullable=False),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("workspace_id", "action_id", "version"),
    )
    op.create_table(
        "decisions_log",
        sa.Column("workspace_id", sa.Text(), nullable=False),
        sa.Column("decision_id", sa.Text(), nullable=False),
        sa.Column("person_id", sa.Text(), nullable=False),
        sa.Column("channel", sa.Text(), nullable=False),
        sa.Column("placement", sa.Text(), nullable=False),
        sa.Column("at", sa.Text(), nullable=False),
        sa.Column("model_version", sa.Text(), nullable=False),
        sa.Column("chosen", sa.Text(), nullable=False),
        sa.Column("doc", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("workspace_id", "decision_id"),
    )
    op.create_index("decisions_log_person", "decisions_log", ["workspace_id", "person_id", "at"])
    op.create_table(
        "decisions_outcomes",
        sa.Column("workspace_id", sa.Text(), nullable=False),
        sa.Column("outcome_id", sa.Text(), nullable=False),
        sa.Column("decision_id", sa.Text(), nullable=False),
        sa.Column("action_id", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("reward", sa.Float(), nullable=False),
        sa.Column("at", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("workspace_id", "outcome_id"),
    )
    op.create_index("decisions_outcomes_decision", "decisions_outcomes",
                    ["workspace_id", "decision_id"])
    op.create_table(
        "decisions_models",
        sa.Column("workspace_id", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("blob", sa.LargeBinary(), nullable=False),
        sa.Column("metrics", sa.Text(), nullable=False),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("workspace_id", "kind", "version"),
    )
    op.create_table(
        "decisions_cursor",
        sa.Column("workspace_id", sa.Text(), primary_key=True),
        sa.Column("last_seq", sa.BigInteger(), nullable=False),
    )


def downgrade() -> None:
    for table in ("decisions_cursor", "decisions_models", "decisions_outcomes", "decisions_log",
                  "decisions_actions"):
        op.drop_table(table)
