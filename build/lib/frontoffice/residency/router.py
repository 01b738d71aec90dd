"""Which database holds a workspace's data: its location's storage, else the default store.

The default store stays the registry (workspaces, sources, tokens, locations); a workspace located
in a country with a configured storage keeps its event log (and the projections made from it) in
that storage. Stores are opened (and upgraded) on first use and shared per URL.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping

from frontoffice.cache import TtlLookup
from frontoffice.residency.gate import ResidencyGate
from frontoffice.residency.locations import WorkspaceLocations, parse_storage_locations
from frontoffice.settings import Settings
from frontoffice.storage import open_store
from frontoffice.storage.sql import SqlStore


class StoreRouter:
    def __init__(
        self,
        default: SqlStore,
        storages: Mapping[str, str],
        location_of: Callable[[str], str | None],
        *,
        server: bool = False,
        master_key: str | None = None,
    ) -> None:
        self.default = default
        self._storages = dict(storages)
        self._location_of = location_of
        self._server = server
        self._master_key = master_key  # subject keys of the event log, as for the main store
        self._open: dict[str, SqlStore] = {}
        self._lock = threading.Lock()

    def url_for(self, workspace_id: str) -> str | None:
        """The URL of the workspace's located storage; None: the default store."""
        location = self._location_of(workspace_id)
        return self._storages.get(location) if location else None

    def for_workspace(self, workspace_id: str) -> SqlStore:
        url = self.url_for(workspace_id)
        return self.default if url is None else self.at(url)

    def at(self, url: str) -> SqlStore:
        with self._lock:
            store = self._open.get(url)
            if store is None:
                store = self._open[url] = open_store(url, server=self._server)
                store.use_master_key(self._master_key)
                store.registry = self.default  # its workspaces' sources are registered there
                store.upgrade()
            return store

    def open_all(self) -> None:
        """Open (and upgrade) every configured storage now, so a bad URL fails at start."""
        for url in self._storages.values():
            self.at(url)

    def located_stores(self) -> dict[str, SqlStore]:
        """Every configured located storage, opened, by the countries it holds ("RU", "CN, HK")
        (not by URL, which may carry a password)."""
        countries: dict[str, list[str]] = {}
        for country, url in sorted(self._storages.items()):
            countries.setdefault(url, []).append(country)
        return {", ".join(names): self.at(url) for url, names in countries.items()}

    def close(self) -> None:
        with self._lock:
            for store in self._open.values():
                store.close()
            self._open.clear()


def residency_gate(store: SqlStore, settings: Settings) -> ResidencyGate:
    """The collector's residency check, reading workspace locations from the registry ``store``."""
    return ResidencyGate(WorkspaceLocations(store, settings.data_location).get,
                         settings.key_cache_seconds)


def located(store: SqlStore, settings: Settings, *, server: bool = False) -> StoreRouter:
    """The router for the configured `storage_locations`, reading locations from `store` (cached)."""
    locations = WorkspaceLocations(store, settings.data_location)
    cached: TtlLookup[str, str | None] = TtlLookup(locations.get, settings.key_cache_seconds, 100_000)
    return StoreRouter(store, parse_storage_locations(settings.storage_locations), cached.get, server=server,
                       master_key=settings.master_key)
