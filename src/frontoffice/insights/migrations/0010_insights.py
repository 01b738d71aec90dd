"""The insights tables (issue 20): created as ``frontoffice.insights.tables`` declares them."""

from __future__ import annotations

from alembic import context, op

from frontoffice.storage.tables import create

revision = "0010_insights"
down_revision: str | None = "0006_segment_actions"
branch_labels: str | None = None
depends_on: str | None = None

TABLES = ("insights_cursor", "insights_daily", "insights_flags", "insights_refs")


def upgrade() -> None:
    create(op.get_bind(), context.config.attributes["dialect"], *TABLES)


def downgrade() -> None:
    for table in TABLES:
        op.drop_table(table)
