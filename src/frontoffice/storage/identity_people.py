"""Identity's :class:`~frontoffice.identity.people.People` port on the identity tables (SQLite and
PostgreSQL): the one place merge redirects are followed."""

from __future__ import annotations

from collections.abc import Collection
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
        t = schema(self._store.dialect).tables["identity_index"].c
        out: dict[str, list[tuple[str, str]]] = {}
        with self._store.connect() as conn:
            for chunk in batches(sorted(set(person_ids))):
                rows = conn.execute(sa.select(t.person_id, t.kind, t.value).where(
                    t.workspace_id == workspace_id, t.person_id.in_(chunk), t.kind.in_(list(kinds)))
                    .order_by(t.person_id, t.kind, t.value))
                for r in rows:
                    out.setdefault(r.person_id, []).append((r.kind, r.value))
        return out

    def holders(self, workspace_id: str, kind: str, values: Collection[str]) -> dict[str, set[str]]:
        t = schema(self._store.dialect).tables["identity_index"].c
        out: dict[str, set[str]] = {}
        with self._store.connect() as conn:
            for chunk in batches(sorted(set(values))):
                for r in conn.execute(sa.select(t.value, t.person_id).where(
                        t.workspace_id == workspace_id, t.kind == kind, t.value.in_(chunk))):
                    out.setdefault(r.value, set()).add(r.person_id)
        return out

    def golden(self, workspace_id: str, person_ids: Collection[str]) -> dict[str, dict[str, Any]]:
        t = schema(self._store.dialect).tables["identity_persons"].c
        out: dict[str, dict[str, Any]] = {}
        with self._store.connect() as conn:
            for chunk in batches(sorted(set(person_ids))):
                out.update({r.person_id: orjson.loads(r.golden) for r in conn.execute(
                    sa.select(t.person_id, t.golden).where(t.workspace_id == workspace_id,
                                                           t.person_id.in_(chunk)))})
        return out

    def of_events(self, workspace_id: str, seqs: Collection[int]) -> dict[int, str]:
        t = schema(self._store.dialect).tables["identity_records"].c
        out: dict[int, str] = {}
        with self._store.connect() as conn:
            for chunk in batches(sorted(set(seqs))):
                out.update({int(r.seq): r.person_id for r in conn.execute(
                    sa.select(t.seq, t.person_id).where(t.workspace_id == workspace_id, t.seq.in_(chunk)))})
        return out

    def record_ids(self, workspace_id: str, person_ids: Collection[str]) -> set[str]:
        t = schema(self._store.dialect).tables["identity_records"].c
        out: set[str] = set()
        with self._store.connect() as conn:
            for chunk in batches(sorted(set(person_ids))):
                out.update(conn.execute(sa.select(t.record_id).where(
                    t.workspace_id == workspace_id, t.person_id.in_(chunk))).scalars())
        return out
