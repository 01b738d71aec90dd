"""Segments, computed traits and moments (issue 17): their tables, made from the capability's
declaration (``frontoffice.segments.tables``) as they stand in this revision."""

from __future__ import annotations

from alembic import op

from frontoffice.storage.tables import create

revision = "0003_segments"
down_revision: str | None = "0002_console_users"
branch_labels: str | None = None
depends_on: str | None = None

TABLES = ("segments_definitions", "segments_events", "segments_facts", "segments_values",
          "segments_members", "segments_history", "segments_due", "segments_cursor", "segments_firings",
          "message_deliveries")  # outbound's attempts log, for the e-mail moments send


def upgrade() -> None:
    bind = op.get_bind()
    for table in TABLES:
        create(bind, "sqlite" if bind.dialect.name == "sqlite" else "postgres", table)


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table)
