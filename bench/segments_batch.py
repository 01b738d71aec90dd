"""Segments in batch: 50 segments over N people and their events compiled to one query and run on
the embedded default (SQLite) — the per-person quantities they read computed once, in a few passes
over the events — then the same people evaluated in real time (the projection's own evaluation)
and the agreement printed. Target (issue 17): 1,000,000 people, 20,000,000 events, <= 2 minutes.

The events are written straight into the projection's table (what the projection would have
stored), once, into ``BENCH_DB`` (default ``/tmp/frontoffice-segments-<N>.db``), which later runs
reuse: making 20,000,000 events takes minutes. At full size real time evaluates a random sample of
``BENCH_SAMPLE`` people (default 5,000); at small size, everyone. With FRONTOFFICE_TEST_PG_URL set,
the small size runs on PostgreSQL too.

    python bench/segments_batch.py                          # full size (make bench)
    BENCH_SCALE=small python bench/segments_batch.py
    BENCH_PEOPLE=100000 python bench/segments_batch.py      # another size (its own file)
    BENCH_SHARDS=1,2 python bench/segments_batch.py         # one query, then two shards at once
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time
from collections.abc import Collection
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from tests.support.pg import fresh_database  # noqa: E402

from _segments_data import Made, made, write_events  # noqa: E402
from frontoffice.segments import service  # noqa: E402
from frontoffice.segments.projector import SegmentsProjector  # noqa: E402
from frontoffice.segments.store import SegmentsStore  # noqa: E402
from frontoffice.storage import open_store  # noqa: E402
from frontoffice.storage.sql import SqlStore  # noqa: E402

SMALL = os.environ.get("BENCH_SCALE") == "small"
PEOPLE = 500 if SMALL else int(os.environ.get("BENCH_PEOPLE", "1000000"))
PER_PERSON = 10 if SMALL else 20
SAMPLE = int(os.environ.get("BENCH_SAMPLE", "5000"))
# the shards of people run at once: the product's default (one a CPU of >= 200,000 events each), or
# BENCH_SHARDS="1,2" to compare one query with two shards in the same run
_SHARDS = os.environ.get("BENCH_SHARDS")
SHARDS: list[int | None] = [int(n) for n in _SHARDS.split(",")] if _SHARDS else [None]
TARGET_S = 120.0


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


def load() -> str:
    return "load average " + " ".join(Path("/proc/loadavg").read_text().split()[:3])


def run(label: str, store: SqlStore, m: Made) -> None:
    data = SegmentsStore(store)
    for shards in SHARDS:
        wall, cpu = time.perf_counter(), time.process_time()
        found = service.batch(data, m.ws, m.now_ms, shards)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        members = sum(len(v) for v in found.values())
        queries = len(service.batch_sql(data, m.ws, m.now_ms, shards)[1])
        print(f"segments batch ({label}, {queries} shard{'s' if queries > 1 else ''} at once): {len(found)} "
              f"segments over {PEOPLE:,} people and {m.events:,} events: {wall:.1f} s ({cpu:.1f} s CPU; "
              f"{members:,} memberships; target <= {TARGET_S:.0f} s: "
              f"{'met' if wall <= TARGET_S else 'NOT met'}) [{load()}]", flush=True)
    people = [f"p{p:07d}" for p in range(PEOPLE)]
    sample = people if len(people) <= SAMPLE else sorted(random.Random(5).sample(people, SAMPLE))
    projector = SegmentsProjector(data, store, NoPeople(), NoConsent(), lambda: m.now_ms / 1000)  # type: ignore[arg-type]
    catalog, started = projector.catalog(m.ws), time.perf_counter()
    realtime: dict[str, set[str]] = {s.name: set() for s in catalog.segments}
    for first in range(0, len(sample), 200):
        due = [(p, "bench") for p in sample[first:first + 200]]
        for outcome in projector.evaluate(m.ws, catalog, due, m.now_ms):
            for change in outcome.changes:
                realtime[change.segment].add(outcome.person_id)
    took = time.perf_counter() - started
    chosen = set(sample)
    agree = sum(1 for name, live in realtime.items() if live == chosen.intersection(found[name]))
    print(f"  real time, {len(sample):,} people evaluated by the projection: {took:.1f} s; "
          f"real time vs batch on them: {agree}/{len(realtime)} segments agree", flush=True)


def main() -> None:
    if SMALL:
        with tempfile.TemporaryDirectory() as tmp:
            store, m = made(Path(tmp) / "bench.db", PEOPLE, PER_PERSON)
            run("SQLite", store, m)
            store.close()
    else:
        path = Path(os.environ.get("BENCH_DB", f"/tmp/frontoffice-segments-{PEOPLE}.db"))
        store, m = made(path, PEOPLE, PER_PERSON)
        run("SQLite", store, m)
        store.close()
    pg = os.environ.get("FRONTOFFICE_TEST_PG_URL")
    if pg and SMALL:
        with fresh_database(pg) as url:
            store = open_store(url)
            store.upgrade()
            run("PostgreSQL", store, write_events(store, PEOPLE, PER_PERSON))
            store.close()


if __name__ == "__main__":
    main()
