"""Identity's :class:`~frontoffice.identity.people.People` port on the identity tables (SQLite and
PostgreSQL): the one place merge redirects are followed."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from functools import cache
from typing import Any

import orjson
import sqlalchemy as sa

from frontoffice.storage.core import batches
from frontoffice.storage.sql import SqlStore
from frontoffice.storage.tables import schema

_CHUNK = 500


class PeopleSql:
    def __init__(self, store: SqlStore) -> None:
        self._store = store

    def _live(self, ws: str, person_id: str) -> bool:
        return bool(self._store.query("SELECT 1 FROM identity_persons WHERE workspace_id = ? AND "
                                      "person_id = ?", (ws, person_id)))

    def resolve_id(self, workspace_id: str, person_id: str) -> str | None:
        seen: set[str] = set()
        while person_id not in seen:
            if self._live(workspace_id, person_id):
                return person_id
            seen.add(person_id)
            rows = self._store.query("SELECT person_id FROM identity_redirects WHERE workspace_id = ? "
                                     "AND old_person_id = ?", (workspace_id, person_id))
            if not rows:
                return None
            person_id = str(rows[0][0])
        return None  # a loop of redirects leads to nobody

    def merged_ids(self, workspace_id: str, person_ids: Collection[str]) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {p: set() for p in person_ids}
        seen = set(out)
        frontier = {p: p for p in out}  # an id to look behind -> the person it belongs to
        while frontier:
            found: dict[str, str] = {}
            ids = sorted(frontier)
            for start in range(0, len(ids), _CHUNK):
                chunk = ids[start:start + _CHUNK]
                rows = self._store.query(
                    "SELECT old_person_id, person_id FROM identity_redirects WHERE workspace_id = ? "
                    f"AND person_id IN ({', '.join('?' * len(chunk))})", (workspace_id, *chunk))
                for old, into in rows:
                    if str(old) not in seen:
                        seen.add(str(old))
                        found[str(old)] = frontier[str(into)]
                        out[frontier[str(into)]].add(str(old))
            frontier = found
        return out

    def identifiers(self, workspace_id: str, person_ids: Collection[str], kinds: Collection[str]
                    ) -> dict[str, list[tuple[str, str]]]:
        q = _queries(self._store.dialect)
        out: dict[str, list[tuple[str, str]]] = {}
        with self._store.connect() as conn:
            for chunk in batches(sorted(set(person_ids))):
                params = {"ws": workspace_id, "ids": chunk, "kinds": list(kinds)}
                for r in conn.execute(q.identifiers, params):
                    out.setdefault(r.person_id, []).append((r.kind, r.value))
        return out

    def holders(self, workspace_id: str, kind: str, values: Collection[str]) -> dict[str, set[str]]:
        q = _queries(self._store.dialect)
        out: dict[str, set[str]] = {}
        with self._store.connect() as conn:
            for chunk in batches(sorted(set(values))):
                for r in conn.execute(q.holders, {"ws": workspace_id, "kind": kind, "values": chunk}):
                    out.setdefault(r.value, set()).add(r.person_id)
        return out

    def golden(self, workspace_id: str, person_ids: Collection[str]) -> dict[str, dict[str, Any]]:
        q = _queries(self._store.dialect)
        out: dict[str, dict[str, Any]] = {}
        with self._store.connect() as conn:
            for chunk in batches(sorted(set(person_ids))):
                out.update({r.person_id: orjson.loads(r.golden)
                            for r in conn.execute(q.golden, {"ws": workspace_id, "ids": chunk})})
        return out

    def of_events(self, workspace_id: str, seqs: Collection[int]) -> dict[int, str]:
        q = _queries(self._store.dialect)
        out: dict[int, str] = {}
        with self._store.connect() as conn:
            for chunk in batches(sorted(set(seqs))):
                out.update({int(r.seq): r.person_id
                            for r in conn.execute(q.of_events, {"ws": workspace_id, "seqs": chunk})})
        return out

    def record_ids(self, workspace_id: str, person_ids: Collection[str]) -> set[str]:
        q = _queries(self._store.dialect)
        out: set[str] = set()
        with self._store.connect() as conn:
            for chunk in batches(sorted(set(person_ids))):
                out.update(conn.execute(q.record_ids, {"ws": workspace_id, "ids": chunk}).scalars())
        return out


@dataclass(frozen=True, slots=True)
class _Queries:
    identifiers: sa.Select[Any]
    holders: sa.Select[Any]
    golden: sa.Select[Any]
    of_events: sa.Select[Any]
    record_ids: sa.Select[Any]


@cache
def _queries(dialect: str) -> _Queries:
    """Built once: the outbound gate asks these per reference, and building a statement costs
    more than running it."""
    tables = schema(dialect).tables
    index, persons = tables["identity_index"].c, tables["identity_persons"].c
    records = tables["identity_records"].c
    ws: sa.BindParameter[str] = sa.bindparam("ws")
    ids: sa.BindParameter[list[str]] = sa.bindparam("ids", expanding=True)
    return _Queries(
        identifiers=sa.select(index.person_id, index.kind, index.value)
        .where(index.workspace_id == ws, index.person_id.in_(ids),
               index.kind.in_(sa.bindparam("kinds", expanding=True)))
        .order_by(index.person_id, index.kind, index.value),
        holders=sa.select(index.value, index.person_id).where(
            index.workspace_id == ws, index.kind == sa.bindparam("kind"),
            index.value.in_(sa.bindparam("values", expanding=True))),
        golden=sa.select(persons.person_id, persons.golden).where(persons.workspace_id == ws,
                                                                  persons.person_id.in_(ids)),
        of_events=sa.select(records.seq, records.person_id).where(
            records.workspace_id == ws, records.seq.in_(sa.bindparam("seqs", expanding=True))),
        record_ids=sa.select(records.record_id).where(records.workspace_id == ws, records.person_id.in_(ids)))
