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

from frontoffice.commerce.ports import Entity, Position
from frontoffice.commerce.statements import PROJECTION_TABLES, statements
from frontoffice.domain.events import EventRecord, iso
from frontoffice.projection.contract import WorkspaceLocks
from frontoffice.storage import core, prepared
from frontoffice.storage.port import AppendBatch, AppendResult
from frontoffice.storage.sealed_secrets import open_secret, seal_secret
from frontoffice.storage.sql import SqlStore, Tx

PLACES_TTL_S = 5.0
SECRETS_TABLE = "commerce_secrets"


def _position(r: Any) -> Position:
    return Position(r.sku, r.location_id, int(r.on_hand), int(r.committed), int(r.incoming),
                    int(r.version))


def _entity(r: Any) -> Entity:
    return Entity(r.entity_id, int(r.version), r.ref, r.doc)


class ProjectionTx:
    """The projection's writes (``ports.Writes``) and a hold's reads (``ports.StockTx``), on one
    transaction's connection."""

    def __init__(self, store: SqlStore, tx: Tx) -> None:
        self._store, self._tx, self._conn = store, tx, tx.conn
        self._q = statements(store.dialect)

    def upsert_entity(self, ws: str, kind: str, entity_id: str, version: int, ref: str | None,
                      doc: str) -> bool:
        return self._conn.execute(self._q.upsert_entity, {
            "workspace_id": ws, "kind": kind, "entity_id": entity_id, "version": version,
            "ref": ref, "doc": doc}).first() is not None

    def set_keys(self, ws: str, kind: str, entity_id: str, keys: Iterable[str]) -> None:
        self._conn.execute(self._q.delete_keys, {"ws": ws, "kind": kind, "entity": entity_id})
        rows = [{"workspace_id": ws, "customer_key": key, "kind": kind, "entity_id": entity_id}
                for key in sorted(set(keys))]
        if rows:
            self._conn.execute(self._q.insert_keys, rows)

    def upsert_positions(self, ws: str, positions: Sequence[Position]) -> None:
        """By (sku, location) — the guard keeps the same row whatever the order, and concurrent
        writers then lock rows in one order (PostgreSQL deadlocked on two random orders)."""
        positions = sorted(positions, key=lambda p: (p.sku, p.location_id))
        self._conn.execute(self._q.upsert_position, [{
            "workspace_id": ws, "sku": p.sku, "location_id": p.location_id, "on_hand": p.on_hand,
            "committed": p.committed, "incoming": p.incoming, "version": p.version,
        } for p in positions])

    def add_hold(self, ws: str, hold_id: str, sku: str, location_id: str, qty: int,
                 expires_at: str) -> None:
        self._conn.execute(self._q.add_hold, {
            "workspace_id": ws, "hold_id": hold_id, "sku": sku, "location_id": location_id,
            "qty": qty, "expires_at": expires_at, "released": 0})

    def release_hold(self, ws: str, hold_id: str) -> None:
        self._conn.execute(self._q.release_hold, {"ws": ws, "hold": hold_id})

    def set_cursor(self, ws: str, seq: int) -> None:
        self._conn.execute(self._q.set_cursor, {"workspace_id": ws, "last_seq": seq})

    # -- a hold's reads and its event (ports.StockTx) ------------------------------------
    def position(self, ws: str, sku: str, location_id: str) -> Position | None:
        row = self._conn.execute(self._q.locked_position,
                                 {"ws": ws, "sku": sku, "loc": location_id}).first()
        return None if row is None else _position(row)

    def held_at(self, ws: str, sku: str, location_id: str, now: str) -> int:
        return int(self._conn.execute(self._q.held_at, {
            "ws": ws, "sku": sku, "loc": location_id, "now": now}).scalar_one())

    def log(self, ws: str, source_id: str, record: EventRecord) -> None:
        self._store.insert_sealed(self._tx, ws, source_id, [record])


