"""What commerce's use cases need from storage: the ports ``commerce.store.CommerceStore``
implements over SQL and ``tests/fakes/commerce.py`` in memory.

The rules (what a hold may take, which transition an order may make, what is available) live in
the use cases and the domain modules; a store only reads and persists.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Protocol

from frontoffice.domain.events import EventRecord
from frontoffice.storage.port import AppendBatch, AppendResult

COMMERCE = "commerce"  # the events' family in the log


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


class Writes(Protocol):
    """The writes the projection makes, inside one transaction; each is idempotent."""

    def upsert_entity(self, ws: str, kind: str, entity_id: str, version: int, ref: str | None,
                      doc: str) -> bool:
        """True when this version became the entity's state (ties broken by content)."""
        ...

    def set_keys(self, ws: str, kind: str, entity_id: str, keys: Iterable[str]) -> None: ...
    def upsert_positions(self, ws: str, positions: Sequence[Position]) -> None:
        """In order; each takes a higher version, or on a tie the lower count on hand."""
        ...
    def add_hold(self, ws: str, hold_id: str, sku: str, location_id: str, qty: int,
                 expires_at: str) -> None: ...
    def release_hold(self, ws: str, hold_id: str) -> None: ...
    def set_cursor(self, ws: str, seq: int) -> None: ...


class StockTx(Writes, Protocol):
    """One write transaction deciding a hold: what it reads stays as read until it commits."""

    def position(self, ws: str, sku: str, location_id: str) -> Position | None:
        """The location's stock position, locked until the transaction ends."""
        ...

    def held_at(self, ws: str, sku: str, location_id: str, now: str) -> int:
        """Units of active holds (not released, expiring after ``now``) at the location."""
        ...

    def log(self, ws: str, source_id: str, record: EventRecord) -> None:
        """Append ``record`` to the event log in this transaction."""
        ...


class CommerceState(Protocol):
    """Reads of the commerce projection."""

    def entity(self, ws: str, kind: str, entity_id: str) -> Entity | None: ...
    def entities(self, ws: str, kind: str, ref: str | None = None) -> list[Entity]: ...
    def entities_named(self, ws: str, kind: str, entity_ids: Sequence[str]) -> list[Entity]:
        """Those of the entities with these ids that exist."""
        ...

    def entities_of(self, ws: str, kind: str, refs: Sequence[str]) -> list[Entity]:
        """The entities of ``kind`` referring to any of ``refs`` (the returns of some orders), in
        the order of ``refs``, each ref's in entity id order: ``entities(ws, kind, ref)`` for
        each ref, in one read."""
        ...

    def locations_and_pool(self, ws: str, channel: str) -> list[tuple[str, Entity]]:
        """Every location ("location", e) and the channel's pool rule ("pool", e) if it has one."""
        ...

    def entity_ids_for_keys(self, ws: str, kind: str, keys: Sequence[str]) -> list[str]: ...
    def positions(self, ws: str, sku: str) -> list[Position]: ...
    def all_positions(self, ws: str) -> list[Position]: ...

    def stock_of(self, ws: str, sku: str, now: str) -> list[tuple[Position, int]]:
        """The SKU's positions, each with the units of its location's active holds (not
        released, expiring after ``now``)."""
        ...

    def stocks_of(self, ws: str, skus: Sequence[str], now: str
                  ) -> dict[str, list[tuple[Position, int]]]:
        """``stock_of`` for many SKUs at once (a SKU with no position is absent)."""
        ...


class Commerce(CommerceState, Protocol):
    """The projection, the log it is made from, and the transactions the use cases open."""

    def lock(self, ws: str) -> AbstractContextManager[Any]:
        """This process's one projection writer of ``ws`` at a time (the catch-up's too)."""
        ...

    def transaction(self) -> AbstractContextManager[Writes]: ...
    def stock(self) -> AbstractContextManager[StockTx]: ...
    def places_changed(self, ws: str) -> None:
        """Locations or pool rules changed: forget any cached copy."""
        ...

    def append(self, batch: AppendBatch) -> AppendResult: ...

    def logged(self, ws: str, source_id: str, message_ids: Sequence[str]) -> list[EventRecord]:
        """The events of ``source_id`` with these message ids as the log holds them, in log order."""
        ...

    def suppressed(self, ws: str, identifiers: Collection[str]) -> set[str]:
        """Which ``kind:value`` identifiers belong to an erased person."""
        ...
