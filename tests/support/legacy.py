"""Databases as frontoffice made them before alembic, and a schema read back for comparison.

``tests/fixtures/legacy_migrations`` holds the .sql migrations every version up to the
alembic baseline applied; they are test fixtures only (the package no longer ships them).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from frontoffice.storage import open_store
from frontoffice.storage.sql import SqlStore

LEGACY = Path(__file__).parent.parent / "fixtures" / "legacy_migrations"
_ADMIN_TABLES = {"alembic_version", "schema_migrations", "sqlite_sequence"}


def store_made_by_sql_migrations(url: str, *, before: str | None = None) -> SqlStore:
    """A store at ``url`` as the .sql migrations made it: every one (today's main before
    alembic) or every one named before ``before``, listed in ``schema_migrations``."""
    store = open_store(url)
    store._dialect.executescript(
        store._conn(), "CREATE TABLE schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    suffix = f".{store.dialect}.sql"
    for path in sorted(LEGACY.glob(f"*{suffix}")):
        name = path.name.removesuffix(suffix)
        if before is not None and name >= before:
            break
        store._dialect.executescript(store._conn(), path.read_text(encoding="utf-8"))
        store.execute("INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)", (name, "2026-01-01"))
    return store


def _words(sql: str) -> str:
    return re.sub(r"\s+", " ", sql).strip().rstrip(";").lower()


def _default(value: str | None) -> str | None:
    return None if value is None else value.split("::")[0]


def _table(inspector: sa.Inspector, table: str) -> dict[str, Any]:
    return {
        "columns": [(c["name"], str(c["type"]), c["nullable"], _default(c["default"]),
                     bool(c.get("identity"))) for c in inspector.get_columns(table)],
        "primary_key": inspector.get_pk_constraint(table)["constrained_columns"],
        "foreign_keys": sorted((tuple(f["constrained_columns"]), f["referred_table"],
                                tuple(f["referred_columns"])) for f in inspector.get_foreign_keys(table)),
        "unique": sorted(tuple(u["column_names"]) for u in inspector.get_unique_constraints(table)),
        "indexes": sorted((i["name"], tuple(i["column_names"]), bool(i["unique"]))
                          for i in inspector.get_indexes(table)),
    }


def _dialect_parts(conn: sa.Connection) -> dict[str, Any]:
    if conn.dialect.name == "sqlite":
        rows = conn.execute(sa.text("SELECT type, name, tbl_name, sql FROM sqlite_master "
                                    "WHERE sql IS NOT NULL "
                                    "AND tbl_name NOT IN ('alembic_version', 'schema_migrations')")).all()
        tables = [(n, s.lower()) for kind, n, _, s in rows if kind == "table"]
        return {"triggers": sorted((n, t, _words(s)) for kind, n, t, s in rows if kind == "trigger"),
                "autoincrement": sorted(n for n, s in tables if "autoincrement" in s),
                "without_rowid": sorted(n for n, s in tables if "without rowid" in s)}
    triggers = conn.execute(sa.text(
        "SELECT t.tgname, c.relname, p.proname, p.prosrc FROM pg_trigger t "
        "JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_proc p ON p.oid = t.tgfoid "
        "WHERE NOT t.tgisinternal ORDER BY t.tgname"))
    return {"triggers": [(n, t, f, _words(src)) for n, t, f, src in triggers]}


def schema_of(url: str) -> dict[str, Any]:
    """The schema of the database at ``url``, without the tables that record its version."""
    store = open_store(url)
    try:
        with store.engine.connect() as conn:
            inspector = sa.inspect(conn)
            tables = {t: _table(inspector, t) for t in sorted(inspector.get_table_names())
                      if t not in _ADMIN_TABLES}
            return {"tables": tables} | _dialect_parts(conn)
    finally:
        store.close()
