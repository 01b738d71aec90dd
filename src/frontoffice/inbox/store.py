"""The inbox's tables in SQLAlchemy Core (SQLite and PostgreSQL): implements ``inbox.ports.Inbox``.

The store decides nothing: ``inbox.model`` folds events, the use cases apply the rules."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import cache
from typing import Any

import orjson
import sqlalchemy as sa

from frontoffice.inbox.model import ACTIVE
from frontoffice.inbox.ports import INBOX, Message, Ticket
from frontoffice.inbox.tables import PROJECTION_TABLES
from frontoffice.projection.contract import WorkspaceLocks
from frontoffice.storage import core
from frontoffice.storage.port import AppendBatch, AppendResult
from frontoffice.storage.sealed_secrets import open_secret, seal_secret
from frontoffice.storage.sql import SqlStore
from frontoffice.storage.tables import schema


def _dumps(doc: Mapping[str, Any]) -> str:
    return orjson.dumps(doc, option=orjson.OPT_SORT_KEYS).decode()


def _ticket(r: sa.Row[Any]) -> Ticket:
    return Ticket(r.ticket_id, r.status, r.priority, r.channel, r.assignee, r.team, r.person_id,
                  r.updated_at, orjson.loads(r.doc))


def _message(r: sa.Row[Any]) -> Message:
    return Message(r.message_id, r.ticket_id, r.kind, r.at, orjson.loads(r.doc))


class _Tables:
    def __init__(self, dialect: str) -> None:
        t = schema(dialect).tables
        self.dialect = dialect
        self.t_tickets, self.t_messages, self.t_threads = (
            t["inbox_tickets"], t["inbox_messages"], t["inbox_threads"])
        self.t_entities, self.t_cursor = t["inbox_entities"], t["inbox_cursor"]
        self.t_blobs, self.t_models, self.t_events = t["inbox_blobs"], t["inbox_models"], t["events"]
        self.t_secrets = t["inbox_secrets"]



@cache
def _upsert(table: sa.Table, dialect: str, keys: tuple[str, ...], columns: tuple[str, ...]) -> Any:
    """INSERT ... ON CONFLICT (keys) DO UPDATE of the other ``columns``, built once: the values are
    bound at execution (building and coercing the statement per row cost more than running it)."""
    ins = core.insert(table, dialect)
    return ins.on_conflict_do_update(index_elements=[table.c[k] for k in keys],
                                     set_={c: ins.excluded[c] for c in columns if c not in keys})


class InboxWrites(_Tables):
    """The projection's writes (``ports.Writes``) on one transaction's connection. A ticket is
    written once when the transaction ends (``flush``), however many of its events it folds: the
    events of one message change its ticket four times."""

    def __init__(self, dialect: str, conn: sa.Connection) -> None:
        super().__init__(dialect)
        self.conn = conn
        self._tickets: dict[tuple[str, str], Ticket] = {}  # put, not yet written

    def ticket(self, ws: str, ticket_id: str) -> Ticket | None:
        put = self._tickets.get((ws, ticket_id))
        if put is not None:
            return put
        t = self.t_tickets
        row = self.conn.execute(sa.select(t).where(t.c.workspace_id == ws,
                                                   t.c.ticket_id == ticket_id)).first()
        return None if row is None else _ticket(row)

    def put_ticket(self, ws: str, ticket: Ticket) -> None:
        self._tickets[(ws, ticket.ticket_id)] = ticket

    def _put(self, table: sa.Table, keys: tuple[str, ...],
             rows: dict[str, Any] | list[dict[str, Any]]) -> None:
        columns = tuple(rows[0] if isinstance(rows, list) else rows)
        self.conn.execute(_upsert(table, self.dialect, keys, columns), rows)

    def flush(self) -> None:
        if not self._tickets:
            return
        self._put(self.t_tickets, ("workspace_id", "ticket_id"), [{
            "workspace_id": ws, "ticket_id": t.ticket_id, "status": t.status, "priority": t.priority,
            "channel": t.channel, "assignee": t.assignee, "team": t.team, "person_id": t.person_id,
            "updated_at": t.updated_at, "doc": _dumps(t.doc)} for (ws, _), t in self._tickets.items()])
        self._tickets.clear()

    def put_message(self, ws: str, message: Message) -> None:
        self._put(self.t_messages, ("workspace_id", "message_id"), {
            "workspace_id": ws, "message_id": message.message_id, "ticket_id": message.ticket_id,
            "kind": message.kind, "at": message.at, "doc": _dumps(message.doc)})

    def move_messages(self, ws: str, message_ids: Sequence[str], ticket_id: str) -> None:
        m = self.t_messages
        if message_ids:
            self.conn.execute(m.update().where(m.c.workspace_id == ws, m.c.message_id.in_(list(message_ids)))
                              .values(ticket_id=ticket_id))

    def messages(self, ws: str, ticket_id: str) -> list[Message]:
        m = self.t_messages
        return [_message(r) for r in self.conn.execute(
            sa.select(m).where(m.c.workspace_id == ws, m.c.ticket_id == ticket_id).order_by(m.c.at))]

    def put_thread(self, ws: str, key: str, ticket_id: str) -> None:
        self._put(self.t_threads, ("workspace_id", "thread_key"), {
            "workspace_id": ws, "thread_key": key, "ticket_id": ticket_id})

    def put_entity(self, ws: str, kind: str, entity_id: str, doc: Mapping[str, Any]) -> None:
        self._put(self.t_entities, ("workspace_id", "kind", "entity_id"), {
            "workspace_id": ws, "kind": kind, "entity_id": entity_id, "doc": _dumps(doc)})

    def set_cursor(self, ws: str, seq: int) -> None:
        self._put(self.t_cursor, ("workspace_id",), {"workspace_id": ws, "last_seq": seq})

    def cursor(self, ws: str) -> int:
        """The last seq folded. SQLite's write transaction already excludes every other writer;
        on PostgreSQL the cursor's row is made if missing and locked until the transaction ends."""
        c = self.t_cursor
        made = core.insert(c, self.dialect).on_conflict_do_nothing(index_elements=[c.c.workspace_id])
        self.conn.execute(made, {"workspace_id": ws, "last_seq": 0})
        # FOR UPDATE: SQLAlchemy renders nothing for SQLite, whose BEGIN IMMEDIATE excludes the rest
        query = sa.select(c.c.last_seq).where(c.c.workspace_id == ws).with_for_update()
        return int(self.conn.execute(query).scalar_one())


