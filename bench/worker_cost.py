"""The worker's CPU per event: every projection of every capability, driven as the worker's
runner drives them, on a realistic mixed stream.

Makes a SQLite workspace with the segments benchmarks' 20 computed traits and 50 segments,
then appends a stream in passes of ``PASS`` events (the runner wakes every 50 ms, so at 10,000
events/s a pass holds ~500): tracking events (track with the shop vocabulary, identify with
an e-mail, page) and, every ``--orders-every`` passes, a few commerce orders. After each append it runs every
projection of the workspace once as the runner does (``Runner.moved`` then ``run_workspace``)
and counts the process's CPU (``time.process_time``) per projection. Prints ms of CPU per
event, in all and per projection. ``--people N``: the workspace holds N people before the stream
(their identifiers and memberships, written straight into the tables), as a live one does.

``--baseline REV`` measures the same stream with the code of git revision ``REV`` too
(extracted with ``git archive`` and run in a child process on its own database), interleaved
round by round with the working tree's code, and prints the ratio (baseline / this code).

    python bench/worker_cost.py                        # this code only
    python bench/worker_cost.py --baseline main --rounds 3
    BENCH_SCALE=small python bench/worker_cost.py --baseline main
    python bench/worker_cost.py --baseline main --people 100000
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SMALL = os.environ.get("BENCH_SCALE") == "small"
PASS = 250  # events per runner pass
PASSES = 8 if SMALL else 24
USERS = 20_000  # most events are of a person the pass has not seen yet, as at 10,000 events/s
SOURCE = "web"
PRODUCT = {"event_id": "prd-d", "version": 1, "product_id": "D", "name": "Wrap Dress",
           "category": "dresses", "supplier_ids": ["S1"], "variants": [{"sku": "D-M", "size": "M"}]}


def load() -> str:
    return "load average " + " ".join(Path("/proc/loadavg").read_text().split()[:3])


def seeded(i: int) -> str:
    """The id of the ``i``-th person :func:`prefill` seeds."""
    return f"prs_seeded_{i:09d}"


def prefill(path: Path, ws: str, people: int) -> None:
    """``people`` people the workspace already had, as the tables the worker reads per page hold
    them (three identifiers and ten memberships each; none of them in the stream): the reads that
    picked each person's rows out of every row of the workspace grew with it."""
    db = sqlite3.connect(path)
    person = [seeded(i) for i in range(people)]
    with db:
        db.executemany("INSERT INTO identity_index (workspace_id, kind, value, person_id) "
                       "VALUES (?, ?, ?, ?)",
                       ((ws, kind, f"{kind}-seeded-{i}", p) for i, p in enumerate(person)
                        for kind in ("anonymous_id", "email", "user_id")))
        db.executemany("INSERT INTO segments_members (workspace_id, segment, person_id, since, why) "
                       "VALUES (?, ?, ?, '2026-01-01T00:00:00Z', 'seeded')",
                       ((ws, f"s{j:02d}", p) for p in person for j in range(3, 50, 5)))
    db.close()


