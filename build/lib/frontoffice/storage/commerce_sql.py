"""Commerce projection tables on the same SQL core as the event log (SQLite and PostgreSQL).

Every write is an idempotent upsert guarded by the entity's version, so replaying the log, a
duplicate delivery or an out-of-order one all end in the same rows.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from frontoffice.domain.events import EventRecord, iso
from frontoffice.projection.contract import WorkspaceLocks
from frontoffice.storage.sealed_secrets import open_secret, seal_secret
from frontoffice.storage.sql import Cursor, SqlStore

COMMERCE = "commerce"
PLACES_TTL_S = 5.0
SECRETS_TABLE = "commerce_secrets"


@dataclass(frozen=True, slots=True)
class Position:
    sku: str
    location_id: str
    on_hand: int
    committed: int
    incoming: int
    version: int


@dataclass(frozen=True, slots=True)
class Entity:
    entity_id: str
    version: int
    ref: str | None
    doc: str


class ProjectionTx:
    """The writes the projector may make, inside one transaction."""

    def __init__(self, sql: Any, cur: Cursor) -> None:
        self._sql = sql
        self._cur = cur

    def _run(self, statement: str, params: Sequence[Any]) -> int:
        self._cur.execute(self._sql(statement), params)
        return self._cur.rowcount

    def upsert_entity(self, ws: str, kind: str, entity_id: str, version: int, ref: str | None,
                      doc: str) -> bool:
        """True when this version became the entity's state (ties broken by content)."""
        return self._run(
            "INSERT INTO commerce_entities (workspace_id, kind, entity_id, version, ref, doc) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (workspace_id, kind, entity_id) DO UPDATE SET "
            "version = excluded.version, ref = excluded.ref, doc = excluded.doc "
            "WHERE excluded.version > commerce_entities.version OR (excluded.version = "
            "commerce_entities.version AND excluded.doc > commerce_entities.doc)",
            (ws, kind, entity_id, version, ref, doc)) > 0

    def set_keys(self, ws: str, kind: str, entity_id: str, keys: Iterable[str]) -> None:
        self._run("DELETE FROM commerce_keys WHERE workspace_id = ? AND kind = ? AND entity_id = ?",
                  (ws, kind, entity_id))
        for key in sorted(set(keys)):
            self._run("INSERT INTO commerce_keys (workspace_id, customer_key, kind, entity_id) "
                      "VALUES (?, ?, ?, ?)", (ws, key, kind, entity_id))

    def upsert_position(self, ws: str, p: Position) -> bool:
        return self._run(
            "INSERT INTO commerce_positions (workspace_id, sku, location_id, on_hand, committed, "
            "incoming, version) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (workspace_id, sku, "
            "location_id) DO UPDATE SET on_hand = excluded.on_hand, committed = excluded.committed, "
            "incoming = excluded.incoming, version = excluded.version "
            "WHERE excluded.version > commerce_positions.version OR (excluded.version = "
            "commerce_positions.version AND excluded.on_hand < commerce_positions.on_hand)",
            (ws, p.sku, p.location_id, p.on_hand, p.committed, p.incoming, p.version)) > 0

    def add_hold(self, ws: str, hold_id: str, sku: str, location_id: str, qty: int,
                 expires_at: str) -> None:
        self._run("INSERT INTO commerce_holds (workspace_id, hold_id, sku, location_id, qty, "
                  "expires_at, released) VALUES (?, ?, ?, ?, ?, ?, 0) "
                  "ON CONFLICT (workspace_id, hold_id) DO NOTHING",
                  (ws, hold_id, sku, location_id, qty, expires_at))

    def release_hold(self, ws: str, hold_id: str) -> None:
        self._run("UPDATE commerce_holds SET released = 1 WHERE workspace_id = ? AND hold_id = ?",
                  (ws, hold_id))

    def set_cursor(self, ws: str, seq: int) -> None:
        self._run("INSERT INTO commerce_cursor (workspace_id, last_seq) VALUES (?, ?) "
                  "ON CONFLICT (workspace_id) DO UPDATE SET last_seq = excluded.last_seq "
                  "WHERE excluded.last_seq > commerce_cursor.last_seq", (ws, seq))


