"""An in-memory ``commerce.ports.Commerce``: the projection's tables as dicts and the log as a
list, so commerce's use-case rules run without a database. One lock stands for the database's
write transaction (SQLite's ``BEGIN IMMEDIATE``); a transaction that raises is rolled back.

``tests/integration/test_commerce_store_contract.py`` runs the same assertions against this fake
and the SQL store, so the two cannot drift.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Collection, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field

from frontoffice.commerce.ports import Entity, Position
from frontoffice.domain.events import EventRecord
from frontoffice.projection.contract import WorkspaceLocks
from frontoffice.storage.port import AppendBatch, AppendResult


@dataclass(slots=True)
class Hold:
    sku: str
    location_id: str
    qty: int
    expires_at: str
    released: bool = False


@dataclass(slots=True)
class Tables:
    entities: dict[tuple[str, str, str], Entity] = field(default_factory=dict)
    keys: dict[tuple[str, str, str], set[str]] = field(default_factory=dict)
    positions: dict[tuple[str, str, str], Position] = field(default_factory=dict)
    holds: dict[tuple[str, str], Hold] = field(default_factory=dict)
    cursors: dict[str, int] = field(default_factory=dict)
    log: list[tuple[str, str, EventRecord]] = field(default_factory=list)


class FakeTx:
    """``ports.Writes`` and ``ports.StockTx`` over the fake's tables."""

    def __init__(self, t: Tables) -> None:
        self.t = t

    def upsert_entity(self, ws: str, kind: str, entity_id: str, version: int, ref: str | None,
                      doc: str) -> bool:
        old = self.t.entities.get((ws, kind, entity_id))
        if old is not None and not (version > old.version or (version == old.version and doc > old.doc)):
            return False
        self.t.entities[(ws, kind, entity_id)] = Entity(entity_id, version, ref, doc)
        return True

    def set_keys(self, ws: str, kind: str, entity_id: str, keys: Iterable[str]) -> None:
        self.t.keys[(ws, kind, entity_id)] = set(keys)

    def upsert_positions(self, ws: str, positions: Sequence[Position]) -> None:
        for p in positions:
            old = self.t.positions.get((ws, p.sku, p.location_id))
            if old is None or p.version > old.version or (p.version == old.version and
                                                          p.on_hand < old.on_hand):
                self.t.positions[(ws, p.sku, p.location_id)] = p

    def add_hold(self, ws: str, hold_id: str, sku: str, location_id: str, qty: int,
                 expires_at: str) -> None:
        self.t.holds.setdefault((ws, hold_id), Hold(sku, location_id, qty, expires_at))

    def release_hold(self, ws: str, hold_id: str) -> None:
        if (ws, hold_id) in self.t.holds:
            self.t.holds[(ws, hold_id)].released = True

    def set_cursor(self, ws: str, seq: int) -> None:
        self.t.cursors[ws] = max(seq, self.t.cursors.get(ws, seq))

    def position(self, ws: str, sku: str, location_id: str) -> Position | None:
        return self.t.positions.get((ws, sku, location_id))

    def held_at(self, ws: str, sku: str, location_id: str, now: str) -> int:
        return sum(h.qty for (w, _), h in self.t.holds.items() if w == ws and h.sku == sku
                   and h.location_id == location_id and not h.released and h.expires_at > now)

    def log(self, ws: str, source_id: str, record: EventRecord) -> None:
        if not any(s == source_id and r.message_id == record.message_id for _, s, r in self.t.log):
            self.t.log.append((ws, source_id, record))


class FakeCommerce:
    def __init__(self) -> None:
        self.t = Tables()
        self.erased: set[tuple[str, str]] = set()  # (ws, "kind:value") of erased people
        self._lock = threading.RLock()
        self.lock = WorkspaceLocks()

    @contextmanager
    def transaction(self) -> Iterator[FakeTx]:
        with self._lock:
            before = copy.deepcopy(self.t)
            try:
                yield FakeTx(self.t)
            except BaseException:
                self.t = before
                raise

    def stock(self) -> AbstractContextManager[FakeTx]:
        return self.transaction()

    def places_changed(self, ws: str) -> None:
        """Nothing is cached."""

    def append(self, batch: AppendBatch) -> AppendResult:
        with self.transaction() as tx:
            before = len(self.t.log)
            for record in batch.events:
                tx.log(batch.workspace_id, batch.source_id, record)
            inserted = len(self.t.log) - before
        return AppendResult(inserted, len(batch.events) - inserted, 0)

    def logged(self, ws: str, source_id: str, message_ids: Sequence[str]) -> list[EventRecord]:
        wanted = set(message_ids)
        return [r for w, s, r in self.t.log if w == ws and s == source_id and r.message_id in wanted]

    def suppressed(self, ws: str, identifiers: Collection[str]) -> set[str]:
        return {i for i in identifiers if (ws, i) in self.erased}

    # -- reads ---------------------------------------------------------------------------
    def entity(self, ws: str, kind: str, entity_id: str) -> Entity | None:
        return self.t.entities.get((ws, kind, entity_id))

    def entities(self, ws: str, kind: str, ref: str | None = None) -> list[Entity]:
        return sorted((e for (w, k, _), e in self.t.entities.items()
                       if w == ws and k == kind and (ref is None or e.ref == ref)),
                      key=lambda e: e.entity_id)

    def entities_named(self, ws: str, kind: str, entity_ids: Sequence[str]) -> list[Entity]:
        return [e for i in entity_ids if (e := self.t.entities.get((ws, kind, i))) is not None]

    def entities_of(self, ws: str, kind: str, refs: Sequence[str]) -> list[Entity]:
        return [e for ref in dict.fromkeys(refs) for e in self.entities(ws, kind, ref)]

    def locations_and_pool(self, ws: str, channel: str) -> list[tuple[str, Entity]]:
        return [(k, e) for (w, k, i), e in self.t.entities.items()
                if w == ws and (k == "location" or (k == "pool" and i == channel))]

    def entity_ids_for_keys(self, ws: str, kind: str, keys: Sequence[str]) -> list[str]:
        return sorted({i for (w, k, i), have in self.t.keys.items()
                       if w == ws and k == kind and have & set(keys)})

    def positions(self, ws: str, sku: str) -> list[Position]:
        return [p for (w, s, _), p in self.t.positions.items() if w == ws and s == sku]

    def all_positions(self, ws: str) -> list[Position]:
        return [p for (w, _, _), p in self.t.positions.items() if w == ws]

    def stock_of(self, ws: str, sku: str, now: str) -> list[tuple[Position, int]]:
        tx = FakeTx(self.t)
        return [(p, tx.held_at(ws, sku, p.location_id, now)) for p in self.positions(ws, sku)]

    def stocks_of(self, ws: str, skus: Sequence[str], now: str
                  ) -> dict[str, list[tuple[Position, int]]]:
        return {sku: found for sku in skus if (found := self.stock_of(ws, sku, now))}
