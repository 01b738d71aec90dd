"""The projection worker: keeps people and consent in step with the event log.

It runs in its own process (``frontoffice worker``; ``frontoffice serve`` starts one beside the
API unless told not to), so projecting never competes with the collector for the API
process's interpreter lock: the API tier stays a thin, stateless writer of the log.
"""

from __future__ import annotations

import logging
import os
import threading

from frontoffice.bootstrap import open_configured_store
from frontoffice.domain.tenancy import Status
from frontoffice.services.consent import ConsentHub
from frontoffice.services.identity import IdentityHub
from frontoffice.settings import Settings

INTERVAL_S = 0.1
log = logging.getLogger(__name__)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # pragma: no cover - exists, owned by someone else
        return True
    return True


class _Stopped(Exception):
    pass


def run(settings: Settings, stop: threading.Event, parent_pid: int | None = None) -> None:
    """Catch every active workspace up with its log until ``stop`` is set, or until the
    process that started it is gone (a server killed with -9 leaves no orphan behind).
    Both are checked between batches, so a long catch-up still stops within one batch."""

    def check(_: int = 0) -> None:
        if stop.is_set():
            raise _Stopped
        if parent_pid is not None and not _alive(parent_pid):
            log.warning("the server (pid %s) is gone; the worker stops", parent_pid)
            raise _Stopped

    store = open_configured_store(settings)
    identity, consent = IdentityHub(store), ConsentHub(store)
    try:
        while True:
            check()
            try:
                for workspace in store.workspaces():
                    if workspace.status is Status.ACTIVE:
                        identity.catch_up(workspace.id, on_progress=check)
                        check()
                        consent.catch_up(workspace.id)
            except _Stopped:
                raise
            except Exception:  # the worker must outlive one bad batch; the log shows it
                log.exception("projection failed; retrying in 1 s")
                stop.wait(1)
            stop.wait(INTERVAL_S)
    except _Stopped:
        return
    finally:
        store.close()
