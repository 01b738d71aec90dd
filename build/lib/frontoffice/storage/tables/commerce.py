"""Commerce: entities, keys, positions, holds, the intake cursor and secrets."""

from __future__ import annotations

import sqlalchemy as sa


def define(metadata: sa.MetaData, dialect: str) -> None:
    sqlite = dialect == "sqlite"  # one-column keys without NOT NULL there, as the .sql migrations made them
    sa.Table(
        "commerce_cursor", metadata,
        sa.Column("workspace_id", sa.Text(), primary_key=True, nullable=sqlite),
        sa.Column("last_seq", sa.BigInteger(), nullable=False),
    )
    sa.Table(
        "commerce_entities", metadata,
        sa.Column("workspace_id", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("entity_id", sa.Text(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("ref", sa.Text()),
        sa.Column("doc", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("workspace_id", "kind", "entity_id"),
        sa.Index("commerce_entities_ref", "workspace_id", "kind", "ref"),
    )
    sa.Table(
        "commerce_holds", metadata,
        sa.Column("workspace_id", sa.Text(), nullable=False),
        sa.Column("hold_id", sa.Text(), nullable=False),
        sa.Column("sku", sa.Text(), nullable=False),
        sa.Column("location_id", sa.Text(), nullable=False),
        sa.Column("qty", sa.BigInteger(), nullable=False),
        sa.Column("expires_at", sa.Text(), nullable=False),
        sa.Column("released", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("workspace_id", "hold_id"),
        sa.Index("commerce_holds_sku", "workspace_id", "sku", "location_id"),
    )
    sa.Table(
        "commerce_keys", metadata,
        sa.Column("workspace_id", sa.Text(), nullable=False),
        sa.Column("customer_key", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("entity_id", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("workspace_id", "customer_key", "kind", "entity_id"),
        sa.Index("commerce_keys_entity", "workspace_id", "kind", "entity_id"),
    )
    sa.Table(
        "commerce_positions", metadata,
        sa.Column("workspace_id", sa.Text(), nullable=False),
        sa.Column("sku", sa.Text(), nullable=False),
        sa.Column("location_id", sa.Text(), nullable=False),
        sa.Column("on_hand", sa.BigInteger(), nullable=False),
        sa.Column("committed", sa.BigInteger(), nullable=False),
        sa.Column("incoming", sa.BigInteger(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("workspace_id", "sku", "location_id"),
    )
    sa.Table(
        "commerce_secrets", metadata,
        sa.Column("source_id", sa.Text(), primary_key=True, nullable=sqlite),
        sa.Column("workspace_id", sa.Text(), nullable=False),
        sa.Column("secret", sa.Text(), nullable=False),
        sa.Column("created_at", sa.Text(), nullable=False),
    )
