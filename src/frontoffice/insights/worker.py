"""Insights in the worker: the projection folds the log as it moves, and once the workspace has
rollups, every ``DETECT_SECONDS`` it runs the detector, which logs ``insight.flagged`` for each new
finding (webhook destinations can follow those events) and opens its service task in the inbox."""

from __future__ import annotations

import time

from frontoffice.domain.events import now
from frontoffice.insights import service
from frontoffice.insights.store import FAMILIES
from frontoffice.insights.wiring import hub
from frontoffice.projection.contract import Progress
from frontoffice.settings import Settings
from frontoffice.storage.sql import SqlStore

DETECT_SECONDS = 3600.0


class InsightsProjection:
    """``projection.contract.Projection`` for one storage."""

    name = "insights"
    reads = frozenset(FAMILIES)

    def __init__(self, store: SqlStore, settings: Settings) -> None:
        self.hub = hub(store, settings)
        self._next: dict[str, float] = {}  # the next detector run of each workspace with rollups

    def catch_up(self, ws: str, on_progress: Progress) -> int:
        applied = self.hub.catch_up(ws)
        clock = time.monotonic()
        if clock >= self._next.get(ws, 0.0) and self.hub.last_day(ws) is not None:
            self._next[ws] = clock + DETECT_SECONDS
            ran = service.run(self.hub, ws, now(), decisions=self.hub.decisions, tasks=self.hub.tasks)
            applied += len(ran.raised)
        return applied

    def rebuild(self, ws: str) -> int:
        return self.hub.rebuild(ws)

    def due(self, ws: str) -> float | None:
        return self._next.get(ws)
