"""Segments' tables in SQLAlchemy Core (SQLite and PostgreSQL): implements ``ports.SegmentsData``
and runs the compiled batch queries."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import orjson
import sqlalchemy as sa

from frontoffice.segments.model import Event
from frontoffice.segments.ports import Definition, NewEvent, Outcome
from frontoffice.segments.tables import PERSON_TABLES
from frontoffice.storage import core
from frontoffice.storage.sql import SqlStore
from frontoffice.storage.tables import schema


def _row(r: Any) -> dict[str, Any]:
    """A row as a plain dict (column names as ``str``, which JSON encoders insist on)."""
    return {str(k): v for k, v in r._mapping.items()}


PREDICTED = "predicted:"  # the key prefix of predicted traits in facts and values
PREDICTED_IN = ("segments_facts", "segments_values")


def _not_predicted(table: sa.Table) -> sa.ColumnElement[bool]:
    column = table.c.key if "key" in table.c else table.c.trait
    return sa.not_(column.startswith(PREDICTED, autoescape=True))


class SegmentsStore:
    def __init__(self, store: SqlStore) -> None:
        self.store = store
        self.dialect = store.dialect
        self.t = schema(store.dialect).tables

    def _insert(self, name: str) -> Any:
        return core.insert(self.t[name], self.dialect)

    # -- definitions ---------------------------------------------------------------------
    @staticmethod
    def _definition(r: Any) -> Definition:
        return Definition(r.kind, r.name, int(r.version), orjson.loads(r.body), bool(r.active), r.created_at)

    def definitions(self, ws: str, kind: str) -> list[Definition]:
        d = self.t["segments_definitions"].c
        with self.store.connect() as conn:
            rows = conn.execute(sa.select(d.kind, d.name, d.version, d.body, d.active, d.created_at).where(
                d.workspace_id == ws, d.kind == kind, d.active == 1).order_by(d.name)).all()
        return [self._definition(r) for r in rows]

    def versions(self, ws: str, kind: str, name: str) -> list[Definition]:
        d = self.t["segments_definitions"].c
        with self.store.connect() as conn:
            rows = conn.execute(sa.select(d.kind, d.name, d.version, d.body, d.active, d.created_at).where(
                d.workspace_id == ws, d.kind == kind, d.name == name).order_by(d.version)).all()
        return [self._definition(r) for r in rows]

    def save_definition(self, ws: str, kind: str, name: str, body: Mapping[str, Any], at: str) -> int:
        table = self.t["segments_definitions"]
        d = table.c
        with self.store.begin() as conn:
            last = conn.execute(sa.select(sa.func.max(d.version)).where(
                d.workspace_id == ws, d.kind == kind, d.name == name)).scalar()
            conn.execute(table.update().where(d.workspace_id == ws, d.kind == kind, d.name == name)
                         .values(active=0))
            version = int(last or 0) + 1
            conn.execute(table.insert().values(
                workspace_id=ws, kind=kind, name=name, version=version, active=1, created_at=at,
                body=orjson.dumps(body, option=orjson.OPT_SORT_KEYS).decode()))
        return version

    def deactivate(self, ws: str, kind: str, name: str) -> bool:
        table = self.t["segments_definitions"]
        d = table.c
        with self.store.begin() as conn:
            done = conn.execute(table.update().where(d.workspace_id == ws, d.kind == kind, d.name == name,
                                                     d.active == 1).values(active=0))
        return bool(done.rowcount)

    # -- the projection ------------------------------------------------------------------
    def cursor(self, ws: str) -> int:
        c = self.t["segments_cursor"].c
        with self.store.connect() as conn:
            found = conn.execute(sa.select(c.last_seq).where(c.workspace_id == ws)).scalar()
        return int(found or 0)

    def _set_cursor(self, conn: sa.Connection, ws: str, seq: int) -> None:
        conn.execute(self._insert("segments_cursor").values(
            workspace_id=ws, last_seq=seq, last_change=0, last_history=0).on_conflict_do_update(
            index_elements=["workspace_id"], set_={"last_seq": seq}))

    def _queue(self, conn: sa.Connection, ws: str, people: Collection[str], cause: str) -> None:
        for chunk in core.batches(sorted(people), 4):
            stmt = self._insert("segments_due").values(
                [{"workspace_id": ws, "person_id": p, "due_at": 0, "cause": cause} for p in chunk])
            conn.execute(stmt.on_conflict_do_update(index_elements=["workspace_id", "person_id"],
                                                    set_={"due_at": 0, "cause": stmt.excluded.cause}))

    def apply(self, ws: str, events: Sequence[NewEvent], cursor: int, outcomes: Sequence[Outcome]) -> None:
        with self.store.begin() as conn:
            if events:  # one statement for them all, the properties as JSON text: SQLAlchemy's
                # executemany of a JSON column costs ~35 µs a row, ten times the insert itself
                core.execute_many(conn, self._insert("segments_events").values(
                    props=core.json_text("props", self.dialect)).on_conflict_do_nothing(), [
                    {"workspace_id": ws, "seq": e.seq, "person_id": e.person_id, "name": e.name, "at": e.at,
                     "props": orjson.dumps(dict(e.props)).decode()} for e in events])
            self._save(conn, ws, outcomes)
            self._set_cursor(conn, ws, cursor)

    def last_change(self, ws: str) -> int:
        c = self.t["segments_cursor"].c
        with self.store.connect() as conn:
            found = conn.execute(sa.select(c.last_change).where(c.workspace_id == ws)).scalar()
        return int(found or 0)

    def set_last_change(self, ws: str, change_id: int) -> None:
        with self.store.begin() as conn:
            conn.execute(self._insert("segments_cursor").values(
                workspace_id=ws, last_seq=0, last_change=change_id, last_history=0).on_conflict_do_update(
                index_elements=["workspace_id"], set_={"last_change": change_id}))

    def replace(self, ws: str, placed: Mapping[int, str], queue: Mapping[str, str]) -> None:
        """Each event placed with its person again, and the people queued with their causes: a
        statement for all (a merge of the demo's people moved ~10,000 events, a statement each)."""
        events = self.t["segments_events"]
        with self.store.begin() as conn:
            core.execute_many(conn, events.update().where(
                events.c.workspace_id == sa.bindparam("ws"), events.c.seq == sa.bindparam("b_seq"))
                .values(person_id=sa.bindparam("who")),
                [{"ws": ws, "b_seq": seq, "who": person} for seq, person in sorted(placed.items())])
            by_cause: dict[str, list[str]] = {}
            for person, cause in sorted(queue.items()):
                by_cause.setdefault(cause, []).append(person)
            for cause, people in sorted(by_cause.items()):
                self._queue(conn, ws, people, cause)

    def stamp(self, ws: str) -> tuple[int, int]:
        d = self.t["segments_definitions"].c
        with self.store.connect() as conn:
            query = sa.select(sa.func.max(d.id).label("last"), sa.func.sum(d.active).label("active"))
            row = conn.execute(query.where(d.workspace_id == ws)).one()
        return int(row.last or 0), int(row.active or 0)

    def due(self, ws: str, now: int, limit: int) -> list[tuple[str, str]]:
        d = self.t["segments_due"].c
        with self.store.connect() as conn:
            rows = conn.execute(sa.select(d.person_id, d.cause).where(d.workspace_id == ws, d.due_at <= now)
                                .order_by(d.due_at, d.person_id).limit(limit)).all()
        return [(r.person_id, r.cause) for r in rows]

    def next_due(self, ws: str) -> int | None:
        d = self.t["segments_due"].c
        with self.store.connect() as conn:
            found = conn.execute(sa.select(sa.func.min(d.due_at)).where(d.workspace_id == ws)).scalar()
        return None if found is None else int(found)

    def due_at(self, ws: str, person_ids: Collection[str]) -> dict[str, int]:
        d = self.t["segments_due"].c
        out: dict[str, int] = {}
        with self.store.connect() as conn:
            for chunk in core.batches(sorted(person_ids)):
                out.update((person, int(due_at)) for person, due_at in conn.execute(sa.select(
                    d.person_id, d.due_at).where(d.workspace_id == ws, d.person_id.in_(chunk))))
        return out

    def person_events(self, ws: str, person_ids: Collection[str]) -> dict[str, list[Event]]:
        """The rows unpacked and the properties read as JSON text by orjson: the worker reads every
        event of each person it evaluates (a row's named attributes and SQLAlchemy's JSON cost
        several times the query)."""
        e = self.t["segments_events"].c
        out: dict[str, list[Event]] = {p: [] for p in person_ids}
        props = sa.cast(e.props, sa.Text())
        with self.store.connect() as conn:
            for chunk in core.batches(sorted(person_ids)):
                for seq, person, name, at, text in conn.execute(sa.select(
                        e.seq, e.person_id, e.name, e.at, props).where(
                        e.workspace_id == ws, e.person_id.in_(chunk)).order_by(e.at, e.seq)):
                    out[person].append(Event(int(seq), name, int(at), orjson.loads(text)))
        return out

    def facts(self, ws: str, person_ids: Collection[str]) -> dict[str, dict[str, str]]:
        f = self.t["segments_facts"].c
        out: dict[str, dict[str, str]] = {p: {} for p in person_ids}
        with self.store.connect() as conn:
            for chunk in core.batches(sorted(person_ids)):
                for person, key, value in conn.execute(sa.select(f.person_id, f.key, f.value).where(
                        f.workspace_id == ws, f.person_id.in_(chunk))):
                    out[person][key] = value
        return out

    def members_of(self, ws: str, person_ids: Collection[str]) -> dict[str, set[str]]:
        """Ordered by person, so that SQLite probes the person index for each one rather than scan
        every member of the workspace (the primary key covers the columns read)."""
        m = self.t["segments_members"].c
        out: dict[str, set[str]] = {p: set() for p in person_ids}
        with self.store.connect() as conn:
            for chunk in core.batches(sorted(person_ids)):
                for person, segment in conn.execute(sa.select(m.person_id, m.segment).where(
                        m.workspace_id == ws, m.person_id.in_(chunk)).order_by(m.person_id)):
                    out[person].add(segment)
        return out

    def save(self, ws: str, outcomes: Sequence[Outcome]) -> None:
        with self.store.begin() as conn:
            self._save(conn, ws, outcomes)

    def _save(self, conn: sa.Connection, ws: str, outcomes: Sequence[Outcome]) -> None:
        """The outcomes' rows, a few statements for all of them (a statement a table, not a row:
        building one costs SQLAlchemy ~0.3 ms, ~25 a person before). A person evaluated twice in
        one call is saved in order, one run of distinct people after another."""
        run: list[Outcome] = []
        seen: set[str] = set()
        for o in outcomes:
            if o.person_id in seen:
                self._save_run(conn, ws, run)
                run, seen = [], set()
            run.append(o)
            seen.add(o.person_id)
        if run:
            self._save_run(conn, ws, run)

    def _save_run(self, conn: sa.Connection, ws: str, outcomes: Sequence[Outcome]) -> None:
        """Outcomes of distinct people: their facts (unless as stored), values and due time replaced,
        their history appended, the segments they entered joined and those they left dropped."""
        t = self.t
        facts, values, due, members = (t["segments_facts"], t["segments_values"], t["segments_due"],
                                        t["segments_members"])
        whole = [o.person_id for o in outcomes if not o.partial]
        changed = [o for o in outcomes if not o.facts_stored]
        for chunk in core.batches([o.person_id for o in changed]):
            conn.execute(facts.delete().where(facts.c.workspace_id == ws, facts.c.person_id.in_(chunk),
                                              _not_predicted(facts)))
        for chunk in core.batches([o.person_id for o in outcomes]):
            conn.execute(due.delete().where(due.c.workspace_id == ws, due.c.person_id.in_(chunk)))
        for chunk in core.batches(whole):
            conn.execute(values.delete().where(values.c.workspace_id == ws, values.c.person_id.in_(chunk),
                                               _not_predicted(values)))
        core.execute_many(conn, values.delete().where(  # a partial evaluation's traits only
            values.c.workspace_id == sa.bindparam("ws"), values.c.person_id == sa.bindparam("who"),
            values.c.trait == sa.bindparam("name")),
            [{"ws": ws, "who": o.person_id, "name": k} for o in outcomes if o.partial for k in o.values])
        rows: dict[sa.Table, list[dict[str, Any]]] = {
            facts: [{"workspace_id": ws, "person_id": o.person_id, "key": k, "value": v}
                    for o in changed for k, v in sorted(o.facts.items())],
            values: [{"workspace_id": ws, "person_id": o.person_id, "trait": k, "value": v, "explain": x}
                     for o in outcomes for k, (v, x) in sorted(o.values.items())],
            t["segments_history"]: [
                {"workspace_id": ws, "person_id": o.person_id, "segment": c.segment, "version": c.version,
                 "change": c.change, "at": o.at, "cause": o.cause, "why": c.why}
                for o in outcomes for c in o.changes],
            members: [{"workspace_id": ws, "segment": c.segment, "person_id": o.person_id, "since": o.at,
                       "why": c.why} for o in outcomes for c in o.changes if c.change == "entered"],
            due: [{"workspace_id": ws, "person_id": o.person_id, "due_at": o.due_at,
                   "cause": "time: a window or a day passes"} for o in outcomes if o.due_at is not None],
        }
        for table, found in rows.items():
            core.execute_many(conn, table.insert(), found)
        left = [{"ws": ws, "left": c.segment, "who": o.person_id}
                for o in outcomes for c in o.changes if c.change != "entered"]
        core.execute_many(conn, members.delete().where(
            members.c.workspace_id == sa.bindparam("ws"), members.c.segment == sa.bindparam("left"),
            members.c.person_id == sa.bindparam("who")), left)

    # -- predicted traits: written by another capability, kept across evaluations ---------------
    def write_predicted(self, ws: str, name: str, values: Mapping[str, float], provenance: str,
                        at: str) -> int:
        """Replace the predicted trait ``name`` of every person (a person absent from ``values``
        loses it), with its provenance (model, version, when), and queue the people whose value
        changed for evaluation; how many were queued."""
        f, v = self.t["segments_facts"], self.t["segments_values"]
        key = f"{PREDICTED}{name}"
        explain = orjson.dumps({"predicted": provenance, "at": at}).decode()
        with self.store.begin() as conn:
            before = {r.person_id: r.value for r in conn.execute(sa.select(
                f.c.person_id, f.c.value).where(f.c.workspace_id == ws, f.c.key == key))}
            for table, column in ((f, f.c.key), (v, v.c.trait)):
                conn.execute(table.delete().where(table.c.workspace_id == ws, column == key))
            rows = sorted(values.items())
            for chunk in core.batches(rows, 3):
                conn.execute(f.insert(), [{"workspace_id": ws, "person_id": p, "key": key,
                                           "value": repr(float(x))} for p, x in chunk])
                conn.execute(v.insert(), [{"workspace_id": ws, "person_id": p, "trait": key,
                                           "value": orjson.dumps(float(x)).decode(),
                                           "explain": explain} for p, x in chunk])
            changed = {p for p, x in rows if before.get(p) != repr(float(x))} | \
                (set(before) - set(values))
            self._queue(conn, ws, changed, f"predicted trait {name} refreshed ({provenance})")
        return len(changed)

    def predicted(self, ws: str, person_ids: Collection[str]) -> dict[str, dict[str, str]]:
        """Each person's predicted traits as facts (``predicted:<name>`` → value)."""
        f = self.t["segments_facts"].c
        out: dict[str, dict[str, str]] = {}
        with self.store.connect() as conn:
            for chunk in core.batches(sorted(person_ids)):
                for r in conn.execute(sa.select(f.person_id, f.key, f.value).where(
                        f.workspace_id == ws, f.person_id.in_(chunk),
                        f.key.startswith(PREDICTED, autoescape=True))):
                    out.setdefault(r.person_id, {})[r.key] = r.value
        return out

    def touch_all(self, ws: str, cause: str) -> int:
        e = self.t["segments_events"].c
        with self.store.begin() as conn:
            people = list(conn.execute(
                sa.select(e.person_id).distinct().where(e.workspace_id == ws)).scalars())
            self._queue(conn, ws, people, cause)
        return len(people)

    def reset(self, ws: str) -> None:
        """Drop what was projected; the definitions, the firings, the date moments' schedule and the
        moments' place in the history stay (a rebuild must not fire a moment again)."""
        with self.store.begin() as conn:
            for name in PERSON_TABLES:
                if name not in ("segments_firings", "segments_moment_due"):
                    table = self.t[name]
                    kept = _not_predicted(table) if name in PREDICTED_IN else sa.true()
                    conn.execute(table.delete().where(table.c.workspace_id == ws, kept))
            cursor = self.t["segments_cursor"]
            conn.execute(cursor.update().where(cursor.c.workspace_id == ws).values(last_seq=0, last_change=0))

    # -- reads ---------------------------------------------------------------------------
    def run(self, sql: str) -> list[str]:
        """The person ids a compiled batch query selects."""
        with self.store.connect() as conn:
            return [str(r[0]) for r in conn.execute(sa.text(sql))]

    def person_splits(self, ws: str, shards: int, least: int = 1) -> list[str]:
        """Up to ``shards - 1`` person ids cutting the workspace's events into ranges of about as
        many events each, and at least ``least`` (read off the ``(workspace_id, person_id, …)`` index)."""
        e = self.t["segments_events"].c
        with self.store.connect() as conn:
            total = conn.execute(sa.select(sa.func.count()).where(e.workspace_id == ws)).scalar_one()
            shards = min(shards, total // max(least, 1))
            at = sa.select(e.person_id).where(e.workspace_id == ws).order_by(e.person_id).limit(1)
            cuts = [conn.execute(at.offset(total * i // shards)).scalar() for i in range(1, shards)]
        return sorted({str(c) for c in cuts if c is not None})

    def memberships(self, queries: Sequence[str], segments: Sequence[str]) -> dict[str, list[str]]:
        if len(queries) == 1:
            with self.store.connect() as conn:
                parts = [_flags(conn, queries[0], len(segments))]
        else:  # one connection a shard, at once: the database works while the others' rows are read
            with ThreadPoolExecutor(len(queries), thread_name_prefix="segments-batch") as pool:
                parts = list(pool.map(lambda sql: self._shard(sql, len(segments)), queries))
        out: dict[str, list[str]] = {name: [] for name in segments}
        for part in parts:
            for name, members in zip(segments, part, strict=True):
                out[name].extend(members)
        for members in out.values():
            members.sort()
        return out

    def _shard(self, sql: str, width: int) -> list[list[str]]:
        with self.store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            return _flags(conn, sql, width)

    def members(self, ws: str, segment: str, limit: int) -> list[dict[str, Any]]:
        m = self.t["segments_members"].c
        with self.store.connect() as conn:
            rows = conn.execute(sa.select(m.person_id, m.since, m.why).where(
                m.workspace_id == ws, m.segment == segment).order_by(m.person_id).limit(limit)).all()
        return [_row(r) for r in rows]

    def sizes(self, ws: str) -> dict[str, int]:
        m = self.t["segments_members"].c
        with self.store.connect() as conn:
            rows = conn.execute(sa.select(m.segment, sa.func.count().label("n")).where(
                m.workspace_id == ws).group_by(m.segment)).all()
        return {r.segment: int(r.n) for r in rows}

    def history(self, ws: str, person_id: str | None = None, segment: str | None = None,
                limit: int = 200) -> list[dict[str, Any]]:
        h = self.t["segments_history"].c
        query = sa.select(h.id, h.person_id, h.segment, h.version, h.change, h.at, h.cause, h.why).where(
            h.workspace_id == ws)
        if person_id is not None:
            query = query.where(h.person_id == person_id)
        if segment is not None:
            query = query.where(h.segment == segment)
        with self.store.connect() as conn:
            rows = conn.execute(query.order_by(h.id.desc()).limit(limit)).all()
        return [_row(r) for r in rows]

    def daily_changes(self, ws: str, segment: str) -> list[tuple[str, int, int]]:
        """(day, entered, exited) of every day the segment changed, oldest first."""
        h = self.t["segments_history"].c
        day = sa.func.substr(h.at, 1, 10).label("day")
        entered = sa.func.sum(sa.case((h.change == "entered", 1), else_=0)).label("entered")
        exited = sa.func.sum(sa.case((h.change == "exited", 1), else_=0)).label("exited")
        with self.store.connect() as conn:
            rows = conn.execute(sa.select(day, entered, exited).where(
                h.workspace_id == ws, h.segment == segment).group_by(day).order_by(day)).all()
        return [(str(r.day), int(r.entered), int(r.exited)) for r in rows]

    def values(self, ws: str, person_id: str) -> list[dict[str, Any]]:
        v = self.t["segments_values"].c
        with self.store.connect() as conn:
            rows = conn.execute(sa.select(v.trait, v.value, v.explain).where(
                v.workspace_id == ws, v.person_id == person_id).order_by(v.trait)).all()
        return [{"trait": r.trait, "value": orjson.loads(r.value), "explain": orjson.loads(r.explain)}
                for r in rows]


def _flags(conn: sa.Connection, sql: str, width: int) -> list[list[str]]:
    """Each segment's members from one compiled ``Compiler.memberships`` query (rows: a person,
    then a 0/1 a segment), streamed."""
    lists: list[list[str]] = [[] for _ in range(width)]
    for person, *flags in conn.execute(sa.text(sql)):  # SQLite's cursor yields row by row
        for flag, members in zip(flags, lists, strict=True):
            if flag:
                members.append(str(person))
    return lists
