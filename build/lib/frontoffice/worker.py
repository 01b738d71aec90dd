"""The projection worker: keeps people, consent and commerce in step with the event log, and
delivers to destinations.

It runs in its own process (``frontoffice worker``; ``frontoffice serve`` starts one beside the
API unless told not to), so projecting never competes with the collector for the API
process's interpreter lock: the API tier stays a thin, stateless writer of the log.

The projections are every capability's (from the registry), driven by the projection runner
(woken by the log, one workspace per thread at a time); destination delivery runs on its own
threads (``Dispatch``), so a slow receiver delays only itself.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Collection

from frontoffice import capabilities
from frontoffice.destinations.dispatch import Dispatch
from frontoffice.domain.tenancy import Status
from frontoffice.errors import InvalidInput
from frontoffice.projection.contract import Projection, retry_moved
from frontoffice.projection.runner import Runner, Stopped
from frontoffice.residency.router import located
from frontoffice.settings import Settings
from frontoffice.storage import open_configured_store
from frontoffice.storage.sql import SqlStore

log = logging.getLogger(__name__)


def projections(store: SqlStore, settings: Settings) -> list[Projection]:
    """Every projection of a storage, in the order they run for a workspace: each capability's
    (its ``projections`` hook), in registry order — identity first, whose people the others use."""
    return [p for c in capabilities.every() if c.projections is not None
            for p in c.projections(store, settings)]


def rebuild(store: SqlStore, settings: Settings, ws: str,
            only: Collection[str] = ()) -> list[tuple[str, int]]:
    """Drop and replay a workspace's projections (every one, or those named ``only``), in their
    order; what each replayed."""
    every = projections(store, settings)
    unknown = sorted(set(only) - {p.name for p in every})
    if unknown:
        raise InvalidInput(f"Unknown projection(s) {', '.join(unknown)}; use any of: "
                           f"{', '.join(p.name for p in every)}.")
    chosen = [p for p in every if not only or p.name in only]
    return [(p.name, retry_moved(lambda p=p: p.rebuild(ws))) for p in chosen]  # type: ignore[misc]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # pragma: no cover - exists, owned by someone else
        return True
    return True


def run(settings: Settings, stop: threading.Event, parent_pid: int | None = None) -> None:
    """Keep every active workspace caught up with its log until ``stop`` is set, or until the
    process that started it is gone (a server killed with -9 leaves no orphan behind).
    Both are checked between batches, so a long catch-up still stops within one batch."""

    def check() -> None:
        if stop.is_set():
            raise Stopped
        if parent_pid is not None and not _alive(parent_pid):
            log.warning("the server (pid %s) is gone; the worker stops", parent_pid)
            stop.set()
            raise Stopped

    store = open_configured_store(settings)
    stores = located(store, settings)  # data residency: a workspace's log may be in its own storage
    every = [store, *stores.located_stores().values()]

    def active(ws: str) -> bool:
        found = store.workspace(ws)
        return found is not None and found.status is Status.ACTIVE

    def workspaces() -> list[str]:
        return [w.id for w in store.workspaces() if w.status is Status.ACTIVE]

    dispatch = Dispatch(lambda: every, active, settings, stop)
    runner = Runner([(s, projections(s, settings)) for s in every], stores.for_workspace, workspaces,
                    active, check, threads=settings.worker_projection_threads, after=dispatch.poke)
    dispatch.start()
    try:
        runner.run(tick=dispatch.tick)
    except Stopped:
        return
    finally:
        stop.set()
        dispatch.close()
        stores.close()
        store.close()
