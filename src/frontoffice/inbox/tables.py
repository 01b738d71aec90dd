"""The inbox's tables: the tickets projection (tickets, messages, thread keys, agents, macros,
labels, cursor) and what is not folded from the log (attachment blobs, trained models, webhook
secrets)."""

from __future__ import annotations

from functools import cache

import sqlalchemy as sa

TABLES = ("inbox_blobs", "inbox_cursor", "inbox_entities", "inbox_messages", "inbox_models",
          "inbox_secrets", "inbox_threads", "inbox_tickets")
PROJECTION_TABLES = ("inbox_tickets", "inbox_messages", "inbox_threads", "inbox_entities",
                     "inbox_cursor")


@cache
def inbox_schema() -> sa.MetaData:
    metadata = sa.MetaData()
    define(metadata, "any")
    return metadata


def define(metadata: sa.MetaData, dialect: str) -> None:
    """The same declaration on SQLite and PostgreSQL (times are ISO-8601 UTC text)."""
    sa.Table(
        "inbox_tickets", metadata,
        sa.Column("workspace_id", sa.Text(), nullable=False),
        sa.Column("ticket_id", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("priority", sa.Text(), nullable=False),
        sa.Column("channel", sa.Text(), nullable=False),
        sa.Column("assignee", sa.Text()),
        sa.Column("team", sa.Text()),
        sa.Column("person_id", sa.Text()),
        sa.Column("updated_at", sa.Text(), nullable=False),
        sa.Column("doc", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("workspace_id", "ticket_id"),
        sa.Index("inbox_tickets_status", "workspace_id", "status", "updated_at"),
        sa.Index("inbox_tickets_assignee", "workspace_id", "assignee", "status"),
        sa.Index("inbox_tickets_person", "workspace_id", "person_id"),
    )
    sa.Table(
        "inbox_messages", metadata,
        sa.Column("workspace_id", sa.Text(), nullable=False),
        sa.Column("message_id", sa.Text(), nullable=False),
        sa.Column("ticket_id", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),  # received, sent, note
        sa.Column("at", sa.Text(), nullable=False),
        sa.Column("doc", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("workspace_id", "message_id"),
        sa.Index("inbox_messages_ticket", "workspace_id", "ticket_id", "at"),
    )
    sa.Table(
        "inbox_threads", metadata,
        sa.Column("workspace_id", sa.Text(), nullable=False),
        sa.Column("thread_key", sa.Text(), nullable=False),  # mid:<Message-ID>, subject:<from>|<subject>
        sa.Column("ticket_id", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("workspace_id", "thread_key"),
    )
    sa.Table(
        "inbox_entities", metadata,
        sa.Column("workspace_id", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),  # agent, macro, label
        sa.Column("entity_id", sa.Text(), nullable=False),
        sa.Column("doc", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("workspace_id", "kind", "entity_id"),
    )
    sa.Table(
        "inbox_cursor", metadata,
        sa.Column("workspace_id", sa.Text(), primary_key=True),
        sa.Column("last_seq", sa.BigInteger(), nullable=False),
    )
    sa.Table(
        "inbox_blobs", metadata,
        sa.Column("workspace_id", sa.Text(), nullable=False),
        sa.Column("sha256", sa.Text(), nullable=False),
        sa.Column("content_type", sa.Text(), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("workspace_id", "sha256"),
    )
    sa.Table(
        "inbox_secrets", metadata,  # marketplace webhook secrets, sealed (storage/sealed_secrets.py)
        sa.Column("source_id", sa.Text(), primary_key=True),
        sa.Column("workspace_id", sa.Text(), nullable=False),
        sa.Column("secret", sa.Text(), nullable=False),
        sa.Column("created_at", sa.Text(), nullable=False),
    )
    sa.Table(
        "inbox_models", metadata,
        sa.Column("workspace_id", sa.Text(), nullable=False),
        sa.Column("model_id", sa.Text(), nullable=False),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.Column("examples", sa.Integer(), nullable=False),
        sa.Column("head", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("workspace_id", "model_id"),
        sa.Index("inbox_models_latest", "workspace_id", "created_at"),
    )
