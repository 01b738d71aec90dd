"""What every capability's SQLAlchemy Core store shares: the dialect's INSERT (for ``ON CONFLICT``)
and batches of bound values small enough for any backend.

Stores write Core statements over the tables of ``frontoffice.storage.tables.schema``; the
few statements whose construct differs per backend get it here, so no store tests which database
it runs on.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

T = TypeVar("T")

MAX_BOUND = 30_000
"""Bound values one statement may carry: SQLite allows 32,766 (3.32+), psycopg 65,535."""


def insert(table: sa.Table, dialect: str) -> Any:
    """``table``'s INSERT in the dialect's own construct, which has ``on_conflict_do_nothing`` and
    ``on_conflict_do_update`` (same API on SQLite and PostgreSQL)."""
    return sqlite.insert(table) if dialect == "sqlite" else postgresql.insert(table)


def batches(values: Sequence[T], per_row: int = 1) -> Iterator[Sequence[T]]:
    """``values`` in slices an ``IN (...)`` or a multi-row INSERT of ``per_row`` bound values a row
    can carry: one slice when they fit, which is nearly always."""
    size = max(1, MAX_BOUND // per_row)
    for start in range(0, len(values), size):
        yield values[start:start + size]