class CommerceStore:
    """Reads and writes of the commerce projection, on an open ``SqlStore``."""

    def __init__(self, store: SqlStore) -> None:
        self.store = store
        self.lock = WorkspaceLocks()  # one projector catch-up of a workspace at a time per process
        self._places: dict[str, tuple[float, list[tuple[str, Entity]]]] = {}

    def _read(self, statement: str, params: Sequence[Any] = ()) -> list[Any]:
        return self.store.query(statement, params)

    @contextmanager
    def transaction(self) -> Iterator[ProjectionTx]:
        with self.store.transaction() as cur:
            yield ProjectionTx(self.store.sql, cur)

    # -- the log -------------------------------------------------------------------------
    def cursor(self, ws: str) -> int:
        rows = self._read("SELECT last_seq FROM commerce_cursor WHERE workspace_id = ?", (ws,))
        return int(rows[0][0]) if rows else 0

    def high_water(self, ws: str) -> int:
        rows = self._read("SELECT max(seq) FROM events WHERE workspace_id = ?", (ws,))
        return int(rows[0][0] or 0)

    def log_page(self, ws: str, after: int, upto: int, limit: int) -> list[tuple[int, str, bytes]]:
        """(seq, type, payload) of the commerce events after ``after`` up to ``upto``."""
        rows = self._read("SELECT seq FROM events WHERE workspace_id = ? AND "
                          "seq > ? AND seq <= ? AND family = ? ORDER BY seq LIMIT ?",
                          (ws, after, upto, COMMERCE, limit))
        # Read through the log so sealed orders are opened; an erased one reads as type
        # "erased", which no projection rule applies (the page keeps its length and positions).
        return [(e.seq, e.record.type, e.record.payload)
                for e in self.store.events_at(ws, [int(r[0]) for r in rows])]

    def reset(self, ws: str) -> None:
        with self.transaction() as tx:
            for table in ("commerce_entities", "commerce_keys", "commerce_positions",
                          "commerce_holds", "commerce_cursor"):
                tx._run(f"DELETE FROM {table} WHERE workspace_id = ?", (ws,))

    # -- entities ------------------------------------------------------------------------
    def entity(self, ws: str, kind: str, entity_id: str) -> Entity | None:
        rows = self._read("SELECT entity_id, version, ref, doc FROM commerce_entities "
                          "WHERE workspace_id = ? AND kind = ? AND entity_id = ?",
                          (ws, kind, entity_id))
        return Entity(rows[0][0], int(rows[0][1]), rows[0][2], rows[0][3]) if rows else None

    def entities(self, ws: str, kind: str, ref: str | None = None) -> list[Entity]:
        sql = ("SELECT entity_id, version, ref, doc FROM commerce_entities "
               "WHERE workspace_id = ? AND kind = ?")
        params: tuple[str, ...] = (ws, kind)
        if ref is not None:
            sql, params = sql + " AND ref = ?", (*params, ref)
        rows = self._read(sql + " ORDER BY entity_id", params)
        return [Entity(r[0], int(r[1]), r[2], r[3]) for r in rows]

    def locations_and_pool(self, ws: str, channel: str) -> list[tuple[str, Entity]]:
        """Every location, and the channel's pool rule if it has one. Cached for
        ``PLACES_TTL_S`` (they change rarely); this process's projector clears the cache when
        it applies a location or pool event."""
        hit = self._places.get(ws)
        if hit is None or hit[0] < time.monotonic():
            rows = self._read("SELECT kind, entity_id, version, ref, doc FROM commerce_entities "
                              "WHERE workspace_id = ? AND kind IN ('location', 'pool')", (ws,))
            hit = (time.monotonic() + PLACES_TTL_S,
                   [(r[0], Entity(r[1], int(r[2]), r[3], r[4])) for r in rows])
            self._places[ws] = hit
        return [(kind, e) for kind, e in hit[1] if kind == "location" or e.entity_id == channel]

    def places_changed(self, ws: str) -> None:
        self._places.pop(ws, None)

    def entity_ids_for_keys(self, ws: str, kind: str, keys: Sequence[str]) -> list[str]:
        if not keys:
            return []
        marks = ", ".join("?" for _ in keys)
        rows = self._read(f"SELECT DISTINCT entity_id FROM commerce_keys WHERE workspace_id = ? "
                          f"AND kind = ? AND customer_key IN ({marks}) ORDER BY entity_id",
                          (ws, kind, *keys))
        return [r[0] for r in rows]

    # -- stock ---------------------------------------------------------------------------
    def positions(self, ws: str, sku: str) -> list[Position]:
        rows = self._read("SELECT sku, location_id, on_hand, committed, incoming, version FROM "
                          "commerce_positions WHERE workspace_id = ? AND sku = ?", (ws, sku))
        return [Position(r[0], r[1], int(r[2]), int(r[3]), int(r[4]), int(r[5])) for r in rows]

    def all_positions(self, ws: str) -> list[Position]:
        rows = self._read("SELECT sku, location_id, on_hand, committed, incoming, version FROM "
                          "commerce_positions WHERE workspace_id = ?", (ws,))
        return [Position(r[0], r[1], int(r[2]), int(r[3]), int(r[4]), int(r[5])) for r in rows]

    def held(self, ws: str, sku: str, now: str) -> dict[str, int]:
        rows = self._read("SELECT location_id, sum(qty) FROM commerce_holds WHERE workspace_id = ? "
                          "AND sku = ? AND released = 0 AND expires_at > ? GROUP BY location_id",
                          (ws, sku, now))
        return {r[0]: int(r[1]) for r in rows}

    def place_hold(self, ws: str, source_id: str, record: EventRecord, hold_id: str, sku: str,
                   location_id: str, qty: int, expires_at: str,
                   admit: Callable[[tuple[int, int] | None, int], int]) -> int:
        """Appends the hold's event and applies it in one transaction, if ``admit`` (commerce's
        stock rule, given the locked position's (on hand, committed), or None, and the active
        holds) lets it: ``admit`` raises to refuse, else says what stays available."""
        with self.store.transaction() as cur:
            sql = self.store.sql
            cur.execute(sql("SELECT on_hand, committed FROM commerce_positions WHERE "
                            f"workspace_id = ? AND sku = ? AND location_id = ?{self.store.row_lock}"),
                        (ws, sku, location_id))
            row = cur.fetchone()
            cur.execute(sql("SELECT coalesce(sum(qty), 0) FROM commerce_holds WHERE workspace_id "
                            "= ? AND sku = ? AND location_id = ? AND released = 0 AND "
                            "expires_at > ?"), (ws, sku, location_id, record.received_at))
            held = int(cur.fetchone()[0])
            left = admit(None if row is None else (int(row[0]), int(row[1])), held)
            self.store.insert_sealed(cur, ws, source_id, [record])
            tx = ProjectionTx(sql, cur)
            tx.add_hold(ws, hold_id, sku, location_id, qty, expires_at)
            return left

    # -- webhook secrets (sealed under the master key: storage/sealed_secrets.py) ----------
    def secret(self, source_id: str) -> str | None:
        rows = self._read("SELECT workspace_id, secret FROM commerce_secrets WHERE source_id = ?",
                          (source_id,))
        if not rows:
            return None
        ws, stored = str(rows[0][0]), str(rows[0][1])
        opened = open_secret(self.store.vault, SECRETS_TABLE, ws, source_id, stored)
        if opened.plain:  # written by an older frontoffice: sealed now, unless changed meanwhile
            self.store.execute("UPDATE commerce_secrets SET secret = ? WHERE source_id = ? AND secret = ?",
                               (self._seal(ws, source_id, opened.value), source_id, stored))
        return opened.value

    def set_secret(self, ws: str, source_id: str, secret: str) -> None:
        sealed = self._seal(ws, source_id, secret)
        with self.transaction() as tx:
            tx._run("DELETE FROM commerce_secrets WHERE source_id = ?", (source_id,))
            tx._run("INSERT INTO commerce_secrets (source_id, workspace_id, secret, created_at) "
                    "VALUES (?, ?, ?, ?)", (source_id, ws, sealed, iso(datetime.now(UTC))))

    def _seal(self, ws: str, source_id: str, secret: str) -> str:
        return seal_secret(self.store.vault, SECRETS_TABLE, ws, source_id, secret)
