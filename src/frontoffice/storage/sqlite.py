"""The embedded default: one SQLite file in WAL mode, every commit fsynced.

``synchronous=FULL`` in WAL mode syncs the log on every commit, so an event acknowledged
with 200 survives power loss, not only a process crash. Writes take ``BEGIN IMMEDIATE`` so
two writers queue for the lock instead of failing half-way.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from frontoffice.storage.sql import Cursor, SqlStore

BUSY_TIMEOUT_MS = 30_000


class SqliteDialect:
    name = "sqlite"
    integrity_errors: tuple[type[Exception], ...] = (sqlite3.IntegrityError,)

    def __init__(self, path: Path) -> None:
        self.path = path

    def connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        return conn

    def sql(self, statement: str) -> str:
        return statement

    @contextmanager
    def write(self, conn: sqlite3.Connection) -> Iterator[Cursor]:
        cur = conn.cursor()
        cur.execute("BEGIN IMMEDIATE")
        try:
            yield cur
        except BaseException:
            conn.rollback()
            raise
        conn.commit()

    def read(self, conn: sqlite3.Connection) -> Cursor:
        return conn.cursor()

    def executescript(self, conn: sqlite3.Connection, script: str) -> None:
        conn.executescript(f"BEGIN IMMEDIATE;\n{script};\nCOMMIT;")


def open_sqlite(path: Path) -> SqlStore:
    return SqlStore(SqliteDialect(path))
