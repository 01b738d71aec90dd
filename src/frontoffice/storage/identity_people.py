"""Identity's :class:`~frontoffice.identity.people.People` port on the identity tables (SQLite and
PostgreSQL): the one place merge redirects are followed."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from typing import Any

import orjson
import sqlalchemy as sa

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

    def names(self, workspace_id: str) -> Iterator[tuple[str, str, str]]:
        persons = schema(self._store.dialect).tables["identity_persons"]
        with self._store.engine.connect() as conn:
            rows = conn.execute(sa.select(persons.c.person_id, persons.c.golden)
                                .where(persons.c.workspace_id == workspace_id)
                                .order_by(persons.c.person_id)).all()
        for row in rows:
            traits = orjson.loads(row.golden)
            given, family = _trait(traits, "firstName"), _trait(traits, "lastName")
            if given or family:
                yield row.person_id, given, family
            elif name := _trait(traits, "name"):
                yield row.person_id, name, ""


def _trait(traits: Mapping[str, Any], name: str) -> str:
    trait = traits.get(name)
    if not isinstance(trait, Mapping):
        return ""
    value = trait.get("value", trait["values"][0]["value"] if trait.get("values") else "")
    return value if isinstance(value, str) else ""
