"""What a hot read costs through ``storage.prepared.rows`` and through ``conn.execute``, in one run.

A decision makes a dozen small reads a request (issue 18: p99 <= 10 ms); SQLAlchemy's execution
machinery costs each ~60 µs around a ~15 µs SQLite read. On a fresh SQLite store (and PostgreSQL
when FRONTOFFICE_TEST_PG_URL is set) holding ``--people`` golden records, times identity's
``golden`` read for IN lists of 1, 3 and 20 people, and the workspace read every API request makes,
each way in turn (interleaved rounds, the median kept), and prints µs per read and the ratio.

``--decide N``: then ``decide`` itself, as ``bench/decisions_decide.py`` runs it in process (its shop
of ``--people`` people, the rules), N decisions a block, blocks alternating between the stores'
reads as they are and the same reads through ``conn.execute``: CPU per decide each way.

    python bench/prepared_reads.py --people 1000
    python bench/prepared_reads.py --people 1000 --decide 200
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.pg import fresh_database  # noqa: E402

from bench.decisions_decide import actions, shop  # noqa: E402
from frontoffice.bootstrap import Role, bootstrap  # noqa: E402
from frontoffice.decisions import service  # noqa: E402
from frontoffice.decisions.arbiter import Arbiter  # noqa: E402
from frontoffice.decisions.decide import Ask, decide  # noqa: E402
from frontoffice.decisions.wiring import wire  # noqa: E402
from frontoffice.domain.events import now  # noqa: E402
from frontoffice.identity.people_store import _reads  # noqa: E402
from frontoffice.settings import Settings  # noqa: E402
from frontoffice.storage import open_store, prepared  # noqa: E402
from frontoffice.storage.sql import SqlStore  # noqa: E402
from frontoffice.storage.tables import schema  # noqa: E402
from frontoffice.storage.tenancy_rows import _workspace_named  # noqa: E402
from frontoffice.tenancy import service as tenancy  # noqa: E402

ROUNDS = 15


def fill(store: SqlStore, people: int) -> str:
    ws = tenancy.create_workspace(store, "bench").id
    p = schema(store.dialect).tables["identity_persons"]
    with store.begin() as conn:
        conn.execute(p.insert(), [{"workspace_id": ws, "person_id": f"p{i:06}", "record_count": 1,
                                   "golden": '{"email": {"value": "a@b.c"}}', "first_seen": "2026-01-01",
                                   "last_seen": "2026-01-01", "updated_seq": 1} for i in range(people)])
    return ws


def per_read(read: Callable[[], object], n: int) -> float:
    started = time.perf_counter()
    for _ in range(n):
        read()
    return (time.perf_counter() - started) / n * 1e6


def compare(label: str, conn: Any, statement: Any, params: dict[str, Any], n: int) -> None:
    plain: list[float] = []
    fast: list[float] = []
    for i in range(ROUNDS):  # alternate which goes first, so drift hits both alike
        ways = [(plain, lambda: conn.execute(statement, params).all()),
                (fast, lambda: prepared.rows(conn, statement, params))]
        for out, read in (ways if i % 2 else ways[::-1]):
            out.append(per_read(read, n))
    a, b = statistics.median(plain), statistics.median(fast)
    print(f"  {label:<24} conn.execute {a:7.1f} µs   prepared.rows {b:7.1f} µs   ratio {a / b:4.2f}x")


def run(url: str, people: int, n: int) -> None:
    store = open_store(url)
    store.upgrade()
    try:
        ws = fill(store, people)
        golden = _reads(store.dialect).golden
        print(f"{store.dialect}: {people} people, {n} reads a round, median of {ROUNDS} rounds")
        with store.connect() as conn:
            conn.execute(golden, {"ws": ws, "ids": ["p000001"]}).all()  # the reader begun
            for size in (1, 3, 20):
                ids = [f"p{i * 7 % people:06}" for i in range(size)]
                compare(f"golden, {size} id(s)", conn, golden, {"ws": ws, "ids": ids}, n)
            compare("workspace by name", conn, _workspace_named(store.dialect), {"id_or_name": "bench"}, n)
    finally:
        store.close()


def plain_rows(conn: sa.Connection, statement: sa.Executable, params: Mapping[str, Any]) -> list[Any]:
    return list(conn.execute(statement, params).all())


def decisions(folder: Path, people: int, block: int) -> None:
    """CPU per decide, blocks of ``block`` decisions alternating prepared reads and plain ones."""
    settings = Settings.load({}, overrides={"database_url": f"sqlite:///{folder / 'decide.db'}",
                                            "data_dir": folder})
    container = bootstrap(settings, Role.CLI)
    try:
        store = container.store
        ws, _, persons = shop(store, people)
        own = wire(store, settings).store
        for action in actions():
            service.save_action(own, ws, action, now())
        wired = wire(store, settings, group_commit=True)
        arbiter = Arbiter(lambda _: wired.store)
        rng = random.Random(2)
        fast_rows = prepared.rows
        cpu: dict[str, list[float]] = {"prepared": [], "conn.execute": []}
        for i in range(2 * ROUNDS + 1):
            way = "prepared" if i % 2 else "conn.execute"
            prepared.rows = fast_rows if way == "prepared" else plain_rows
            started = time.process_time()
            for _ in range(block):
                decide(wired.ports, arbiter, ws, Ask(rng.choice(persons), "web", "home", 5), now(), 2)
            wired.ports.log.flush()  # type: ignore[attr-defined]
            if i:  # the first block warms up
                cpu[way].append((time.process_time() - started) * 1000 / block)
        prepared.rows = fast_rows
        a, b = statistics.median(cpu["conn.execute"]), statistics.median(cpu["prepared"])
        print(f"decide (SQLite, {people} people, rules), CPU per decide, median of {ROUNDS} blocks "
              f"of {block}: conn.execute {a:.2f} ms, prepared.rows {b:.2f} ms, {a - b:.2f} ms less "
              f"(load average {os.getloadavg()[0]:.2f})")
    finally:
        container.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--reads", type=int, default=300, help="reads per round and way")
    parser.add_argument("--decide", type=int, default=0, help="decisions per block (0: none)")
    args = parser.parse_args(argv)
    print(f"load average {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory() as tmp:
        run(f"sqlite:///{tmp}/bench.db", args.people, args.reads)
    pg = os.environ.get("FRONTOFFICE_TEST_PG_URL")
    if pg:
        with fresh_database(pg) as url:
            run(url, args.people, args.reads)
    if args.decide:
        with tempfile.TemporaryDirectory() as tmp:
            decisions(Path(tmp), args.people, args.decide)


if __name__ == "__main__":
    main()
