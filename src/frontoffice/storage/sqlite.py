"""The embedded default: one SQLite file in WAL mode, every commit fsynced.

``synchronous=FULL`` in WAL mode syncs the log on every commit, so an event acknowledged
with 200 survives power loss, not only a process crash. Writes take ``BEGIN IMMEDIATE`` so
two writers queue for the lock instead of failing half-way.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from itertools import chain
from pathlib import Path
from typing import Any, cast

import sqlalchemy as sa

from frontoffice.storage.private_files import create_private
from frontoffice.storage.scrub import Scrubbed, ScrubIncomplete
from frontoffice.storage.sql import INSERT_EVENT, Cursor, SqlStore
from frontoffice.storage.sqlite_dedupe import DedupeIndex
from frontoffice.storage.sqlite_keys import AppendedKeys
from frontoffice.vault.keys import KEY_FILE_NAME
from frontoffice.vault.keystore import KeyTable

BUSY_TIMEOUT_MS = 30_000
CACHE_KIB = 64 * 1024
CHECKPOINT_PAGES = 10_000
CHECKPOINT_INTERVAL_S = 0.5
CHECKPOINT_ATTEMPTS = 50  # scrub's WAL truncation, 0.1 s apart
ROWS_PER_STATEMENT = 200  # 200 rows x 15 columns stays far below SQLite's 32,766 variables


class SqliteDialect:
    name = "sqlite"
    integrity_errors: tuple[type[Exception], ...] = (sqlite3.IntegrityError,)
    row_lock = ""  # BEGIN IMMEDIATE: one writer at a time already
    secure_delete = True  # set on every connection
    tables_statement = "SELECT name FROM sqlite_master WHERE type = 'table'"

    def __init__(self, path: Path, *, background_checkpoints: bool = False) -> None:
        self.path = path
        self.key_file: Path | None = path.parent / KEY_FILE_NAME
        self.ingest_lock: Path | None = Path(f"{path}.ingest-lock")
        self.background_checkpoints = background_checkpoints
        self._checkpointer: _Checkpointer | None = None
        self.dedupe = DedupeIndex()
        keys = AppendedKeys()
        self.subject_keys: KeyTable = keys
        self.indexes = (self.dedupe, keys.index)
        self._deferred = False
        self._dir_synced = False
        self._private = False

    def scrub(self, store: SqlStore, tables: Sequence[str]) -> Scrubbed:
        # secure_delete zeroed the deleted cells; the WAL still holds the pages as they were,
        # VACUUM rebuilds the file without free pages, and the last checkpoint truncates the WAL
        # that VACUUM itself wrote.
        steps = [_checkpoint(store)]
        store.maintenance("VACUUM")
        return Scrubbed((*steps, "VACUUM", _checkpoint(store)))

    def connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if not self._private:
            # SQLite creates the -wal and -shm files with the database file's mode, so a database
            # created 0600 here keeps all three private (an older one is narrowed to 0600).
            create_private(self.path, (Path(f"{self.path}-wal"), Path(f"{self.path}-shm")))
            self._private = True
        # Each thread gets its own connection; check_same_thread=False only lets close() run
        # from the thread that shuts the store down.
        conn = sqlite3.connect(self.path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000,
                               check_same_thread=False)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA journal_mode = WAL")
        # FULL: each commit syncs the WAL. NORMAL after ``defer_sync``: the ingest processes
        # sync it themselves (``sync_log``) before they acknowledge, outside their shared lock.
        conn.execute(f"PRAGMA synchronous = {'NORMAL' if self._deferred else 'FULL'}")
        conn.execute("PRAGMA foreign_keys = ON")
        # Deleted content is overwritten with zeros, not left in free pages: an erased person's
        # projection rows and shredded keys leave no readable copy (docs/privacy.md).
        conn.execute("PRAGMA secure_delete = ON")
        # A larger page cache keeps the dedupe index's hot pages in memory, and a larger
        # checkpoint interval writes the main file less often: together ~1.7x the insert rate.
        conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        if self.background_checkpoints:
            conn.execute("PRAGMA wal_autocheckpoint = 0")
            if self._checkpointer is None:
                self._checkpointer = _Checkpointer(self.path)
        else:
            conn.execute(f"PRAGMA wal_autocheckpoint = {CHECKPOINT_PAGES}")
        return conn

    def defer_sync(self, open_conns: Sequence[sqlite3.Connection]) -> None:
        self._deferred = True
        for conn in open_conns:
            conn.execute("PRAGMA synchronous = NORMAL")

    def sync_log(self) -> None:
        """fdatasync of the WAL file: every frame committed so far, by any connection, is on disk.
        A checkpoint that ran since (WAL reset) synced the WAL before and the database file after
        copying it, so those commits are on disk as well. Without a WAL file no connection is open
        in WAL mode, so the last one checkpointed everything into the database file."""
        if not self._deferred:
            return
        try:
            fd = os.open(f"{self.path}-wal", os.O_RDONLY)
        except FileNotFoundError:
            return
        try:
            os.fdatasync(fd)
        finally:
            os.close(fd)
        if not self._dir_synced:  # the WAL file's own directory entry, once per process
            dir_fd = os.open(self.path.parent, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)
            self._dir_synced = True

    def create_engine(self) -> sa.Engine:
        """The SQLAlchemy engine over this file, on connections made by ``connect`` (its pragmas,
        its private file). Transactions begin deferred; ``IMMEDIATE`` (the write lock first, so a
        transaction that reads before writing is never refused a lock it waited for) with the
        execution option ``write=True``, which ``frontoffice.storage.migrate`` uses."""
        engine = sa.create_engine(f"sqlite+pysqlite:///{self.path}", creator=self.connect,
                                   poolclass=sa.pool.QueuePool, pool_size=8, max_overflow=-1)

        def begin(conn: sa.Connection) -> None:
            options = conn.get_execution_options()
            if options.get("isolation_level") == "AUTOCOMMIT":
                return  # a reader: each statement is its own transaction
            conn.exec_driver_sql("BEGIN IMMEDIATE" if options.get("write") else "BEGIN")

        sa.event.listen(engine, "begin", begin)
        return engine

    def close(self) -> None:
        if self._checkpointer is not None:
            self._checkpointer.stop()
            self._checkpointer = None

    def sql(self, statement: str) -> str:
        return statement

    @contextmanager
    def write(self, conn: sqlite3.Connection) -> Iterator[Cursor]:
        cur = conn.cursor()
        cur.execute("BEGIN IMMEDIATE")
        marks = [index.mark() for index in self.indexes]
        try:
            yield cur
            conn.commit()
        except BaseException:
            # Rewound before the lock is released: no other writer can commit rows the
            # indexes would then skip.
            for index, mark in zip(self.indexes, marks, strict=True):
                index.rewind(mark)
            conn.rollback()
            raise
        for index in self.indexes:
            index.ended()

    def read(self, conn: sqlite3.Connection) -> Cursor:
        return conn.cursor()

    def lock_log(self, cur: Cursor) -> None:
        """Nothing to do: BEGIN IMMEDIATE already serialises every writer of the file."""

    def insert_events(self, cur: Cursor, rows: Sequence[Sequence[Any]]) -> int:
        """The rows the dedupe index finds new, many per INSERT: one sqlite3_step per chunk, so
        the GIL is released once per chunk instead of once per row, which keeps the writer thread
        from starving behind the request-parsing thread under load."""
        fresh, keys = self.dedupe.new_rows(cur, rows)
        head, values = INSERT_EVENT
        for start in range(0, len(fresh), ROWS_PER_STATEMENT):
            chunk = fresh[start:start + ROWS_PER_STATEMENT]
            cur.execute(head + ",".join([values] * len(chunk)), list(chain.from_iterable(chunk)))
            last_seq = cast(sqlite3.Cursor, cur).lastrowid or 0
            self.dedupe.inserted(keys[start:start + ROWS_PER_STATEMENT], last_seq)
        return len(fresh)

    def find_event(self, cur: Cursor, source_id: str, message_id: str) -> int | None:
        return self.dedupe.find(cur, source_id, message_id)

    def executescript(self, conn: sqlite3.Connection, script: str) -> None:
        conn.executescript(f"BEGIN IMMEDIATE;\n{script};\nCOMMIT;")


def _checkpoint(store: SqlStore) -> str:
    """TRUNCATE waits for readers, copies the WAL into the file and truncates it to 0 bytes;
    busy (1) means a reader still holds an old snapshot, so it is retried."""
    for _ in range(CHECKPOINT_ATTEMPTS):
        busy, _, _ = store.maintenance("PRAGMA wal_checkpoint(TRUNCATE)")[0]
        if int(busy) == 0:
            return "wal_checkpoint(TRUNCATE)"
        time.sleep(0.1)
    raise ScrubIncomplete("The SQLite WAL could not be truncated: a reader kept an old snapshot "
                          "open for 5 s. The keys are shredded; run `frontoffice privacy scrub` "
                          "again when the server is idle.")


class _Checkpointer:
    """Copies the WAL into the database file from its own thread (PASSIVE: never blocks
    readers or the writer), so no commit waits for a checkpoint. Used by the server."""

    def __init__(self, path: Path) -> None:
        self._conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="frontoffice-checkpoint",
                                        daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(CHECKPOINT_INTERVAL_S):
            self._conn.execute("PRAGMA wal_checkpoint(PASSIVE)")

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()
        self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self._conn.close()


def open_sqlite(path: Path, *, background_checkpoints: bool = False) -> SqlStore:
    return SqlStore(SqliteDialect(path, background_checkpoints=background_checkpoints))
