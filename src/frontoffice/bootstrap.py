"""The one composition root: ``bootstrap(settings, role)`` wires storage, the located (data
residency) storages, the projection hubs and what each process runs, for the server, the worker,
an ingest process and the CLI alike. Nothing runs at import.

Each role gets only its parts (``Container.parts``): the CLI starts no thread; an ingest process
builds no projection; only the server checks write keys and API tokens; only the worker delivers
to destinations. A part a role does not have raises ``ConfigError`` when asked for.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Generic, TypeVar

from frontoffice.collector.writer import Appender, GroupCommitWriter, RoutedWriters
from frontoffice.domain.tenancy import Status
from frontoffice.errors import ConfigError
from frontoffice.residency.api import StoreRouter, located
from frontoffice.settings import Settings
from frontoffice.storage import open_configured_store
from frontoffice.storage.sql import SqlStore

if TYPE_CHECKING:  # each role imports the parts it runs, when it builds them: an ingest process
    # (two start with every server) imports no hub, dispatch or HTTP client
    from frontoffice.collector.auth import KeyCache
    from frontoffice.collector.gates import CollectionGates
    from frontoffice.collector.member import LockedAppend
    from frontoffice.collector.pool import IngestPool
    from frontoffice.commerce.projector import CommerceHub
    from frontoffice.consent.person_service import PersonConsentHub
    from frontoffice.consent.service import ConsentHub
    from frontoffice.destinations.dispatch import Dispatch
    from frontoffice.identity.hub import IdentityHub
    from frontoffice.identity.live_match import MatchConfig
    from frontoffice.tenancy.tokens import TokenCache

T = TypeVar("T")


class Role(StrEnum):
    SERVER = "server"  # the API and the collector (frontoffice serve)
    WORKER = "worker"  # projections and destination delivery (frontoffice worker)
    INGEST = "ingest"  # one process of the collector's ingest pool
    CLI = "cli"  # one command, then exit


class PerStore(Generic[T]):
    """One ``make(store)`` per storage (a hub that must sit beside the data it projects), handed
    out for a workspace: a located workspace's comes from its location's storage."""

    def __init__(self, store_for: Callable[[str], SqlStore], make: Callable[[SqlStore], T]) -> None:
        self._store_for = store_for
        self._make = make
        self._made: dict[int, T] = {}
        self._lock = threading.Lock()

    def __call__(self, workspace_id: str) -> T:
        return self.at(self._store_for(workspace_id))

    def at(self, store: SqlStore) -> T:
        """The one made for ``store``."""
        with self._lock:
            if id(store) not in self._made:
                self._made[id(store)] = self._make(store)
            return self._made[id(store)]


class Hubs:
    """The projection hubs of a process, one of each per storage, all made with one
    configuration: the API's identity hubs, the CLI's and the worker's match alike."""

    def __init__(self, settings: Settings, store_for: Callable[[str], SqlStore]) -> None:
        from frontoffice.commerce.projector import CommerceHub
        from frontoffice.consent.person_service import PersonConsentHub
        from frontoffice.consent.service import ConsentHub
        from frontoffice.identity.match_service import match_config

        self.settings = settings
        self.match: MatchConfig = match_config(settings)
        self.identity: PerStore[IdentityHub] = PerStore(store_for, self._identity)
        self.consent: PerStore[ConsentHub] = PerStore(store_for, ConsentHub.of)
        self.person_consent: PerStore[PersonConsentHub] = PerStore(store_for, PersonConsentHub.of)
        self.commerce: PerStore[CommerceHub] = PerStore(store_for, CommerceHub)

    def _identity(self, store: SqlStore) -> IdentityHub:
        from frontoffice.identity.hub import IdentityHub

        return IdentityHub(store, self.match)


def _have(part: T | None, name: str, role: Role) -> T:
    if part is None:
        raise ConfigError(f"The {role} process has no {name}; build it with the role that "
                          "runs one (bootstrap(settings, Role.SERVER) serves the collector).")
    return part


