"""What a hot read costs through ``storage.prepared.rows`` and through ``conn.execute``, in one run.

A decision makes a dozen small reads a request (issue 18: p99 <= 10 ms); SQLAlchemy's execution
machinery costs each ~60 µs around a ~15 µs SQLite read. On a fresh SQLite store (and PostgreSQL
when FRONTOFFICE_TEST_PG_URL is set) holding ``--people`` golden records, times identity's
``golden`` read for IN lists of 1, 3 and 20 people, and the workspace read every API request makes,
each way in turn (interleaved rounds, the median kept), and prints µs per read and the ratio.

    python bench/prepared_reads.py --people 1000
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.pg import fresh_database  # noqa: E402

from frontoffice.identity.people_store import _reads  # noqa: E402
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


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--reads", type=int, default=300, help="reads per round and way")
    args = parser.parse_args(argv)
    print(f"load average {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory() as tmp:
        run(f"sqlite:///{tmp}/bench.db", args.people, args.reads)
    pg = os.environ.get("FRONTOFFICE_TEST_PG_URL")
    if pg:
        with fresh_database(pg) as url:
            run(url, args.people, args.reads)


if __name__ == "__main__":
    main()
