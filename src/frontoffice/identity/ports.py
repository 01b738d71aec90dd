"""What identity's use cases and projector need from storage and the log, as Protocols.

``IdentitySql`` (:mod:`frontoffice.identity.store`) implements :class:`ProjectionTables` and
:class:`IdentityReads` on the identity tables, ``PeopleSql`` (:mod:`frontoffice.identity.people_store`)
the :class:`~frontoffice.identity.people.People` port; ``SqlStore`` is a :class:`Log`. The fakes
in ``tests/fakes/identity.py`` implement the same in memory, so the rules run without a database.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from frontoffice.domain.events import StoredEvent
from frontoffice.domain.tenancy import Source
from frontoffice.projection.contract import ProjectionMoved
from frontoffice.storage.port import AppendBatch


class ErasedMeanwhile(ProjectionMoved):
    """A person was erased since the projector loaded: its memory may hold the erased records."""


@dataclass(frozen=True, slots=True)
class PersonRow:
    person_id: str
    golden: dict[str, Any]
    record_count: int
    first_seen: str
    last_seen: str
    identifiers: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class RecordRow:
    record_id: str
    seq: int
    source_id: str
    observed_at: str
    person_id: str
    data: bytes  # JSON of the extracted record (identifiers, traits)


@dataclass(frozen=True, slots=True)
class DecisionRow:
    id: int
    kind: str  # "accept" | "separate" | "match"
    side_a: tuple[str, ...]
    side_b: tuple[str, ...]
    rule: str
    detail: str
    weight: float | None
    created_at: str


@dataclass
class ProjectionBatch:
    last_seq: int
    last_decision: int
    records: list[RecordRow] = field(default_factory=list)
    moved: list[tuple[str, str]] = field(default_factory=list)  # (record_id, person_id)
    persons: list[PersonRow] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    redirects: list[tuple[str, str]] = field(default_factory=list)
    history: list[tuple[str, str, list[str], dict[str, Any]]] = field(default_factory=list)
    outbox: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)


class Sources(Protocol):
    def sources(self, workspace_id: str) -> list[Source]: ...


class Log(Protocol):
    """The event log as the projector and a person's decisions use it."""

    @property
    def registry(self) -> Sources:
        """Where the workspace's sources are declared (a located workspace's: the main database)."""
        ...

    def events(self, workspace_id: str, *, after_seq: int = 0, limit: int = 1000,
               source_id: str | None = None) -> list[StoredEvent]: ...

    def events_at(self, workspace_id: str, seqs: Sequence[int]) -> list[StoredEvent]: ...

    def last_seq(self, workspace_id: str) -> int: ...

    def append(self, batches: Sequence[AppendBatch]) -> Sequence[object]: ...


class ProjectionTables(Protocol):
    """What the projector reads and writes: its checkpoint, its rows, the legacy decisions."""

    def key_epoch(self, ws: str) -> int:
        """The workspace's key epoch: raised by every erasure."""
        ...

    def checkpoint(self, ws: str) -> tuple[int, int]:
        """The last event seq and the last decision id the projection reflects."""
        ...

    def reset(self, ws: str) -> None: ...

    def apply(self, ws: str, batch: ProjectionBatch, expected: tuple[int, int],
              epoch: int | None = None) -> None:
        """Write the batch in one transaction if the checkpoint is still ``expected`` (else
        :class:`ProjectionMoved`) and, with ``epoch``, no erasure happened since (else
        :class:`ErasedMeanwhile`)."""
        ...

    def decisions(self, ws: str) -> list[DecisionRow]: ...

    def records(self, ws: str, after_seq: int = 0, limit: int = 10_000) -> list[RecordRow]: ...


class IdentityReads(Protocol):
    """What the use cases read of the projection."""

    def resolve_id(self, ws: str, person_id: str) -> str | None: ...

    def person(self, ws: str, person_id: str) -> tuple[dict[str, Any], int, str, str] | None: ...

    def lookup(self, ws: str, kind: str, value: str) -> list[str]: ...

    def identifiers(self, ws: str, person_id: str) -> list[tuple[str, str]]: ...

    def person_records(self, ws: str, person_id: str) -> list[RecordRow]: ...

    def persons_of(self, ws: str, record_ids: Sequence[str]) -> dict[str, str]: ...

    def history(self, ws: str, person_ids: Sequence[str]) -> list[dict[str, Any]]: ...

    def iter_persons(self, ws: str) -> Iterator[tuple[str, dict[str, Any], int, str, str]]: ...

    def mapping(self, ws: str) -> list[tuple[str, str, str]]: ...


class Hub(Protocol):
    """The projection as a person's decision uses it: its tables, read, and a catch-up that
    applies the decision just appended (the identity hub, under its workspace's lock)."""

    @property
    def tables(self) -> IdentityReads: ...

    def catch_up(self, workspace_id: str) -> object: ...
