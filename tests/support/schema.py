"""Stores whose schema stops before a given migration: files made by an older version."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

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


@dataclass(frozen=True)
class OldSource:
    id: str


def source_before(old: SqlStore, workspace_id: str, name: str, channel: str) -> OldSource:
    """A source row as a version before 0013 (no trust level) wrote it, write key hashed."""
    source_id = "src_" + secrets.token_hex(8)
    old._exec("INSERT INTO sources (id, workspace_id, name, channel, key_hash, key_hint, status, "
              "created_at) VALUES (?, ?, ?, ?, ?, ?, 'active', '2026-01-01')",
              (source_id, workspace_id, name, channel, secrets.token_hex(16), "…old"))
    return OldSource(source_id)
