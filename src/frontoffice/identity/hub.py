"""The identity hub: one projector and one live matcher per workspace in this process."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from frontoffice.identity.live_match import MatchConfig
from frontoffice.identity.match_service import LiveMatcher, MatchReport
from frontoffice.identity.people import People
from frontoffice.identity.people_store import PeopleSql
from frontoffice.identity.projector import Progress, Projector
from frontoffice.identity.store import IdentitySql
from frontoffice.projection.contract import WorkspaceLocks
from frontoffice.storage.sql import SqlStore


class IdentityHub:
    """One projector (and one live matcher) per workspace in this process; callers serialise on
    its lock."""

    def __init__(self, store: SqlStore, match: MatchConfig | None = None) -> None:
        self.store = store
        self.tables = IdentitySql(store)
        self.match_config = match or MatchConfig()
        self._matchers: dict[str, LiveMatcher] = {}
        self._unmatched: dict[str, tuple[int, float]] = {}  # records seen, time of the last run
        self._projectors: dict[str, Projector] = {}
        self._locks = WorkspaceLocks()
        self._guard = threading.Lock()
        self.people: People = PeopleSql(store)
        """Identity's read port on this storage, for other capabilities (erasure, outbound)."""

    def _get(self, workspace_id: str) -> tuple[Projector, threading.Lock]:
        with self._guard:
            if workspace_id not in self._projectors:
                self._projectors[workspace_id] = Projector(self.store, self.tables, workspace_id)
            return self._projectors[workspace_id], self._locks(workspace_id)

    def catch_up(self, workspace_id: str, on_progress: Callable[[int], None] | None = None) -> Progress:
        projector, lock = self._get(workspace_id)
        with lock:
            return projector.catch_up(on_progress)

    def rebuild(self, workspace_id: str, on_progress: Callable[[int], None] | None = None) -> Progress:
        projector, lock = self._get(workspace_id)
        with lock:
            return projector.rebuild(on_progress)

    def _matcher(self, workspace_id: str) -> LiveMatcher:
        if workspace_id not in self._matchers:
            self._matchers[workspace_id] = LiveMatcher(self.store, workspace_id, self.match_config)
        return self._matchers[workspace_id]

    def match(self, workspace_id: str, rescore_all: bool = False) -> MatchReport:
        """One micro-batch (or, with ``rescore_all``, a full re-cluster): catch up, score the
        records without a login that arrived since the last run, apply the merges it found, then
        the namesake pass on the people that gives (and apply its joins)."""
        projector, lock = self._get(workspace_id)
        with lock:
            projector.catch_up()
            report = self._matcher(workspace_id).run(rescore_all, catch_up=projector.catch_up)
            projector.catch_up()
        self._unmatched[workspace_id] = (0, time.monotonic())
        return report

    def train(self, workspace_id: str) -> int:
        """(Re)train the workspace's model on its records; how many distinct records it used."""
        projector, lock = self._get(workspace_id)
        with lock:
            projector.catch_up()
            return self._matcher(workspace_id).train()

    def follow(self, workspace_id: str, on_progress: Callable[[int], None] | None = None) -> Progress:
        """What the worker runs: catch up, then, once the log is quiet (this round applied
        nothing), a micro-batch when enough records arrived (``batch_records``) or some did and
        ``interval_seconds`` passed since the last one. Waiting for a quiet log keeps a bulk load
        from being matched (and the model trained) on its first part only."""
        progress = self.catch_up(workspace_id, on_progress)
        config = self.match_config
        if config.interval_seconds <= 0:
            return progress
        seen, last = self._unmatched.get(workspace_id, (-1, 0.0))
        if seen < 0:  # first look in this process: records may have arrived while it was down
            seen = int(self.tables.count_records(workspace_id) > 0)
        seen += progress.events
        self._unmatched[workspace_id] = (seen, last)
        elapsed = time.monotonic() - last >= config.interval_seconds
        if progress.events == 0 and (seen >= config.batch_records or (seen > 0 and elapsed)):
            self.match(workspace_id)
        return progress

    def next_match_at(self, workspace_id: str) -> float | None:
        """When ``follow`` would run a micro-batch on a quiet log (``time.monotonic()``); None
        when no record waits to be matched or the worker does not match."""
        seen, last = self._unmatched.get(workspace_id, (0, 0.0))
        if self.match_config.interval_seconds <= 0 or seen <= 0:
            return None
        if seen >= self.match_config.batch_records:
            return time.monotonic()
        return last + self.match_config.interval_seconds


class IdentityFollow:
    """Identity as the runner drives it: ``follow`` (catch up, then match on a quiet log)."""

    name = "identity"
    reads = None  # also review decisions and erasures, kept in its tables

    def __init__(self, hub: IdentityHub) -> None:
        self.hub = hub

    def catch_up(self, ws: str, on_progress: Callable[[int], None]) -> int:
        return self.hub.follow(ws, on_progress).events

    def rebuild(self, ws: str) -> int:
        return self.hub.rebuild(ws).events

    def due(self, ws: str) -> float | None:
        return self.hub.next_match_at(ws)
