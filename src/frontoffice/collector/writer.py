"""Group commit in three stages, each on its own thread: seal, commit, sync and answer.

Request handlers hand their batch to ``submit`` and wait. The *sealer* takes everything that
queued up and seals it (``draft``: most of an append's Python work); the *committer* takes every
sealed group waiting and stores them in one transaction; the *syncer* makes every commit so far
durable with one ``sync_log`` and only then wakes the handlers, so a 200 is never sent for an
event that is not on disk. While one group commits, the next is sealed and the previous one
synced: the waits (a shared write lock, the disk) no longer stop the process's work. A store
whose commits wait for the disk themselves has nothing to do in ``sync_log``.

When more events are waiting than ``queue_limit`` the caller gets ``Overloaded`` at once (the
API answers 429) instead of a time-out. Events count as waiting until they are answered.
"""

from __future__ import annotations

import asyncio
import queue
import threading
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

from frontoffice.errors import Overloaded
from frontoffice.residency.api import StoreRouter
from frontoffice.storage.port import AppendBatch, AppendResult
from frontoffice.storage.sql import SqlStore
from frontoffice.vault.rows import Draft

MAX_GROUP_EVENTS = 20_000

Drafted = tuple[AppendBatch, Draft]
T = TypeVar("T")


class Appender(Protocol):
    """``SqlStore`` (or a wrapper that locks around its commits)."""

    def draft(self, batches: Sequence[AppendBatch]) -> list[Drafted]: ...
    def append_drafts(self, drafts: Sequence[Drafted]) -> list[AppendResult]: ...
    def sync_log(self) -> None: ...


Done = Callable[[AppendResult | None, BaseException | None], None]


@dataclass(slots=True)
class _Pending:
    batch: AppendBatch
    done: Done
    size: int


_Sealed = list[tuple[_Pending, Drafted]]
_Committed = list[tuple[_Pending, AppendResult]]


class GroupCommitWriter:
    def __init__(self, store: Appender, *, queue_limit: int, retry_after_seconds: int) -> None:
        self._store = store
        self._queue_limit = queue_limit
        self._retry_after = retry_after_seconds
        self._queue: deque[_Pending] = deque()
        self._queued_events = 0
        self._cond = threading.Condition()
        self._stopping = False
        self._sealed: queue.SimpleQueue[_Sealed | None] = queue.SimpleQueue()
        self._committed: queue.SimpleQueue[_Committed | None] = queue.SimpleQueue()
        self._threads: list[threading.Thread] = []
        self.commits = 0

    def start(self) -> None:
        if not self._threads:
            self._threads = [
                threading.Thread(target=target, name=f"frontoffice-{name}", daemon=True)
                for name, target in (("sealer", self._seal_loop), ("committer", self._commit_loop),
                                     ("syncer", self._sync_loop))]
            for thread in self._threads:
                thread.start()

    def stop(self) -> None:
        """Seals, commits and answers everything accepted so far, then ends the threads."""
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        for thread in self._threads:  # each stage passes the end on when it has drained
            thread.join()
        self._threads = []

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
        """Queue ``batch``; ``done(result, None)`` or ``done(None, error)`` is called from a
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

    # -- the stages ----------------------------------------------------------------------
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

    def _seal_loop(self) -> None:
        try:
            while group := self._take():
                sealed = self._seal(group)
                if sealed:
                    self._sealed.put(sealed)
        finally:
            self._sealed.put(None)

    def _seal(self, group: list[_Pending]) -> _Sealed:
        try:
            return list(zip(group, self._store.draft([p.batch for p in group]), strict=True))
        except Exception as exc:
            if len(group) == 1:
                self._answer([(group[0], None)], exc)
                return []
            return [item for p in group for item in self._seal([p])]  # only the culprit fails

    def _commit_loop(self) -> None:
        try:
            while (sealed := _take_all(self._sealed)) is not None:
                committed = self._commit(sealed)
                if committed:
                    self._committed.put(committed)
        finally:
            self._committed.put(None)

    def _commit(self, sealed: _Sealed) -> _Committed:
        if not sealed:
            return []
        try:
            results = self._store.append_drafts([drafted for _, drafted in sealed])
        except Exception as exc:
            if len(sealed) == 1:
                self._answer([(sealed[0][0], None)], exc)
                return []
            # One bad request must not fail the others it was grouped with: each is sealed
            # again (the rolled-back transaction stored none of the keys its drafts made) and
            # committed in its own transaction, so only the culprit fails.
            return [item for p, _ in sealed for item in self._commit(self._seal([p]))]
        self.commits += 1
        return list(zip((p for p, _ in sealed), results, strict=True))

    def _sync_loop(self) -> None:
        while (committed := _take_all(self._committed)) is not None:
            try:
                self._store.sync_log()
            except Exception as exc:  # committed but maybe not on disk: the clients retry
                self._answer([(p, None) for p, _ in committed], exc)
                continue
            self._answer(list(committed), None)

    def _answer(self, outcomes: Sequence[tuple[_Pending, AppendResult | None]],
                exc: BaseException | None) -> None:
        for pending, result in outcomes:
            pending.done(result, exc)
        with self._cond:
            self._queued_events -= sum(p.size for p, _ in outcomes)


def _take_all(source: queue.SimpleQueue[list[T] | None]) -> list[T] | None:
    """Everything waiting in ``source`` (blocking for the first), or None at its end; items
    behind the end marker stay for the next call, which sees the marker again."""
    first = source.get()
    if first is None:
        return None
    items = list(first)
    while True:
        try:
            more = source.get_nowait()
        except queue.Empty:
            return items
        if more is None:
            source.put(None)  # the end: seen again by the next call
            return items
        items += more


def _settle(future: asyncio.Future[AppendResult], result: AppendResult | None,
            exc: BaseException | None) -> None:
    if future.done():
        return
    if exc is not None:
        future.set_exception(exc)
    elif result is not None:
        future.set_result(result)


class RoutedWriters:
    """One group-commit writer per storage: a workspace's batches go to its location's writer."""

    def __init__(self, router: StoreRouter, default: GroupCommitWriter,
                 make: Callable[[SqlStore, str], GroupCommitWriter]) -> None:
        self._router = router
        self._default = default
        self._make = make
        self._writers: dict[str, GroupCommitWriter] = {}
        self._lock = threading.Lock()

    def for_workspace(self, workspace_id: str) -> GroupCommitWriter:
        url = self._router.url_for(workspace_id)
        if url is None:
            return self._default
        with self._lock:
            writer = self._writers.get(url)
            if writer is None:
                writer = self._writers[url] = self._make(self._router.at(url), url)
                writer.start()
            return writer

    def stop(self) -> None:
        """Stops the located writers (the default writer belongs to the caller)."""
        with self._lock:
            for writer in self._writers.values():
                writer.stop()
            self._writers.clear()
