"""Hot reads at the driver's speed: a Core SELECT compiled once into SQL text and run on the DBAPI
cursor of the SQLAlchemy connection it is given (so it reads in that connection's transaction).

``conn.execute(statement, params).all()`` spends ~60 µs a statement in SQLAlchemy's execution
machinery (cache key, execution context, expanding the ``IN`` lists, building the result) around a
~15 µs SQLite read; a decision makes a dozen such reads a request. ``rows`` does that work once per
statement and per length of each expanding ``IN`` list, and only where it is the same work by
construction: no bound value nor result column the dialect converts (``bind_processor`` /
``result_processor`` is None, as for plain String, Text and Integer columns), no value rendered into
the SQL, no execution event listening, a transaction (or autocommit reader) already begun. Anything
else goes through ``conn.execute`` as before, with the same results and the same errors.
"""

from __future__ import annotations

import keyword
import threading
from collections import namedtuple
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine.interfaces import Dialect
from sqlalchemy.sql.compiler import SQLCompiler

MAX_STATEMENTS = 256
"""Statements kept prepared (the stores' reads are built once per dialect: a few dozen)."""
MAX_LENGTHS = 64
"""``IN``-list lengths kept per statement: ``core.batches`` lets a list run to ``MAX_BOUND``
(30,000) values, so each statement keeps the lengths seen last, in arrival order."""
MAX_EXPANDED = 1000
"""A read with more bound values than this goes through ``conn.execute``: its SQL is not kept
(SQLAlchemy's own cost is then small beside the read's)."""


@dataclass(frozen=True, slots=True)
class _Bind:
    name: str  # as in the SQL
    key: str  # as the caller names it (``construct_params`` looks the key up first, then the name)
    required: bool
    value: Any  # the statement's own value, when not required
    expanding: bool


@dataclass(frozen=True, slots=True)
class _Layout:
    sql: str
    # each driver parameter, in order: (bind name, index in its list or -1 for a single value)
    order: tuple[tuple[str, int], ...]
    names: tuple[str, ...] | None  # the driver's parameter names (named paramstyle), else None


@dataclass(slots=True)
class Prepared:
    """A statement compiled for one dialect, and its SQL for each ``IN``-list length seen."""

    statement: sa.Executable
    dialect: Dialect
    compiled: SQLCompiler
    binds: tuple[_Bind, ...]
    expanding: tuple[str, ...]
    row: Any  # a namedtuple class named by the statement's columns, as ``sa.Row``'s fields
    layouts: dict[tuple[int, ...], _Layout | None] = field(default_factory=dict)

    def values(self, params: Mapping[str, Any]) -> dict[str, Any] | None:
        """Each bind's value, as ``construct_params`` resolves it; None when one is missing or an
        expanding one is not a list (``conn.execute`` then says what is wrong)."""
        out: dict[str, Any] = {}
        for b in self.binds:
            if b.key in params:
                value = params[b.key]
            elif b.name in params:
                value = params[b.name]
            elif b.required:
                return None
            else:
                value = b.value
            if b.expanding and type(value) not in (list, tuple):
                return None
            out[b.name] = value
        return out

    def layout(self, values: dict[str, Any]) -> _Layout | None:
        lengths = tuple(len(values[name]) for name in self.expanding)
        try:
            return self.layouts[lengths]
        except KeyError:
            pass
        made = self._expand(values) if sum(lengths) <= MAX_EXPANDED else None
        with _lock:
            if len(self.layouts) >= MAX_LENGTHS:
                del self.layouts[next(iter(self.layouts))]
            self.layouts[lengths] = made
        return made

    def _expand(self, values: dict[str, Any]) -> _Layout | None:
        """SQLAlchemy's own expansion for these lengths, kept when the parameters the kept order
        builds are exactly the ones it made (checked on a distinct marker for every value)."""
        probe = {name: [object() for _ in value] if name in self.expanding else object()
                 for name, value in values.items()}
        state = self.compiled.construct_expanded_state(probe)
        if state.processors:
            return None
        source = {element: (name, i) for name, elements in state.parameter_expansion.items()
                  for i, element in enumerate(elements)}
        positional = state.positiontup is not None
        names = tuple(state.positiontup if state.positiontup is not None else state.parameters)
        order = tuple(source.get(n, (n, -1)) for n in names)
        if any(name not in probe for name, _ in order):
            return None
        made = _Layout(state.statement, order, None if positional else names)
        built = _arguments(made, probe)
        ours = list(built.values()) if isinstance(built, dict) else list(built)
        theirs = [state.parameters[n] for n in names]
        same = len(ours) == len(theirs) and all(a is b for a, b in zip(ours, theirs, strict=True))
        return made if same else None


def _arguments(layout: _Layout, values: dict[str, Any]) -> tuple[Any, ...] | dict[str, Any]:
    args = tuple([values[name] if i < 0 else values[name][i] for name, i in layout.order])
    return args if layout.names is None else dict(zip(layout.names, args, strict=True))


