"""What every projection of the event log shares: one "moved" exception, per-workspace locks,
the conflict retry, and the shape the runner drives (catch up, rebuild, when to run again).

A projection folds a workspace's log into tables from a checkpoint. Within a process a
workspace is projected by one thread at a time (``WorkspaceLocks``); across processes the
checkpoint's compare-and-set refuses the slower writer with ``ProjectionMoved``, and
``retry_moved`` runs the step again from the new checkpoint.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection
from typing import Protocol

from frontoffice.domain.events import StoredEvent
from frontoffice.errors import FrontofficeError

Progress = Callable[[int], None]
MOVED_ATTEMPTS = 3


class ProjectionMoved(FrontofficeError):
    """Another projector moved this workspace's projection on since it was loaded; reload and
    try again (the worker does by itself)."""

    code = "projection_moved"


class WorkspaceLocks:
    """One lock per workspace, made on first use; a process never projects a workspace twice at once."""

    def __init__(self) -> None:
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def __call__(self, ws: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(ws, threading.Lock())


def retry_moved(step: Callable[[], int], attempts: int = MOVED_ATTEMPTS) -> int:
    """Run ``step``, again when another process moved the projection meanwhile; the last
    refusal is raised (the runner logs it and the next change of the log runs it again)."""
    for _ in range(attempts - 1):
        try:
            return step()
        except ProjectionMoved:
            continue
    return step()


class FilteredLog(Protocol):
    def events(self, workspace_id: str, *, after_seq: int = 0, limit: int = 1000,
               source_id: str | None = None, families: Collection[str] | None = None,
               types: Collection[str] | None = None, upto: int | None = None) -> list[StoredEvent]: ...


def page_of(log: FilteredLog, ws: str, after: int, upto: int, limit: int, *,
            families: Collection[str] | None = None,
            types: Collection[str] | None = None) -> tuple[list[StoredEvent], int]:
    """The next page of the events of ``families`` / ``types`` after the checkpoint ``after`` up
    to ``upto`` (the log's head when the catch-up began), and the checkpoint once they are
    applied: the page's last seq when the page is full, else ``upto`` (the rest of the range
    holds none of them, so it is passed unread and unopened)."""
    page = log.events(ws, after_seq=after, limit=limit, families=families, types=types, upto=upto)
    return page, page[-1].seq if len(page) == limit else upto


class Projection(Protocol):
    """What the runner drives, for one storage (one instance serves all its workspaces).

    ``reads`` names the families of the log (``tracking``, ``commerce``, ``consent``...) whose
    events are all it projects: the runner calls ``catch_up`` only when events of one of them
    were appended (or a timer it asked for fires, or the runner starts), and the catch-up itself
    reads only those families, its checkpoint passing the rest unread. None: it is called on every
    pass (it also reads what other projections write, or keeps time by the log)."""

    name: str

    @property
    def reads(self) -> frozenset[str] | None: ...

    def catch_up(self, ws: str, on_progress: Progress) -> int:
        """Apply the log since the checkpoint; how much it applied (0: nothing was new).
        ``on_progress`` is called between batches (it raises to stop a long catch-up)."""
        ...

    def rebuild(self, ws: str) -> int:
        """Drop the workspace's projection and replay the log."""
        ...

    def due(self, ws: str) -> float | None:
        """When (``time.monotonic()``) it wants to run again although the log is quiet (a
        periodic pass such as identity matching); None: only when the log moves."""
        ...


class Hub(Protocol):
    def catch_up(self, ws: str) -> int: ...
    def rebuild(self, ws: str) -> int: ...


class Plain:
    """A hub whose catch-up needs nothing but the workspace, as the runner drives it: it runs
    when the log moves (events of the families it ``reads``, when it names them), never on a
    timer."""

    def __init__(self, name: str, hub: Hub, reads: frozenset[str] | None = None) -> None:
        self.name, self.hub, self.reads = name, hub, reads

    def catch_up(self, ws: str, on_progress: Progress) -> int:
        return self.hub.catch_up(ws)

    def rebuild(self, ws: str) -> int:
        return self.hub.rebuild(ws)

    def due(self, ws: str) -> float | None:
        return None
