"""Data subject requests: requests, tokens, artefacts, the append-only audit, the outbox."""

from __future__ import annotations

import sqlalchemy as sa

from frontoffice.storage.tables.types import AUTO_ID


def define(metadata: sa.MetaData, dialect: str) -> None:
    sqlite = dialect == "sqlite"  # one-column keys without NOT NULL there, as the .sql migrations made them
    sa.Table(
        "dsr_artefacts", metadata,
        sa.Column("workspace_id", sa.Text(), nullable=False),
        sa.Column("request_id", sa.Text(), nullable=False),
        sa.Column("format", sa.Text(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("workspace_id", "request_id", "format"),
    )
    sa.Table(
        "dsr_audit", metadata,
        sa.Column("id", AUTO_ID, sa.Identity(always=True), primary_key=True, nullable=sqlite),
        sa.Column("workspace_id", sa.Text(), nullable=False),
        sa.Column("request_id", sa.Text(), nullable=False),
        sa.Column("at", sa.Text(), nullable=False),
        sa.Column("actor", sa.Text(), nullable=False),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Index("dsr_audit_request", "workspace_id", "request_id", "id"),
        sqlite_autoincrement=True,
    )
    sa.Table(
        "dsr_outbox", metadata,
        sa.Column("id", AUTO_ID, sa.Identity(always=True), primary_key=True, nullable=sqlite),
        sa.Column("workspace_id", sa.Text(), nullable=False),
        sa.Column("request_id", sa.Text(), nullable=False),
        sa.Column("channel", sa.Text(), nullable=False),
        sa.Column("recipient", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.Index("dsr_outbox_request", "workspace_id", "request_id"),
        sqlite_autoincrement=True,
    )
    sa.Table(
        "dsr_requests", metadata,
        sa.Column("workspace_id", sa.Text(), nullable=False),
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("person_id", sa.Text(), nullable=False),
        sa.Column("requester_kind", sa.Text(), nullable=False),
        sa.Column("requester_hash", sa.Text(), nullable=False),
        sa.Column("requester_masked", sa.Text(), nullable=False),
        sa.Column("contact_kind", sa.Text()),
        sa.Column("contact_masked", sa.Text()),
        sa.Column("region", sa.Text(), nullable=False),
        sa.Column("region_reason", sa.Text(), nullable=False),
        sa.Column("opened_at", sa.Text(), nullable=False),
        sa.Column("due_at", sa.Text(), nullable=False),
        sa.Column("extended_due_at", sa.Text()),
        sa.Column("extension_reason", sa.Text()),
        sa.Column("verified_at", sa.Text()),
        sa.Column("closed_at", sa.Text()),
        sa.Column("reason", sa.Text()),
        sa.Column("details", sa.Text()),
        sa.Column("outcome", sa.Text()),
        sa.PrimaryKeyConstraint("workspace_id", "id"),
        sa.Index("dsr_requests_status", "workspace_id", "status", "due_at"),
    )
    sa.Table(
        "dsr_tokens", metadata,
        sa.Column("workspace_id", sa.Text(), nullable=False),
        sa.Column("request_id", sa.Text(), nullable=False),
        sa.Column("token_hash", sa.Text(), nullable=False),
        sa.Column("expires_at", sa.Text(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("used_at", sa.Text()),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("workspace_id", "request_id"),
    )