class CommerceStore:
    """Reads and writes of the commerce projection (``ports.Commerce``), on an open ``SqlStore``."""

    def __init__(self, store: SqlStore) -> None:
        self.store = store
        self.lock = WorkspaceLocks()  # one projector catch-up of a workspace at a time per process
        self._places: dict[str, tuple[float, list[tuple[str, Entity]]]] = {}
        self._q = statements(store.dialect)

    def _all(self, query: sa.Executable, params: dict[str, Any]) -> Sequence[Any]:
        """The rows of one of ``statements``' reads (built once: ``prepared.rows`` keeps it compiled)."""
        with self.store.connect() as conn:
            return prepared.rows(conn, query, params)

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
        return [e.record for e in self.store.events_of_messages(ws, source_id, message_ids)]

    def suppressed(self, ws: str, identifiers: Collection[str]) -> set[str]:
        return self.store.suppressed_identifiers(ws, identifiers)

    def cursor(self, ws: str) -> int:
        found = self._all(self._q.cursor, {"ws": ws})
        return int(found[0].last_seq) if found else 0

    def high_water(self, ws: str) -> int:
        return self.store.last_seq(ws)

    def log_page(self, ws: str, after: int, upto: int, limit: int) -> list[tuple[int, str, bytes]]:
        """(seq, type, payload) of the commerce events after ``after`` up to ``upto``."""
        rows = self._all(self._q.log_page, {"ws": ws, "after": after, "upto": upto, "limit": limit})
        # Read through the log so sealed orders are opened; an erased one reads as type
        # "erased", which no projection rule applies (the page keeps its length and positions).
        return [(s.seq, s.record.type, s.record.payload)
                for s in self.store.events_at(ws, [int(r.seq) for r in rows])]

    def reset(self, ws: str) -> None:
        with self.store.begin() as conn:
            for name in PROJECTION_TABLES:
                table = self._q.tables[name]
                conn.execute(table.delete().where(table.c.workspace_id == ws))

    # -- entities ------------------------------------------------------------------------
    def entity(self, ws: str, kind: str, entity_id: str) -> Entity | None:
        found = self._all(self._q.entity, {"ws": ws, "kind": kind, "entity": entity_id})
        return _entity(found[0]) if found else None

    def entities(self, ws: str, kind: str, ref: str | None = None) -> list[Entity]:
        if ref is None:
            return [_entity(r) for r in self._all(self._q.entities, {"ws": ws, "kind": kind})]
        return [_entity(r) for r in self._all(self._q.entities_of,
                                              {"ws": ws, "kind": kind, "ref": ref})]

    def entities_named(self, ws: str, kind: str, entity_ids: Sequence[str]) -> list[Entity]:
        return [_entity(r) for ids in core.batches(entity_ids)
                for r in self._all(self._q.entities_named, {"ws": ws, "kind": kind, "ids": list(ids)})]

    def entities_of(self, ws: str, kind: str, refs: Sequence[str]) -> list[Entity]:
        found: dict[str, list[Entity]] = {}
        rows = [r for chunk in core.batches(sorted(set(refs)))
                for r in self._all(self._q.entities_of_refs, {"ws": ws, "kind": kind, "refs": list(chunk)})]
        for r in sorted(rows, key=lambda r: str(r.entity_id)):
            found.setdefault(r.ref, []).append(_entity(r))
        return [e for ref in dict.fromkeys(refs) for e in found.get(ref, [])]

    def locations_and_pool(self, ws: str, channel: str) -> list[tuple[str, Entity]]:
        """Every location, and the channel's pool rule if it has one. Cached for
        ``PLACES_TTL_S`` (they change rarely); this process's projector clears the cache when
        it applies a location or pool event."""
        hit = self._places.get(ws)
        if hit is None or hit[0] < time.monotonic():
            rows = self._all(self._q.places, {"ws": ws})
            hit = (time.monotonic() + PLACES_TTL_S, [(r.kind, _entity(r)) for r in rows])
            self._places[ws] = hit
        return [(kind, e) for kind, e in hit[1] if kind == "location" or e.entity_id == channel]

    def places_changed(self, ws: str) -> None:
        self._places.pop(ws, None)

    def entity_ids_for_keys(self, ws: str, kind: str, keys: Sequence[str]) -> list[str]:
        if not keys:
            return []
        rows = self._all(self._q.entity_ids_for_keys, {"ws": ws, "kind": kind, "keys": list(keys)})
        return sorted({str(r.entity_id) for r in rows})

    # -- stock ---------------------------------------------------------------------------
    def positions(self, ws: str, sku: str) -> list[Position]:
        return [_position(r) for r in self._all(self._q.positions, {"ws": ws, "sku": sku})]

    def all_positions(self, ws: str) -> list[Position]:
        return [_position(r) for r in self._all(self._q.all_positions, {"ws": ws})]

    def stock_of(self, ws: str, sku: str, now: str) -> list[tuple[Position, int]]:
        params = {"ws": ws, "sku": sku, "now": now}
        with self.store.connect() as conn:  # one connection: availability runs this per request
            positions = [_position(r) for r in prepared.rows(conn, self._q.positions, params)]
            held = {r.location_id: int(r.qty) for r in prepared.rows(conn, self._q.held, params)} \
                if positions else {}
        return [(p, held.get(p.location_id, 0)) for p in positions]

    def stocks_of(self, ws: str, skus: Sequence[str], now: str
                  ) -> dict[str, list[tuple[Position, int]]]:
        params = {"ws": ws, "skus": sorted(set(skus)), "now": now}
        out: dict[str, list[tuple[Position, int]]] = {}
        with self.store.connect() as conn:
            positions = [_position(r) for r in prepared.rows(conn, self._q.positions_of, params)]
            held = {(r.sku, r.location_id): int(r.qty)
                    for r in prepared.rows(conn, self._q.held_of, params)} if positions else {}
        for p in positions:
            out.setdefault(p.sku, []).append((p, held.get((p.sku, p.location_id), 0)))
        return out

    def purge(self, ws: str, belongs: Callable[[str], bool]) -> dict[str, int]:
        """Delete the orders and subscriptions whose customer keys ``belongs`` says are an erased
        person's, with all their keys, in the caller's transaction (the erasure's); rows deleted
        per table."""
        counts: dict[str, int] = {}
        with self.store.begin() as conn:
            found = sorted({(r.kind, r.entity_id) for r in conn.execute(
                self._q.keys_of_workspace, {"ws": ws}) if belongs(r.customer_key)})
            for name in ("commerce_keys", "commerce_entities"):
                table = self._q.tables[name]
                for kind, entity_id in found:
                    deleted = conn.execute(table.delete().where(
                        table.c.workspace_id == ws, table.c.kind == kind, table.c.entity_id == entity_id))
                    counts[name] = counts.get(name, 0) + max(deleted.rowcount, 0)
        return counts

    # -- webhook secrets (sealed under the master key: storage/sealed_secrets.py) ----------
    def secret(self, source_id: str) -> str | None:
        s = self._q.tables[SECRETS_TABLE]
        with self.store.connect() as conn:
            found = conn.execute(sa.select(s.c.workspace_id, s.c.secret)
                                 .where(s.c.source_id == source_id)).all()
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
        s = self._q.tables[SECRETS_TABLE]
        with self.store.begin() as conn:
            conn.execute(s.delete().where(s.c.source_id == source_id))
            conn.execute(s.insert().values(source_id=source_id, workspace_id=ws, secret=sealed,
                                           created_at=iso(datetime.now(UTC))))

    def _seal(self, ws: str, source_id: str, secret: str) -> str:
        return seal_secret(self.store.vault, SECRETS_TABLE, ws, source_id, secret)
