"""The commerce projection's tables in SQLAlchemy Core (SQLite and PostgreSQL): implements
``commerce.ports.Commerce``.

Every write is an idempotent upsert guarded by the entity's version, so replaying the log, a
duplicate delivery or an out-of-order one all end in the same rows. The store decides nothing:
the stock rule of a hold is the use case's (``commerce.service.place_hold``).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from frontoffice.commerce.ports import COMMERCE, Entity, Position
from frontoffice.domain.events import EventRecord, iso
from frontoffice.projection.contract import WorkspaceLocks
from frontoffice.storage import core
from frontoffice.storage.port import AppendBatch, AppendResult
from frontoffice.storage.sealed_secrets import open_secret, seal_secret
from frontoffice.storage.sql import SqlStore, Tx
from frontoffice.storage.tables import schema

PLACES_TTL_S = 5.0
SECRETS_TABLE = "commerce_secrets"
PROJECTION_TABLES = ("commerce_entities", "commerce_keys", "commerce_positions", "commerce_holds",
                     "commerce_cursor")


def _position(r: sa.Row[Any]) -> Position:
    return Position(r.sku, r.location_id, int(r.on_hand), int(r.committed), int(r.incoming),
                    int(r.version))


def _entity(r: sa.Row[Any]) -> Entity:
    return Entity(r.entity_id, int(r.version), r.ref, r.doc)


def _written(conn: sa.Connection, upsert: Any) -> bool:
    """Whether the upsert wrote its row (inserted, or updated because its guard let it): the row
    it returns (through SQLAlchemy, psycopg reported a rowcount of -1 for these)."""
    return conn.execute(upsert.returning(sa.literal(1))).first() is not None


class ProjectionTx:
    """The projection's writes (``ports.Writes``) and a hold's reads (``ports.StockTx``), on one
    transaction's connection."""

    def __init__(self, store: SqlStore, tx: Tx) -> None:
        self._store, self._tx, self._conn = store, tx, tx.conn
        tables = schema(store.dialect).tables
        self._entities, self._keys = tables["commerce_entities"], tables["commerce_keys"]
        self._positions, self._holds = tables["commerce_positions"], tables["commerce_holds"]
        self._cursor = tables["commerce_cursor"]

    def upsert_entity(self, ws: str, kind: str, entity_id: str, version: int, ref: str | None,
                      doc: str) -> bool:
        e = self._entities
        stmt = core.insert(e, self._store.dialect).values(
            workspace_id=ws, kind=kind, entity_id=entity_id, version=version, ref=ref, doc=doc)
        stmt = stmt.on_conflict_do_update(
            index_elements=[e.c.workspace_id, e.c.kind, e.c.entity_id],
            set_={"version": stmt.excluded.version, "ref": stmt.excluded.ref, "doc": stmt.excluded.doc},
            where=sa.or_(stmt.excluded.version > e.c.version,
                         sa.and_(stmt.excluded.version == e.c.version, stmt.excluded.doc > e.c.doc)))
        return _written(self._conn, stmt)

    def set_keys(self, ws: str, kind: str, entity_id: str, keys: Iterable[str]) -> None:
        k = self._keys
        self._conn.execute(k.delete().where(k.c.workspace_id == ws, k.c.kind == kind,
                                            k.c.entity_id == entity_id))
        rows = [{"workspace_id": ws, "customer_key": key, "kind": kind, "entity_id": entity_id}
                for key in sorted(set(keys))]
        if rows:
            self._conn.execute(k.insert(), rows)

    def upsert_position(self, ws: str, p: Position) -> bool:
        t = self._positions
        stmt = core.insert(t, self._store.dialect).values(
            workspace_id=ws, sku=p.sku, location_id=p.location_id, on_hand=p.on_hand,
            committed=p.committed, incoming=p.incoming, version=p.version)
        x = stmt.excluded
        stmt = stmt.on_conflict_do_update(
            index_elements=[t.c.workspace_id, t.c.sku, t.c.location_id],
            set_={"on_hand": x.on_hand, "committed": x.committed, "incoming": x.incoming,
                  "version": x.version},
            where=sa.or_(x.version > t.c.version,
                         sa.and_(x.version == t.c.version, x.on_hand < t.c.on_hand)))
        return _written(self._conn, stmt)

    def add_hold(self, ws: str, hold_id: str, sku: str, location_id: str, qty: int,
                 expires_at: str) -> None:
        h = self._holds
        self._conn.execute(core.insert(h, self._store.dialect).values(
            workspace_id=ws, hold_id=hold_id, sku=sku, location_id=location_id, qty=qty,
            expires_at=expires_at, released=0).on_conflict_do_nothing(
            index_elements=[h.c.workspace_id, h.c.hold_id]))

    def release_hold(self, ws: str, hold_id: str) -> None:
        h = self._holds
        self._conn.execute(h.update().where(h.c.workspace_id == ws, h.c.hold_id == hold_id)
                           .values(released=1))

    def set_cursor(self, ws: str, seq: int) -> None:
        c = self._cursor
        stmt = core.insert(c, self._store.dialect).values(workspace_id=ws, last_seq=seq)
        self._conn.execute(stmt.on_conflict_do_update(
            index_elements=[c.c.workspace_id], set_={"last_seq": stmt.excluded.last_seq},
            where=stmt.excluded.last_seq > c.c.last_seq))

    # -- a hold's reads and its event (ports.StockTx) ------------------------------------
    def position(self, ws: str, sku: str, location_id: str) -> Position | None:
        t = self._positions
        row = self._conn.execute(sa.select(t).where(
            t.c.workspace_id == ws, t.c.sku == sku, t.c.location_id == location_id)
            .with_for_update()).first()  # SQLite: its write transaction already excludes others
        return None if row is None else _position(row)

    def held_at(self, ws: str, sku: str, location_id: str, now: str) -> int:
        h = self._holds
        return int(self._conn.execute(sa.select(sa.func.coalesce(sa.func.sum(h.c.qty), 0)).where(
            h.c.workspace_id == ws, h.c.sku == sku, h.c.location_id == location_id,
            h.c.released == 0, h.c.expires_at > now)).scalar_one())

    def log(self, ws: str, source_id: str, record: EventRecord) -> None:
        self._store.insert_sealed(self._tx, ws, source_id, [record])


