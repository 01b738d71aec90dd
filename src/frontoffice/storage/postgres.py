"""PostgreSQL through psycopg 3: the server deployment, same SQL core as the embedded file."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
import sqlalchemy as sa

from frontoffice.privacy.vault import IndexedKeys, KeyTable
from frontoffice.storage.sql import INSERT_EVENT, Cursor, SqlStore

# Held from the start of a transaction that appends to the log until its commit: appends to the log commit in
# the order of their seq, so a projection following the log by seq never steps over an event a
# slower transaction (another ingest process, the commerce intake) commits later.
LOG_APPEND_LOCK = 0x66726F6E74  # "front"


class PostgresDialect:
    name = "postgres"
    integrity_errors: tuple[type[Exception], ...] = (psycopg.errors.IntegrityError,)

    def __init__(self, url: str) -> None:
        self.url = url
        # No data dir on the server side: deployments set FRONTOFFICE_MASTER_KEY; without it
        # every process of the user shares ~/.frontoffice/master.key (frontoffice.privacy.vault).
        self.key_file: Path | None = None
        self.subject_keys: KeyTable = IndexedKeys()

    def connect(self) -> psycopg.Connection[Any]:
        conn = psycopg.connect(self.url, autocommit=True)
        conn.execute("SET TIME ZONE 'UTC'")
        return conn

    def create_engine(self) -> sa.Engine:
        """The SQLAlchemy engine over this database, through psycopg 3, in UTC as ``connect``."""
        url = sa.make_url(self.url).set(drivername="postgresql+psycopg")
        return sa.create_engine(url, connect_args={"options": "-c TimeZone=UTC"})

    def sql(self, statement: str) -> str:
        return statement.replace("?", "%s")

    @contextmanager
    def write(self, conn: psycopg.Connection[Any]) -> Iterator[Cursor]:
        with conn.transaction(), conn.cursor() as cur:
            yield cur

    def read(self, conn: psycopg.Connection[Any]) -> Cursor:
        return conn.cursor()

    def lock_log(self, cur: Cursor) -> None:
        """First thing in a transaction that appends to the log (before subject keys are made,
        so two appenders never wait on each other's keys while one holds this lock)."""
        cur.execute("SELECT pg_advisory_xact_lock(%s)", (LOG_APPEND_LOCK,))

    def insert_events(self, cur: Cursor, rows: Sequence[Sequence[Any]]) -> int:
        """The UNIQUE (source_id, message_id) index of the log dedupes; pipelined by psycopg."""
        head, values = INSERT_EVENT
        cur.executemany(self.sql(head + values + " ON CONFLICT (source_id, message_id) DO NOTHING"), rows)
        return cur.rowcount

    def find_event(self, cur: Cursor, source_id: str, message_id: str) -> int | None:
        cur.execute("SELECT seq FROM events WHERE source_id = %s AND message_id = %s",
                    (source_id, message_id))
        row = cur.fetchone()
        return int(row[0]) if row else None

    def defer_sync(self, open_conns: Sequence[psycopg.Connection[Any]]) -> None:
        """Nothing: a PostgreSQL commit is durable when it returns, and the server's own group
        commit already lets concurrent commits share a WAL flush."""

    def sync_log(self) -> None:
        """Nothing to do (see ``defer_sync``)."""

    def close(self) -> None:
        """Nothing beyond the connections, which the store closes."""

    def executescript(self, conn: psycopg.Connection[Any], script: str) -> None:
        with conn.transaction():
            conn.execute(script.encode("utf-8"))


def open_postgres(url: str) -> SqlStore:
    return SqlStore(PostgresDialect(url))
