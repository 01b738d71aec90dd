"""Stores whose schema stops before a given migration: files made by an older version."""

from __future__ import annotations

from frontoffice.storage import open_store
from frontoffice.storage.sql import SqlStore


def store_before(url: str, migration: str) -> SqlStore:
    """A store at ``url`` with every migration named before ``migration`` applied, and no later."""
    old = open_store(url)
    old._applied()  # creates schema_migrations
    for name, script in old._migrations():
        if name >= migration:
            break
        old._dialect.executescript(old._conn(), script)
        old._exec("INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)", (name, "2026-01-01"))
    return old
