"""Column types whose spelling differs between SQLite and PostgreSQL."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

AUTO_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
"""An id the database counts: ``INTEGER PRIMARY KEY AUTOINCREMENT`` on SQLite (its rowid),
``BIGINT GENERATED ALWAYS AS IDENTITY`` on PostgreSQL."""

TIMESTAMP = sa.Text().with_variant(postgresql.TIMESTAMP(timezone=True), "postgresql")
"""ISO-8601 text on SQLite, ``TIMESTAMPTZ`` on PostgreSQL."""

REAL: sa.types.TypeEngine[float] = sa.Double().with_variant(sa.REAL(), "sqlite")
"""``REAL`` on SQLite, ``DOUBLE PRECISION`` on PostgreSQL."""
