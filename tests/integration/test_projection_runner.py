"""The projection runner on a real log (SQLite and PostgreSQL), with projections written for the
test: workspaces are isolated, a moved projection is retried, a projection can ask to run again."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import pytest

from frontoffice.commerce.records import record
from frontoffice.domain.events import EventRecord, Limits, normalise
from frontoffice.projection.contract import Progress, ProjectionMoved
from frontoffice.projection.runner import Runner, Stopped
from frontoffice.storage.port import AppendBatch
from frontoffice.storage.sql import SqlStore
from frontoffice.tenancy import service as tenancy


class Recording:
    """Counts its catch-ups per workspace; holds ``slow`` workspaces until released; refuses the
    first catch-up of ``moved`` workspaces as if another process had moved them on."""

    def __init__(self, slow: frozenset[str] = frozenset(), moved: frozenset[str] = frozenset(),
                 again_in: float | None = None, reads: frozenset[str] | None = None,
                 name: str = "recording") -> None:
        self.name, self.reads = name, reads
        self.calls: dict[str, int] = {}
        self.times: dict[str, list[float]] = {}
        self.slow, self.moved, self.again_in = slow, set(moved), again_in
        self.release = threading.Event()

    def catch_up(self, ws: str, on_progress: Progress) -> int:
        self.calls[ws] = self.calls.get(ws, 0) + 1
        self.times.setdefault(ws, []).append(time.monotonic())
        if ws in self.moved:
            self.moved.discard(ws)
            raise ProjectionMoved("moved on by another process")
        if ws in self.slow:
            while not self.release.wait(0.05):
                on_progress(0)
        return 0

    def rebuild(self, ws: str) -> int:
        return 0

    def due(self, ws: str) -> float | None:
        return None if self.again_in is None else time.monotonic() + self.again_in


def order(order_id: str) -> EventRecord:
    return record(f"{order_id}-v1", "order.confirmed", {"order_id": order_id, "version": 1},
                  datetime.now(UTC))


def _event(user: str) -> EventRecord:
    found = normalise({"type": "identify", "userId": user}, index=0, batch={}, forced_type=None,
                      source_id="src", received_at=datetime.now(UTC), limits=Limits(32_000, 32))
    assert isinstance(found, EventRecord)
    return found


@contextmanager
def running(store: SqlStore, projection: Recording, workspaces: list[str],
            *others: Recording) -> Iterator[None]:
    """The runner in a thread, for the ``with`` block."""
    stop = threading.Event()

    def check() -> None:
        if stop.is_set():
            raise Stopped

    runner = Runner([(store, [projection, *others])], lambda ws: store, lambda: workspaces, lambda ws: True,
                    check, threads=2)

    def run() -> None:
        try:
            runner.run()
        except Stopped:
            return

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        for p in (projection, *others):
            p.release.set()
        thread.join(timeout=10)


def _wait(predicate: Callable[[], bool], seconds: float = 5) -> float | None:
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if predicate():
            return time.monotonic() - started
        time.sleep(0.01)
    return None


@pytest.fixture
def two(store: SqlStore) -> list[str]:
    found = [tenancy.create_workspace(store, f"runner-{i}-{time.monotonic_ns()}").id for i in range(2)]
    store.append([AppendBatch(ws, "src", [_event(f"first-{ws}")]) for ws in found])
    return found


def test_a_workspace_whose_catch_up_never_ends_does_not_hold_up_another(store: SqlStore,
                                                                        two: list[str]) -> None:
    slow, fast = two
    projection = Recording(slow=frozenset({slow}))
    with running(store, projection, two):
        assert _wait(lambda: projection.calls.get(fast) == 1) is not None
        store.append([AppendBatch(fast, "src", [_event("second")])])
        took = _wait(lambda: projection.calls.get(fast) == 2)
        assert took is not None and took < 1.0
        assert projection.calls[slow] == 1  # still in its first catch-up


def test_a_projection_moved_on_by_another_process_is_run_again(store: SqlStore, two: list[str]) -> None:
    projection = Recording(moved=frozenset({two[0]}))
    with running(store, projection, two):
        assert _wait(lambda: projection.calls.get(two[0]) == 2) is not None
    first, second = projection.times[two[0]][:2]
    assert second - first < 0.5, "retried at once, not left for a later round"


def test_a_projection_that_asks_to_run_again_is_run_without_new_events(store: SqlStore,
                                                                       two: list[str]) -> None:
    projection = Recording(again_in=0.1)
    with running(store, projection, two):
        assert _wait(lambda: min(projection.calls.get(ws, 0) for ws in two) >= 3) is not None


def test_a_projection_is_run_only_when_a_family_it_reads_moved(store: SqlStore, two: list[str]) -> None:
    ws = two[0]
    everything, commerce = Recording(), Recording(reads=frozenset({"commerce"}), name="commerce only")
    with running(store, everything, [ws], commerce):
        assert _wait(lambda: everything.calls.get(ws) == commerce.calls.get(ws) == 1) is not None  # start
        store.append([AppendBatch(ws, "src", [_event("tracked")])])
        assert _wait(lambda: everything.calls.get(ws) == 2) is not None
        time.sleep(0.2)
        assert commerce.calls[ws] == 1, "a tracking event is none of its business"
        store.append([AppendBatch(ws, "shop", [order("O-1")])])
        assert _wait(lambda: commerce.calls.get(ws) == 2) is not None
        assert everything.calls[ws] == 3
