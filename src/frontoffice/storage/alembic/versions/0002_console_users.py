"""The console's users, sessions, sign-in attempts and audit (issue 16)."""

from __future__ import annotations

from alembic import op

from frontoffice.console.tables import console_schema

revision = "0002_console_users"
down_revision: str | None = "0001_baseline"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    console_schema().create_all(op.get_bind())


def downgrade() -> None:
    console_schema().drop_all(op.get_bind())
