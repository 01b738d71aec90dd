"""The service inbox's tables (issue 19): created as ``frontoffice.inbox.tables`` declares them."""

from __future__ import annotations

from alembic import context, op

from frontoffice.storage.tables import create

revision = "0005_inbox"
down_revision: str | None = "0004_decisions"
branch_labels: str | None = None
depends_on: str | None = None

TABLES = ("inbox_blobs", "inbox_cursor", "inbox_entities", "inbox_messages", "inbox_models",
          "inbox_secrets", "inbox_threads", "inbox_tickets")


def upgrade() -> None:
    create(op.get_bind(), context.config.attributes["dialect"], *TABLES)


def downgrade() -> None:
    for table in TABLES:
        op.drop_table(table)
