"""The storage port: what the rest of frontoffice may ask of a database.

The embedded SQLite file and PostgreSQL implement it and pass the same test suite.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Protocol

from frontoffice.domain.events import EventRecord, Rejection, StoredEvent
from frontoffice.domain.tenancy import ApiToken, Source, Status, Workspace
from frontoffice.vault.rows import Suppressed


@dataclass(frozen=True, slots=True)
class AppendBatch:
    """Accepted events and rejected inputs of one request or file chunk, stored together."""

    workspace_id: str
    source_id: str
    events: Sequence[EventRecord]
    rejections: Sequence[Rejection] = ()
    origin: str = "collector"
    reference: str = ""
    received_at: str = ""


@dataclass(frozen=True, slots=True)
class AppendResult:
    inserted: int
    duplicates: int
    quarantined: int
    suppressed: tuple[Suppressed, ...] = ()  # events of erased people, dropped (privacy_suppressed_events)


@dataclass(frozen=True, slots=True)
class QuarantineEntry:
    id: int
    workspace_id: str
    source_id: str
    origin: str
    reference: str
    message_id: str | None
    reason: str
    payload: bytes
    received_at: str


class Store(Protocol):
    dialect: str

    # schema
    def schema_version(self) -> int: ...
    def pending_migrations(self) -> list[str]: ...
    def upgrade(self) -> list[str]: ...
    def close(self) -> None: ...

    # tenancy
    def add_workspace(self, workspace: Workspace) -> None: ...
    def workspaces(self) -> list[Workspace]: ...
    def workspace(self, id_or_name: str) -> Workspace | None: ...
    def set_workspace_status(self, workspace_id: str, status: Status) -> None: ...
    def add_source(self, source: Source, key_hash: str) -> None: ...
    def sources(self, workspace_id: str) -> list[Source]: ...
    def source(self, workspace_id: str, id_or_name: str) -> Source | None: ...
    def set_source_status(self, workspace_id: str, source_id: str, status: Status) -> None: ...
    def source_for_key(self, key_hash: str) -> tuple[Source, Workspace] | None: ...
    def add_token(self, token: ApiToken, token_hash: str) -> None: ...
    def tokens(self, workspace_id: str | None) -> list[ApiToken]: ...
    def set_token_status(self, token_id: str, status: Status) -> None: ...
    def token_for_secret(self, token_hash: str) -> ApiToken | None: ...

    # event log
    def append(self, batches: Sequence[AppendBatch]) -> list[AppendResult]: ...
    def events(
        self, workspace_id: str, *, after_seq: int = 0, limit: int = 1000,
        source_id: str | None = None, families: Collection[str] | None = None,
        types: Collection[str] | None = None, upto: int | None = None,
    ) -> list[StoredEvent]: ...
    def count_events(self, workspace_id: str, source_id: str | None = None) -> int: ...
    def last_seq(self, workspace_id: str) -> int: ...
    def event(self, workspace_id: str, source_id: str, message_id: str) -> StoredEvent | None: ...
    def message_ids(self, workspace_id: str, source_id: str) -> dict[str, int]: ...
    def quarantine(
        self, workspace_id: str, *, after_id: int = 0, limit: int = 1000,
        source_id: str | None = None,
    ) -> list[QuarantineEntry]: ...
    def count_quarantine(self, workspace_id: str, source_id: str | None = None) -> int: ...
