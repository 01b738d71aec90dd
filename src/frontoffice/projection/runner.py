"""The one projection runner: every projection of every workspace, isolated, woken by the log.

A scheduling loop polls each storage's log head (``LogWatch``: one statement per storage, not
per workspace) and queues the workspaces whose log moved, plus those a projection asked to see
again (``Projection.due``). A small pool of threads takes one workspace at a time and runs its
projections in order under ``retry_moved``; a workspace is never queued twice, and one that
moved while it ran goes round again. A slow workspace therefore holds one thread, not the loop,
and a quiet workspace costs nothing. A projection that names the families it ``reads`` is
skipped on a pass when none of them moved (a tracking stream costs commerce's projection
nothing); on a timer, after a failure and at start every projection runs. ``after`` is told
of every workspace whose projections applied something (the worker hands it to destination
delivery, which runs on its own threads).
"""

from __future__ import annotations

import heapq
import logging
import queue
import threading
import time
from collections.abc import Callable, Collection, Sequence
from typing import TYPE_CHECKING

from frontoffice.projection.changes import LogWatch
from frontoffice.projection.contract import Progress, Projection, retry_moved

if TYPE_CHECKING:
    from frontoffice.storage.sql import SqlStore

log = logging.getLogger(__name__)
POLL_S = 0.05
FAILED_RETRY_S = 1.0


class Stopped(Exception):
    """Raised by the stop check between batches: the runner is stopping."""


class Runner:
    """Runs each storage's projections (``stores``) for its workspaces (``store_of`` says which
    storage holds a workspace); ``workspaces`` lists the active workspaces (run once at start:
    their logs may have moved while nothing ran); ``active(ws)`` says whether a workspace that
    moved is still active."""

    def __init__(self, stores: Sequence[tuple[SqlStore, Sequence[Projection]]],
                 store_of: Callable[[str], SqlStore], workspaces: Callable[[], list[str]],
                 active: Callable[[str], bool], check: Callable[[], None], *, threads: int = 2,
                 after: Callable[[str], None] = lambda ws: None) -> None:
        self._projections = {id(store): list(projections) for store, projections in stores}
        self._watches = [LogWatch(store) for store, _ in stores]
        self._store_of, self._workspaces, self._active = store_of, workspaces, active
        self._check, self._after, self._threads = check, after, threads
        self._ready: queue.SimpleQueue[str | None] = queue.SimpleQueue()
        self._queued: set[str] = set()  # waiting or running
        self._again: set[str] = set()  # moved while running: run again when done
        self._timers: list[tuple[float, str]] = []
        self._due: dict[str, float] = {}  # the earliest timer of each workspace
        self._moved_families: dict[str, set[str] | None] = {}  # since the last pass; None: every one
        self._guard = threading.Lock()

    def _queue(self, ws: str, families: Collection[str] | None = None) -> None:
        """Run ``ws``'s projections of these families, or every one (None)."""
        with self._guard:
            held = self._moved_families.get(ws, set())
            self._moved_families[ws] = None if held is None or families is None else held | set(families)
            if ws in self._queued:
                self._again.add(ws)
                return
            self._queued.add(ws)
        self._ready.put(ws)

    def _done(self, ws: str) -> None:
        with self._guard:
            again = ws in self._again
            self._again.discard(ws)
            if not again:
                self._queued.discard(ws)
        if again:
            self._ready.put(ws)

    def _later(self, at: float, ws: str) -> None:
        with self._guard:
            if at < self._due.get(ws, float("inf")):
                self._due[ws] = at
                heapq.heappush(self._timers, (at, ws))

    def _due_now(self) -> list[str]:
        now, found = time.monotonic(), []
        with self._guard:
            while self._timers and self._timers[0][0] <= now:
                at, ws = heapq.heappop(self._timers)
                if self._due.get(ws) == at:  # not replaced by an earlier timer since
                    del self._due[ws]
                    found.append(ws)
        return found

    def moved(self) -> dict[str, set[str] | None]:
        """The workspaces to run: those whose log moved, with the families that moved, and those
        a timer asks for (None: every projection)."""
        found: dict[str, set[str] | None] = {}
        for watch in self._watches:
            found.update((ws, families) for ws, families in watch.moved().items() if self._active(ws))
        found.update((ws, None) for ws in self._due_now())
        return found

    def run_workspace(self, ws: str, on_progress: Progress, families: Collection[str] | None = None) -> int:
        """The projections of ``ws`` once, in order: every one, or those reading one of
        ``families`` (the families that moved) or reading everything; how much they applied."""
        store = self._store_of(ws)
        applied = 0
        for projection in self._projections[id(store)]:
            if families is None or projection.reads is None or not projection.reads.isdisjoint(families):
                applied += retry_moved(lambda p=projection: p.catch_up(ws, on_progress))  # type: ignore[misc]
            due = projection.due(ws)
            if due is not None:
                self._later(due, ws)
        if applied:
            self._after(ws)
        return applied

    def _serve(self) -> None:
        def progress(_: int) -> None:
            self._check()

        while (ws := self._ready.get()) is not None:
            with self._guard:
                families = self._moved_families.pop(ws, None)
            try:
                self.run_workspace(ws, progress, families)  # catch-ups read to the end of the log
            except Stopped:
                self._done(ws)
                return
            except Exception:  # one workspace's failure never stops the others
                log.exception("projecting workspace %s failed; retrying in %.0f s", ws, FAILED_RETRY_S)
                with self._guard:
                    self._moved_families[ws] = None  # the retry runs every projection
                self._later(time.monotonic() + FAILED_RETRY_S, ws)
            self._done(ws)

    def run(self, tick: Callable[[], None] = lambda: None) -> None:
        """Until the stop check raises ``Stopped``: every active workspace with a log once (it
        may have moved while nothing ran), then those that move. ``tick`` runs on every poll
        (the worker's delivery scheduling)."""
        threads = [threading.Thread(target=self._serve, name=f"projection-{i}", daemon=True)
                   for i in range(self._threads)]
        for thread in threads:
            thread.start()
        try:
            logged = set().union(*(watch.logged() for watch in self._watches))
            for ws in self._workspaces():
                if ws in logged:
                    self._queue(ws)
            while True:
                self._check()
                try:
                    for ws, families in self.moved().items():
                        self._queue(ws, families)
                    tick()
                except Exception:  # the database may be away for a moment; the loop outlives it
                    log.exception("watching the log failed; retrying in %.0f s", FAILED_RETRY_S)
                    time.sleep(FAILED_RETRY_S)
                time.sleep(POLL_S)
        finally:
            for _ in threads:
                self._ready.put(None)
            for thread in threads:
                thread.join(timeout=5)
