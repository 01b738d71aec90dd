"""Segments in real time, end to end: from the collector's 200 to the membership change, while the
collector takes a steady load (issue 17: p99 <= 1 s at 10,000 events/s).

Starts the real server with its worker (``frontoffice serve``) on the embedded default (SQLite),
with the 20 computed traits and 50 segments of the other segments benchmarks and one more,
``probed`` (did "Probe"). Senders post 100-event /v1/batch requests at ``BENCH_RATE`` events/s
(open loop: each request is due at its time, whatever the answers); meanwhile a probe user at a
time sends one "Probe" event, and the time from the collector's 200 to the moment the probe's
membership of ``probed`` is committed (polled every 10 ms) is its latency. A probe not seen
within ``TIMEOUT_S`` counts as that long. Prints the achieved rate, the probes' p50/p99 and the
load average.

    python bench/segments_latency.py                 # full size (make bench)
    BENCH_SCALE=small python bench/segments_latency.py
    BENCH_RATE=1000 python bench/segments_latency.py
    python bench/segments_latency.py --rates 1000,2000 --baseline e0cd03c --own-process segments

``--rates`` runs one child a rate and configuration, interleaved: this code, this code with the
``--own-process`` projections in a second worker, and the code of git revision ``--baseline``
(extracted with ``git archive``), the order turning round at each rate.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import uvloop

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from tests.support.server import ServerProcess, make_tenant  # noqa: E402

from _segments_defs import event, segments, traits  # noqa: E402
from frontoffice.domain.events import iso  # noqa: E402
from frontoffice.identity.cli import percentile  # noqa: E402
from frontoffice.segments import service  # noqa: E402
from frontoffice.segments.store import SegmentsStore  # noqa: E402
from frontoffice.storage import open_store  # noqa: E402
from ingest import Link, post_batch  # noqa: E402
from worker_cost import extract  # noqa: E402

SMALL = os.environ.get("BENCH_SCALE") == "small"
RATE = int(os.environ.get("BENCH_RATE", "500" if SMALL else "10000"))  # events/s
SECONDS = 8.0 if SMALL else 30.0
PER_REQUEST = 100
SENDERS = 8
USERS = 50_000
TIMEOUT_S = 30.0
TARGET_P99_S = 1.0


def load() -> str:
    return "load average " + " ".join(Path("/proc/loadavg").read_text().split()[:3])


def define(url: str, ws: str) -> None:
    store = open_store(url)
    data, at = SegmentsStore(store), iso(datetime.now(UTC))
    for doc in traits():
        service.define_trait(data, ws, doc, at)
    for name, condition in [*segments(), ("probed", {"did": "Probe"})]:
        service.define_segment(data, ws, {"name": name, "condition": condition}, at)
    store.close()


def bodies(count: int) -> list[bytes]:
    rnd, now_s, out = random.Random(1), time.time(), []
    for b in range(count):
        batch: list[dict[str, Any]] = []
        for i in range(PER_REQUEST):
            name, when, props = event(rnd, now_s, 120)
            batch.append({"type": "track", "event": name, "userId": f"u{rnd.randrange(USERS)}",
                          "properties": props, "messageId": f"load-{b}-{i}",
                          "timestamp": iso(datetime.fromtimestamp(when, UTC))})
        out.append(orjson.dumps({"batch": batch}))
    return out


async def steady(port: int, auth: str, payloads: list[bytes], started: float, sent: list[int]) -> None:
    """Post ``payloads`` at RATE events/s over SENDERS connections, each request at its due time."""
    interval = PER_REQUEST / RATE
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(len(payloads)):
        queue.put_nowait(i)

    async def sender() -> None:
        link, statuses = Link(port), {}
        try:
            while not queue.empty():
                i = queue.get_nowait()
                await asyncio.sleep(max(0.0, started + i * interval - time.perf_counter()))
                await post_batch(link, auth, payloads[i], statuses)
                sent[0] += PER_REQUEST
        finally:
            link.close()

    await asyncio.gather(*(sender() for _ in range(SENDERS)))


def worker_cpu_seconds(server_pid: int) -> float:
    """CPU time (user + system) so far of the server's worker processes (Linux /proc)."""
    ticks = 0
    for entry in Path("/proc").iterdir():
        try:
            if not entry.name.isdigit() or b"worker" not in (entry / "cmdline").read_bytes():
                continue
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if b"--parent-pid\x00" + str(server_pid).encode() in (entry / "cmdline").read_bytes():
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def projected(db: sqlite3.Connection, ws: str) -> tuple[int, int]:
    """The segments projection's place in the log, and the log's last seq."""
    try:
        done = db.execute("SELECT last_seq FROM segments_cursor WHERE workspace_id = ?", (ws,)).fetchone()
        last = db.execute("SELECT MAX(seq) FROM events WHERE workspace_id = ?", (ws,)).fetchone()
    except sqlite3.OperationalError:
        return 0, 0
    return int(done[0] if done else 0), int(last[0] or 0)


def members(db: sqlite3.Connection, ws: str) -> int:
    try:
        row = db.execute("SELECT COUNT(*) FROM segments_members "
                         "WHERE workspace_id = ? AND segment = 'probed'", (ws,)).fetchone()
    except sqlite3.OperationalError:  # the schema is being changed, or the file is busy
        return 0
    return int(row[0])


