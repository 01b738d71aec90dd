"""Removing an erased person from every projection (the log itself is shredded, not edited).

Projections are rebuilt from the log, and the person's events now read as tombstones, so a
rebuild does not bring them back; deleting the rows now removes the copies that exist today.
Each capability purges its own tables (its ``Purge`` hook in the registry); a table whose
migration is not applied yet in an older database is skipped. The DSR request and audit rows
are kept: they are the proof the erasure was asked for and done, and hold masked values only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from frontoffice import capabilities
from frontoffice.privacy.scrub import existing_tables
from frontoffice.privacy.subjects import canonical_subject

if TYPE_CHECKING:
    from frontoffice.storage.sql import Cursor, SqlStore


@dataclass(frozen=True, slots=True)
class PersonRows:
    """What identifies the person's rows: ids, identifiers (canonical) and raw values."""

    workspace_id: str
    person_ids: list[str]
    record_ids: set[str]
    identifiers: set[str]
    hashes: dict[str, str]  # identifier -> keyed hash (subject-key id, suppression entry)
    raw_values: set[str]
    events: int


class Erasing:
    """What a capability's purge hook gets: the person's rows to find, the erasure's
    transaction, the tables that exist (a table of a migration not yet applied is skipped),
    and the count of rows deleted per table."""

    def __init__(self, store: SqlStore, cur: Cursor, person: PersonRows, tables: set[str]) -> None:
        self.store, self.cur, self.person, self.tables = store, cur, person, tables
        self.counts: dict[str, int] = {}

    @property
    def workspace_id(self) -> str:
        return self.person.workspace_id

    def count(self, table: str, n: int) -> None:
        self.counts[table] = self.counts.get(table, 0) + n

    def select(self, statement: str, params: Sequence[Any]) -> list[Any]:
        self.cur.execute(self.store.sql(statement), params)
        return self.cur.fetchall()

    def delete(self, table: str, column: str, values: Sequence[Any]) -> None:
        """Delete the workspace's rows whose ``column`` is one of ``values``; counted."""
        deleted = 0
        for start in range(0, len(values), 500):
            chunk = list(values[start:start + 500])
            self.cur.execute(self.store.sql(
                f"DELETE FROM {table} WHERE workspace_id = ? AND {column} IN "
                f"({', '.join('?' * len(chunk))})"), (self.workspace_id, *chunk))
            deleted += max(self.cur.rowcount, 0)
        self.count(table, deleted)

    def delete_by_person(self, table: str, column: str) -> None:
        """Rows whose ``column`` holds one of the person's ids (if ``table`` exists)."""
        if table in self.tables:
            self.delete(table, column, self.person.person_ids)

    def delete_by_person_or_subject(self, table: str, column: str) -> None:
        """Rows whose ``column`` holds one of the person's ids or subject keys."""
        if table not in self.tables:
            return
        ids, identifiers = set(self.person.person_ids), self.person.identifiers
        values = [r[0] for r in self.select(f"SELECT DISTINCT {column} FROM {table} "
                                            "WHERE workspace_id = ?", (self.workspace_id,))
                  if r[0] in ids or canonical_subject(str(r[0])) in identifiers]
        self.delete(table, column, values)

    def delete_mentioning(self, table: str, key: str, text: str) -> None:
        """Rows whose JSON or text column(s) ``text`` name one of the person's ids or records."""
        if table not in self.tables:
            return
        names = set(self.person.person_ids) | self.person.record_ids
        rows = [r[0] for r in self.select(f"SELECT {key}, {text} FROM {table} WHERE workspace_id = ?",
                                          (self.workspace_id,))
                if any(n in str(r[1]) for n in names)]
        self.delete(table, key, rows)


def purge(store: SqlStore, cur: Cursor, person: PersonRows) -> dict[str, int]:
    """Delete the person's rows from every capability's tables in the caller's transaction
    (each capability's purge hook, in registry order); rows deleted per table."""
    erasing = Erasing(store, cur, person, existing_tables(store))
    for capability in capabilities.every():
        if capability.purge is not None:
            capability.purge.run(erasing)
    return erasing.counts


def purged_tables() -> list[str]:
    """Every table an erasure may delete from (what a repeated scrub rewrites): each
    capability's purged tables and the subject keys the erasure shreds."""
    return sorted({t for c in capabilities.every() if c.purge is not None for t in c.purge.tables}
                  | {"privacy_subject_keys"})
