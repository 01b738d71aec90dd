"""The inbox in the worker: the projection folds the log, and every ``SWEEP_SECONDS`` per
workspace the sweeps run: SLA breaches, and proactive conversations for late or failed
deliveries."""

from __future__ import annotations

import time
from collections.abc import Callable

from frontoffice.domain.events import now
from frontoffice.inbox import proactive, service
from frontoffice.inbox.deps import Desk
from frontoffice.inbox.projector import InboxHub
from frontoffice.projection.contract import Progress
from frontoffice.storage.sql import SqlStore

SWEEP_SECONDS = 60.0


class InboxProjection:
    """``projection.contract.Projection`` for one storage."""

    name = "inbox"

    def __init__(self, store: SqlStore, desk: Callable[[], Desk]) -> None:
        self.hub, self._desk = InboxHub(store), desk
        self._next: dict[str, float] = {}

    def catch_up(self, ws: str, on_progress: Progress) -> int:
        applied = self.hub.catch_up(ws)
        if time.monotonic() >= self._next.get(ws, 0.0):
            self._next[ws] = time.monotonic() + SWEEP_SECONDS
            desk, at = self._desk(), now()
            applied += len(service.sweep_sla(desk, ws, at)) + len(proactive.open_for_alerts(desk, ws, at))
        return applied

    def rebuild(self, ws: str) -> int:
        return self.hub.rebuild(ws)

    def due(self, ws: str) -> float | None:
        return self._next.get(ws, time.monotonic())
