"""How many events a second the worker projects when nothing else competes: the worker
(``frontoffice worker``) is started and warmed up on one event, then ``EVENTS`` tracking events
(the segments benchmarks' shop stream over ``USERS`` people, 50 segments and 20 computed traits)
are appended at once, and the worker is timed until the segments projection reaches the log's
end. Prints events/s and the workers'
CPU per event, for one worker and for segments in a worker of their own (``worker_own_process``,
two processes: two cores when the machine has them), and with ``--baseline REV`` for the code of
git revision REV too (one worker), interleaved round by round, with the load average.

    python bench/segments_drain.py --baseline e0cd03c
    BENCH_SCALE=small python bench/segments_drain.py
"""

from __future__ import annotations

import argparse
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

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from tests.support.server import make_tenant  # noqa: E402

from _segments_defs import event  # noqa: E402
from frontoffice.domain.events import EventRecord, Limits, iso, normalise  # noqa: E402
from frontoffice.settings import Settings  # noqa: E402
from frontoffice.storage import open_store  # noqa: E402
from frontoffice.storage.port import AppendBatch  # noqa: E402
from segments_latency import define, load  # noqa: E402
from worker_cost import extract  # noqa: E402

SMALL = os.environ.get("BENCH_SCALE") == "small"
EVENTS = 2_000 if SMALL else 20_000
USERS = 50_000
TIMEOUT_S = 600.0


def records(source_id: str, count: int, first: int = 0) -> list[EventRecord]:
    limits = Limits(Settings().max_event_bytes, Settings().max_json_depth)
    rnd, now_s, out = random.Random(first), time.time(), []
    for i in range(first, first + count):
        name, when, props = event(rnd, now_s, 120)
        raw: dict[str, Any] = {"type": "track", "event": name, "userId": f"u{rnd.randrange(USERS)}",
                               "properties": props, "messageId": f"m{i}",
                               "timestamp": iso(datetime.fromtimestamp(when, UTC))}
        found = normalise(raw, index=0, batch={}, forced_type=None, source_id=source_id,
                          received_at=datetime.now(UTC), limits=limits)
        assert isinstance(found, EventRecord), found
        out.append(found)
    return out


def projected(db: sqlite3.Connection) -> int:
    try:
        row = db.execute("SELECT last_seq FROM segments_cursor").fetchone()
    except sqlite3.OperationalError:  # the file is busy
        return -1
    return int(row[0]) if row else 0


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def drain(src: Path, own: str | None, count: int) -> tuple[float, float]:
    """Seconds until the segments projection reached the log's end, and the workers' CPU."""
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "bench.db"
        url = f"sqlite:///{db_path}"
        tenant = make_tenant(url, "bench")
        define(url, tenant.workspace_id)
        load_ = records(tenant.source_id, count, first=1)
        store = open_store(url)
        store.append([AppendBatch(tenant.workspace_id, tenant.source_id, records(tenant.source_id, 1))])
        env = {**os.environ, "PYTHONPATH": str(src), "FRONTOFFICE_DATABASE_URL": url}
        args = [sys.executable, "-m", "frontoffice", "--data-dir", tmp, "worker"]
        if own:
            env["FRONTOFFICE_WORKER_OWN_PROCESS"] = own
        runs = [args, *([[*args, "--only", own]] if own else [])]
        db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        workers = [subprocess.Popen(a, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                   for a in runs]
        try:
            deadline = time.perf_counter() + TIMEOUT_S
            while projected(db) < 1 and time.perf_counter() < deadline:  # started, definitions read
                time.sleep(0.05)
            started, cpu = time.perf_counter(), sum(cpu_seconds(w.pid) for w in workers)
            for at in range(0, count, 1000):
                store.append([AppendBatch(tenant.workspace_id, tenant.source_id, load_[at:at + 1000])])
            last = int(db.execute("SELECT MAX(seq) FROM events").fetchone()[0])
            while projected(db) < last and time.perf_counter() < deadline:
                time.sleep(0.02)
            return time.perf_counter() - started, sum(cpu_seconds(w.pid) for w in workers) - cpu
        finally:
            for w in workers:
                w.terminate()
                w.wait(timeout=30)
            db.close()
            store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", help="git revision to compare with (one worker)")
    parser.add_argument("--rounds", type=int, default=1 if SMALL else 2)
    parser.add_argument("--events", type=int, default=EVENTS)
    args = parser.parse_args()
    print(f"worker projecting {args.events:,} events appended at once (SQLite, 50 segments, 20 computed "
          f"traits) [{load()}]", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        runs = [("this code, one worker", ROOT / "src", None),
                ("this code, segments in a worker of their own", ROOT / "src", "segments")]
        if args.baseline:
            runs.append((f"baseline {args.baseline}, one worker", extract(args.baseline, Path(tmp)), None))
        for r in range(args.rounds):
            for label, src, own in (runs if r % 2 == 0 else runs[::-1]):
                took, cpu = drain(src, own, args.events)
                print(f"  round {r + 1} {label}: {args.events / took:,.0f} events/s, worker CPU "
                      f"{cpu * 1000 / args.events:.3f} ms/event ({cpu / took:.2f} cores) [{load()}]",
                      flush=True)


if __name__ == "__main__":
    main()
