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

import sqlalchemy as sa

from frontoffice import capabilities
from frontoffice.storage.core import batches
from frontoffice.storage.scrub import existing_tables
from frontoffice.storage.tables import schema
from frontoffice.vault.subjects import canonical_subject

if TYPE_CHECKING:
    from frontoffice.storage.sql import SqlStore


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
    transaction (``conn``, for Core statements), the tables that exist (a table of a migration not
    yet applied is skipped), and the count of rows deleted per table."""

    def __init__(self, store: SqlStore, conn: sa.Connection, person: PersonRows, tables: set[str]) -> None:
        self.store, self.conn, self.person, self.tables = store, conn, person, tables
        self.counts: dict[str, int] = {}
        self._schema, self._reflected = schema(store.dialect), sa.MetaData()

    @property
    def workspace_id(self) -> str:
        return self.person.workspace_id

    def count(self, table: str, n: int) -> None:
        self.counts[table] = self.counts.get(table, 0) + n

    def table(self, name: str) -> sa.Table:
        """``name`` as its capability declares it, else as the database has it (a capability
        registered at run time, after the schema was built)."""
        found = self._schema.tables.get(name)
        return found if found is not None else sa.Table(name, self._reflected, autoload_with=self.conn)

    def delete(self, table: str, column: str, values: Sequence[Any]) -> None:
        """Delete the workspace's rows whose ``column`` is one of ``values``; counted."""
        t = self.table(table)
        deleted = 0
        for chunk in batches(sorted(set(values))):
            result = self.conn.execute(t.delete().where(t.c.workspace_id == self.workspace_id,
                                                        t.c[column].in_(chunk)))
            deleted += max(result.rowcount, 0)
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
        t = self.table(table)
        held = self.conn.execute(sa.select(t.c[column]).distinct().where(
            t.c.workspace_id == self.workspace_id)).scalars()
        self.delete(table, column, [v for v in held if v in ids or canonical_subject(str(v)) in identifiers])

    def delete_mentioning(self, table: str, key: str, text: str) -> None:
        """Rows whose JSON or text column ``text`` (or columns, ``a || b``) name one of the person's
        ids or records."""
        if table not in self.tables:
            return
        names = set(self.person.person_ids) | self.person.record_ids
        t = self.table(table)
        columns = [t.c[c.strip()] for c in text.split("||")]
        rows = self.conn.execute(sa.select(t.c[key], *columns).where(t.c.workspace_id == self.workspace_id))
        self.delete(table, key, [found for found, *texts in rows
                                 if any(n in str(v) for v in texts for n in names)])


def purge(store: SqlStore, conn: sa.Connection, person: PersonRows) -> dict[str, int]:
    """Delete the person's rows from every capability's tables in the caller's transaction
    (``conn``; each capability's purge hook, in registry order); rows deleted per table."""
    erasing = Erasing(store, conn, person, existing_tables(store))
    for capability in capabilities.every():
        if capability.purge is not None:
            capability.purge.run(erasing)
    return erasing.counts


def purged_tables() -> list[str]:
    """Every table an erasure may delete from (what a repeated scrub rewrites): each
    capability's purged tables and the subject keys the erasure shreds."""
    return sorted({t for c in capabilities.every() if c.purge is not None for t in c.purge.tables}
                  | {"privacy_subject_keys"})
