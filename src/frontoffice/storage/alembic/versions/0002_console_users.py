"""The console's users, sessions, sign-in attempts and audit (issue 16).

Spelled out here rather than imported from ``frontoffice.console.tables``: a revision is a
snapshot, and storage imports no capability package."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_console_users"
down_revision: str | None = "0001_baseline"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "console_users",
        sa.Column("user_id", sa.Text(), primary_key=True),
        sa.Column("workspace_id", sa.Text(), nullable=False),
        sa.Column("login", sa.Text(), nullable=False, unique=True),
        sa.Column("display_name", sa.Text(), nullable=False),
        sa.Column("role", sa.Text(), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column("locale", sa.Text(), nullable=True),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.Column("created_by", sa.Text(), nullable=False),
    )
    op.create_index("console_users_workspace", "console_users", ["workspace_id", "login"])
    op.create_table(
        "console_sessions",
        sa.Column("session_hash", sa.Text(), primary_key=True),
        sa.Column("user_id", sa.Text(), nullable=False),
        sa.Column("csrf", sa.Text(), nullable=False),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.Column("last_seen_at", sa.Text(), nullable=False),
        sa.Column("revoked_at", sa.Text(), nullable=True),
    )
    op.create_index("console_sessions_user", "console_sessions", ["user_id"])
    op.create_table(
        "console_logins",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("login", sa.Text(), nullable=False),
        sa.Column("ip", sa.Text(), nullable=False),
        sa.Column("at", sa.Text(), nullable=False),
        sa.Column("ok", sa.Integer(), nullable=False),
    )
    op.create_index("console_logins_login", "console_logins", ["login", "at"])
    op.create_index("console_logins_ip", "console_logins", ["ip", "at"])
    op.create_table(
        "console_audit",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("workspace_id", sa.Text(), nullable=False),
        sa.Column("user_id", sa.Text(), nullable=False),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("target", sa.Text(), nullable=False),
        sa.Column("at", sa.Text(), nullable=False),
    )
    op.create_index("console_audit_workspace", "console_audit", ["workspace_id", "id"])


def downgrade() -> None:
    for table in ("console_audit", "console_logins", "console_sessions", "console_users"):
        op.drop_table(table)
