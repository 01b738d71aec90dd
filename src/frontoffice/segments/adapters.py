"""The projection's ports on one storage: segments' tables, identity's ``People``, the log, and
consent read through the outbound gate (the one place consent decides who may be contacted)."""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import UTC, datetime

from frontoffice.identity.people_store import PeopleSql
from frontoffice.outbound.store import gate_for
from frontoffice.segments.projector import SegmentsProjector
from frontoffice.segments.store import SegmentsStore
from frontoffice.storage.sql import SqlStore


class GateConsent:
    """``ports.ConsentCheck`` on the outbound gate: fails closed (a gate error is a refusal)."""

    def __init__(self, store: SqlStore) -> None:
        self._store = store

    def allowed(self, ws: str, person_ids: Collection[str], consents: Collection[tuple[str, str]],
                now_ms: int) -> dict[str, set[tuple[str, str]]]:
        gate = gate_for(self._store, ws, datetime.fromtimestamp(now_ms / 1000, UTC))
        refs = [f"person:{p}" for p in person_ids]
        gate.prefetch(refs)
        return {p: {(purpose, channel) for purpose, channel in consents
                    if gate.check(f"person:{p}", purpose, channel).allowed} for p in person_ids}


def projector_for(store: SqlStore, clock: Callable[[], float] | None = None) -> SegmentsProjector:
    """The segments projection of ``store`` (``clock``: seconds since the epoch, ``time.time``)."""
    if clock is None:
        return SegmentsProjector(SegmentsStore(store), store, PeopleSql(store), GateConsent(store))
    return SegmentsProjector(SegmentsStore(store), store, PeopleSql(store), GateConsent(store), clock)
