"""The ports consent's use cases take: the event log it projects, its ledger (subject consent) and
its person-level rows. ``consent/store.py`` and ``consent/person_store.py`` implement them on
SQLite and PostgreSQL, ``tests/fakes/consent.py`` in memory. Who a person is (their subject keys,
merges and splits) is identity's, asked through :class:`~frontoffice.identity.people.People`.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from frontoffice.consent.ledger import ConsentChange, ConsentState

if TYPE_CHECKING:
    from frontoffice.consent.merge import PersonConsent
    from frontoffice.consent.projector import Projection
    from frontoffice.domain.events import StoredEvent
    from frontoffice.identity.people import People

ERASED_SUBJECT = "erased:"
"""What a ledger subject of an erased person reads as (+ its hash): nobody's consent."""

# Identity kinds that are also consent subject kinds (consent/projector.py SUBJECT_KINDS).
SUBJECT_ID_KINDS = ("user_id", "anonymous_id", "email", "phone")


def persons_holding(people: People, ws: str, subjects: Collection[str]) -> set[str]:
    """The persons identity says hold any of the subject keys (``kind:value``)."""
    by_kind: dict[str, list[str]] = {}
    for kind, _, value in (s.partition(":") for s in subjects):
        if value:
            by_kind.setdefault(kind, []).append(value)
    return {person for kind, values in sorted(by_kind.items())
            for held in people.holders(ws, kind, values).values() for person in held}


@dataclass(frozen=True, slots=True)
class LedgerRow:
    seq: int
    change: ConsentChange


@dataclass(frozen=True, slots=True)
class Checkpoint:
    last_outbox_id: int
    last_state_seq: int
    version: int


@dataclass(frozen=True, slots=True)
class PersonPurpose:
    purpose: str
    status: str
    subject: str
    change_id: str
    at: str
    method: str
    explicit: bool
    reason: str


@dataclass(frozen=True, slots=True)
class ConflictRow:
    purpose: str
    kept_subject: str
    kept_status: str
    kept_change_id: str
    kept_at: str
    overridden_subject: str
    overridden_status: str
    overridden_change_id: str
    overridden_at: str
    reason: str


class EventLog(Protocol):
    def events(self, workspace_id: str, *, after_seq: int = 0, limit: int = 1000,
               source_id: str | None = None, families: Collection[str] | None = None,
               types: Collection[str] | None = None, upto: int | None = None) -> list[StoredEvent]: ...

    def last_seq(self, workspace_id: str) -> int: ...


class ConsentLedger(Protocol):
    """Subject consent: the append-only ledger and its projection (state, region evidence)."""

    def salt(self, ws: str) -> bytes:
        """The workspace's salt for hashing IPs and user agents; created on first use."""
        ...

    def checkpoint(self, ws: str) -> int: ...

    def subjects_as_of(self, ws: str, keys: Collection[str], up_to_seq: int
                       ) -> tuple[dict[str, list[ConsentChange]], dict[str, dict[str, str]]]:
        """Each subject's ledger changes up to a log seq, and the evidence of those the projection knows."""
        ...

    def apply(self, ws: str, after_seq: int, batch: Projection) -> None:
        """Ledger rows, state, subjects and checkpoint at once; raises ``ProjectionMoved`` when the
        checkpoint is no longer ``after_seq``."""
        ...

    def reset(self, ws: str) -> None:
        """Drop the projection (never the ledger)."""
        ...

    def ledger(self, ws: str, subject: str | None = None, up_to_seq: int | None = None
               ) -> list[LedgerRow]: ...

    def current(self, ws: str, subject: str | None = None) -> list[tuple[str, str, str, str, str]]:
        """(subject, purpose, change_id, status, at) of the current state."""
        ...

    def evidence(self, ws: str, subject: str) -> dict[str, str] | None: ...


class PersonConsentRows(Protocol):
    """Person-level consent: the subjects' current consent it is computed from, and its rows."""

    def states(self, ws: str, subjects: Collection[str]) -> list[ConsentState]:
        """The current consent (no history) of each subject that has any, in subject order."""
        ...

    def subjects_changed_since(self, ws: str, seq: int) -> tuple[list[str], int]:
        """Subjects whose consent state moved after ``seq``, and the newest seq seen."""
        ...

    def checkpoint(self, ws: str) -> Checkpoint: ...

    def save(self, ws: str, merged: Mapping[str, PersonConsent | None], gone: Collection[str],
             last_outbox_id: int, last_state_seq: int, seen: Checkpoint) -> None:
        """Replace each recomputed person's rows, delete ``gone``, advance the checkpoint from
        ``seen`` (``ProjectionMoved`` when another process did first); all at once."""
        ...

    def reset(self, ws: str) -> None: ...

    def person(self, ws: str, person_id: str) -> list[PersonPurpose]: ...

    def conflicts(self, ws: str, person_id: str) -> list[ConflictRow]: ...
