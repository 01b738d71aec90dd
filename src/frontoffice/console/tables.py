"""The console's tables: users, their sessions, sign-in attempts and the audit of actions."""

from __future__ import annotations

from functools import cache

import sqlalchemy as sa

TABLES = ("console_audit", "console_logins", "console_sessions", "console_users")


@cache
def console_schema() -> sa.MetaData:
    """The same declaration on SQLite and PostgreSQL (text times are ISO-8601 UTC)."""
    metadata = sa.MetaData()
    sa.Table(
        "console_users", metadata,
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
        sa.Index("console_users_workspace", "workspace_id", "login"),
    )
    sa.Table(
        "console_sessions", metadata,
        sa.Column("session_hash", sa.Text(), primary_key=True),
        sa.Column("user_id", sa.Text(), nullable=False),
        sa.Column("csrf", sa.Text(), nullable=False),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.Column("last_seen_at", sa.Text(), nullable=False),
        sa.Column("revoked_at", sa.Text(), nullable=True),
        sa.Index("console_sessions_user", "user_id"),
    )
    sa.Table(
        "console_logins", metadata,
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("login", sa.Text(), nullable=False),
        sa.Column("ip", sa.Text(), nullable=False),
        sa.Column("at", sa.Text(), nullable=False),
        sa.Column("ok", sa.Integer(), nullable=False),
        sa.Index("console_logins_login", "login", "at"),
        sa.Index("console_logins_ip", "ip", "at"),
    )
    sa.Table(
        "console_audit", metadata,
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("workspace_id", sa.Text(), nullable=False),
        sa.Column("user_id", sa.Text(), nullable=False),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("target", sa.Text(), nullable=False),
        sa.Column("at", sa.Text(), nullable=False),
        sa.Index("console_audit_workspace", "workspace_id", "id"),
    )
    return metadata