class InboxStore(_Tables):
    """Reads and writes of the inbox (``ports.Inbox``) on an open ``SqlStore``."""

    def __init__(self, store: SqlStore) -> None:
        super().__init__(store.dialect)
        self.store = store
        self.lock = WorkspaceLocks()

    def _all(self, query: sa.Executable) -> Sequence[sa.Row[Any]]:
        with self.store.connect() as conn:
            return conn.execute(query).all()

    @contextmanager
    def transaction(self) -> Iterator[InboxWrites]:
        with self.store.begin() as conn:
            writes = InboxWrites(self.dialect, conn)
            yield writes
            writes.flush()

    # -- the log -------------------------------------------------------------------------
    def append(self, batch: AppendBatch) -> AppendResult:
        return self.store.append([batch])[0]


    def cursor_at(self, ws: str) -> int:
        c = self.t_cursor
        found = self._all(sa.select(c.c.last_seq).where(c.c.workspace_id == ws))
        return int(found[0].last_seq) if found else 0

    def log_page(self, ws: str, after: int, limit: int) -> list[tuple[int, str, bytes]]:
        e = self.t_events
        rows = self._all(sa.select(e.c.seq).where(
            e.c.workspace_id == ws, e.c.seq > after, e.c.family == INBOX)
            .order_by(e.c.seq).limit(limit))
        return [(s.seq, s.record.type, s.record.payload)
                for s in self.store.events_at(ws, [int(r.seq) for r in rows])]

    def reset(self, ws: str) -> None:
        with self.store.begin() as conn:
            for name in PROJECTION_TABLES:
                table = schema(self.dialect).tables[name]
                conn.execute(table.delete().where(table.c.workspace_id == ws))

    # -- reads ---------------------------------------------------------------------------
    def ticket(self, ws: str, ticket_id: str) -> Ticket | None:
        t = self.t_tickets
        found = self._all(sa.select(t).where(t.c.workspace_id == ws, t.c.ticket_id == ticket_id))
        return _ticket(found[0]) if found else None

    def tickets(self, ws: str, statuses: Sequence[str] = (), assignee: str | None = None,
                person_id: str | None = None, limit: int = 200) -> list[Ticket]:
        t = self.t_tickets
        query = sa.select(t).where(t.c.workspace_id == ws)
        if statuses:
            query = query.where(t.c.status.in_(list(statuses)))
        if assignee is not None:
            query = query.where(t.c.assignee == assignee)
        if person_id is not None:
            query = query.where(t.c.person_id == person_id)
        return [_ticket(r) for r in self._all(query.order_by(t.c.updated_at.desc()).limit(limit))]

    def messages(self, ws: str, ticket_id: str) -> list[Message]:
        m = self.t_messages
        return [_message(r) for r in self._all(
            sa.select(m).where(m.c.workspace_id == ws, m.c.ticket_id == ticket_id).order_by(m.c.at))]

    def message(self, ws: str, message_id: str) -> Message | None:
        m = self.t_messages
        found = self._all(sa.select(m).where(m.c.workspace_id == ws, m.c.message_id == message_id))
        return _message(found[0]) if found else None

    def thread(self, ws: str, keys: Sequence[str]) -> str | None:
        if not keys:
            return None
        th = self.t_threads
        found = {r.thread_key: r.ticket_id for r in self._all(
            sa.select(th).where(th.c.workspace_id == ws, th.c.thread_key.in_(list(keys))))}
        return next((found[k] for k in keys if k in found), None)

    def entities(self, ws: str, kind: str) -> list[dict[str, Any]]:
        e = self.t_entities
        return [orjson.loads(r.doc) for r in self._all(
            sa.select(e.c.doc).where(e.c.workspace_id == ws, e.c.kind == kind).order_by(e.c.entity_id))]

    def entity(self, ws: str, kind: str, entity_id: str) -> dict[str, Any] | None:
        e = self.t_entities
        found = self._all(sa.select(e.c.doc).where(e.c.workspace_id == ws, e.c.kind == kind,
                                                   e.c.entity_id == entity_id))
        return orjson.loads(found[0].doc) if found else None

    def open_load(self, ws: str) -> dict[str, int]:
        t = self.t_tickets
        rows = self._all(sa.select(t.c.assignee, sa.func.count().label("n")).where(
            t.c.workspace_id == ws, t.c.assignee.is_not(None), t.c.status.in_(ACTIVE))
            .group_by(t.c.assignee))
        return {r.assignee: int(r.n) for r in rows}

    # -- blobs and models ----------------------------------------------------------------
    def put_blob(self, ws: str, sha256: str, content_type: str, data: bytes) -> None:
        b = self.t_blobs
        with self.store.begin() as conn:
            conn.execute(core.insert(b, self.dialect).values(
                workspace_id=ws, sha256=sha256, content_type=content_type, size=len(data), data=data)
                .on_conflict_do_nothing(index_elements=[b.c.workspace_id, b.c.sha256]))

    def blob(self, ws: str, sha256: str) -> tuple[str, bytes] | None:
        b = self.t_blobs
        found = self._all(sa.select(b.c.content_type, b.c.data).where(b.c.workspace_id == ws,
                                                                       b.c.sha256 == sha256))
        return (found[0].content_type, bytes(found[0].data)) if found else None

    def save_model(self, ws: str, model_id: str, created_at: str, examples: int, head: str) -> None:
        with self.store.begin() as conn:
            conn.execute(self.t_models.insert().values(workspace_id=ws, model_id=model_id,
                                                     created_at=created_at, examples=examples, head=head))

    def latest_model_id(self, ws: str) -> str | None:
        m = self.t_models
        found = self._all(sa.select(m.c.model_id).where(m.c.workspace_id == ws)
                          .order_by(m.c.created_at.desc(), m.c.model_id.desc()).limit(1))
        return str(found[0].model_id) if found else None

    def model(self, ws: str, model_id: str) -> str | None:
        m = self.t_models
        found = self._all(sa.select(m.c.head).where(m.c.workspace_id == ws, m.c.model_id == model_id))
        return str(found[0].head) if found else None

    # -- marketplace webhook secrets (sealed under the master key) ------------------------
    def secret(self, source_id: str) -> tuple[str, str] | None:
        """(workspace id, secret) of a marketplace source's webhook."""
        s = self.t_secrets
        found = self._all(sa.select(s.c.workspace_id, s.c.secret).where(s.c.source_id == source_id))
        if not found:
            return None
        ws = str(found[0].workspace_id)
        return ws, open_secret(self.store.vault, "inbox_secrets", ws, source_id, str(found[0].secret)).value

    def set_secret(self, ws: str, source_id: str, secret: str, created_at: str) -> None:
        s = self.t_secrets
        sealed = seal_secret(self.store.vault, "inbox_secrets", ws, source_id, secret)
        with self.store.begin() as conn:
            conn.execute(s.delete().where(s.c.source_id == source_id))
            conn.execute(s.insert().values(source_id=source_id, workspace_id=ws, secret=sealed,
                                           created_at=created_at))
