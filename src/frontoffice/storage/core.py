"""What every capability's SQLAlchemy Core store shares: the dialect's INSERT (for ``ON CONFLICT``)
and batches of bound values small enough for any backend.

Stores write Core statements over the tables of ``frontoffice.storage.tables.schema``; the
few statements whose construct differs per backend get it here, so no store tests which database
it runs on.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from operator import itemgetter
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.compiler import SQLCompiler

T = TypeVar("T")

MAX_BOUND = 30_000
"""Bound values one statement may carry: SQLite allows 32,766 (3.32+), psycopg 65,535."""


def insert(table: sa.Table, dialect: str) -> Any:
    """``table``'s INSERT in the dialect's own construct, which has ``on_conflict_do_nothing`` and
    ``on_conflict_do_update`` (same API on SQLite and PostgreSQL)."""
    return sqlite.insert(table) if dialect == "sqlite" else postgresql.insert(table)


def json_text(name: str, dialect: str) -> sa.ColumnElement[Any]:
    """A bound value for a JSON column given as JSON text (serialised by the caller, e.g. with
    orjson): stored as is, so ``execute_many`` hands it to the driver with no conversion."""
    bound = sa.bindparam(name, type_=sa.Text())
    return bound if dialect == "sqlite" else sa.cast(bound, sa.JSON())


def batches(values: Sequence[T], per_row: int = 1) -> Iterator[Sequence[T]]:
    """``values`` in slices an ``IN (...)`` or a multi-row INSERT of ``per_row`` bound values a row
    can carry: one slice when they fit, which is nearly always."""
    size = max(1, MAX_BOUND // per_row)
    for start in range(0, len(values), size):
        yield values[start:start + size]


def execute_many(conn: sa.Connection, statement: sa.ClauseElement, rows: Sequence[dict[str, Any]]) -> None:
    """``statement`` once for each of ``rows`` (dicts by bound name, alike), compiled once and handed
    to the driver's ``executemany``: SQLAlchemy's own executemany prepares each row's parameters
    in Python (~4.5 µs a row on SQLite, twice the insert itself), which a projection writing tens
    of rows an event cannot pay. A statement with a value the dialect must convert (JSON, dates)
    goes through SQLAlchemy as usual."""
    if not rows:
        return
    compiled = statement.compile(dialect=conn.dialect, column_keys=list(rows[0]))
    if not isinstance(compiled, SQLCompiler) or any(
            bind.type.bind_processor(conn.dialect) is not None for bind in compiled.binds.values()):
        conn.execute(statement, list(rows))  # type: ignore[call-overload]
        return
    fixed = compiled.params  # the statement's own bound values (a LIKE pattern, an escape)
    names = compiled.positiontup
    if names is None:
        conn.exec_driver_sql(compiled.string, [fixed | row for row in rows])
        return
    if any(n not in rows[0] for n in names):
        rows = [fixed | row for row in rows]
    if len(names) == 1:
        conn.exec_driver_sql(compiled.string, [(row[names[0]],) for row in rows])
    else:
        conn.exec_driver_sql(compiled.string, list(map(itemgetter(*names), rows)))
