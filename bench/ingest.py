"""Collector ingest benchmark: the real server over loopback vs raw durable inserts.

Starts `frontoffice serve --no-worker` as its own process on the embedded SQLite default (and
on PostgreSQL when FRONTOFFICE_TEST_PG_URL is set); with --with-worker it also measures the
server with its projection worker resolving people on the same two cores. It drives the server
with 100-event /v1/batch requests from several concurrent senders over keep-alive HTTP/1.1
connections, and prints events/s and p50/p99 request latency. In the same run it inserts the
same events straight into a fresh store of the same kind, one durable transaction per 100 events
(what a loader without the collector would do), and prints the ratio server / raw.

    python bench/ingest.py                 # full size (make bench)
    python bench/ingest.py --batches 200   # small (the test suite runs this)
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import os
import random
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import orjson
import uvloop

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.pg import fresh_database  # noqa: E402
from tests.support.server import ServerProcess, make_tenant  # noqa: E402

from frontoffice.domain.events import Limits, normalise_batch, now  # noqa: E402
from frontoffice.identity.cli import percentile  # noqa: E402
from frontoffice.storage import open_store  # noqa: E402
from frontoffice.storage.port import AppendBatch  # noqa: E402
from frontoffice.storage.sqlite_dedupe import DedupeIndex  # noqa: E402

EVENTS_PER_BATCH = 100
PAGES = ("/", "/women/dresses", "/men/shoes", "/sale", "/cart", "/checkout")
PRODUCTS = [f"SKU-{i:05d}" for i in range(500)]


def make_batches(count: int, seed: int = 1, message_ids: str = "uuid") -> list[list[dict[str, object]]]:
    """``message_ids``: "uuid" (random, what the Segment SDKs send: every event lands on a random
    page of the dedupe index) or "sequential" (ids that sort in sending order: the index grows at
    its right edge only)."""
    rng = random.Random(seed)
    ids = random.Random(seed + 1)
    batches = []
    for b in range(count):
        events: list[dict[str, object]] = []
        for i in range(EVENTS_PER_BATCH):
            user = f"user-{rng.randrange(50_000)}"
            ts = f"2026-11-{rng.randrange(1, 28):02d}T{rng.randrange(24):02d}:{rng.randrange(60):02d}:00Z"
            message_id = (str(uuid.UUID(int=ids.getrandbits(128), version=4)) if message_ids == "uuid"
                          else f"bench-{seed}-{b:07d}-{i:03d}")
            common = {"messageId": message_id, "anonymousId": f"anon-{user}",
                      "userId": user, "originalTimestamp": ts,
                      "context": {"locale": "de-DE", "ip": f"10.0.{rng.randrange(256)}.1",
                                  "userAgent": "Mozilla/5.0 (bench)"}}
            kind = rng.random()
            if kind < 0.5:
                events.append({**common, "type": "track", "event": "Product Viewed",
                               "properties": {"sku": rng.choice(PRODUCTS), "price": 49.9,
                                              "currency": "EUR", "size": rng.choice("SML")}})
            elif kind < 0.85:
                events.append({**common, "type": "page", "name": rng.choice(PAGES),
                               "properties": {"path": rng.choice(PAGES)}})
            else:
                events.append({**common, "type": "identify",
                               "traits": {"email": f"{user}@example.com", "country": "DE"}})
        batches.append(events)
    return batches


@dataclass
class Result:
    label: str
    events: int
    seconds: float
    p50_ms: float | None = None
    p99_ms: float | None = None
    statuses: dict[int, int] | None = None
    client_cpu_s: float | None = None

    @property
    def rate(self) -> float:
        return self.events / self.seconds


class Link:
    """A keep-alive HTTP/1.1 connection to the collector on ``port``, opened when first used and
    again after the server closed it (uvicorn closes a connection idle for 5 s, which a sender
    posting more rarely than that meets on every request)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self._streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def streams(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter, bool]:
        """The connection's streams, and whether it was opened just now."""
        fresh = self._streams is None or self._streams[1].is_closing()
        if fresh:
            self._streams = await asyncio.open_connection("127.0.0.1", self.port)
        assert self._streams is not None
        return (*self._streams, fresh)

    def close(self) -> None:
        if self._streams is not None:
            self._streams[1].close()
            self._streams = None


async def post_batch(link: Link, auth: str, body: bytes, statuses: dict[int, int]) -> float:
    """POST one /v1/batch body on ``link`` until the collector takes it (a 429 is sent again after
    50 ms; a request the server closed the connection on without answering is sent again on a
    new one; anything else but 200 raises); every answer is counted in ``statuses``. Returns the
    seconds of the accepted request."""
    head = (f"POST /v1/batch HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Basic {auth}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n").encode()
    while True:
        reader, writer, fresh = await link.streams()
        started = time.perf_counter()
        try:
            writer.writelines((head, body))
            await writer.drain()
            status_line = await reader.readline()
        except ConnectionError:
            status_line = b""
        if not status_line:  # closed while idle, before it read this request
            link.close()
            if fresh:
                raise ConnectionError("the server closed a new connection without answering")
            continue
        length = 0
        while (line := await reader.readline()) not in (b"\r\n", b""):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        await reader.readexactly(length)
        status = int(status_line.split()[1])
        statuses[status] = statuses.get(status, 0) + 1
        if status == 429:
            await asyncio.sleep(0.05)
            continue
        if status != 200:
            raise RuntimeError(f"server answered {status}")
        return time.perf_counter() - started


