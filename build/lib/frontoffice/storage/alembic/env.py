"""Run by alembic on the connection ``frontoffice.storage.migrate`` hands it (no alembic.ini)."""

from __future__ import annotations

from alembic import context

from frontoffice.storage.tables import schema

_config = context.config
context.configure(connection=_config.attributes["connection"],
                  target_metadata=schema(_config.attributes["dialect"]))
with context.begin_transaction():
    context.run_migrations()
