"""After the rows are gone: make their bytes unrecoverable from the database's own files.

Deleting a row leaves its bytes in places a file scan still reads: SQLite's free pages and its
write-ahead log; PostgreSQL's dead tuples, old WAL segments, index pages and the planner's
statistics (most-common values are copies of column values). Each function here runs the
backend's procedure and says what it did; docs/privacy.md explains why each step is needed.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from frontoffice.errors import FrontofficeError

if TYPE_CHECKING:
    from frontoffice.storage.sql import SqlStore

CHECKPOINT_ATTEMPTS = 50


class ScrubIncomplete(FrontofficeError):
    """The database could not be made to drop every old copy (a reader held the WAL)."""

    code = "scrub_incomplete"


@dataclass(frozen=True, slots=True)
class Scrubbed:
    steps: tuple[str, ...]  # what ran, in order
    warnings: tuple[str, ...] = ()  # server settings that let old copies survive


def scrub(store: SqlStore, tables: Sequence[str]) -> Scrubbed:
    """Run the backend's procedure on ``tables`` (those that exist)."""
    if store.dialect == "sqlite":
        return Scrubbed(tuple(_sqlite(store)))
    present = existing_tables(store)
    return _postgres(store, [t for t in tables if t in present])


def existing_tables(store: SqlStore) -> set[str]:
    if store.dialect == "sqlite":
        rows = store.query("SELECT name FROM sqlite_master WHERE type = 'table'")
    else:
        rows = store.query("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
    return {str(r[0]) for r in rows}


def _sqlite_checkpoint(store: SqlStore) -> str:
    """TRUNCATE waits for readers, copies the WAL into the file and truncates it to 0 bytes;
    busy (1) means a reader still holds an old snapshot, so it is retried."""
    for _ in range(CHECKPOINT_ATTEMPTS):
        busy, _, _ = store.maintenance("PRAGMA wal_checkpoint(TRUNCATE)")[0]
        if int(busy) == 0:
            return "wal_checkpoint(TRUNCATE)"
        time.sleep(0.1)
    raise ScrubIncomplete("The SQLite WAL could not be truncated: a reader kept an old snapshot "
                          "open for 5 s. The keys are shredded; run `frontoffice privacy scrub` "
                          "again when the server is idle.")


def _sqlite(store: SqlStore) -> list[str]:
    # secure_delete (set on every connection) zeroed the deleted cells; the WAL still holds the
    # pages as they were, VACUUM rebuilds the file without free pages, and the last checkpoint
    # truncates the WAL that VACUUM itself wrote.
    return [_sqlite_checkpoint(store), _vacuum(store), _sqlite_checkpoint(store)]


def _vacuum(store: SqlStore) -> str:
    store.maintenance("VACUUM")
    return "VACUUM"


def _postgres(store: SqlStore, tables: Sequence[str]) -> Scrubbed:
    # FULL writes a new file without dead tuples and rebuilds the indexes; ANALYZE replaces
    # the statistics whose histograms and most-common values may quote the erased values, and
    # vacuuming pg_statistic drops the old versions of those rows. The WAL written before now
    # still holds the inserted rows: switch to a new segment and checkpoint twice so every
    # older segment is removed (unlinked, not recycled, when wal_recycle=off).
    statements = [f"VACUUM (FULL, ANALYZE) {table}" for table in sorted(set(tables))]
    statements += ["VACUUM (FULL) pg_catalog.pg_statistic",
                   "SELECT pg_switch_wal()", "CHECKPOINT", "SELECT pg_switch_wal()", "CHECKPOINT"]
    steps = []
    for statement in statements:
        try:
            store.maintenance(statement)
        except Exception as exc:  # the driver's errors (privileges) are not imported here
            raise ScrubIncomplete(
                f"`{statement}` failed ({exc}). The keys are shredded and the projections purged, "
                "but old copies may stay in the files: run `frontoffice privacy scrub` as a "
                "superuser (or a role with pg_checkpoint and pg_switch_wal; docs/privacy.md)."
            ) from exc
        steps.append(statement)
    recycled = store.query("SELECT setting FROM pg_settings WHERE name = 'wal_recycle'")
    warnings: tuple[str, ...] = ()
    if recycled and str(recycled[0][0]) != "off":
        warnings = ("The server runs with wal_recycle=on: old WAL segments are renamed for reuse and "
                    "keep the erased rows until overwritten. Set wal_recycle=off (docs/privacy.md) "
                    "and run `frontoffice privacy scrub`.",)
    return Scrubbed(tuple(steps), warnings)
