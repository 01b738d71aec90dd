"""Moments' triggers beyond entering a segment (issue 17): the cursor moments follow the events
with, and the audience syncs theirs with, and each person's next date of a date moment."""

from __future__ import annotations

from alembic import op

from frontoffice.storage.tables import create

revision = "0006_segment_actions"
down_revision: str | None = "0005_inbox"
branch_labels: str | None = None
depends_on: str | None = None

TABLES = ("segments_moment_cursors", "segments_moment_due")


def upgrade() -> None:
    bind = op.get_bind()
    for table in TABLES:
        create(bind, "sqlite" if bind.dialect.name == "sqlite" else "postgres", table)


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table)