class Prober:
    """One probe user at a time: the seconds from the collector's 200 to their membership."""

    def __init__(self, auth: str, db_path: Path, ws: str) -> None:
        self.auth, self.ws, self.sent = auth, ws, 0
        self.db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)

    async def probe(self, port: int, timeout: float) -> float:
        """One probe on its own connection (an idle keep-alive one would be closed meanwhile)."""
        n, self.sent = self.sent, self.sent + 1
        body = orjson.dumps({"batch": [{"type": "track", "event": "Probe", "userId": f"probe-{n}",
                                        "messageId": f"probe-{n}"}]})
        link = Link(port)
        try:
            await post_batch(link, self.auth, body, {})
        finally:
            link.close()
        answered = time.perf_counter()
        while members(self.db, self.ws) <= n and time.perf_counter() - answered < timeout:
            await asyncio.sleep(0.01)
        return min(timeout, time.perf_counter() - answered)

    async def run(self, port: int, until: float) -> list[float]:
        latencies: list[float] = []
        while time.perf_counter() < until:
            latencies.append(await self.probe(port, TIMEOUT_S))
            await asyncio.sleep(0.5)
        return latencies


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "bench.db"
        url = f"sqlite:///{db_path}"
        tenant = make_tenant(url, "bench")
        define(url, tenant.workspace_id)
        payloads = bodies(int(RATE * SECONDS / PER_REQUEST))
        auth = base64.b64encode(f"{tenant.write_key}:".encode()).decode()
        server = ServerProcess(url, Path(tmp), serve_args=())
        server.start(timeout=120.0)  # a loaded machine starts the server slowly
        try:
            prober = Prober(auth, db_path, tenant.workspace_id)

            async def run() -> tuple[list[float], int, float]:
                ready = await prober.probe(server.port, 180.0)  # the worker started, definitions read
                print(f"  worker ready: first membership after {ready:.1f} s")
                sent = [0]
                pid = server.proc.pid if server.proc else 0
                before, cpu = projected(prober.db, prober.ws)[0], worker_cpu_seconds(pid)
                started = time.perf_counter()
                load_task = asyncio.ensure_future(steady(server.port, auth, payloads, started, sent))
                found = await prober.run(server.port, started + SECONDS)
                await load_task
                took = time.perf_counter() - started
                done, last = projected(prober.db, prober.ws)
                spent, through = worker_cpu_seconds(pid) - cpu, done - before
                per = f"{spent * 1000 / through:.3f} ms/event projected" if through else "nothing projected"
                print(f"  segments projected {through / took:,.0f} events/s while the load ran, "
                      f"{last - done:,} behind the log at its end; worker CPU {per} ({spent / took:.2f} "
                      f"cores) [{load()}]")
                return found, sent[0], took

            latencies, sent, took = uvloop.run(run())
        finally:
            server.stop()
            log = Path(tmp) / f"server-{server.port}.log"
            if os.environ.get("BENCH_VERBOSE") and log.exists():
                print(log.read_text(errors="replace")[-3000:])
        p50, p99 = percentile(latencies, 0.5), percentile(latencies, 0.99)
        late = sum(1 for s in latencies if s >= TIMEOUT_S)
        print(f"segments end to end (SQLite, server + worker, 50 segments, 20 computed traits): "
              f"{sent:,} events at {sent / took:,.0f} events/s (asked {RATE:,}/s) [{load()}]")
        print(f"  collector's 200 -> membership change: {len(latencies)} probes, p50 {p50 * 1000:.0f} ms, "
              f"p99 {p99 * 1000:.0f} ms ({late} not seen within {TIMEOUT_S:.0f} s; target p99 <= "
              f"{TARGET_P99_S:.0f} s: {'met' if p99 <= TARGET_P99_S else 'NOT met'})")


def compare(argv: list[str]) -> None:
    """Each rate of ``--rates`` in a child a configuration, interleaved (see the docstring)."""
    parser = argparse.ArgumentParser(description="segments end to end, compared")
    parser.add_argument("--rates", required=True, help="events/s, comma-separated")
    parser.add_argument("--baseline", help="git revision to compare with")
    parser.add_argument("--own-process", help="projections run in a second worker (e.g. segments)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        runs = [("this code", ROOT / "src", {})]
        if args.own_process:
            runs.append((f"this code, {args.own_process} in a worker of their own", ROOT / "src",
                         {"FRONTOFFICE_WORKER_OWN_PROCESS": args.own_process}))
        if args.baseline:
            runs.append((f"baseline {args.baseline}", extract(args.baseline, Path(tmp)), {}))
        for i, rate in enumerate(int(r) for r in args.rates.split(",")):
            for label, src, env in (runs if i % 2 == 0 else runs[::-1]):
                print(f"--- {rate:,} events/s, {label}", flush=True)
                subprocess.run([sys.executable, __file__], check=False, env={
                    **os.environ, **env, "PYTHONPATH": str(src), "BENCH_RATE": str(rate)})


if __name__ == "__main__":
    if len(sys.argv) > 1:
        compare(sys.argv[1:])
    else:
        main()
