"""Identity's :class:`~frontoffice.identity.people.People` port on the identity tables (SQLite and
PostgreSQL, SQLAlchemy Core): the one place merge redirects are followed."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import orjson
import sqlalchemy as sa

from frontoffice.domain.events import StoredEvent
from frontoffice.identity.extract import record_id
from frontoffice.identity.people import PersonChange
from frontoffice.storage import core, prepared
from frontoffice.storage.sql import SqlStore
from frontoffice.storage.tables import schema


def _in(column: sa.ColumnElement[Any], name: str) -> sa.ColumnElement[bool]:
    return column.in_(sa.bindparam(name, expanding=True))


@dataclass(frozen=True, slots=True)
class _Reads:
    """The port's hot reads, built once per dialect: a statement built per call costs ~4x its
    execution (SQLAlchemy's cache key is generated anew for each new statement object)."""

    live: sa.Select[Any]
    behind: sa.Select[Any]
    merged: sa.Select[Any]
    identifiers: sa.Select[Any]
    holders: sa.Select[Any]
    golden: sa.Select[Any]


@cache
def _reads(dialect: str) -> _Reads:
    tables = schema(dialect).tables
    t, p, r = (tables[n].c for n in ("identity_index", "identity_persons", "identity_redirects"))
    ws: sa.BindParameter[str] = sa.bindparam("ws")
    return _Reads(
        live=sa.select(p.person_id).where(p.workspace_id == ws, p.person_id == sa.bindparam("pid")),
        behind=sa.select(r.person_id).where(r.workspace_id == ws,
                                            r.old_person_id == sa.bindparam("pid")),
        merged=sa.select(r.old_person_id, r.person_id).where(r.workspace_id == ws,
                                                             _in(r.person_id, "ids")),
        # the kinds are picked in Python: with them in the query SQLite reads every identifier of
        # those kinds in the workspace (the primary key leads with the kind), not each person's few
        identifiers=sa.select(t.person_id, t.kind, t.value).where(
            t.workspace_id == ws, _in(t.person_id, "ids")).order_by(t.person_id, t.kind, t.value),
        holders=sa.select(t.value, t.person_id).where(t.workspace_id == ws, t.kind == sa.bindparam(
            "kind"), _in(t.value, "values")),
        golden=sa.select(p.person_id, p.golden).where(p.workspace_id == ws,
                                                      _in(p.person_id, "ids")))


class PeopleSql:
    def __init__(self, store: SqlStore) -> None:
        self._store = store
        tables = schema(store.dialect).tables
        self._persons = tables["identity_persons"]
        self._records = tables["identity_records"]
        self._checkpoint = tables["identity_checkpoint"]
        self._q = _reads(store.dialect)

    def resolve_id(self, workspace_id: str, person_id: str) -> str | None:
        seen: set[str] = set()
        with self._store.connect() as conn:
            while person_id not in seen:
                if conn.execute(self._q.live, {"ws": workspace_id, "pid": person_id}
                                ).first() is not None:
                    return person_id
                seen.add(person_id)
                into = conn.execute(self._q.behind, {"ws": workspace_id, "pid": person_id}).first()
                if into is None:
                    return None
                person_id = str(into.person_id)
        return None  # a loop of redirects leads to nobody

    def merged_ids(self, workspace_id: str, person_ids: Collection[str]) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {p: set() for p in person_ids}
        seen = set(out)
        frontier = {p: p for p in out}  # an id to look behind -> the person it belongs to
        with self._store.connect() as conn:
            while frontier:
                found: dict[str, str] = {}
                rows = [row for ids in core.batches(sorted(frontier))  # an export asks for every person
                        for row in prepared.rows(conn, self._q.merged, {"ws": workspace_id,
                                                                        "ids": list(ids)})]
                for row in rows:
                    old, into = str(row.old_person_id), str(row.person_id)
                    if old not in seen:
                        seen.add(old)
                        found[old] = frontier[into]
                        out[frontier[into]].add(old)
                frontier = found
        return out

    def identifiers(self, workspace_id: str, person_ids: Collection[str], kinds: Collection[str]
                    ) -> dict[str, list[tuple[str, str]]]:
        out: dict[str, list[tuple[str, str]]] = {}
        wanted = frozenset(kinds)
        with self._store.connect() as conn:
            for chunk in core.batches(sorted(set(person_ids))):
                for person, kind, value in prepared.rows(conn, self._q.identifiers, {
                        "ws": workspace_id, "ids": list(chunk)}):
                    if kind in wanted:
                        out.setdefault(person, []).append((kind, value))
        return out

    def holders(self, workspace_id: str, kind: str, values: Collection[str]) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        with self._store.connect() as conn:
            for chunk in core.batches(sorted(set(values))):
                for r in prepared.rows(conn, self._q.holders, {"ws": workspace_id, "kind": kind,
                                                               "values": list(chunk)}):
                    out.setdefault(r.value, set()).add(r.person_id)
        return out

    def golden(self, workspace_id: str, person_ids: Collection[str]) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        with self._store.connect() as conn:
            for chunk in core.batches(sorted(set(person_ids))):
                out.update({r.person_id: orjson.loads(r.golden) for r in prepared.rows(
                    conn, self._q.golden, {"ws": workspace_id, "ids": list(chunk)})})
        return out

    def of_events(self, workspace_id: str, seqs: Collection[int]) -> dict[int, str]:
        t = self._records.c
        out: dict[int, str] = {}
        with self._store.connect() as conn:
            for chunk in core.batches(sorted(set(seqs))):
                out.update({int(r.seq): r.person_id for r in conn.execute(
                    sa.select(t.seq, t.person_id).where(t.workspace_id == workspace_id, t.seq.in_(chunk)))})
        return out

    def of_stored(self, workspace_id: str, events: Sequence[StoredEvent]) -> dict[int, str]:
        t = self._records.c
        seqs = {e.seq: record_id(e.source_id, e.record.message_id) for e in events}
        out: dict[int, str] = {}
        with self._store.connect() as conn:
            for chunk in core.batches(sorted(set(seqs.values()))):
                for seq, person in conn.execute(sa.select(t.seq, t.person_id).where(
                        t.workspace_id == workspace_id, t.record_id.in_(chunk))):
                    if int(seq) in seqs:  # the record of that very event
                        out[int(seq)] = person
        return out

    def placed_upto(self, workspace_id: str) -> int:
        c = self._checkpoint.c
        with self._store.connect() as conn:
            found = conn.execute(sa.select(c.last_seq).where(c.workspace_id == workspace_id)).scalar()
        return int(found or 0)

    def record_ids(self, workspace_id: str, person_ids: Collection[str]) -> set[str]:
        t = self._records.c
        out: set[str] = set()
        with self._store.connect() as conn:
            for chunk in core.batches(sorted(set(person_ids))):
                out.update(conn.execute(sa.select(t.record_id).where(
                    t.workspace_id == workspace_id, t.person_id.in_(chunk))).scalars())
        return out

    def changes(self, workspace_id: str, after_id: int, limit: int) -> list[PersonChange]:
        t = schema(self._store.dialect).tables["identity_outbox"].c
        with self._store.connect() as conn:
            rows = conn.execute(sa.select(t.id, t.type, t.person_id, t.payload)
                                .where(t.workspace_id == workspace_id, t.id > after_id)
                                .order_by(t.id).limit(limit)).all()
        return [PersonChange(int(r.id), r.type, r.person_id, orjson.loads(r.payload)) for r in rows]

    def names(self, workspace_id: str) -> Iterator[tuple[str, str, str]]:
        t = self._persons.c
        with self._store.connect() as conn:
            rows = conn.execute(sa.select(t.person_id, t.golden).where(t.workspace_id == workspace_id)
                                .order_by(t.person_id)).all()
        for row in rows:
            yield from person_name(row.person_id, orjson.loads(row.golden))


def person_name(person_id: str, traits: Mapping[str, Any]) -> Iterator[tuple[str, str, str]]:
    """``(person_id, given, family)`` from a golden record's name traits, if it has a name."""
    given, family = _trait(traits, "firstName"), _trait(traits, "lastName")
    if given or family:
        yield person_id, given, family
    elif name := _trait(traits, "name"):
        yield person_id, name, ""


def _trait(traits: Mapping[str, Any], name: str) -> str:
    trait = traits.get(name)
    if not isinstance(trait, Mapping):
        return ""
    value = trait.get("value", trait["values"][0]["value"] if trait.get("values") else "")
    return value if isinstance(value, str) else ""
