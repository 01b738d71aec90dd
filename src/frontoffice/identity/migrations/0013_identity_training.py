"""Who trains a workspace's matching model now: the worker's live match and an API or CLI match
each trained one when neither found a model, at once (Splink, 10-20 s of CPU each on the demo)."""

from __future__ import annotations

from alembic import op

from frontoffice.storage.tables import create

revision = "0013_identity_training"
down_revision: str | None = "0012_firings_deferred"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    bind = op.get_bind()
    create(bind, "sqlite" if bind.dialect.name == "sqlite" else "postgres", "identity_training")


def downgrade() -> None:
    op.drop_table("identity_training")