_PARAMSTYLES = ("qmark", "format", "pyformat", "named")  # the expansion keeps the bind order
_OPTIONS = frozenset({"isolation_level", "write"})  # write: the store's write transaction (sql.py)
_lock = threading.Lock()
_prepared: dict[tuple[int, int], tuple[sa.Executable, Dialect, Prepared | None]] = {}


def prepare(dialect: Dialect, statement: sa.Executable) -> Prepared | None:
    """``statement`` compiled for ``dialect`` (kept), or None when ``rows`` must leave it to
    ``conn.execute``: a bound value or a result column the dialect converts (dates on SQLite,
    JSON), a value rendered into the SQL, columns a namedtuple cannot name, anything unusual."""
    key = (id(statement), id(dialect))
    hit = _prepared.get(key)
    if hit is not None:
        return hit[2]
    try:
        made = _prepare(dialect, statement)
    except Exception:  # whatever SQLAlchemy objects to, conn.execute will say it
        made = None
    with _lock:
        if len(_prepared) >= MAX_STATEMENTS:
            del _prepared[next(iter(_prepared))]
        _prepared[key] = (statement, dialect, made)  # holds both: their ids stay theirs
    return made


def _prepare(dialect: Dialect, statement: sa.Executable) -> Prepared | None:
    if not isinstance(statement, sa.Select | sa.CompoundSelect) or statement.get_execution_options():
        return None
    compiled = statement.compile(dialect=dialect)
    if (not isinstance(compiled, SQLCompiler) or compiled.literal_execute_params
            or compiled.escaped_bind_names or dialect.paramstyle not in _PARAMSTYLES):
        return None
    binds: dict[str, _Bind] = {}
    for param, name in compiled.bind_names.items():
        if (param.callable is not None or param.type._is_tuple_type
                or param.type.dialect_impl(dialect).bind_processor(dialect) is not None):
            return None
        bind = _Bind(name, param.key, param.required, param.value, param.expanding)
        if binds.setdefault(name, bind) != bind:
            return None
    columns = statement.selected_columns
    if any(c.type.dialect_impl(dialect).result_processor(dialect, None) is not None
           or isinstance(c.type.dialect_impl(dialect), sa.Numeric)  # PostgreSQL: by the column's type
           for c in columns):
        return None
    fields = list(columns.keys())
    named = [c.keyname for c in compiled._result_columns]  # what names a result's fields
    if named != fields or len(set(fields)) != len(fields) or not all(
            f.isidentifier() and not keyword.iskeyword(f) and not f.startswith("_") for f in fields):
        return None
    return Prepared(statement, dialect, compiled, tuple(binds.values()),
                    tuple(b.name for b in binds.values() if b.expanding), namedtuple("Row", fields))


def rows(conn: sa.Connection, statement: sa.Executable, params: Mapping[str, Any]) -> list[Any]:
    """``conn.execute(statement, params).all()``, as rows with the same fields (named tuples when
    read by the driver directly, ``sa.Row`` otherwise). ``statement`` is one built once and kept
    (a module's or a store's): it is compiled on its first read."""
    prepared = prepare(conn.dialect, statement)
    if prepared is not None and _plain(conn):
        values = prepared.values(params)
        layout = None if values is None else prepared.layout(values)
        if layout is not None and values is not None:
            return _run(conn, prepared, layout, _arguments(layout, values))
    return list(conn.execute(statement, params).all())


def _plain(conn: sa.Connection) -> bool:
    """Whether ``conn.execute`` would only run the statement on the cursor: a transaction (or an
    autocommit reader's) already begun, no option that changes the SQL or the result (a schema
    translation, streaming), no execution event, no statement logging."""
    if not conn.in_transaction() or conn._echo or not conn.get_execution_options().keys() <= _OPTIONS:
        return False
    events = conn.dispatch
    return not (events.before_execute or events.after_execute or events.before_cursor_execute
                or events.after_cursor_execute)


def scalars(conn: sa.Connection, statement: sa.Executable, params: Mapping[str, Any]) -> list[Any]:
    """``conn.execute(statement, params).scalars().all()``: each row's first column."""
    return [r[0] for r in rows(conn, statement, params)]


def _run(conn: sa.Connection, prepared: Prepared, layout: _Layout,
         args: tuple[Any, ...] | dict[str, Any]) -> list[Any]:
    cursor = conn.connection.cursor()
    try:
        cursor.execute(layout.sql, args)
        found: Sequence[Any] = cursor.fetchall()
    except BaseException as exc:
        # as conn.execute would: wrapped in SQLAlchemy's error, a lost connection invalidated
        conn._handle_dbapi_exception(exc, layout.sql, args, cursor, None)
    cursor.close()
    return list(map(prepared.row._make, found))