@dataclass
class Container:
    """A process's parts. ``store`` is the registry (workspaces, sources, tokens, locations);
    ``stores`` routes a workspace to the storage holding its data (its location's, else
    ``store``)."""

    settings: Settings
    role: Role
    store: SqlStore
    stores: StoreRouter
    _hubs: Hubs | None = None
    _writer: GroupCommitWriter | None = None
    _writers: RoutedWriters | None = None
    _keys: KeyCache | None = None
    _tokens: TokenCache | None = None
    _gates: CollectionGates | None = None
    _dispatch: Dispatch | None = None
    ingest: IngestPool | None = None  # the server's ingest processes (None: it appends itself)
    _appenders: list[LockedAppend] = field(default_factory=list, repr=False)
    _shared: dict[Callable[[SqlStore], object], PerStore[object]] = field(default_factory=dict,
                                                                          repr=False)

    def parts(self) -> set[str]:
        """The names of the parts this role was given."""
        optional = {"hubs": self._hubs, "writer": self._writer, "writers": self._writers,
                    "keys": self._keys, "tokens": self._tokens, "gates": self._gates,
                    "dispatch": self._dispatch, "ingest": self.ingest}
        return {"store", "stores"} | {name for name, part in optional.items() if part is not None}

    @property
    def hubs(self) -> Hubs:
        return _have(self._hubs, "projection hubs", self.role)

    @property
    def writer(self) -> GroupCommitWriter:
        return _have(self._writer, "group-commit writer", self.role)

    @property
    def keys(self) -> KeyCache:
        return _have(self._keys, "write key cache", self.role)

    @property
    def tokens(self) -> TokenCache:
        return _have(self._tokens, "API token cache", self.role)

    @property
    def gates(self) -> CollectionGates:
        return _have(self._gates, "collection gates", self.role)

    @property
    def dispatch(self) -> Dispatch:
        return _have(self._dispatch, "destination dispatch", self.role)

    def store_for(self, workspace_id: str) -> SqlStore:
        """Where a workspace's events and projections live (its data location's storage)."""
        return self.stores.for_workspace(workspace_id)

    def storages(self) -> list[SqlStore]:
        """The main store and every configured located storage."""
        return [self.store, *self.stores.located_stores().values()]

    def writer_for(self, workspace_id: str) -> GroupCommitWriter:
        """The group-commit writer of the workspace's storage (its data location's)."""
        return _have(self._writers, "group-commit writer", self.role).for_workspace(workspace_id)

    def is_active(self, workspace_id: str) -> bool:
        found = self.store.workspace(workspace_id)
        return found is not None and found.status is Status.ACTIVE

    def per_store(self, make: Callable[[SqlStore], T]) -> PerStore[T]:
        """``make`` once per storage, looked up by workspace (see ``PerStore``), shared by every
        router asking for the same ``make``. The projection hubs are ``hubs``'."""
        if make not in self._shared:
            self._shared[make] = PerStore(self.store_for, make)
        shared: PerStore[T] = self._shared[make]  # type: ignore[assignment]
        return shared

    def close(self) -> None:
        if self.ingest is not None:
            self.ingest.stop()
        if self._dispatch is not None:
            self._dispatch.close()
        if self._writers is not None:
            self._writers.stop()
        if self._writer is not None:
            self._writer.stop()  # commits and answers what was already accepted
        self.stores.close()
        for appender in self._appenders:
            appender.close()
        self.store.close()


def bootstrap(settings: Settings, role: Role, *, ingest_processes: int = 0,
              stop: threading.Event | None = None, deliver: bool = True) -> Container:
    """The parts ``role`` runs, configured from ``settings`` and started. The server appends
    collector batches from ``ingest_processes`` processes (0: in this process); the worker's
    delivery threads (none unless it ``deliver``s) end when ``stop`` is set."""
    server = role in (Role.SERVER, Role.INGEST)
    # an ingest process never migrates: the server that starts it has
    upgrade = False if role is Role.INGEST else None
    store = open_configured_store(settings, upgrade=upgrade, server=server)
    stores = located(store, settings, server=server, upgrade=upgrade)
    c = Container(settings, role, store, stores)
    try:
        if role is not Role.INGEST:
            c._hubs = Hubs(settings, c.store_for)
        if role is Role.SERVER:
            from frontoffice.collector.auth import KeyCache
            from frontoffice.collector.pool import IngestPool
            from frontoffice.tenancy.tokens import TokenCache

            stores.open_all()  # before the ingest processes and the worker open them too
            _writers(c, lambda s: s)
            c._keys = KeyCache(store.source_for_key, settings.key_cache_seconds)
            c._tokens = TokenCache(store.token_for_secret, settings.key_cache_seconds)
            if ingest_processes > 0:
                c.ingest = IngestPool(settings, ingest_processes)
                c.ingest.start()
        elif role is Role.INGEST:
            from frontoffice.collector.gates import CollectionGates

            _writers(c, lambda s: _locked(c, s))
            c._gates = CollectionGates(store, settings, stores)
        elif role is Role.WORKER and deliver:
            from frontoffice.destinations.dispatch import Dispatch

            every = c.storages()
            c._dispatch = Dispatch(lambda: every, c.is_active, settings, stop or threading.Event())
            c._dispatch.start()
    except BaseException:
        c.close()
        raise
    return c


def _writers(c: Container, append_to: Callable[[SqlStore], Appender]) -> None:
    """A started group-commit writer for the main store, and one per located storage on first
    use."""
    def writer(store: SqlStore) -> GroupCommitWriter:
        return GroupCommitWriter(append_to(store), queue_limit=c.settings.write_queue_events,
                                 retry_after_seconds=c.settings.retry_after_seconds)

    c._writer = writer(c.store)
    c._writer.start()
    c._writers = RoutedWriters(c.stores, c._writer, lambda located_store, _url: writer(located_store))


def _locked(c: Container, store: SqlStore) -> LockedAppend:
    from frontoffice.collector.member import LockedAppend

    appender = LockedAppend(store, store.ingest_lock)
    c._appenders.append(appender)
    return appender
