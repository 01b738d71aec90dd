"""Which workspaces' logs moved: one cheap statement per storage, whatever the number of workspaces.

``seq`` grows across the whole log of a storage (appends are serialised: ``BEGIN IMMEDIATE`` on
SQLite, an advisory lock on PostgreSQL, so a smaller seq never commits after a larger one is
visible). A quiet storage therefore costs one primary-key lookup of ``max(seq)`` per poll; when
it moved, the workspaces of the new rows, with the families of their events, are read from that
range alone (the runner skips a projection none of whose families moved).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from frontoffice.storage.sql import SqlStore


class LogWatch:
    """Remembers how far it has seen one storage's log."""

    def __init__(self, store: SqlStore) -> None:
        self.store = store
        self.seen = self._head()

    def _head(self) -> int:
        return int(self.store.query("SELECT max(seq) FROM events")[0][0] or 0)

    def logged(self) -> set[str]:
        """Every workspace with events in this storage (once, at start: one scan of the log's
        workspace index; a workspace with an empty log has nothing to project)."""
        return {str(r[0]) for r in self.store.query("SELECT DISTINCT workspace_id FROM events")}

    def moved(self) -> dict[str, set[str]]:
        """The workspaces with events appended since the last call, each with the families of
        those events."""
        head = self._head()
        if head <= self.seen:
            return {}
        rows = self.store.query("SELECT workspace_id, family FROM events WHERE seq > ? AND seq <= ? "
                                "GROUP BY workspace_id, family", (self.seen, head))
        self.seen = head
        found: dict[str, set[str]] = {}
        for ws, family in rows:
            found.setdefault(str(ws), set()).add(str(family))
        return found
