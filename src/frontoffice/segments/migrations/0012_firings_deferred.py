"""The deferred firings indexed: every segments pass asks for the firings whose time has come and
the earliest still waiting, and read every firing the workspace ever logged to answer."""

from __future__ import annotations

from alembic import op

from frontoffice.segments.tables import DEFERRED

revision = "0012_firings_deferred"
down_revision: str | None = "0011_insights_hourly"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    # a database made at 0003 or later by today's declarations already has it
    op.create_index("segments_firings_deferred", "segments_firings", ["workspace_id", "resume_at"],
                    if_not_exists=True, **DEFERRED)


def downgrade() -> None:
    op.drop_index("segments_firings_deferred", "segments_firings")