class CommerceStore:
    """Reads and writes of the commerce projection (``ports.Commerce``), on an open ``SqlStore``."""

    def __init__(self, store: SqlStore) -> None:
        self.store = store
        self.lock = WorkspaceLocks()  # one projector catch-up of a workspace at a time per process
        self._places: dict[str, tuple[float, list[tuple[str, Entity]]]] = {}
        tables = schema(store.dialect).tables
        self._entities, self._keys = tables["commerce_entities"], tables["commerce_keys"]
        self._positions, self._holds = tables["commerce_positions"], tables["commerce_holds"]
        self._cursor, self._secrets = tables["commerce_cursor"], tables[SECRETS_TABLE]
        self._events = tables["events"]
        self._tables = [tables[name] for name in PROJECTION_TABLES]

    def _all(self, query: sa.Executable) -> Sequence[sa.Row[Any]]:
        with self.store.connect() as conn:
            return conn.execute(query).all()

    @contextmanager
    def transaction(self) -> Iterator[ProjectionTx]:
        with self.store.transaction() as tx:
            yield ProjectionTx(self.store, tx)

    def stock(self) -> AbstractContextManager[ProjectionTx]:
        return self.transaction()

    # -- the log -------------------------------------------------------------------------
    def append(self, batch: AppendBatch) -> AppendResult:
        return self.store.append([batch])[0]

    def logged(self, ws: str, source_id: str, message_ids: Sequence[str]) -> list[EventRecord]:
        found = [e for m in message_ids if (e := self.store.event(ws, source_id, m)) is not None]
        return [e.record for e in sorted(found, key=lambda e: e.seq)]

    def suppressed(self, ws: str, identifiers: Collection[str]) -> set[str]:
        return self.store.suppressed_identifiers(ws, identifiers)

    def cursor(self, ws: str) -> int:
        c = self._cursor
        found = self._all(sa.select(c.c.last_seq).where(c.c.workspace_id == ws))
        return int(found[0].last_seq) if found else 0

    def high_water(self, ws: str) -> int:
        return self.store.last_seq(ws)

    def log_page(self, ws: str, after: int, upto: int, limit: int) -> list[tuple[int, str, bytes]]:
        """(seq, type, payload) of the commerce events after ``after`` up to ``upto``."""
        e = self._events
        rows = self._all(sa.select(e.c.seq).where(
            e.c.workspace_id == ws, e.c.seq > after, e.c.seq <= upto, e.c.family == COMMERCE)
            .order_by(e.c.seq).limit(limit))
        # Read through the log so sealed orders are opened; an erased one reads as type
        # "erased", which no projection rule applies (the page keeps its length and positions).
        return [(s.seq, s.record.type, s.record.payload)
                for s in self.store.events_at(ws, [int(r.seq) for r in rows])]

    def reset(self, ws: str) -> None:
        with self.store.begin() as conn:
            for table in self._tables:
                conn.execute(table.delete().where(table.c.workspace_id == ws))

    # -- entities ------------------------------------------------------------------------
    def entity(self, ws: str, kind: str, entity_id: str) -> Entity | None:
        e = self._entities.c
        found = self._all(sa.select(e.entity_id, e.version, e.ref, e.doc).where(
            e.workspace_id == ws, e.kind == kind, e.entity_id == entity_id))
        return _entity(found[0]) if found else None

    def entities(self, ws: str, kind: str, ref: str | None = None) -> list[Entity]:
        e = self._entities.c
        query = sa.select(e.entity_id, e.version, e.ref, e.doc).where(e.workspace_id == ws,
                                                                      e.kind == kind)
        if ref is not None:
            query = query.where(e.ref == ref)
        return [_entity(r) for r in self._all(query.order_by(e.entity_id))]

    def locations_and_pool(self, ws: str, channel: str) -> list[tuple[str, Entity]]:
        """Every location, and the channel's pool rule if it has one. Cached for
        ``PLACES_TTL_S`` (they change rarely); this process's projector clears the cache when
        it applies a location or pool event."""
        hit = self._places.get(ws)
        if hit is None or hit[0] < time.monotonic():
            e = self._entities.c
            rows = self._all(sa.select(e.kind, e.entity_id, e.version, e.ref, e.doc).where(
                e.workspace_id == ws, e.kind.in_(("location", "pool"))))
            hit = (time.monotonic() + PLACES_TTL_S, [(r.kind, _entity(r)) for r in rows])
            self._places[ws] = hit
        return [(kind, e) for kind, e in hit[1] if kind == "location" or e.entity_id == channel]

    def places_changed(self, ws: str) -> None:
        self._places.pop(ws, None)

    def entity_ids_for_keys(self, ws: str, kind: str, keys: Sequence[str]) -> list[str]:
        if not keys:
            return []
        k = self._keys.c
        rows = self._all(sa.select(k.entity_id).distinct().where(
            k.workspace_id == ws, k.kind == kind, k.customer_key.in_(list(keys)))
            .order_by(k.entity_id))
        return [r.entity_id for r in rows]

    # -- stock ---------------------------------------------------------------------------
    def positions(self, ws: str, sku: str) -> list[Position]:
        t = self._positions
        return [_position(r) for r in self._all(sa.select(t).where(t.c.workspace_id == ws,
                                                                   t.c.sku == sku))]

    def all_positions(self, ws: str) -> list[Position]:
        t = self._positions
        return [_position(r) for r in self._all(sa.select(t).where(t.c.workspace_id == ws))]

    def held(self, ws: str, sku: str, now: str) -> dict[str, int]:
        h = self._holds.c
        qty = sa.func.sum(h.qty).label("qty")
        rows = self._all(sa.select(h.location_id, qty).where(
            h.workspace_id == ws, h.sku == sku, h.released == 0, h.expires_at > now)
            .group_by(h.location_id))
        return {r.location_id: int(r.qty) for r in rows}

    def purge(self, ws: str, belongs: Callable[[str], bool]) -> dict[str, int]:
        """Delete the orders and subscriptions whose customer keys ``belongs`` says are an erased
        person's, with all their keys, in the caller's transaction (the erasure's); rows deleted
        per table."""
        k = self._keys.c
        counts: dict[str, int] = {}
        with self.store.begin() as conn:
            found = sorted({(r.kind, r.entity_id) for r in conn.execute(sa.select(
                k.customer_key, k.kind, k.entity_id).where(k.workspace_id == ws))
                if belongs(r.customer_key)})
            for table in (self._keys, self._entities):
                for kind, entity_id in found:
                    deleted = conn.execute(table.delete().where(
                        table.c.workspace_id == ws, table.c.kind == kind, table.c.entity_id == entity_id))
                    counts[table.name] = counts.get(table.name, 0) + max(deleted.rowcount, 0)
        return counts

    # -- webhook secrets (sealed under the master key: storage/sealed_secrets.py) ----------
    def secret(self, source_id: str) -> str | None:
        s = self._secrets
        found = self._all(sa.select(s.c.workspace_id, s.c.secret).where(s.c.source_id == source_id))
        if not found:
            return None
        ws, stored = str(found[0].workspace_id), str(found[0].secret)
        opened = open_secret(self.store.vault, SECRETS_TABLE, ws, source_id, stored)
        if opened.plain:  # written by an older frontoffice: sealed now, unless changed meanwhile
            with self.store.begin() as conn:
                conn.execute(s.update().where(s.c.source_id == source_id, s.c.secret == stored)
                             .values(secret=self._seal(ws, source_id, opened.value)))
        return opened.value

    def set_secret(self, ws: str, source_id: str, secret: str) -> None:
        sealed = self._seal(ws, source_id, secret)
        s = self._secrets
        with self.store.begin() as conn:
            conn.execute(s.delete().where(s.c.source_id == source_id))
            conn.execute(s.insert().values(source_id=source_id, workspace_id=ws, secret=sealed,
                                           created_at=iso(datetime.now(UTC))))

    def _seal(self, ws: str, source_id: str, secret: str) -> str:
        return seal_secret(self.store.vault, SECRETS_TABLE, ws, source_id, secret)