def measure(passes: int, seed: int, profile: Path | None, size: int = PASS,
            orders_every: int = 4, users: int = USERS, existing: int = 0) -> dict[str, Any]:
    """Build a fresh database (holding ``existing`` people already), append the stream pass by
    pass and run the projections after each; the CPU each projection spent (seconds) and the
    events appended."""
    sys.path.insert(0, str(ROOT / "bench"))
    from _segments_defs import event, segments, traits
    from frontoffice import worker
    from frontoffice.bootstrap import Role, bootstrap
    from frontoffice.commerce import service as commerce
    from frontoffice.commerce.store import CommerceStore
    from frontoffice.domain.events import EventRecord, Limits, iso, normalise
    from frontoffice.projection.runner import Runner
    from frontoffice.segments import service as segments_service
    from frontoffice.segments.store import SegmentsStore
    from frontoffice.settings import Settings
    from frontoffice.storage import open_store
    from frontoffice.storage.port import AppendBatch
    from frontoffice.tenancy import service as tenancy

    folder = Path(tempfile.mkdtemp(prefix="bench-worker-cost-"))
    url = f"sqlite:///{folder / 'frontoffice.db'}"
    setup = open_store(url)
    setup.upgrade()
    ws = tenancy.create_workspace(setup, "bench").id
    source = tenancy.create_source(setup, ws, SOURCE, "web")[0].id
    shop = tenancy.create_source(setup, ws, "shop", "commerce")[0].id
    data, at = SegmentsStore(setup), iso(datetime.now(UTC))
    for doc in traits():
        segments_service.define_trait(data, ws, doc, at)
    for name, condition in segments():
        segments_service.define_segment(data, ws, {"name": name, "condition": condition}, at)
    commerce.ingest(CommerceStore(setup), ws, shop, "products", [PRODUCT], datetime.now(UTC))
    setup.close()
    if existing:
        prefill(folder / "frontoffice.db", ws, existing)

    settings = Settings.load({}, overrides={"database_url": url, "data_dir": folder,
                                            "identity_match_interval_seconds": 0})
    container = bootstrap(settings, Role.CLI)
    store = container.store_for(ws)
    projections = worker.projections(container.hubs, store)
    limits = Limits(settings.max_event_bytes, settings.max_json_depth)
    rnd, now_s, n = random.Random(seed), time.time(), 0

    def tracking(i: int) -> EventRecord:
        user = f"u{rnd.randrange(users)}"
        roll = rnd.random()
        if roll < 0.08:
            item: dict[str, Any] = {"type": "identify", "userId": user,
                                    "traits": {"email": f"{user}@mail-bench.com"}}
        elif roll < 0.15:
            item = {"type": "page", "userId": user, "name": "Home"}
        else:
            name, when, props = event(rnd, now_s, 120)
            item = {"type": "track", "userId": user, "event": name, "properties": props,
                    "timestamp": iso(datetime.fromtimestamp(when, UTC))}
        item["messageId"] = f"m{seed}-{i}"
        found = normalise(item, index=0, batch={}, forced_type=None, source_id=source,
                          received_at=datetime.now(UTC), limits=limits)
        assert isinstance(found, EventRecord), found
        return found

    def order(i: int) -> dict[str, Any]:
        user = rnd.randrange(users)
        return {"event_id": f"o{seed}-{i}", "version": 1, "order_id": f"O{seed}-{i}",
                "status": "confirmed", "channel": "web", "placed_at": iso(datetime.now(UTC)),
                "currency": "EUR", "total": float(rnd.randint(5, 250)),
                "customer": {"email": f"u{user}@mail-bench.com", "user_id": f"u{user}"},
                "lines": [{"line_no": 1, "sku": "D-M", "qty": 1, "unit_price": 10.0}]}

    cpu: dict[str, float] = {p.name: 0.0 for p in projections}

    class Timed:
        """A projection as the runner sees it, counting the CPU of its catch-ups."""

        def __init__(self, p: Any) -> None:
            self.p, self.name, self.reads = p, p.name, getattr(p, "reads", None)

        def catch_up(self, ws: str, on_progress: Any) -> int:
            started = time.process_time()
            try:
                return int(self.p.catch_up(ws, on_progress))
            finally:
                cpu[self.name] += time.process_time() - started

        def rebuild(self, ws: str) -> int:
            return int(self.p.rebuild(ws))

        def due(self, ws: str) -> float | None:
            return self.p.due(ws)  # type: ignore[no-any-return]

    def stop() -> None:
        return None

    runner = Runner([(store, [Timed(p) for p in projections])], lambda _: store, lambda: [ws],
                    lambda _: True, stop)
    profiler = cProfile.Profile() if profile else None
    cs = CommerceStore(store)
    try:
        for k in range(passes):
            orders = max(1, size // 25) if k % orders_every == 0 else 0
            store.append([AppendBatch(ws, source, [tracking(n + i) for i in range(size - orders)])])
            if orders:
                commerce.ingest(cs, ws, shop, "orders", [order(n + i) for i in range(orders)],
                                datetime.now(UTC))
            n += size
            if profiler:
                profiler.enable()
            if hasattr(runner, "moved"):  # the runner that skips what a pass's families do not touch
                for moved, families in runner.moved().items():
                    runner.run_workspace(moved, lambda _: None, families)
            else:
                runner.run_workspace(ws, lambda _: None)
            if profiler:
                profiler.disable()
    finally:
        container.close()
        shutil.rmtree(folder, ignore_errors=True)
    if profiler and profile:
        profiler.dump_stats(str(profile))
    return {"events": n, "cpu": cpu, "size": size}


def report(label: str, found: dict[str, Any]) -> None:
    events, cpu = found["events"], found["cpu"]
    total = sum(cpu.values())
    parts = ", ".join(f"{name} {s * 1000 / events:.3f}" for name, s in cpu.items())
    print(f"  {label}: {total * 1000 / events:.3f} ms CPU/event ({events:,} events in passes of "
          f"{found['size']}) [{parts}]", flush=True)


def child(src: Path, args: argparse.Namespace) -> dict[str, Any]:
    """``measure`` in a child process running the code under ``src``."""
    env = {**os.environ, "PYTHONPATH": str(src)}
    out = subprocess.run([sys.executable, __file__, "--child", "--passes", str(args.passes),
                          "--seed", str(args.seed), "--pass-events", str(args.pass_events),
                          "--orders-every", str(args.orders_every), "--users", str(args.users),
                          "--people", str(args.people)],
                         env=env, check=True, capture_output=True, text=True)
    found: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return found


def extract(rev: str, into: Path) -> Path:
    archive = into / "baseline.tar"
    subprocess.run(["git", "-C", str(ROOT), "archive", "-o", str(archive), rev, "src"], check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(into, filter="data")
    return into / "src"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", help="git revision to compare with (interleaved)")
    parser.add_argument("--rounds", type=int, default=1 if SMALL else 3)
    parser.add_argument("--passes", type=int, default=PASSES)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--pass-events", type=int, default=PASS, help="events appended per pass")
    parser.add_argument("--orders-every", type=int, default=4, help="commerce orders every N passes")
    parser.add_argument("--users", type=int, default=USERS,
                        help="people the stream is about (fewer: more return within the run)")
    parser.add_argument("--people", type=int, default=0,
                        help="people the workspace holds already (their identifiers and memberships)")
    parser.add_argument("--profile", type=Path, help="write this code's cProfile stats here")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(measure(args.passes, args.seed, None, args.pass_events, args.orders_every,
                                 args.users, args.people)))
        return
    print(f"worker CPU per event (SQLite, every capability's projections, 50 segments, "
          f"20 computed traits, {args.people:,} people before the stream) [{load()}]")
    if args.profile:
        report("this code, profiled", measure(args.passes, args.seed, args.profile, args.pass_events,
                                              args.orders_every, args.users, args.people))
        pstats.Stats(str(args.profile)).sort_stats("cumulative").print_stats(40)
        return
    here = ROOT / "src"
    with tempfile.TemporaryDirectory() as tmp:
        base = extract(args.baseline, Path(tmp)) if args.baseline else None
        ours: list[float] = []
        theirs: list[float] = []
        order: list[tuple[str, Path]]
        for r in range(args.rounds):
            order = [("this code", here)] + ([(f"baseline {args.baseline}", base)] if base else [])
            for label, src in (order if r % 2 == 0 else order[::-1]):
                found = child(src, args)
                report(f"round {r + 1} {label}", found)
                per = sum(found["cpu"].values()) * 1000 / found["events"]
                (ours if src == here else theirs).append(per)
        mine = statistics.median(ours)
        line = f"this code: median {mine:.3f} ms CPU/event"
        if theirs:
            old = statistics.median(theirs)
            line += f"; baseline {args.baseline}: {old:.3f} ms; ratio baseline/this {old / mine:.2f}x"
        print(f"{line} [{load()}]")


if __name__ == "__main__":
    main()
