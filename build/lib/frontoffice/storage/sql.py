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
from pathlib import Path
from typing import Any, Protocol

import sqlalchemy as sa

from frontoffice.domain.events import EventRecord, StoredEvent, iso
from frontoffice.domain.tenancy import ApiToken, Channel, Scope, Source, Status, Trust, Workspace
from frontoffice.errors import AlreadyExists, NotFound, SchemaOutOfDate
from frontoffice.privacy.rows import Draft, admit, open_records, seal_ahead, seal_rows, settle
from frontoffice.privacy.scrub import Scrubbed
from frontoffice.privacy.vault import KeyTable, Vault
from frontoffice.storage import migrate
from frontoffice.storage.port import AppendBatch, AppendResult, QuarantineEntry

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


class Dialect(Protocol):
    name: str
    integrity_errors: tuple[type[Exception], ...]
    key_file: Path | None  # where the master key is generated when none is configured
    subject_keys: KeyTable
    row_lock: str  # ends a SELECT that must lock its rows until commit ("": writers take turns)
    secure_delete: bool  # a deleted row's bytes are zeroed in place (else scrub drops them)
    ingest_lock: Path | None  # the file ingest processes lock to append in turn (None: not needed)
    tables_statement: str  # lists the tables of the schema in use

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


def _text(value: object) -> str:
    return iso(value) if isinstance(value, datetime) else str(value)


def _opt_text(value: object) -> str | None:
    return None if value is None else _text(value)


def _now() -> str:
    return iso(datetime.now(UTC))


