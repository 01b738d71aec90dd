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
from frontoffice.destinations.delivery import worker_round as deliveries
from frontoffice.domain.events import now
from frontoffice.domain.tenancy import Status
from frontoffice.residency.router import located
from frontoffice.services.consent import ConsentHub
from frontoffice.services.consent_merge import PersonConsentHub
from frontoffice.services.identity import IdentityHub
from frontoffice.services.identity_match import match_config
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
    stores = located(store, settings)  # data residency: a workspace's log may be in its own storage
    hubs: dict[int, tuple[IdentityHub, ConsentHub, PersonConsentHub]] = {}

    def hubs_of(workspace_id: str) -> tuple[IdentityHub, ConsentHub, PersonConsentHub]:
        data = stores.for_workspace(workspace_id)
        if id(data) not in hubs:  # people after identity and consent: consent of merged persons
            hubs[id(data)] = (IdentityHub(data, match_config(settings)), ConsentHub(data),
                              PersonConsentHub(data))
        return hubs[id(data)]

    try:
        while True:
            check()
            try:
                for workspace in store.workspaces():
                    if workspace.status is Status.ACTIVE:
                        identity, consent, people = hubs_of(workspace.id)
                        identity.follow(workspace.id, on_progress=check)
                        check()
                        consent.catch_up(workspace.id)
                        people.catch_up(workspace.id)
                        deliveries(stores.for_workspace(workspace.id), workspace.id, now())
            except _Stopped:
                raise
            except Exception:  # the worker must outlive one bad batch; the log shows it
                log.exception("projection failed; retrying in 1 s")
                stop.wait(1)
            stop.wait(INTERVAL_S)
    except _Stopped:
        return
    finally:
        stores.close()
        store.close()
