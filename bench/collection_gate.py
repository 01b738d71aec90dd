"""Microbenchmark: the collector's consent + residency gates, in microseconds per event.

Builds a fresh embedded SQLite store with one EU workspace in which ``--refused`` subjects have
refused analytics, normalises batches of 100 realistic Segment events (web tracks with locale, IP,
user agent, page; one identify in ten with a phone) and times, per event:

- ``normalise``: what the collector already spends (``normalise_batch``), the baseline;
- ``gates``: ``CollectionGates.apply`` (residency check + consent reduction) on the result,
  for events from subjects with no refusal, then with ``--share`` of them from refused subjects.

    python bench/collection_gate.py                     # 200 batches of 100 events
    python bench/collection_gate.py --batches 50 --share 0.05
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from frontoffice.collector.gates import CollectionGates  # noqa: E402
from frontoffice.collector.pipeline import Incoming, Prepared, prepare  # noqa: E402
from frontoffice.consent import service as consent  # noqa: E402
from frontoffice.domain.events import Limits, normalise_batch  # noqa: E402
from frontoffice.settings import Settings  # noqa: E402
from frontoffice.storage import open_store  # noqa: E402
from frontoffice.tenancy import service as tenancy  # noqa: E402

LIMITS = Limits(32 * 1024, 32)


def event(i: int, user: str) -> dict[str, Any]:
    context = {"locale": "de-DE", "ip": f"203.0.113.{i % 250}", "userAgent": "Mozilla/5.0 (X11; Linux)",
               "page": {"path": f"/p/{i % 97}", "url": f"https://shop.example/p/{i % 97}"},
               "library": {"name": "analytics.js", "version": "4.1.0"}}
    if i % 10 == 0:
        return {"type": "identify", "userId": user, "messageId": f"m-{i}", "context": context,
                "traits": {"email": f"{user}@example.com", "phone": "+49 151 23456789"}}
    return {"type": "track", "event": "Product Viewed" if i % 3 else "Order Completed", "userId": user,
            "anonymousId": f"a-{user}", "messageId": f"m-{i}", "context": context,
            "properties": {"sku": f"S-{i % 500}", "price": 19.9, "order_id": f"o-{i}", "total": 19.9}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batches", type=int, default=200)
    parser.add_argument("--refused", type=int, default=200, help="subjects with an analytics refusal")
    parser.add_argument("--share", type=float, default=0.01, help="share of events from refused subjects")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(f"sqlite:///{tmp}/bench.db")
        store.upgrade()
        ws = tenancy.create_workspace(store, "bench", "EU")
        src, _ = tenancy.create_source(store, ws.id, "web", "web")
        hub = consent.ConsentHub.of(store)
        at = datetime(2026, 11, 1, tzinfo=UTC)
        for n in range(args.refused):
            refusal = consent.Capture(f"user_id:r{n}", {"analytics": "denied"}, at=at)
            consent.record(store, hub, ws.id, refusal, datetime.now(UTC))
        gates = CollectionGates(store, Settings.load({}, overrides={"data_dir": Path(tmp)}))
        every = max(1, round(1 / args.share)) if args.share > 0 else 0
        for label, refused_every in (("no refusals", 0), (f"{args.share:.0%} refused", every)):
            normalise_us: list[float] = []
            gate_us: list[float] = []
            reduced = 0
            for b in range(args.batches):
                items: list[object] = [
                    event(b * 100 + i, f"r{(b * 100 + i) % args.refused}"
                          if refused_every and (b * 100 + i) % refused_every == 0 else f"u{b * 100 + i}")
                    for i in range(100)]
                incoming = Incoming(ws.id, src.id, None, False, datetime.now(UTC), "/v1/batch")
                t0 = time.perf_counter()
                normalise_batch(items, batch={}, forced_type=None, source_id=src.id,
                                received_at=incoming.received_at, limits=LIMITS, check_depth=False)
                t1 = time.perf_counter()
                prepared = prepare(incoming, {"batch": items}, LIMITS)
                assert isinstance(prepared, Prepared)
                t2 = time.perf_counter()
                out = gates.apply(incoming, {"batch": items}, prepared)
                t3 = time.perf_counter()
                reduced += sum(1 for e in out.batch.events if b'"frontoffice"' in e.payload)
                reduced += len(prepared.batch.events) - len(out.batch.events)
                normalise_us.append((t1 - t0) * 1e6 / 100)
                gate_us.append((t3 - t2) * 1e6 / 100)
            n, g = statistics.median(normalise_us), statistics.median(gate_us)
            print(f"{label:>14}: normalise {n:6.1f} µs/event · gates {g:5.2f} µs/event "
                  f"(+{g / n:.0%} of normalising) · {reduced} events reduced or dropped")
        store.close()


if __name__ == "__main__":
    main()
