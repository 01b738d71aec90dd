"""Segments in batch: 50 segments over N people and their events, each compiled once to SQL and
run on the embedded default (SQLite), and on PostgreSQL when FRONTOFFICE_TEST_PG_URL is set;
then every person evaluated in real time (the projection's own evaluation) and the agreement
printed.

The events are written straight into the projection's table (what the projection would have
stored), so the figure is the batch run alone.

    python bench/segments_batch.py            # full size (make bench)
    BENCH_SCALE=small python bench/segments_batch.py
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from tests.support.pg import fresh_database  # noqa: E402

from _segments_defs import event, segments, traits  # noqa: E402
from frontoffice.domain.events import iso  # noqa: E402
from frontoffice.segments import service  # noqa: E402
from frontoffice.segments.ports import NewEvent  # noqa: E402
from frontoffice.segments.projector import SegmentsProjector  # noqa: E402
from frontoffice.segments.store import SegmentsStore  # noqa: E402
from frontoffice.storage import open_store  # noqa: E402
from frontoffice.storage.sql import SqlStore  # noqa: E402
from frontoffice.tenancy import service as tenancy  # noqa: E402

SMALL = os.environ.get("BENCH_SCALE") == "small"
PEOPLE, PER_PERSON = (500, 10) if SMALL else (5_000, 20)
WS_NAME = "bench"


class NoPeople:
    """Identity's port for people identity has not seen: no golden record, no identifiers."""

    def of_events(self, workspace_id: str, seqs: Collection[int]) -> dict[int, str]:
        return {}

    def golden(self, workspace_id: str, person_ids: Collection[str]) -> dict[str, dict[str, Any]]:
        return {}

    def changes(self, workspace_id: str, after_id: int, limit: int) -> list[Any]:
        return []

    def identifiers(self, workspace_id: str, person_ids: Collection[str], kinds: Collection[str]
                    ) -> dict[str, list[tuple[str, str]]]:
        return {}


class NoConsent:
    def allowed(self, ws: str, person_ids: Collection[str], consents: Collection[tuple[str, str]],
                now_ms: int) -> dict[str, set[tuple[str, str]]]:
        return {}


@contextmanager
def storages() -> Iterator[tuple[str, SqlStore]]:
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(f"sqlite:///{tmp}/bench.db")
        store.upgrade()
        yield "SQLite", store
        store.close()


def fill(store: SqlStore) -> tuple[str, int]:
    ws = tenancy.create_workspace(store, WS_NAME, "EU")
    data, at = SegmentsStore(store), iso(datetime.now(UTC))
    for doc in traits():
        service.define_trait(data, ws.id, doc, at)
    for name, condition in segments():
        service.define_segment(data, ws.id, {"name": name, "condition": condition}, at)
    rnd, now_s, seq, chunk = random.Random(3), time.time(), 0, []
    for p in range(PEOPLE):
        for _ in range(rnd.randint(1, 2 * PER_PERSON - 1)):
            seq += 1
            name, when, props = event(rnd, now_s, 120)
            chunk.append(NewEvent(seq, f"p{p:07d}", name, int(when * 1000), props))
        if len(chunk) >= 20_000:
            data.apply(ws.id, chunk, seq, [])
            chunk = []
    data.apply(ws.id, chunk, seq, [])
    return ws.id, seq


def run(label: str, store: SqlStore) -> None:
    ws, events = fill(store)
    data = SegmentsStore(store)
    now_ms = int(time.time() * 1000)
    started = time.perf_counter()
    found = service.batch(data, ws, now_ms)
    took = time.perf_counter() - started
    members = sum(len(v) for v in found.values())
    print(f"segments batch ({label}): 50 segments over {PEOPLE:,} people and {events:,} events: {took:.1f} s "
          f"({members:,} memberships)")
    projector = SegmentsProjector(data, store, NoPeople(), NoConsent(), lambda: now_ms / 1000)  # type: ignore[arg-type]
    data.touch_all(ws, "bench")
    started = time.perf_counter()
    projector.catch_up(ws)
    print(f"  real time, every person evaluated once: {time.perf_counter() - started:.1f} s")
    agreement = service.agreement(data, ws, now_ms)
    agree = sum(1 for v in agreement.values() if v["agree"])
    print(f"  real time vs batch: {agree}/{len(agreement)} segments agree")


def main() -> None:
    with storages() as (label, store):
        run(label, store)
    pg = os.environ.get("FRONTOFFICE_TEST_PG_URL")
    if pg:
        with fresh_database(pg) as url:
            store = open_store(url)
            store.upgrade()
            run("PostgreSQL", store)
            store.close()


if __name__ == "__main__":
    main()
