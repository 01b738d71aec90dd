"""Wires settings, storage, the writer and the caches together. Nothing runs at import."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from frontoffice.collector.auth import KeyCache
from frontoffice.collector.pool import IngestPool
from frontoffice.collector.writer import GroupCommitWriter, RoutedWriters
from frontoffice.residency.router import StoreRouter, located
from frontoffice.services.tokens import TokenCache
from frontoffice.settings import Settings
from frontoffice.storage import open_configured_store
from frontoffice.storage.sql import SqlStore

T = TypeVar("T")


class PerStore(Generic[T]):
    """One ``make(store)`` per storage (a hub that must sit beside the data it projects), handed
    out for a workspace: a located workspace's comes from its location's storage."""

    def __init__(self, store_for: Callable[[str], SqlStore], make: Callable[[SqlStore], T]) -> None:
        self._store_for = store_for
        self._make = make
        self._made: dict[int, T] = {}
        self._lock = threading.Lock()

    def __call__(self, workspace_id: str) -> T:
        store = self._store_for(workspace_id)
        with self._lock:
            if id(store) not in self._made:
                self._made[id(store)] = self._make(store)
            return self._made[id(store)]


@dataclass
class Container:
    settings: Settings
    store: SqlStore
    writer: GroupCommitWriter
    keys: KeyCache
    tokens: TokenCache
    ingest: IngestPool | None = None
    stores: StoreRouter | None = None  # a workspace's store: its data location's, else `store`
    writers: RoutedWriters | None = None
    _shared: dict[Any, PerStore[Any]] = field(default_factory=dict, repr=False)

    def store_for(self, workspace_id: str) -> SqlStore:
        """Where a workspace's events and projections live (its data location's storage)."""
        return self.store if self.stores is None else self.stores.for_workspace(workspace_id)

    def writer_for(self, workspace_id: str) -> GroupCommitWriter:
        """The group-commit writer of the workspace's storage (its data location's)."""
        return self.writer if self.writers is None else self.writers.for_workspace(workspace_id)

    def per_store(self, make: Callable[[SqlStore], T]) -> PerStore[T]:
        """``make`` once per storage, looked up by workspace (see ``PerStore``). Every router
        asking for the same ``make`` shares its instances: one identity hub (one projector in
        memory) per storage for the whole API, not one per router."""
        if make not in self._shared:
            self._shared[make] = PerStore(self.store_for, make)
        shared: PerStore[T] = self._shared[make]
        return shared

    def close(self) -> None:
        if self.ingest is not None:
            self.ingest.stop()
        if self.writers is not None:
            self.writers.stop()
        self.writer.stop()
        if self.stores is not None:
            self.stores.close()
        self.store.close()


def build(settings: Settings, *, ingest_processes: int = 0) -> Container:
    """``ingest_processes > 0`` (the server) appends collector batches from that many
    processes; 0 keeps everything in this process (tests, tools)."""
    store = open_configured_store(settings, server=True)
    writer = GroupCommitWriter(store, queue_limit=settings.write_queue_events,
                               retry_after_seconds=settings.retry_after_seconds)
    writer.start()
    stores = located(store, settings, server=True)
    stores.open_all()  # upgraded here, before ingest processes and the worker open them too
    return Container(
        settings=settings,
        store=store,
        writer=writer,
        keys=KeyCache(store.source_for_key, settings.key_cache_seconds),
        tokens=TokenCache(store.token_for_secret, settings.key_cache_seconds),
        ingest=_pool(settings, ingest_processes),
        stores=stores,
        writers=RoutedWriters(stores, writer, lambda located_store, _url: GroupCommitWriter(
            located_store, queue_limit=settings.write_queue_events,
            retry_after_seconds=settings.retry_after_seconds)),
    )


def _pool(settings: Settings, processes: int) -> IngestPool | None:
    if processes <= 0:
        return None
    pool = IngestPool(settings, processes)
    pool.start()
    return pool