async def _sender(port: int, auth: str, bodies: list[bytes], queue: asyncio.Queue[int],
                  latencies: list[float], statuses: dict[int, int]) -> None:
    link = Link(port)
    try:
        while True:
            try:
                index = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            latencies.append(await post_batch(link, auth, bodies[index], statuses))
    finally:
        link.close()


def drive_server(port: int, write_key: str, batches: list[list[dict[str, object]]],
                 senders: int) -> Result:
    auth = base64.b64encode(f"{write_key}:".encode()).decode()
    bodies = [orjson.dumps({"batch": b, "sentAt": "2026-11-28T00:00:00Z"}) for b in batches]

    async def main() -> Result:
        queue: asyncio.Queue[int] = asyncio.Queue()
        for i in range(len(bodies)):
            queue.put_nowait(i)
        latencies: list[float] = []
        statuses: dict[int, int] = {}
        started, cpu = time.perf_counter(), time.process_time()
        await asyncio.gather(*(_sender(port, auth, bodies, queue, latencies, statuses)
                               for _ in range(senders)))
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        return Result("server", len(bodies) * EVENTS_PER_BATCH, seconds,
                      p50_ms=percentile(latencies, 0.5) * 1000, p99_ms=percentile(latencies, 0.99) * 1000,
                      statuses=statuses, client_cpu_s=cpu)

    # uvloop, as the server uses: the load generator shares the two cores with the server, so
    # the less CPU it takes per request the more of the machine the measurement is about.
    return uvloop.run(main())


def raw_inserts(database_url: str, batches: list[list[dict[str, object]]]) -> Result:
    """The same events, normalised, appended straight to the store: one commit per 100."""
    store = open_store(database_url)
    store.upgrade()
    tenant = make_tenant(database_url, "rawbench")
    limits = Limits(32 * 1024, 32)
    records = [normalise_batch(b, batch={}, forced_type=None, source_id=tenant.source_id,
                               received_at=now(), limits=limits)[0] for b in batches]
    started = time.perf_counter()
    for chunk in records:
        store.append([AppendBatch(tenant.workspace_id, tenant.source_id, chunk)])
    seconds = time.perf_counter() - started
    store.close()
    return Result("raw", sum(len(r) for r in records), seconds)


