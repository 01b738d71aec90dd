"""After the rows are gone: make their bytes unrecoverable from the database's own files.

Deleting a row leaves its bytes in places a file scan still reads: SQLite's free pages and its
write-ahead log; PostgreSQL's dead tuples, old WAL segments, index pages and the planner's
statistics (most-common values are copies of column values). Each function here runs the
backend's procedure (its dialect's ``scrub``: storage/sqlite.py, storage/postgres.py) and says
what it did; docs/privacy.md explains why each step is needed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from frontoffice.errors import FrontofficeError

if TYPE_CHECKING:
    from frontoffice.storage.sql import SqlStore


class ScrubIncomplete(FrontofficeError):
    """The database could not be made to drop every old copy (a reader held the WAL)."""

    code = "scrub_incomplete"


@dataclass(frozen=True, slots=True)
class Scrubbed:
    steps: tuple[str, ...]  # what ran, in order
    warnings: tuple[str, ...] = ()  # server settings that let old copies survive


def scrub(store: SqlStore, tables: Sequence[str]) -> Scrubbed:
    """Run the backend's procedure on ``tables`` (those that exist)."""
    return store.scrub(tables)


def existing_tables(store: SqlStore) -> set[str]:
    return store.table_names()
