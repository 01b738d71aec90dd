"""Identity's :class:`~frontoffice.identity.people.People` port on the identity tables (SQLite and
PostgreSQL, SQLAlchemy Core): the one place merge redirects are followed."""

from __future__ import annotations

from collections.abc import Collection

import sqlalchemy as sa

from frontoffice.storage import core
from frontoffice.storage.sql import SqlStore
from frontoffice.storage.tables import schema


class PeopleSql:
    def __init__(self, store: SqlStore) -> None:
        self._store = store
        tables = schema(store.dialect).tables
        self._persons = tables["identity_persons"]
        self._redirects = tables["identity_redirects"]

    def resolve_id(self, workspace_id: str, person_id: str) -> str | None:
        p, r = self._persons.c, self._redirects.c
        live = sa.select(p.person_id).where(p.workspace_id == workspace_id,
                                            p.person_id == sa.bindparam("pid"))
        behind = sa.select(r.person_id).where(r.workspace_id == workspace_id,
                                              r.old_person_id == sa.bindparam("pid"))
        seen: set[str] = set()
        with self._store.connect() as conn:
            while person_id not in seen:
                if conn.execute(live, {"pid": person_id}).first() is not None:
                    return person_id
                seen.add(person_id)
                into = conn.execute(behind, {"pid": person_id}).first()
                if into is None:
                    return None
                person_id = str(into.person_id)
        return None  # a loop of redirects leads to nobody

    def merged_ids(self, workspace_id: str, person_ids: Collection[str]) -> dict[str, set[str]]:
        r = self._redirects.c
        out: dict[str, set[str]] = {p: set() for p in person_ids}
        seen = set(out)
        frontier = {p: p for p in out}  # an id to look behind -> the person it belongs to
        with self._store.connect() as conn:
            while frontier:
                found: dict[str, str] = {}
                rows = [row for ids in core.batches(sorted(frontier))  # an export asks for every person
                        for row in conn.execute(sa.select(r.old_person_id, r.person_id).where(
                            r.workspace_id == workspace_id, r.person_id.in_(ids)))]
                for row in rows:
                    old, into = str(row.old_person_id), str(row.person_id)
                    if old not in seen:
                        seen.add(old)
                        found[old] = frontier[into]
                        out[frontier[into]].add(old)
                frontier = found
        return out