def run_backend(label: str, server_url: str, raw_url: str, batches: list[list[dict[str, object]]],
                senders: int, workdir: Path, *, worker: bool) -> dict[str, object]:
    tenant = make_tenant(server_url, "bench")
    server = ServerProcess(server_url, workdir, serve_args=() if worker else ("--no-worker",))
    server.start()
    try:
        drive_server(server.port, tenant.write_key, batches[: max(1, len(batches) // 20)], senders)
        warm = len(batches) // 20
        assert server.proc is not None
        cpu_before = tree_cpu_seconds(server.proc.pid)
        measured = drive_server(server.port, tenant.write_key, batches[warm:], senders)
        server_cpu = tree_cpu_seconds(server.proc.pid) - cpu_before
    except RuntimeError:  # the server refused: what it logged says why
        log = workdir / f"server-{server.port}.log"
        print(log.read_text(errors="replace")[-5000:] if log.exists() else "(no server log)",
              file=sys.stderr)
        raise
    finally:
        server.stop()
    store = open_store(server_url)
    stored = store.count_events(tenant.workspace_id)
    store.close()
    rebuild = dedupe_rebuild(server_url) if server_url.startswith("sqlite") else {}
    raw = raw_inserts(raw_url, batches[warm:])
    return {
        "backend": label + (" + worker" if worker else ""),
        "events": measured.events,
        "stored": stored,
        "server_events_per_s": round(measured.rate),
        "p50_ms": round(measured.p50_ms or 0, 2),
        "p99_ms": round(measured.p99_ms or 0, 2),
        "statuses": measured.statuses,
        "server_cpu_us_per_event": round(server_cpu * 1e6 / measured.events, 1),
        "client_cpu_us_per_event": round((measured.client_cpu_s or 0) * 1e6 / measured.events, 1),
        "raw_events_per_s": round(raw.rate),
        "ratio": round(measured.rate / raw.rate, 3),
        "senders": senders,
        **rebuild,
    }


def calibrate() -> float:
    """Seconds of a fixed pure-Python loop (best of three): how fast the machine is right now."""
    best = float("inf")
    for _ in range(3):
        started, total = time.perf_counter(), 0
        for i in range(2_000_000):
            total += i * i
        best = min(best, time.perf_counter() - started)
    return round(best, 3)


def median_row(runs: list[dict[str, object]]) -> dict[str, object]:
    """The run with the median events/s, labelled as the median of the runs."""
    ordered = sorted(runs, key=lambda r: float(str(r["server_events_per_s"])))
    return {**ordered[len(ordered) // 2], "backend": f"sqlite, median of {len(runs)}"}


def tree_cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of the process and all its descendants so far (Linux /proc):
    the server's cost per event, steadier than events/s on a machine whose speed varies."""
    parents: dict[int, int] = {}
    ticks: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry.name)] = int(fields[1])
        ticks[int(entry.name)] = int(fields[11]) + int(fields[12])
    tree, frontier = {pid}, [pid]
    while frontier:
        parent = frontier.pop()
        for child, ppid in parents.items():
            if ppid == parent and child not in tree:
                tree.add(child)
                frontier.append(child)
    return sum(ticks.get(p, 0) for p in tree) / os.sysconf("SC_CLK_TCK")


def dedupe_rebuild(url: str) -> dict[str, object]:
    """What an ingest process pays at its first append on this log: the SQLite dedupe index
    rebuilt from the log (time and memory, per million events)."""
    store = open_store(url)
    try:
        index = DedupeIndex()
        cur = store.read_cursor()
        started = time.perf_counter()
        index.find(cur, "", "")  # follows the whole log
        seconds = time.perf_counter() - started
        events, memory = len(index), index.nbytes
    finally:
        store.close()
    return {"dedupe_rebuild_s_per_million": round(seconds * 1e6 / max(events, 1), 2),
            "dedupe_bytes_per_event": round(memory / max(events, 1), 1)}


def main(argv: list[str] | None = None) -> list[dict[str, object]]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batches", type=int, default=3000, help="100-event batches to send")
    parser.add_argument("--senders", type=int, default=8, help="concurrent connections")
    parser.add_argument("--message-ids", choices=("uuid", "sequential"), default="uuid",
                        help="uuid: random, as the Segment SDKs send (default); sequential: ids "
                             "that sort in sending order (the dedupe index only grows at its end)")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--with-worker", action="store_true",
                        help="also measure with the projection worker resolving people on the "
                             "same two cores")
    parser.add_argument("--repeat", type=int, default=1,
                        help="runs of the embedded default, collector alone (their median is "
                             "printed too: the shared machine's speed varies from run to run)")
    args = parser.parse_args(argv)
    batches = make_batches(args.batches, message_ids=args.message_ids)
    results = []
    speed = [calibrate()]
    with tempfile.TemporaryDirectory(prefix="fo-bench-") as tmp:
        work = Path(tmp)
        pg = os.environ.get("FRONTOFFICE_TEST_PG_URL")
        for worker in (False, True) if args.with_worker else (False,):
            for attempt in range(1 if worker else max(1, args.repeat)):
                run = work / f"sqlite-{worker}-{attempt}"
                run.mkdir()
                results.append(run_backend(
                    "sqlite", f"sqlite:///{run / 'server.db'}", f"sqlite:///{run / 'raw.db'}",
                    batches, args.senders, run, worker=worker))
                speed.append(calibrate())
            if pg and not args.no_postgres:
                with fresh_database(pg) as server_db, fresh_database(pg) as raw_db:
                    results.append(run_backend("postgres", server_db, raw_db, batches,
                                               args.senders, run, worker=worker))
    alone = [r for r in results if r["backend"] == "sqlite"]
    if len(alone) > 1:
        results.append(median_row(alone))
    print(f"{'backend':<22} {'events':>8} {'events/s':>10} {'p50 ms':>8} {'p99 ms':>8} "
          f"{'raw ev/s':>10} {'ratio':>6} {'server CPU us/ev':>17}")
    for r in results:
        print(f"{r['backend']:<22} {r['events']:>8} {r['server_events_per_s']:>10} {r['p50_ms']:>8} "
              f"{r['p99_ms']:>8} {r['raw_events_per_s']:>10} {r['ratio']:>6} "
              f"{r['server_cpu_us_per_event']:>17}")
    print(f"machine speed: a fixed Python loop took {min(speed):.2f}-{max(speed):.2f} s between runs "
          "(the shared machine's speed varies; events/s follows it)")
    for r in results:
        if "dedupe_rebuild_s_per_million" in r:
            print(f"{r['backend']}: dedupe index rebuilt from the log in "
                  f"{r['dedupe_rebuild_s_per_million']} s per million events, "
                  f"{r['dedupe_bytes_per_event']} bytes per event")
    print(f"message ids: {args.message_ids}")
    print(json.dumps({"bench": "ingest", "cpus": os.cpu_count(), "message_ids": args.message_ids,
                      "calibration_s": speed, "results": results}))
    return results


if __name__ == "__main__":
    main()
