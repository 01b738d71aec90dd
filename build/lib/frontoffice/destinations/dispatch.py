"""Destination delivery beside the projections: its own threads, bounded waits, backoff per destination.

The projection runner tells ``Dispatch`` which workspaces it moved (``poke``); on each ``tick``
the active destinations (one query per storage, whatever the number of workspaces) that have
news, are new, or whose backoff ran out are handed to a pool of delivery threads, one round per
destination at a time. A round that fails (an exception, a refused address, dead letters) waits
1 s, 2 s, 4 s… up to ``destinations_backoff_max_seconds`` before the next, and nothing else waits
for it: a receiver that never answers holds one delivery thread for at most its timeouts.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import httpx

from frontoffice.destinations.address import allowed_hosts
from frontoffice.destinations.delivery import client, deliver
from frontoffice.destinations.store import DestinationStore
from frontoffice.domain.events import now
from frontoffice.domain.tenancy import Status
from frontoffice.settings import Settings
from frontoffice.storage.sql import SqlStore

log = logging.getLogger(__name__)
LIST_EVERY_S = 1.0
FIRST_BACKOFF_S = 1.0


class _Stopping(Exception):
    """The worker stops during a retry's wait: the round ends without recording that page, so
    its events are delivered by the next worker instead of being dead-lettered now."""


@dataclass
class _State:
    store: SqlStore
    ws: str
    news: bool = True  # something may wait after its cursor
    busy: bool = False
    failures: int = 0
    next_at: float = 0.0


class Dispatch:
    def __init__(self, stores: Callable[[], Sequence[SqlStore]], active: Callable[[str], bool],
                 settings: Settings, stop: threading.Event) -> None:
        """``active(ws)``: whether a workspace is active (a disabled one's destinations wait)."""
        self._stores, self._active, self._settings, self._stop = stores, active, settings, stop
        self._allow = allowed_hosts(settings.destinations_allow_hosts)
        self._states: dict[tuple[int, str], _State] = {}
        self._poked: set[str] = set()
        self._listed_at = 0.0
        self._work: queue.SimpleQueue[tuple[str, _State] | None] = queue.SimpleQueue()
        self._guard = threading.Lock()
        self._threads = [threading.Thread(target=self._serve, name=f"delivery-{i}", daemon=True)
                         for i in range(settings.worker_delivery_threads)]

    def start(self) -> None:
        for thread in self._threads:
            thread.start()

    def close(self) -> None:
        for _ in self._threads:
            self._work.put(None)

    def poke(self, ws: str) -> None:
        """``ws``'s projections moved: its destinations may have something to deliver."""
        with self._guard:
            self._poked.add(ws)

    def _list(self) -> None:
        listed: dict[tuple[int, str], _State] = {}
        for store in self._stores():
            for ws, dest_id in active_destinations(store):
                key = (id(store), dest_id)
                listed[key] = self._states.get(key) or _State(store, ws)
        self._states = listed  # disabled or deleted destinations drop out

    def tick(self) -> None:
        """Hand every destination with something to do, and not backing off, to the pool."""
        moment = time.monotonic()
        with self._guard:
            poked, self._poked = self._poked, set()
            if moment - self._listed_at >= LIST_EVERY_S:
                self._listed_at = moment
                self._list()
            for (_, dest_id), state in self._states.items():
                state.news = state.news or state.ws in poked
                if state.news and not state.busy and state.next_at <= moment:
                    state.busy, state.news = True, False
                    self._work.put((dest_id, state))

    def _serve(self) -> None:
        settings = self._settings
        with client(settings.destinations_connect_timeout_seconds,
                    settings.destinations_read_timeout_seconds) as http:
            while (job := self._work.get()) is not None:
                self._round(http, *job)

    def _pause(self, seconds: float) -> None:
        if self._stop.wait(seconds):
            raise _Stopping

    def _round(self, http: httpx.Client, dest_id: str, state: _State) -> None:
        failed = True
        try:
            dest = DestinationStore(state.store).find(state.ws, dest_id)
            if dest is not None and dest.status is Status.ACTIVE and self._active(state.ws):
                report = deliver(state.store, dest, http, now(), allow=self._allow, sleep=self._pause)
                failed = report.dead_letter > 0
            else:
                failed = False
        except _Stopping:
            return
        except Exception:
            log.exception("delivery to destination %s of workspace %s failed; backing off", dest_id, state.ws)
        with self._guard:
            state.busy = False
            if failed:
                state.failures += 1
                state.news = True  # try again once the backoff ran out
                wait = min(self._settings.destinations_backoff_max_seconds,
                           FIRST_BACKOFF_S * 2 ** (state.failures - 1))
                state.next_at = time.monotonic() + wait
            else:
                state.failures = 0


def active_destinations(store: SqlStore) -> list[tuple[str, str]]:
    """(workspace id, destination id) of every active destination of a storage."""
    rows = store.query("SELECT workspace_id, destination_id FROM destinations WHERE status = ?",
                       (Status.ACTIVE.value,))
    return [(str(r[0]), str(r[1])) for r in rows]
