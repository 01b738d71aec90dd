"""PostgreSQL through psycopg 3: the server deployment, same SQL core as the embedded file."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
import sqlalchemy as sa

from frontoffice.storage.scrub import Scrubbed, ScrubIncomplete
from frontoffice.storage.sql import INSERT_EVENT, Cursor, SqlStore
from frontoffice.vault.keystore import IndexedKeys, KeyTable

# Held from the start of a transaction that appends to the log until its commit: appends to the log commit in
# the order of their seq, so a projection following the log by seq never steps over an event a
# slower transaction (another ingest process, the commerce intake) commits later.
LOG_APPEND_LOCK = 0x66726F6E74  # "front"


class PostgresDialect:
    name = "postgres"
    integrity_errors: tuple[type[Exception], ...] = (psycopg.errors.IntegrityError,)
    row_lock = " FOR UPDATE"
    indexes: tuple[()] = ()  # the UNIQUE index dedupes; nothing in process to rewind
    secure_delete = False  # a deleted row stays in a dead tuple until VACUUM FULL (scrub)
    ingest_lock: Path | None = None  # appends take LOG_APPEND_LOCK
    tables_statement = "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"

    def __init__(self, url: str) -> None:
        self.url = url
        # No data dir on the server side: deployments set FRONTOFFICE_MASTER_KEY; without it
        # every process of the user shares ~/.frontoffice/master.key (frontoffice.vault.keystore).
        self.key_file: Path | None = None
        self.subject_keys: KeyTable = IndexedKeys()

    def scrub(self, store: SqlStore, tables: Sequence[str]) -> Scrubbed:
        # FULL writes a new file without dead tuples and rebuilds the indexes; ANALYZE replaces
        # the statistics whose histograms and most-common values may quote the erased values, and
        # vacuuming pg_statistic drops the old versions of those rows. The WAL written before now
        # still holds the inserted rows: switch to a new segment and checkpoint twice so every
        # older segment is removed (unlinked, not recycled, when wal_recycle=off).
        present = store.table_names()
        statements = [f"VACUUM (FULL, ANALYZE) {table}" for table in sorted(set(tables) & present)]
        statements += ["VACUUM (FULL) pg_catalog.pg_statistic",
                       "SELECT pg_switch_wal()", "CHECKPOINT", "SELECT pg_switch_wal()", "CHECKPOINT"]
        steps = []
        for statement in statements:
            try:
                store.maintenance(statement)
            except psycopg.Error as exc:
                raise ScrubIncomplete(
                    f"`{statement}` failed ({exc}). The keys are shredded and the projections "
                    "purged, but old copies may stay in the files: run `frontoffice privacy scrub` "
                    "as a superuser (or a role with pg_checkpoint and pg_switch_wal; "
                    "docs/privacy.md).") from exc
            steps.append(statement)
        recycled = store.query("SELECT setting FROM pg_settings WHERE name = 'wal_recycle'")
        warnings: tuple[str, ...] = ()
        if recycled and str(recycled[0][0]) != "off":
            warnings = ("The server runs with wal_recycle=on: old WAL segments are renamed for reuse "
                        "and keep the erased rows until overwritten. Set wal_recycle=off "
                        "(docs/privacy.md) and run `frontoffice privacy scrub`.",)
        return Scrubbed(tuple(steps), warnings)

    def connect(self) -> psycopg.Connection[Any]:
        conn = psycopg.connect(self.url, autocommit=True)
        conn.execute("SET TIME ZONE 'UTC'")
        return conn

    def create_engine(self) -> sa.Engine:
        """The SQLAlchemy engine over this database, through psycopg 3, in UTC as ``connect``."""
        url = sa.make_url(self.url).set(drivername="postgresql+psycopg")
        return sa.create_engine(url, connect_args={"options": "-c TimeZone=UTC"}, pool_size=8,
                                max_overflow=-1)

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
