"""The inbox in the worker: the projection folds the log; every ``SWEEP_SECONDS`` per workspace
the SLA sweep logs breaches; and once the log moved (commerce may have reported a late or
failed delivery), at most every ``PROACTIVE_SECONDS``, the proactive sweep opens conversations
for the new alerts."""

from __future__ import annotations

import time
from collections.abc import Callable

from frontoffice.commerce.ports import COMMERCE
from frontoffice.domain.events import now
from frontoffice.inbox import proactive, slas
from frontoffice.inbox.deps import Desk
from frontoffice.inbox.ports import INBOX
from frontoffice.inbox.projector import InboxHub
from frontoffice.projection.contract import Progress
from frontoffice.storage.sql import SqlStore

SWEEP_SECONDS = 60.0
PROACTIVE_SECONDS = 1.0


class InboxProjection:
    """``projection.contract.Projection`` for one storage."""

    name = "inbox"
    reads = frozenset({INBOX, COMMERCE})  # its own events; commerce's delivery alerts (proactive)

    def __init__(self, store: SqlStore, desk: Callable[[], Desk]) -> None:
        self.hub, self._desk = InboxHub(store), desk
        self._next: dict[str, float] = {}  # the next SLA sweep
        self._swept: dict[str, float] = {}  # the last proactive sweep
        self._owed: set[str] = set()  # workspaces whose log moved since their last proactive sweep

    def catch_up(self, ws: str, on_progress: Progress) -> int:
        applied = self.hub.catch_up(ws)
        clock = time.monotonic()
        self._owed.add(ws)  # called because the log moved (or a sweep is due)
        if clock >= self._next.get(ws, 0.0):
            self._next[ws] = clock + SWEEP_SECONDS
            applied += len(slas.sweep(self._desk(), ws, now()))
        if clock >= self._swept.get(ws, 0.0) + PROACTIVE_SECONDS:
            self._owed.discard(ws)
            self._swept[ws] = clock
            applied += len(proactive.open_for_alerts(self._desk(), ws, now()))
        return applied

    def rebuild(self, ws: str) -> int:
        return self.hub.rebuild(ws)

    def due(self, ws: str) -> float | None:
        sla = self._next.get(ws, time.monotonic())
        return min(sla, self._swept.get(ws, 0.0) + PROACTIVE_SECONDS) if ws in self._owed else sla
