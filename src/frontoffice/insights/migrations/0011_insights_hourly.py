"""The insights' hourly rollups (first responses and the SLA, deliveries and their alerts by UTC
hour): created as ``frontoffice.insights.tables`` declares them, and filled by replaying the log
(``frontoffice projections rebuild``), which the daily rollups already came from."""

from __future__ import annotations

from alembic import context, op

from frontoffice.storage.tables import create

revision = "0011_insights_hourly"
down_revision: str | None = "0010_insights"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    create(op.get_bind(), context.config.attributes["dialect"], "insights_hourly")


def downgrade() -> None:
    op.drop_table("insights_hourly")
