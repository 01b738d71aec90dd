"""Identity's :class:`~frontoffice.identity.people.People` port on the identity tables (SQLite and
PostgreSQL): the one place merge redirects are followed."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

import orjson
import sqlalchemy as sa

from frontoffice.identity.normalise.names import NameKeys, name_keys
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

    def find_by_name(self, workspace_id: str, text: str, limit: int) -> list[str]:
        wanted = name_keys(text, "")
        if not (wanted.given_keys or wanted.family_keys):
            return []
        persons = schema(self._store.dialect).tables["identity_persons"]
        scored: list[tuple[int, str]] = []
        with self._store.engine.connect() as conn:
            rows = conn.execute(sa.select(persons.c.person_id, persons.c.golden)
                                .where(persons.c.workspace_id == workspace_id)
                                .order_by(persons.c.person_id))
            for row in rows:
                score = _name_score(wanted, _golden_name(orjson.loads(row.golden)))
                if score:
                    scored.append((-score, row.person_id))
        return [pid for _, pid in sorted(scored)[:limit]]


def _trait(traits: Mapping[str, Any], name: str) -> str:
    trait = traits.get(name)
    if not isinstance(trait, Mapping):
        return ""
    value = trait.get("value", trait["values"][0]["value"] if trait.get("values") else "")
    return value if isinstance(value, str) else ""


def _golden_name(traits: Mapping[str, Any]) -> NameKeys | None:
    given, family = _trait(traits, "firstName"), _trait(traits, "lastName")
    if not (given or family):
        given = _trait(traits, "name")
    return name_keys(given, family) if given or family else None


def _name_score(wanted: NameKeys, found: NameKeys | None) -> int:
    """2: every part asked for matches (in either order); 1: one of two parts does; 0: none."""
    if found is None:
        return 0
    asked = [k for k in (wanted.given_keys, wanted.family_keys) if k]
    theirs = found.given_keys | found.family_keys
    hits = sum(1 for keys in asked if keys & theirs)
    if hits == len(asked) or wanted.whole_keys & found.whole_keys:
        return 2
    return 1 if hits else 0
