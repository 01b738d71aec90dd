"""Every table, declared once as SQLAlchemy Core metadata (one module per owning capability).

``schema(dialect)`` is the whole schema as the alembic baseline creates it; the few
differences between SQLite and PostgreSQL are spelled where the table is declared.
One-column primary keys are nullable on SQLite because the .sql migrations
before alembic wrote them without ``NOT NULL`` (PostgreSQL implies it; SQLite does not), and a
database those made must equal one the baseline makes.
"""

from __future__ import annotations

from functools import cache

import sqlalchemy as sa

from frontoffice.storage.tables import commerce, consent, dsr, identity, log, outbound, privacy

_OWNERS = (log, identity, commerce, consent, privacy, dsr, outbound)


@cache
def schema(dialect: str) -> sa.MetaData:
    """The tables of every capability for ``dialect`` ("sqlite" or "postgres"); built once, never
    changed (Core statements take their tables from it)."""
    metadata = sa.MetaData()
    for owner in _OWNERS:
        owner.define(metadata, dialect)
    return metadata
