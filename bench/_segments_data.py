"""The batch benchmark's data: a workspace with the 20 traits and 50 segments, and N people with
their projected events written straight into ``segments_events`` (what the projection stores),
generated once into a file database and reused by later runs (``BENCH_DB``).

Events are drawn from a pool of pre-drawn (name, properties) pairs, each with its own time in
the last 120 days, so 20,000,000 events take about a minute and a half to write."""

from __future__ import annotations

import random
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import orjson

from _segments_defs import event, segments, traits
from frontoffice.domain.events import iso
from frontoffice.segments import service
from frontoffice.segments.ports import NewEvent
from frontoffice.segments.store import SegmentsStore
from frontoffice.storage import open_store
from frontoffice.storage.sql import SqlStore
from frontoffice.tenancy import service as tenancy

POOL = 50_000
SPAN_DAYS = 120
CHUNK = 100_000


@dataclass(frozen=True, slots=True)
class Made:
    ws: str
    events: int
    now_ms: int  # the instant the data was made for: windows are measured from it


def _define(store: SqlStore, name: str) -> str:
    ws = tenancy.create_workspace(store, name, "EU")
    data, at = SegmentsStore(store), iso(datetime.now(UTC))
    for doc in traits():
        service.define_trait(data, ws.id, doc, at)
    for segment, condition in segments():
        service.define_segment(data, ws.id, {"name": segment, "condition": condition}, at)
    return ws.id


Row = tuple[str, int, str, str, int, str]


def _drawn(ws: str, people: int, per_person: int, now_s: float) -> Iterator[Row]:
    """(workspace, seq, person, name, at, props as JSON) of every event, person by person."""
    rnd = random.Random(3)
    pool = []
    for _ in range(POOL):
        name, _, props = event(rnd, now_s, SPAN_DAYS)
        pool.append((name, orjson.dumps(props).decode()))
    span_ms, now_ms, seq = SPAN_DAYS * 86_400_000, int(now_s * 1000), 0
    for p in range(people):
        person = f"p{p:07d}"
        for _ in range(rnd.randint(1, 2 * per_person - 1)):
            seq += 1
            name, props = pool[rnd.randrange(POOL)]
            yield ws, seq, person, name, now_ms - int(rnd.random() * span_ms), props


def _write_events(path: Path, ws: str, people: int, per_person: int, now_s: float) -> int:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA synchronous = OFF")
    insert = ("INSERT INTO segments_events (workspace_id, seq, person_id, name, at, props) "
              "VALUES (?, ?, ?, ?, ?, ?)")
    seq, rows = 0, []
    for row in _drawn(ws, people, per_person, now_s):
        rows.append(row)
        seq = row[1]
        if len(rows) >= CHUNK:
            conn.executemany(insert, rows)
            conn.commit()
            rows = []
    conn.executemany(insert, rows)
    conn.execute("INSERT INTO segments_cursor (workspace_id, last_seq, last_change, last_history) "
                  "VALUES (?, ?, 0, 0)", (ws, seq))
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return seq


def write_events(store: SqlStore, people: int, per_person: int) -> Made:
    """The same workspace and events in any store (PostgreSQL), through the projection's store."""
    ws, now_s, data = _define(store, "bench"), time.time(), SegmentsStore(store)
    chunk: list[NewEvent] = []
    seq = 0
    for _, seq, person, name, at, props in _drawn(ws, people, per_person, now_s):
        chunk.append(NewEvent(seq, person, name, at, orjson.loads(props)))
        if len(chunk) >= 20_000:
            data.apply(ws, chunk, seq, [])
            chunk = []
    data.apply(ws, chunk, seq, [])
    return Made(ws, seq, int(now_s * 1000))


def made(path: Path, people: int, per_person: int) -> tuple[SqlStore, Made]:
    """The store at ``path`` holding the benchmark's workspace, made now if the file is absent."""
    marker = path.with_suffix(".made")
    if not marker.exists():
        path.unlink(missing_ok=True)
        store = open_store(f"sqlite:///{path}")
        store.upgrade()
        ws = _define(store, "bench")
        store.close()
        now_s = time.time()
        events = _write_events(path, ws, people, per_person, now_s)
        marker.write_text(orjson.dumps({"ws": ws, "events": events, "now_ms": int(now_s * 1000)}).decode())
    found = orjson.loads(marker.read_text())
    return open_store(f"sqlite:///{path}"), Made(found["ws"], found["events"], found["now_ms"])
