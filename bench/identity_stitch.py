"""Real-time stitching benchmark: the identity projection following the log while the collector
takes the demo brand's events over HTTP, on the same two cores.

Starts `frontoffice serve --no-worker` (API process and ingest processes) on a fresh SQLite
store and, in a child process, the identity projector the worker runs (`Projector.catch_up` in a
loop), ready before the first event is sent. The demo brand's tracking calls (anonymous sessions
that later identify, several devices and e-mails per person) are sent as 100-event batches by
concurrent senders at a steady rate (``--rate``). Prints:

- stitch time per event: the projector adding one record to the identity graph (normalise the
  identifiers, find the people they join, merge or refuse with a reason), p50/p99/max;
- processing time per event: a projector batch of up to 100 events (read it, stitch, persist the
  changed people and the record → person mapping) divided by its events, p50/p99 over batches;
- lag: from the collector's 200 for an event to the end of the batch that stitched it, p50/p99;
- the projector process's peak memory (RSS) and the collector's rate during the run.

    python bench/identity_stitch.py                  # 2,000 people (make bench)
    python bench/identity_stitch.py --people 150     # small (the test suite runs this)
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import multiprocessing as mp
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import orjson

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.server import ServerProcess, make_tenant  # noqa: E402

from bench.ingest import Link, post_batch  # noqa: E402
from frontoffice.demo import generate, write  # noqa: E402
from frontoffice.identity.cli import percentile  # noqa: E402

BATCH = 100


def _follow(url: str, workspace_id: str, ready: Any, stop: Any, out: Any) -> None:
    """The projector loop of the worker, instrumented (runs in its own process)."""
    from frontoffice.identity.projector import Projector
    from frontoffice.identity.store import IdentitySql
    from frontoffice.storage import open_store

    store = open_store(url)
    projector = Projector(store, IdentitySql(store), workspace_id)
    projector.catch_up()  # loads; the log is empty
    stitch: list[float] = []
    batches: list[tuple[float, int, int, float]] = []  # (end time, last seq, events, seconds)
    tick = [time.perf_counter()]

    def batch_done(events: int) -> None:
        now = time.perf_counter()
        batches.append((time.time(), projector.checkpoint, events, now - tick[0]))
        tick[0] = now

    ready.set()
    deadline = time.time() + 900
    while time.time() < deadline:
        tick[0] = time.perf_counter()
        progress = projector.catch_up(on_progress=batch_done, batch_size=BATCH)
        stitch += progress.stitch_ms
        if not progress.events:
            if stop.is_set():
                break
            time.sleep(0.005)
    store.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out.put({"stitch_ms": stitch, "batches": batches, "peak_mib": peak})


async def _send(port: int, write_key: str, bodies: list[tuple[bytes, list[str]]], senders: int,
                rate: float, acked: dict[str, float]) -> float:
    """Send every body, at most ``rate`` events/s overall (0: as fast as the collector takes them)."""
    auth = base64.b64encode(f"{write_key}:".encode()).decode()
    queue: asyncio.Queue[tuple[bytes, list[str]]] = asyncio.Queue()
    for item in bodies:
        queue.put_nowait(item)

    started = time.perf_counter()
    sent = [0]
    statuses: dict[int, int] = {}

    async def sender() -> None:
        link = Link(port)
        try:
            while not queue.empty():
                body, ids = queue.get_nowait()
                if rate:
                    due = started + sent[0] / rate
                    sent[0] += len(ids)
                    await asyncio.sleep(max(0.0, due - time.perf_counter()))
                await post_batch(link, auth, body, statuses)
                now = time.time()
                for message_id in ids:
                    acked[message_id] = now
        finally:
            link.close()

    await asyncio.gather(*(sender() for _ in range(senders)))
    return time.perf_counter() - started


def _tracking_calls(folder: Path) -> list[dict[str, Any]]:
    calls = []
    with (folder / "events.ndjson").open(encoding="utf-8") as handle:
        for line in handle:
            call = orjson.loads(line)
            call.get("context", {}).pop("source", None)
            calls.append(call)
    return calls


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--senders", type=int, default=4)
    parser.add_argument("--rate", type=float, default=3000,
                        help="events/s the senders keep to (a busy shop); 0 sends as fast as possible")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="fo-stitch-") as tmp:
        work = Path(tmp)
        write(generate(args.seed, args.people), work / "brand")
        calls = _tracking_calls(work / "brand")
        bodies = [(orjson.dumps({"batch": calls[i:i + BATCH]}), [c["messageId"] for c in calls[i:i + BATCH]])
                  for i in range(0, len(calls), BATCH)]
        url = f"sqlite:///{work / 'frontoffice.db'}"
        tenant = make_tenant(url, "stitch")
        server = ServerProcess(url, work, serve_args=("--no-worker",))
        server.start()
        context = mp.get_context("spawn")
        ready, stop, out = context.Event(), context.Event(), context.Queue()
        follower = context.Process(target=_follow, args=(url, tenant.workspace_id, ready, stop, out))
        acked: dict[str, float] = {}
        try:
            follower.start()
            if not ready.wait(120):
                raise RuntimeError("the projector process did not start")
            seconds = asyncio.run(_send(server.port, tenant.write_key, bodies, args.senders, args.rate,
                                        acked))
        finally:
            server.stop()
            stop.set()
        result = out.get(timeout=900)
        follower.join(timeout=60)
        from frontoffice.storage import open_store

        store = open_store(url)
        try:
            seq_of = {e.record.message_id: e.seq for e in store.events(tenant.workspace_id, limit=10_000_000)}
        finally:
            store.close()
    batches = result["batches"]
    lags = []
    for message_id, ok in acked.items():
        seq = seq_of.get(message_id)
        done = next((end for end, last, _, _ in batches if last >= seq), None) if seq else None
        if done is not None:
            lags.append(max(0.0, done - ok) * 1000)
    per_event = [secs * 1000 / n for _, _, n, secs in batches]
    stitch = result["stitch_ms"]
    figures = {
        "bench": "identity_stitch", "people": args.people, "events": len(calls),
        "stored": len(seq_of),  # RU and CN customers' events are refused: the workspace is in the EU
        "collector_events_per_s": round(len(calls) / seconds),
        "stitched_records": len(stitch),
        "stitch_ms_p50": round(percentile(stitch, 0.5), 4),
        "stitch_ms_p99": round(percentile(stitch, 0.99), 4),
        "stitch_ms_max": round(max(stitch, default=0.0), 3),
        "rate_asked": args.rate,
        "processing_ms_per_event_p50": round(percentile(per_event, 0.5), 4),
        "processing_ms_per_event_p99": round(percentile(per_event, 0.99), 4),
        "lag_ms_p50": round(percentile(lags, 0.5), 1), "lag_ms_p99": round(percentile(lags, 0.99), 1),
        "projector_peak_mib": round(result["peak_mib"], 1),
    }
    print(f"{len(calls):,} tracking events of {args.people:,} people sent at "
          f"{figures['collector_events_per_s']:,}/s while the projector followed the log "
          f"({len(seq_of):,} stored; RU and CN customers' are refused by residency: EU workspace)")
    print(f"stitch per event: p50 {figures['stitch_ms_p50']} ms, p99 {figures['stitch_ms_p99']} ms, "
          f"max {figures['stitch_ms_max']} ms ({len(stitch):,} records)")
    print(f"processing per event (read + stitch + persist, per 100-event batch): p50 "
          f"{figures['processing_ms_per_event_p50']} ms, p99 {figures['processing_ms_per_event_p99']} ms")
    print(f"lag from the collector's 200 to the person updated: p50 {figures['lag_ms_p50']} ms, "
          f"p99 {figures['lag_ms_p99']} ms; projector peak memory {figures['projector_peak_mib']} MiB")
    print(json.dumps(figures))
    return figures


if __name__ == "__main__":
    main()
