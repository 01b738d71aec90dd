"""What a page of the segments projection reads about its people, as the workspace grows: the
reads that cost nothing on a fresh database and, when SQLite reads every row of the workspace
instead of each person's, grow with it (issue 17: CPU per event at 10,000 events/s).

Makes a SQLite workspace holding ``--people`` people (three identifiers, one identity record and
ten memberships each, written straight into the tables), then times, for a page of 250 of them,
each port read the worker makes per page: the memberships (``SegmentsStore.members_of``), the
identifiers (``PeopleSql.identifiers``) and where identity placed the page's events
(``PeopleSql.of_stored``; by seq, ``of_events``, where this code has no ``of_stored``). Prints
ms of CPU per page and per event, with SQLite's plan of each.

    python bench/segments_page_reads.py --people 100000
    PYTHONPATH=/tmp/base/src python bench/segments_page_reads.py --people 100000   # another code
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.worker_cost import prefill, seeded  # noqa: E402
from frontoffice.domain.events import EventRecord, StoredEvent  # noqa: E402
from frontoffice.identity.people_store import PeopleSql  # noqa: E402
from frontoffice.segments.store import SegmentsStore  # noqa: E402
from frontoffice.storage import open_store  # noqa: E402
from frontoffice.tenancy import service as tenancy  # noqa: E402

SMALL = os.environ.get("BENCH_SCALE") == "small"
PAGE = 250
KINDS = {"email", "phone", "user_id", "anonymous_id", "marketplace_buyer"}


def fill(path: Path, ws: str, people: int) -> None:
    """The people as ``bench/worker_cost.py --people`` seeds them, and a record of each."""
    prefill(path, ws, people)
    db = sqlite3.connect(path)
    with db:
        db.executemany("INSERT INTO identity_records (workspace_id, record_id, seq, source_id, observed_at, "
                       "person_id, data) VALUES (?, ?, ?, 'web', '2026-01-01T00:00:00Z', ?, '{}')",
                       ((ws, f"web:m{i}", i + 1, seeded(i)) for i in range(people)))
    db.close()


def timed(read: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(5):
        started = time.process_time()
        read()
        best = min(best, time.process_time() - started)
    return best * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=10_000 if SMALL else 100_000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-page-reads-"))
    try:
        url = f"sqlite:///{folder / 'frontoffice.db'}"
        store = open_store(url)
        store.upgrade()
        ws = tenancy.create_workspace(store, "bench", "EU").id
        fill(folder / "frontoffice.db", ws, args.people)
        rnd = random.Random(1)
        chosen = rnd.sample(range(args.people), PAGE)
        page = [seeded(i) for i in chosen]
        events = [StoredEvent(i + 1, ws, "web", EventRecord(
            f"m{i}", "tracking", "track", "Viewed", None, None, None, None, "2026-01-01T00:00:00Z",
            None, None, "2026-01-01T00:00:00Z", b"{}")) for i in chosen]
        people, data = PeopleSql(store), SegmentsStore(store)
        placed: Callable[[], object] = ((lambda: people.of_stored(ws, events)) if hasattr(people, "of_stored")
                                        else (lambda: people.of_events(ws, [e.seq for e in events])))
        print(f"a page of {PAGE} of {args.people:,} people (SQLite; CPU ms a page, ms an event)")
        for name, read in (("memberships", lambda: data.members_of(ws, page)),
                           ("identifiers", lambda: people.identifiers(ws, page, KINDS)),
                           ("placed events", placed)):
            ms = timed(read)
            print(f"  {name:14s} {ms:8.2f} ms  {ms / PAGE:.4f} ms/event")
        store.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print("load average " + " ".join(Path("/proc/loadavg").read_text().split()[:3]))


if __name__ == "__main__":
    main()
