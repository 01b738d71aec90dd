"""One SQL implementation of the storage port; the dialects supply connections.

Statements are written once with ``?`` placeholders; a dialect object says how to connect,
how to begin a write transaction and how to translate the placeholders (Splink's
"one SQL core, interchangeable backends").
"""

from __future__ import annotations

import threading
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from operator import itemgetter
from pathlib import Path
from typing import Any, Protocol

import sqlalchemy as sa

from frontoffice.domain.events import EventRecord, StoredEvent, iso
from frontoffice.errors import AlreadyExists, SchemaOutOfDate
from frontoffice.storage import migrate
from frontoffice.storage.core import batches
from frontoffice.storage.opened import Opened
from frontoffice.storage.port import AppendBatch, AppendResult, QuarantineEntry
from frontoffice.storage.scrub import Scrubbed
from frontoffice.storage.tenancy_rows import TenancyRows
from frontoffice.vault.keystore import KeyTable, Vault
from frontoffice.vault.rows import Draft, admit, open_records, seal_ahead, seal_rows, settle

_EVENT_COLS = (
    "message_id, family, type, event, user_id, anonymous_id, previous_id, group_id, "
    "timestamp, original_timestamp, sent_at, received_at, payload, subject_hash"
)
# One row: (workspace_id, source_id, message_id, ...); the dialect dedupes on (source_id, message_id).
INSERT_EVENT = (f"INSERT INTO events (workspace_id, source_id, {_EVENT_COLS}) VALUES ",
                "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
_INSERT_QUARANTINE = (
    "INSERT INTO quarantine (workspace_id, source_id, origin, reference, message_id, reason, "
    "payload, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)
_INSERT_SUPPRESSED = (
    "INSERT INTO privacy_suppressed_events (workspace_id, source_id, origin, message_id, reason, "
    "dropped_at) VALUES (?, ?, ?, ?, ?, ?)"
)


class Cursor(Protocol):
    @property
    def rowcount(self) -> int: ...

    def execute(self, sql: Any, params: Sequence[Any] = ..., /) -> Any: ...
    def executemany(self, sql: Any, params: Sequence[Sequence[Any]], /) -> Any: ...
    def fetchall(self) -> list[Any]: ...
    def fetchone(self) -> Any: ...


class Tx:
    """A DBAPI-style cursor inside one SQLAlchemy write transaction: text statements (already
    ``sql()``'d) run on the DBAPI cursor of the same connection, at raw speed; ``conn`` takes
    Core statements in the same transaction."""

    __slots__ = ("_cur", "conn")

    def __init__(self, conn: sa.Connection) -> None:
        self.conn = conn
        self._cur = conn.connection.cursor()

    @property
    def rowcount(self) -> int:
        return int(self._cur.rowcount)

    @property
    def lastrowid(self) -> int | None:
        return self._cur.lastrowid

    def execute(self, sql: Any, params: Sequence[Any] = (), /) -> Tx:
        self._cur.execute(sql, params)
        return self

    def executemany(self, sql: Any, params: Sequence[Sequence[Any]], /) -> Tx:
        self._cur.executemany(sql, params)
        return self

    def fetchall(self) -> list[Any]:
        return list(self._cur.fetchall())

    def fetchone(self) -> Any:
        return self._cur.fetchone()


class Index(Protocol):
    """An in-process index over rows a write transaction adds (SQLite's log dedupe)."""

    def mark(self) -> Any: ...
    def rewind(self, mark: Any) -> None: ...
    def ended(self) -> None: ...


class Dialect(Protocol):
    name: str
    integrity_errors: tuple[type[Exception], ...]
    key_file: Path | None  # where the master key is generated when none is configured
    subject_keys: KeyTable
    row_lock: str  # ends a SELECT that must lock its rows until commit ("": writers take turns)
    secure_delete: bool  # a deleted row's bytes are zeroed in place (else scrub drops them)
    ingest_lock: Path | None  # the file ingest processes lock to append in turn (None: not needed)
    tables_statement: str  # lists the tables of the schema in use

    @property
    def indexes(self) -> Sequence[Index]:
        """In-process indexes a write transaction's rollback rewinds."""
        ...

    def scrub(self, store: SqlStore, tables: Sequence[str]) -> Scrubbed:
        """Make the bytes of deleted rows of ``tables`` unrecoverable from the database's files."""
        ...

    def connect(self) -> Any: ...
    def create_engine(self) -> sa.Engine:
        """The SQLAlchemy engine over the same database (schema migrations, Core queries)."""
        ...
    def sql(self, statement: str) -> str: ...
    @contextmanager
    def write(self, conn: Any) -> Iterator[Cursor]: ...
    def read(self, conn: Any) -> Cursor: ...
    def executescript(self, conn: Any, script: str) -> None: ...
    def close(self) -> None: ...
    def lock_log(self, cur: Cursor) -> None: ...
    def insert_events(self, cur: Cursor, rows: Sequence[Sequence[Any]]) -> int:
        """Insert the log rows whose (source_id, message_id) the log lacks; how many were new."""
        ...
    def find_event(self, cur: Cursor, source_id: str, message_id: str) -> int | None:
        """The seq of the event with this (source_id, message_id), if the log holds it."""
        ...
    def defer_sync(self, open_conns: Sequence[Any]) -> None:
        """From now on (on new and ``open_conns``), commits need not wait for the disk:
        ``sync_log`` does."""
        ...
    def sync_log(self) -> None:
        """Make every commit so far durable (after ``defer_sync``; otherwise nothing to do)."""
        ...


_READ_COLUMNS = ("seq", "workspace_id", "source_id", *_EVENT_COLS.split(", "))  # as ``_stored`` unpacks


def _text(value: object) -> str:
    return iso(value) if isinstance(value, datetime) else str(value)


def _opt_text(value: object) -> str | None:
    return None if value is None else _text(value)


def _now() -> str:
    return iso(datetime.now(UTC))


class SqlStore(TenancyRows):
    """Implements ``Store`` for any ``Dialect``; one connection per thread."""

    def __init__(self, dialect: Dialect) -> None:
        self._dialect = dialect
        self.dialect = dialect.name
        self.row_lock, self.secure_delete = dialect.row_lock, dialect.secure_delete
        self.ingest_lock = dialect.ingest_lock
        self.vault = Vault(dialect.key_file, dialect.subject_keys)
        self._local = threading.local()
        self._all: list[Any] = []
        self._readers: list[sa.Connection] = []
        self._lock = threading.Lock()
        self._engine: sa.Engine | None = None
        self._opened = Opened()  # the log's events read lately, reused by the next reader of a pass
        self.registry: SqlStore = self
        """Where this data's workspaces and sources are registered: this store, unless it is a
        located storage (data residency), whose registry is the main database."""

    # -- connections ---------------------------------------------------------------------
    @property
    def engine(self) -> sa.Engine:
        """This store's one SQLAlchemy engine, made on first use."""
        with self._lock:
            if self._engine is None:
                self._engine = self._dialect.create_engine()
            return self._engine

    def _conn(self) -> Any:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._dialect.connect()
            self._local.conn = conn
            with self._lock:
                self._all.append(conn)
        return conn

    def _read(self, statement: str, params: Sequence[Any] = ()) -> list[Any]:
        cur = self.read_cursor()
        cur.execute(self._dialect.sql(statement), params)
        return cur.fetchall()

    @contextmanager
    def _write(self) -> Iterator[Cursor]:
        with self._dialect.write(self._conn()) as cur:
            yield cur

    def _exec(self, statement: str, params: Sequence[Any] = ()) -> int:
        try:
            with self._write() as cur:
                cur.execute(self._dialect.sql(statement), params)
                return cur.rowcount
        except self._dialect.integrity_errors as exc:
            raise AlreadyExists(f"That already exists: {exc}".strip()) from exc

    # -- the surface projection stores (identity, commerce, consent) build on -------------
    def sql(self, statement: str) -> str:
        """``statement`` written with ``?`` placeholders, in this database's dialect."""
        return self._dialect.sql(statement)

    def query(self, statement: str, params: Sequence[Any] = ()) -> list[Any]:
        return self._read(statement, params)

    def read_cursor(self) -> Cursor:
        """A cursor to read with: in this thread's open ``begin`` transaction if there is one,
        else on this thread's own connection."""
        joined = getattr(self._local, "tx", None)
        if joined is not None:
            return Tx(joined)
        return self._dialect.read(self._conn())

    def execute(self, statement: str, params: Sequence[Any] = ()) -> int:
        if getattr(self._local, "tx", None) is not None:
            with self.transaction() as tx:
                tx.execute(self._dialect.sql(statement), params)
                return tx.rowcount
        return self._exec(statement, params)

    @contextmanager
    def begin(self) -> Iterator[sa.Connection]:
        """One write transaction on the engine (SQLite: ``BEGIN IMMEDIATE``), committed when the
        block ends, rolled back when it raises. Inside another ``begin`` of the same thread it joins
        that transaction (the outer block commits), so a store method may begin freely."""
        joined = getattr(self._local, "tx", None)
        if joined is not None:
            yield joined
            return
        indexes = self._dialect.indexes
        with self.engine.connect().execution_options(write=True) as conn:
            tx = conn.begin()
            marks = [index.mark() for index in indexes]
            self._local.tx = conn
            try:
                yield conn
                tx.commit()
            except BaseException:
                # Rewound before the lock is released: no other writer can commit rows the
                # indexes would then skip.
                for index, mark in zip(indexes, marks, strict=True):
                    index.rewind(mark)
                tx.rollback()
                raise
            finally:
                self._local.tx = None
            for index in indexes:
                index.ended()

    @contextmanager
    def connect(self) -> Iterator[sa.Connection]:
        """A connection to read with: this thread's open ``begin`` transaction if there is one (its
        own writes are visible), else a fresh one from the engine."""
        joined = getattr(self._local, "tx", None)
        if joined is not None:
            yield joined
            return
        reader = getattr(self._local, "reader", None)
        if reader is None or reader.closed:
            # one per thread, kept: a pool checkout and BEGIN/ROLLBACK per read cost ~100x the
            # read itself; in autocommit each statement sees what is committed when it runs
            reader = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
            self._local.reader = reader
            with self._lock:
                self._readers.append(reader)
        yield reader

    @contextmanager
    def transaction(self) -> Iterator[Tx]:
        """``begin`` as a DBAPI-style cursor (``Tx``) for statements written as text; they must
        already be ``sql()``'d. ``Tx.conn`` is the transaction's connection, for Core statements."""
        with self.begin() as conn:
            yield Tx(conn)

    def close(self) -> None:
        with self._lock:
            for reader in self._readers:
                reader.close()
            self._readers.clear()
            for conn in self._all:
                conn.close()
            self._all.clear()
            if self._engine is not None:
                self._engine.dispose()
                self._engine = None
        self._dialect.close()
        self._local = threading.local()

    # -- schema --------------------------------------------------------------------------
    def pending_migrations(self) -> list[str]:
        """The alembic revisions ``upgrade`` would apply, oldest first."""
        return migrate.pending(self.engine, self.dialect)

    def schema_version(self) -> int:
        """How many revisions the database is at (0: no schema yet)."""
        return migrate.applied(self.engine, self.dialect)

    def upgrade(self) -> list[str]:
        """Apply the pending revisions; the ones applied, oldest first."""
        return migrate.upgrade(self.engine, self.dialect)

    def require_current_schema(self) -> None:
        pending = self.pending_migrations()
        if pending:
            raise SchemaOutOfDate(
                f"The database has {len(pending)} pending migration(s) ({', '.join(pending)}). "
                "Run `frontoffice db upgrade`."
            )

    # -- event log -----------------------------------------------------------------------
    def append(self, batches: Sequence[AppendBatch]) -> list[AppendResult]:
        """Store every batch in one transaction (group commit); duplicates are ignored, events
        of erased people are dropped (and recorded), the rest sealed under their subject's key."""
        return self.append_drafts(self.draft(batches))

    def draft(self, batches: Sequence[AppendBatch]) -> list[tuple[AppendBatch, Draft]]:
        """The encryption of ``append``, done before its write transaction (and before a caller's
        write lock): concurrent appenders seal in parallel and hold the log only to insert."""
        cur = self._dialect.read(self._conn())  # autocommit: each lookup reads what is committed
        return [(b, seal_ahead(self.vault, cur, self._dialect.sql, b.workspace_id, b.source_id, b.events))
                for b in batches]

    def append_drafts(self, drafts: Sequence[tuple[AppendBatch, Draft]]) -> list[AppendResult]:
        """``append`` of batches ``draft`` sealed: one transaction."""
        results: list[AppendResult] = []
        insert_quarantine = self._dialect.sql(_INSERT_QUARANTINE)
        sql = self._dialect.sql
        with self._write() as cur:
            self._dialect.lock_log(cur)
            listed: dict[str, bool] = {}  # per workspace, read once per transaction (log locked)
            epochs: dict[str, int] = {}
            for batch, draft in drafts:
                inserted = 0
                ws, src = batch.workspace_id, batch.source_id
                if ws not in listed:
                    listed[ws] = self.vault.has_suppressions(cur, sql, ws)
                kept, dropped = admit(self.vault, cur, sql, ws, batch.events, listed_any=listed[ws])
                if kept:
                    if ws not in epochs:
                        epochs[ws] = self.vault.epoch(cur, sql, ws)
                    inserted = self._dialect.insert_events(
                        cur, settle(self.vault, cur, sql, draft, kept, epoch=epochs[ws]))
                # an event already in the log is a duplicate, even of a person erased since
                known = {d.message_id for d in dropped
                         if self._dialect.find_event(cur, src, d.message_id) is not None}
                dropped = [d for d in dropped if d.message_id not in known]
                if dropped:
                    cur.executemany(sql(_INSERT_SUPPRESSED), [
                        (ws, src, batch.origin, d.message_id, d.reason, batch.received_at or _now())
                        for d in dropped])
                if batch.rejections:
                    received = batch.received_at or _now()
                    cur.executemany(insert_quarantine, [
                        (batch.workspace_id, batch.source_id, batch.origin, _text_safe(batch.reference),
                         _text_safe(r.message_id), _text_safe(r.reason), r.payload, received)
                        for r in batch.rejections
                    ])
                results.append(AppendResult(inserted, len(kept) - inserted + len(known),
                                            len(batch.rejections), tuple(dropped)))
        for _, draft in drafts:  # committed: the next drafts need not read these keys back
            if draft.stored:
                self.vault.committed(draft.workspace_id, draft.epoch, draft.stored)
        return results

    def insert_sealed(self, cur: Cursor, workspace_id: str, source_id: str,
                      records: Sequence[EventRecord]) -> int:
        """Insert events inside the caller's transaction (a commerce hold and its projection
        row commit together), sealed like ``append`` does; returns how many were new."""
        sql = self._dialect.sql
        self._dialect.lock_log(cur)
        rows = seal_rows(self.vault, cur, sql, workspace_id, source_id, records)
        return self._dialect.insert_events(cur, rows) if rows else 0

    def defer_log_sync(self) -> None:
        """Commits of this store no longer wait for the disk; the caller calls ``sync_log``
        before it acknowledges anything it wrote. The ingest processes commit under a lock they
        share and sync after releasing it, so one member's fsync no longer holds up the other's
        commit (and concurrent syncs coalesce). PostgreSQL: nothing changes."""
        with self._lock:
            self._dialect.defer_sync(self._all)

    def sync_log(self) -> None:
        """Every commit of this store so far is on disk when this returns (see ``defer_log_sync``)."""
        self._dialect.sync_log()

    def lock_log(self, cur: Cursor) -> None:
        """Serialise the caller's transaction with every append (PostgreSQL: an advisory lock;
        SQLite: its write transaction already is); first thing in the transaction."""
        self._dialect.lock_log(cur)

    def use_master_key(self, value: str | None) -> None:
        """The configured master key (``master_key`` setting), used instead of the environment."""
        self.vault.use_master_key(value)

    def _stored(self, workspace_id: str, rows: Sequence[sa.Row[Any]]) -> list[StoredEvent]:
        """Rows of ``_events`` as readable events: sealed rows opened, erased ones as tombstones.
        Each row is unpacked by its column names at once (a row's named attribute costs ~0.3 µs,
        and every projection of the worker reads every event)."""
        if not rows:
            return []
        columns = rows[0]._fields
        pick = itemgetter(*(columns.index(name) for name in _READ_COLUMNS))
        places, raw = [], []
        for (seq, ws, source_id, message_id, family, type_, event, user_id, anonymous_id, previous_id,
             group_id, timestamp, original_timestamp, sent_at, received_at, payload,
             subject_hash) in map(pick, rows):
            places.append((int(seq), ws))
            raw.append((source_id, EventRecord(
                message_id=message_id, family=family, type=type_, event=event, user_id=user_id,
                anonymous_id=anonymous_id, previous_id=previous_id, group_id=group_id,
                timestamp=_text(timestamp), original_timestamp=_opt_text(original_timestamp),
                sent_at=_opt_text(sent_at), received_at=_text(received_at), payload=bytes(payload),
            ), subject_hash))
        if not any(h for _, _, h in raw):
            records = [r for _, r, _ in raw]
        else:
            cur = self._dialect.read(self._conn())
            records = open_records(self.vault, cur, self._dialect.sql, workspace_id, raw)
        return [StoredEvent(seq, ws, source_id, record)
                for (seq, ws), (source_id, _, _), record in zip(places, raw, records, strict=True)]

    def _events(self, workspace_id: str, source_id: str | None = None) -> sa.Select[Any]:
        e = self.tables["events"]
        return sa.select(e).where(*self._scope(e, workspace_id, source_id)).order_by(e.c.seq)

    def events(
        self, workspace_id: str, *, after_seq: int = 0, limit: int = 1000,
        source_id: str | None = None, families: Collection[str] | None = None,
        types: Collection[str] | None = None, upto: int | None = None,
    ) -> list[StoredEvent]:
        """The events after ``after_seq`` (up to ``upto``), in log order; only those of
        ``families`` / ``types`` when named, the others neither read nor opened."""
        e = self.tables["events"].c
        query = self._events(workspace_id, source_id).where(e.seq > after_seq)
        if families is not None:
            query = query.where(e.family.in_(sorted(families)))
        if types is not None:
            query = query.where(e.type.in_(sorted(types)))
        if upto is not None:
            query = query.where(e.seq <= upto)
        rows = self._rows(query.limit(limit))
        if not rows:
            return []
        epoch = self.vault.epoch(self.read_cursor(), self._dialect.sql, workspace_id)
        return self._opened.read(workspace_id, epoch, rows, lambda some: self._stored(workspace_id, some))

    def count_events(self, workspace_id: str, source_id: str | None = None) -> int:
        e = self.tables["events"]
        rows = self._rows(sa.select(sa.func.count()).select_from(e)
                          .where(*self._scope(e, workspace_id, source_id)))
        return int(rows[0][0])

    def last_seq(self, workspace_id: str) -> int:
        e = self.tables["events"].c
        rows = self._rows(sa.select(sa.func.max(e.seq).label("last")).where(e.workspace_id == workspace_id))
        return int(rows[0].last or 0)

    def event(self, workspace_id: str, source_id: str, message_id: str) -> StoredEvent | None:
        found = self.events_of_messages(workspace_id, source_id, [message_id])
        return found[0] if found else None

    def events_of_messages(self, workspace_id: str, source_id: str,
                           message_ids: Sequence[str]) -> list[StoredEvent]:
        """The events the log holds for these message ids of one source, in log order: one read
        of the events for them all (``event`` a message costs a query and a decryption set-up each,
        ~0.6 ms: 15 s for the demo's 24,535 redelivered commerce events)."""
        cur = self._dialect.read(self._conn())
        seqs = [seq for m in message_ids if (seq := self._dialect.find_event(cur, source_id, m)) is not None]
        return self.events_at(workspace_id, sorted(set(seqs)))

    def suppressed_identifiers(self, workspace_id: str, identifiers: Collection[str]) -> set[str]:
        """Which ``kind:value`` identifiers belong to an erased person (the suppression list)."""
        hashed = {self.vault.hash(workspace_id, i): i for i in identifiers}
        cur = self._dialect.read(self._conn())
        listed = self.vault.suppressed(cur, self._dialect.sql, workspace_id, set(hashed))
        return {hashed[h] for h in listed}

    def events_at(self, workspace_id: str, seqs: Sequence[int]) -> list[StoredEvent]:
        """The events at the given log positions, in log order."""
        seq = self.tables["events"].c.seq
        return [event for some in batches(list(seqs))
                for event in self._stored(workspace_id, self._rows(
                    self._events(workspace_id).where(seq.in_(some))))]

    def events_of_subjects(self, workspace_id: str, subject_hashes: Sequence[str]) -> list[StoredEvent]:
        """The sealed events of the given subjects (keyed hashes), readable while their keys exist."""
        subject = self.tables["events"].c.subject_hash
        found = [event for some in batches(list(subject_hashes))
                 for event in self._stored(workspace_id, self._rows(
                     self._events(workspace_id).where(subject.in_(some))))]
        return sorted(found, key=lambda event: event.seq)

    def table_names(self) -> set[str]:
        return {str(r[0]) for r in self.query(self._dialect.tables_statement)}

    def scrub(self, tables: Sequence[str]) -> Scrubbed:
        """The backend's procedure to drop old copies of deleted rows (``storage.scrub``)."""
        return self._dialect.scrub(self, tables)

    def maintenance(self, statement: str) -> list[Any]:
        """Run one statement outside any transaction (VACUUM, CHECKPOINT, wal_checkpoint)."""
        cur = self._dialect.read(self._conn())
        cur.execute(statement)
        return cur.fetchall() if getattr(cur, "description", None) else []

    def message_ids(self, workspace_id: str, source_id: str) -> dict[str, int]:
        e = self.tables["events"].c
        rows = self._rows(sa.select(e.message_id, sa.func.count().label("n"))
                          .where(e.workspace_id == workspace_id, e.source_id == source_id)
                          .group_by(e.message_id))
        return {r.message_id: int(r.n) for r in rows}

    def quarantine(
        self, workspace_id: str, *, after_id: int = 0, limit: int = 1000,
        source_id: str | None = None,
    ) -> list[QuarantineEntry]:
        q = self.tables["quarantine"]
        rows = self._rows(sa.select(q).where(*self._scope(q, workspace_id, source_id), q.c.id > after_id)
                          .order_by(q.c.id).limit(limit))
        return [QuarantineEntry(int(r.id), r.workspace_id, r.source_id, r.origin, r.reference, r.message_id,
                                r.reason, bytes(r.payload), _text(r.received_at)) for r in rows]

    def count_quarantine(self, workspace_id: str, source_id: str | None = None) -> int:
        q = self.tables["quarantine"]
        rows = self._rows(sa.select(sa.func.count()).select_from(q)
                          .where(*self._scope(q, workspace_id, source_id)))
        return int(rows[0][0])

    @staticmethod
    def _scope(table: sa.Table, workspace_id: str, source_id: str | None) -> list[sa.ColumnElement[bool]]:
        where = [table.c.workspace_id == workspace_id]
        if source_id is not None:
            where.append(table.c.source_id == source_id)
        return where


def _text_safe(value: str | None) -> str | None:
    """Quarantine keeps what was refused, including NUL characters PostgreSQL text cannot hold:
    those show as U+FFFD in the text columns; the payload column keeps the bytes."""
    return None if value is None else value.replace("\x00", "\ufffd")
