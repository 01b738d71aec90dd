"""The SQL statements a block of code runs on a store, as SQLAlchemy hands them to the driver."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa

from frontoffice.storage.sql import SqlStore


@contextmanager
def executed(store: SqlStore) -> Iterator[list[tuple[str, Any]]]:
    """``(statement, parameters)`` of each statement run on ``store`` inside the block, in order."""
    seen: list[tuple[str, Any]] = []

    def keep(conn: Any, cursor: Any, statement: str, params: Any, *_: Any) -> None:
        seen.append((statement, params))

    sa.event.listen(store.engine, "before_cursor_execute", keep)
    try:
        yield seen
    finally:
        sa.event.remove(store.engine, "before_cursor_execute", keep)
