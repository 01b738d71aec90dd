"""Segments in real time: the projection's cost per event with 50 active segments and 20
computed traits (p50/p99 in ms), on the embedded default (SQLite).

Single events: each is appended to the log, placed with its person by identity (not timed), then
the segments projection catches up (timed: storing the event, recomputing the person's traits and
every segment, writing the membership changes, one commit). Batches: 50 events at a time, as the
worker meets them under load; the cost per event is the catch-up's time over the batch. The
agreement of real time with batch is printed at the end.

    python bench/segments_realtime.py            # full size (make bench)
    BENCH_SCALE=small python bench/segments_realtime.py
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _segments_defs import event, segments, traits  # noqa: E402
from frontoffice.domain.events import EventRecord, Limits, iso, normalise  # noqa: E402
from frontoffice.identity.hub import IdentityHub  # noqa: E402
from frontoffice.segments import service  # noqa: E402
from frontoffice.segments.adapters import projector_for  # noqa: E402
from frontoffice.segments.store import SegmentsStore  # noqa: E402
from frontoffice.settings import Settings  # noqa: E402
from frontoffice.storage import open_store  # noqa: E402
from frontoffice.storage.port import AppendBatch  # noqa: E402
from frontoffice.tenancy import service as tenancy  # noqa: E402

SMALL = os.environ.get("BENCH_SCALE") == "small"
EVENTS, PEOPLE = (300, 60) if SMALL else (3000, 400)
TARGET_P99_MS = 10.0
BATCH = 50


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    limits = Limits(Settings().max_event_bytes, Settings().max_json_depth)
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(f"sqlite:///{tmp}/bench.db")
        store.upgrade()
        ws = tenancy.create_workspace(store, "bench", "EU")
        web, _ = tenancy.create_source(store, ws.id, "web", "web")
        data = SegmentsStore(store)
        at = iso(datetime.now(UTC))
        for doc in traits():
            service.define_trait(data, ws.id, doc, at)
        for name, condition in segments():
            service.define_segment(data, ws.id, {"name": name, "condition": condition}, at)
        identity, projector = IdentityHub(store), projector_for(store)
        rnd, now_s, costs, batched = random.Random(1), time.time(), [], []

        def send(first: int, n: int) -> None:
            records = []
            for i in range(first, first + n):
                name, when, props = event(rnd, now_s, 120)
                raw = {"type": "track", "event": name, "userId": f"u{rnd.randrange(PEOPLE)}",
                       "properties": props, "messageId": f"m{i}",
                       "timestamp": iso(datetime.fromtimestamp(when, UTC))}
                record = normalise(raw, index=0, batch={}, forced_type=None, source_id=web.id,
                                   received_at=datetime.now(UTC), limits=limits)
                assert isinstance(record, EventRecord)
                records.append(record)
            store.append([AppendBatch(ws.id, web.id, records)])
            identity.catch_up(ws.id)

        for i in range(EVENTS):
            send(i, 1)
            started = time.perf_counter()
            projector.catch_up(ws.id)
            costs.append((time.perf_counter() - started) * 1000)
        for first in range(EVENTS, 2 * EVENTS, BATCH):
            send(first, BATCH)
            started = time.perf_counter()
            projector.catch_up(ws.id)
            batched.append((time.perf_counter() - started) * 1000 / BATCH)
        p50, p99 = pct(costs, 0.5), pct(costs, 0.99)
        print(f"segments real time: {EVENTS} events, {PEOPLE} people, 50 segments, 20 computed traits "
              "(SQLite)")
        print(f"  one event a catch-up: p50 {p50:.2f} ms, p99 {p99:.2f} ms (one commit each)")
        b99 = pct(batched, 0.99)
        print(f"  {BATCH} events a catch-up: per event p50 {pct(batched, 0.5):.2f} ms, p99 {b99:.2f} ms "
              f"(target p99 <= {TARGET_P99_MS:.0f} ms: {'met' if b99 <= TARGET_P99_MS else 'NOT met'})")
        agreement = service.agreement(data, ws.id, projector.now())
        agree = sum(1 for v in agreement.values() if v["agree"])
        print(f"  real time vs batch: {agree}/{len(agreement)} segments agree")
        store.close()


if __name__ == "__main__":
    main()