class SqlStore:
    """Implements ``Store`` for any ``Dialect``; one connection per thread."""

    def __init__(self, dialect: Dialect) -> None:
        self._dialect = dialect
        self.dialect = dialect.name
        self.row_lock, self.secure_delete = dialect.row_lock, dialect.secure_delete
        self.ingest_lock = dialect.ingest_lock
        self.vault = Vault(dialect.key_file, dialect.subject_keys)
        self._local = threading.local()
        self._all: list[Any] = []
        self._lock = threading.Lock()
        self._engine: sa.Engine | None = None
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
        cur = self._dialect.read(self._conn())
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
        """A cursor of this thread's connection, for reads outside a write transaction."""
        return self._dialect.read(self._conn())

    def execute(self, statement: str, params: Sequence[Any] = ()) -> int:
        return self._exec(statement, params)

    @contextmanager
    def transaction(self) -> Iterator[Cursor]:
        """One write transaction; statements given to the cursor must already be ``sql()``'d."""
        with self._write() as cur:
            yield cur

    def close(self) -> None:
        with self._lock:
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

    # -- tenancy -------------------------------------------------------------------------
    @staticmethod
    def _workspace(row: Sequence[Any]) -> Workspace:
        return Workspace(row[0], row[1], row[2], Status(row[3]), _as_datetime(row[4]))

    def add_workspace(self, workspace: Workspace) -> None:
        self._exec(
            "INSERT INTO workspaces (id, name, region, status, created_at) VALUES (?, ?, ?, ?, ?)",
            (workspace.id, workspace.name, workspace.region, workspace.status.value,
             iso(workspace.created_at)),
        )

    def workspaces(self) -> list[Workspace]:
        rows = self._read("SELECT id, name, region, status, created_at FROM workspaces ORDER BY name")
        return [self._workspace(r) for r in rows]

    def workspace(self, id_or_name: str) -> Workspace | None:
        rows = self._read(
            "SELECT id, name, region, status, created_at FROM workspaces WHERE id = ? OR name = ?",
            (id_or_name, id_or_name),
        )
        return self._workspace(rows[0]) if rows else None

    def set_workspace_status(self, workspace_id: str, status: Status) -> None:
        if not self._exec("UPDATE workspaces SET status = ? WHERE id = ?",
                          (status.value, workspace_id)):
            raise NotFound(f"No workspace {workspace_id!r}; list them with `frontoffice workspace list`.")

    _SOURCE = "SELECT id, workspace_id, name, channel, key_hint, status, created_at, trust FROM sources"

    @staticmethod
    def _source(row: Sequence[Any]) -> Source:
        return Source(row[0], row[1], row[2], Channel(row[3]), row[4], Status(row[5]),
                      _as_datetime(row[6]), Trust(row[7]))

    def add_source(self, source: Source, key_hash: str) -> None:
        self._exec(
            "INSERT INTO sources (id, workspace_id, name, channel, key_hash, key_hint, status, "
            "created_at, trust) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (source.id, source.workspace_id, source.name, source.channel.value, key_hash,
             source.key_hint, source.status.value, iso(source.created_at), source.trust.value),
        )

    def sources(self, workspace_id: str) -> list[Source]:
        rows = self._read(self._SOURCE + " WHERE workspace_id = ? ORDER BY name", (workspace_id,))
        return [self._source(r) for r in rows]

    def source(self, workspace_id: str, id_or_name: str) -> Source | None:
        rows = self._read(self._SOURCE + " WHERE workspace_id = ? AND (id = ? OR name = ?)",
                          (workspace_id, id_or_name, id_or_name))
        return self._source(rows[0]) if rows else None

    def set_source_status(self, workspace_id: str, source_id: str, status: Status) -> None:
        if not self._exec("UPDATE sources SET status = ? WHERE workspace_id = ? AND id = ?",
                          (status.value, workspace_id, source_id)):
            raise NotFound(f"No source {source_id!r} in workspace {workspace_id!r}.")

    def source_for_key(self, key_hash: str) -> tuple[Source, Workspace] | None:
        rows = self._read(
            "SELECT s.id, s.workspace_id, s.name, s.channel, s.key_hint, s.status, s.created_at, "
            "s.trust, w.id, w.name, w.region, w.status, w.created_at FROM sources s "
            "JOIN workspaces w ON w.id = s.workspace_id WHERE s.key_hash = ?",
            (key_hash,),
        )
        if not rows:
            return None
        return self._source(rows[0][:8]), self._workspace(rows[0][8:])

    _TOKEN = "SELECT id, workspace_id, name, scopes, key_hint, status, created_at FROM api_tokens"

    @staticmethod
    def _token(row: Sequence[Any]) -> ApiToken:
        scopes = frozenset(Scope(s) for s in str(row[3]).split())
        return ApiToken(row[0], row[1], row[2], scopes, row[4], Status(row[5]),
                        _as_datetime(row[6]))

    def add_token(self, token: ApiToken, token_hash: str) -> None:
        self._exec(
            "INSERT INTO api_tokens (id, workspace_id, name, scopes, token_hash, key_hint, status, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (token.id, token.workspace_id, token.name, " ".join(sorted(token.scopes)), token_hash,
             token.key_hint, token.status.value, iso(token.created_at)),
        )

    def tokens(self, workspace_id: str | None) -> list[ApiToken]:
        if workspace_id is None:
            rows = self._read(self._TOKEN + " WHERE workspace_id IS NULL ORDER BY name")
        else:
            rows = self._read(self._TOKEN + " WHERE workspace_id = ? ORDER BY name", (workspace_id,))
        return [self._token(r) for r in rows]

    def set_token_status(self, token_id: str, status: Status) -> None:
        if not self._exec("UPDATE api_tokens SET status = ? WHERE id = ?", (status.value, token_id)):
            raise NotFound(f"No API token {token_id!r}; list them with `frontoffice token list`.")

    def token_for_secret(self, token_hash: str) -> ApiToken | None:
        rows = self._read(self._TOKEN + " WHERE token_hash = ?", (token_hash,))
        return self._token(rows[0]) if rows else None

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

    def _stored(self, workspace_id: str, rows: Sequence[Sequence[Any]]) -> list[StoredEvent]:
        """Rows of ``_EVENTS`` as readable events: sealed rows opened, erased ones as tombstones."""
        raw = [(row[2], EventRecord(
            message_id=row[3], family=row[4], type=row[5], event=row[6], user_id=row[7],
            anonymous_id=row[8], previous_id=row[9], group_id=row[10], timestamp=_text(row[11]),
            original_timestamp=_opt_text(row[12]), sent_at=_opt_text(row[13]),
            received_at=_text(row[14]), payload=bytes(row[15]),
        ), row[16]) for row in rows]
        if not any(h for _, _, h in raw):
            records = [r for _, r, _ in raw]
        else:
            cur = self._dialect.read(self._conn())
            records = open_records(self.vault, cur, self._dialect.sql, workspace_id, raw)
        return [StoredEvent(int(row[0]), row[1], row[2], record)
                for row, record in zip(rows, records, strict=True)]

    _EVENTS = f"SELECT seq, workspace_id, source_id, {_EVENT_COLS} FROM events"

    def events(
        self, workspace_id: str, *, after_seq: int = 0, limit: int = 1000,
        source_id: str | None = None,
    ) -> list[StoredEvent]:
        where, params = self._scope(workspace_id, source_id)
        rows = self._read(
            f"{self._EVENTS} WHERE {where} AND seq > ? ORDER BY seq LIMIT ?",
            (*params, after_seq, limit),
        )
        return self._stored(workspace_id, rows)

    def count_events(self, workspace_id: str, source_id: str | None = None) -> int:
        where, params = self._scope(workspace_id, source_id)
        return int(self._read(f"SELECT count(*) FROM events WHERE {where}", params)[0][0])

    def last_seq(self, workspace_id: str) -> int:
        rows = self._read("SELECT max(seq) FROM events WHERE workspace_id = ?", (workspace_id,))
        return int(rows[0][0] or 0)

    def event(self, workspace_id: str, source_id: str, message_id: str) -> StoredEvent | None:
        seq = self._dialect.find_event(self._dialect.read(self._conn()), source_id, message_id)
        found = self.events_at(workspace_id, [seq]) if seq is not None else []
        return found[0] if found else None

    def suppressed_identifiers(self, workspace_id: str, identifiers: Collection[str]) -> set[str]:
        """Which ``kind:value`` identifiers belong to an erased person (the suppression list)."""
        hashed = {self.vault.hash(workspace_id, i): i for i in identifiers}
        cur = self._dialect.read(self._conn())
        listed = self.vault.suppressed(cur, self._dialect.sql, workspace_id, set(hashed))
        return {hashed[h] for h in listed}

    def events_at(self, workspace_id: str, seqs: Sequence[int]) -> list[StoredEvent]:
        """The events at the given log positions, in log order."""
        events: list[StoredEvent] = []
        for start in range(0, len(seqs), 500):
            chunk = list(seqs[start:start + 500])
            marks = ", ".join("?" * len(chunk))
            rows = self._read(f"{self._EVENTS} WHERE workspace_id = ? AND seq IN ({marks}) ORDER BY seq",
                              (workspace_id, *chunk))
            events += self._stored(workspace_id, rows)
        return events

    def events_of_subjects(self, workspace_id: str, subject_hashes: Sequence[str]) -> list[StoredEvent]:
        """The sealed events of the given subjects (keyed hashes), readable while their keys exist."""
        events: list[StoredEvent] = []
        for start in range(0, len(subject_hashes), 500):
            chunk = list(subject_hashes[start:start + 500])
            marks = ", ".join("?" * len(chunk))
            rows = self._read(f"{self._EVENTS} WHERE workspace_id = ? AND subject_hash IN ({marks}) "
                              "ORDER BY seq", (workspace_id, *chunk))
            events += self._stored(workspace_id, rows)
        return events

    def table_names(self) -> set[str]:
        return {str(r[0]) for r in self.query(self._dialect.tables_statement)}

    def scrub(self, tables: Sequence[str]) -> Scrubbed:
        """The backend's procedure to drop old copies of deleted rows (``privacy.scrub``)."""
        return self._dialect.scrub(self, tables)

    def maintenance(self, statement: str) -> list[Any]:
        """Run one statement outside any transaction (VACUUM, CHECKPOINT, wal_checkpoint)."""
        cur = self._dialect.read(self._conn())
        cur.execute(statement)
        return cur.fetchall() if getattr(cur, "description", None) else []

    def message_ids(self, workspace_id: str, source_id: str) -> dict[str, int]:
        rows = self._read(
            "SELECT message_id, count(*) FROM events WHERE workspace_id = ? AND source_id = ? "
            "GROUP BY message_id",
            (workspace_id, source_id),
        )
        return {r[0]: int(r[1]) for r in rows}

    def quarantine(
        self, workspace_id: str, *, after_id: int = 0, limit: int = 1000,
        source_id: str | None = None,
    ) -> list[QuarantineEntry]:
        where, params = self._scope(workspace_id, source_id)
        rows = self._read(
            "SELECT id, workspace_id, source_id, origin, reference, message_id, reason, payload, "
            f"received_at FROM quarantine WHERE {where} AND id > ? ORDER BY id LIMIT ?",
            (*params, after_id, limit),
        )
        return [
            QuarantineEntry(int(r[0]), r[1], r[2], r[3], r[4], r[5], r[6], bytes(r[7]), _text(r[8]))
            for r in rows
        ]

    def count_quarantine(self, workspace_id: str, source_id: str | None = None) -> int:
        where, params = self._scope(workspace_id, source_id)
        return int(self._read(f"SELECT count(*) FROM quarantine WHERE {where}", params)[0][0])

    @staticmethod
    def _scope(workspace_id: str, source_id: str | None) -> tuple[str, tuple[str, ...]]:
        if source_id is None:
            return "workspace_id = ?", (workspace_id,)
        return "workspace_id = ? AND source_id = ?", (workspace_id, source_id)


def _text_safe(value: str | None) -> str | None:
    """Quarantine keeps what was refused, including NUL characters PostgreSQL text cannot hold:
    those show as U+FFFD in the text columns; the payload column keeps the bytes."""
    return None if value is None else value.replace("\x00", "\ufffd")


def _as_datetime(value: object) -> datetime:
    if isinstance(value, datetime):
        return value.astimezone(UTC)
    return datetime.fromisoformat(str(value))
