"""Group commit: one writer thread turns many waiting requests into one durable transaction.

Request handlers hand their batch to ``submit`` and wait; the writer takes everything that
queued up while the previous commit was syncing, stores it in one transaction and only then
wakes the handlers, so a 200 is never sent for an event that is not on disk. When more events
are waiting than ``queue_limit`` the caller gets ``Overloaded`` at once (the API answers 429)
instead of a time-out.
"""

from __future__ import annotations

import asyncio
import threading
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from frontoffice.errors import Overloaded
from frontoffice.storage.port import AppendBatch, AppendResult

MAX_GROUP_EVENTS = 20_000


class Appender(Protocol):
    def append(self, batches: Sequence[AppendBatch]) -> list[AppendResult]: ...


Done = Callable[[AppendResult | None, BaseException | None], None]


@dataclass(slots=True)
class _Pending:
    batch: AppendBatch
    done: Done
    size: int


class GroupCommitWriter:
    def __init__(self, store: Appender, *, queue_limit: int, retry_after_seconds: int) -> None:
        self._store = store
        self._queue_limit = queue_limit
        self._retry_after = retry_after_seconds
        self._queue: deque[_Pending] = deque()
        self._queued_events = 0
        self._cond = threading.Condition()
        self._stopping = False
        self._thread: threading.Thread | None = None
        self.commits = 0

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="frontoffice-writer", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    @property
    def queued_events(self) -> int:
        return self._queued_events

    async def submit(self, batch: AppendBatch) -> AppendResult:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[AppendResult] = loop.create_future()

        def done(result: AppendResult | None, exc: BaseException | None) -> None:
            loop.call_soon_threadsafe(_settle, future, result, exc)

        self.submit_with(batch, done)
        return await future

    def submit_with(self, batch: AppendBatch, done: Done) -> None:
        """Queue ``batch``; ``done(result, None)`` or ``done(None, error)`` is called from the
        writer thread once it is durable (or failed). Raises ``Overloaded`` at once."""
        size = len(batch.events) + len(batch.rejections)
        pending = _Pending(batch, done, size)
        with self._cond:
            if self._stopping:
                raise Overloaded("The server is shutting down; retry shortly.", self._retry_after)
            if self._queued_events and self._queued_events + size > self._queue_limit:
                raise Overloaded(
                    f"{self._queued_events} events are waiting to be written; retry after "
                    f"{self._retry_after}s.",
                    self._retry_after,
                )
            self._queue.append(pending)
            self._queued_events += size
            self._cond.notify()

    def _take(self) -> list[_Pending]:
        with self._cond:
            while not self._queue and not self._stopping:
                self._cond.wait()
            group: list[_Pending] = []
            events = 0
            while self._queue and (not group or events + self._queue[0].size <= MAX_GROUP_EVENTS):
                item = self._queue.popleft()
                group.append(item)
                events += item.size
            return group

    def _run(self) -> None:
        while True:
            group = self._take()
            if not group:
                return  # stopping and drained
            try:
                self._commit(group)
            finally:
                with self._cond:
                    self._queued_events -= sum(p.size for p in group)

    def _commit(self, group: list[_Pending]) -> None:
        try:
            results = self._store.append([p.batch for p in group])
        except Exception as exc:
            if len(group) > 1:
                # One bad request must not fail the others it was grouped with:
                # retry each in its own transaction so only the culprit fails.
                for pending in group:
                    self._commit([pending])
                return
            group[0].done(None, exc)
            return
        self.commits += 1
        for p, result in zip(group, results, strict=True):
            p.done(result, None)


def _settle(future: asyncio.Future[AppendResult], result: AppendResult | None,
            exc: BaseException | None) -> None:
    if future.done():
        return
    if exc is not None:
        future.set_exception(exc)
    elif result is not None:
        future.set_result(result)
