"""The projection worker: keeps people, consent and commerce in step with the event log, and
delivers to destinations.

It runs in its own process (``frontoffice worker``; ``frontoffice serve`` starts one beside the
API unless told not to), so projecting never competes with the collector for the API
process's interpreter lock: the API tier stays a thin, stateless writer of the log.

The projections are every capability's (from the registry), driven by the projection runner
(woken by the log, one workspace per thread at a time); destination delivery runs on its own
threads (``Dispatch``), so a slow receiver delays only itself. The projections named by the
``worker_own_process`` setting run in a second worker (``--only``), which delivers nothing, so
the two use two cores: each projection keeps its own checkpoint, and one that reads another's
work (segments read where identity placed the events) follows it a pass behind.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Collection

from frontoffice import capabilities
from frontoffice.bootstrap import Hubs, Role, bootstrap
from frontoffice.domain.tenancy import Status
from frontoffice.errors import InvalidInput
from frontoffice.projection.contract import Projection, retry_moved
from frontoffice.projection.runner import Runner, Stopped
from frontoffice.settings import Settings
from frontoffice.storage.sql import SqlStore

log = logging.getLogger(__name__)


def projections(hubs: Hubs, store: SqlStore) -> list[Projection]:
    """Every projection of a storage, in the order they run for a workspace: each capability's
    (its ``projections`` hook, given the process's hubs), in registry order — identity first,
    whose people the others use."""
    return [p for c in capabilities.every() if c.projections is not None
            for p in c.projections(hubs, store)]


def names(listed: str | None) -> frozenset[str]:
    """The projection names of a comma-separated list (``worker_own_process``, ``--only``)."""
    return frozenset(n.strip() for n in (listed or "").split(",") if n.strip())


def chosen(every: list[Projection], only: Collection[str], apart: Collection[str]) -> list[Projection]:
    """Those of ``every`` named ``only`` (when given), else those not set ``apart``; a name no
    projection has is refused with the known ones."""
    unknown = sorted({*only, *apart} - {p.name for p in every})
    if unknown:
        raise InvalidInput(f"Unknown projection(s) {', '.join(unknown)}; use any of: "
                           f"{', '.join(p.name for p in every)}.")
    return [p for p in every if p.name in only] if only else [p for p in every if p.name not in apart]


def rebuild(hubs: Hubs, store: SqlStore, ws: str,
            only: Collection[str] = ()) -> list[tuple[str, int]]:
    """Drop and replay a workspace's projections (every one, or those named ``only``), in their
    order; what each replayed."""
    return [(p.name, retry_moved(lambda p=p: p.rebuild(ws)))  # type: ignore[misc]
            for p in chosen(projections(hubs, store), only, ())]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # pragma: no cover - exists, owned by someone else
        return True
    return True


def run(settings: Settings, stop: threading.Event, parent_pid: int | None = None,
        only: Collection[str] = ()) -> None:
    """Keep every active workspace caught up with its log until ``stop`` is set, or until the
    process that started it is gone (a server killed with -9 leaves no orphan behind).
    Both are checked between batches, so a long catch-up still stops within one batch.
    ``only``: run just these projections and deliver nothing; else every projection but those
    the ``worker_own_process`` setting gives a worker of their own, and deliver."""

    def check() -> None:
        if stop.is_set():
            raise Stopped
        if parent_pid is not None and not _alive(parent_pid):
            log.warning("the server (pid %s) is gone; the worker stops", parent_pid)
            stop.set()
            raise Stopped

    apart = frozenset() if only else names(settings.worker_own_process)
    if not set(only) <= names(settings.worker_own_process):  # else the other worker runs them too
        raise InvalidInput(f"This worker runs only {', '.join(sorted(only))}: set worker_own_process to "
                           "them for every worker (the one without --only then leaves them out).")
    container = bootstrap(settings, Role.WORKER, stop=stop, deliver=not only)

    def workspaces() -> list[str]:
        return [w.id for w in container.store.workspaces() if w.status is Status.ACTIVE]

    try:
        hubs = container.hubs
        stores = [(s, chosen(projections(hubs, s), only, apart)) for s in container.storages()]
        dispatch = None if only else container.dispatch
        runner = Runner(stores, container.store_for, workspaces, container.is_active, check,
                        threads=settings.worker_projection_threads,
                        after=dispatch.poke if dispatch else lambda ws: None)
        runner.run(tick=dispatch.tick if dispatch else lambda: None)
    except Stopped:
        return
    finally:
        stop.set()
        container.close()
