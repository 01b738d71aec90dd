"""Wires settings, storage, the writer and the caches together. Nothing runs at import."""

from __future__ import annotations

from dataclasses import dataclass

from frontoffice.api.tokens import TokenCache
from frontoffice.collector.auth import KeyCache
from frontoffice.collector.writer import GroupCommitWriter
from frontoffice.settings import Settings
from frontoffice.storage import open_store
from frontoffice.storage.sql import SqlStore


def open_configured_store(settings: Settings, *, upgrade: bool | None = None,
                          server: bool = False) -> SqlStore:
    store = open_store(settings.resolved_database_url, server=server)
    if settings.auto_upgrade if upgrade is None else upgrade:
        store.upgrade()
    else:
        store.require_current_schema()
    return store


@dataclass
class Container:
    settings: Settings
    store: SqlStore
    writer: GroupCommitWriter
    keys: KeyCache
    tokens: TokenCache

    def close(self) -> None:
        self.writer.stop()
        self.store.close()


def build(settings: Settings) -> Container:
    store = open_configured_store(settings, server=True)
    writer = GroupCommitWriter(store, queue_limit=settings.write_queue_events,
                               retry_after_seconds=settings.retry_after_seconds)
    writer.start()
    return Container(
        settings=settings,
        store=store,
        writer=writer,
        keys=KeyCache(store.source_for_key, settings.key_cache_seconds),
        tokens=TokenCache(store.token_for_secret, settings.key_cache_seconds),
    )
