"""What decisions' use cases need: its own storage (``decisions.store`` on SQL,
``tests/fakes/decisions.py`` in memory) and narrow ports onto other capabilities, whose adapters
(``decisions.adapters``) ask consent, commerce and identity through their own services and ports.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True, slots=True)
class StoredAction:
    action_id: str
    version: int
    status: str  # active | retired
    doc: dict[str, Any]
    created_at: str


@dataclass(frozen=True, slots=True)
class LoggedDecision:
    decision_id: str
    person_id: str
    channel: str
    placement: str
    at: str
    model_version: str
    chosen: list[str]
    doc: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Outcome:
    outcome_id: str  # idempotency: the same outcome reported twice is stored once
    decision_id: str
    action_id: str
    kind: str
    reward: float
    at: str
    source: str


@dataclass(frozen=True, slots=True)
class ModelVersion:
    kind: str
    version: int
    status: str  # candidate | promoted | retired
    metrics: dict[str, Any]
    created_at: str


class Actions(Protocol):
    def save(self, ws: str, action_id: str, status: str, doc: dict[str, Any], at: str) -> int:
        """Store a new version of the action; returns its version number (1, 2, ...)."""
        ...

    def current(self, ws: str) -> list[StoredAction]:
        """The newest version of every action, in action id order."""
        ...

    def versions(self, ws: str, action_id: str) -> list[StoredAction]:
        """Every version of one action, oldest first."""
        ...

    def stamp(self, ws: str) -> tuple[int, str]:
        """(versions saved, the newest save's time): changes whenever the catalogue does."""
        ...


class DecisionLog(Protocol):
    def log(self, ws: str, decision: LoggedDecision) -> None: ...
    def decision(self, ws: str, decision_id: str) -> LoggedDecision | None: ...
    def of_person(self, ws: str, person_id: str, since: str) -> list[LoggedDecision]:
        """The person's decisions at or after ``since``, oldest first."""
        ...

    def shown_total(self, ws: str, action_ids: Collection[str]) -> dict[str, int]:
        """How many decisions chose each action, ever (absent: never)."""
        ...

    def record(self, ws: str, outcome: Outcome) -> bool:
        """Store an outcome; False when its ``outcome_id`` was already stored."""
        ...

    def outcomes(self, ws: str, decision_ids: Collection[str]) -> list[Outcome]: ...
    def decisions(self, ws: str, after: str, limit: int) -> list[LoggedDecision]:
        """Decisions made after ``after`` (an ISO time), oldest first."""
        ...


class Models(Protocol):
    def save_model(self, ws: str, kind: str, blob: bytes, metrics: dict[str, Any], at: str) -> int:
        """Store a new candidate version; returns its number."""
        ...

    def model_versions(self, ws: str, kind: str) -> list[ModelVersion]: ...
    def model_blob(self, ws: str, kind: str, version: int) -> bytes | None: ...
    def set_model_status(self, ws: str, kind: str, version: int, status: str) -> None: ...


@dataclass(frozen=True, slots=True)
class Verdict:
    """An answer of another capability's rule: allowed or not, and why."""

    allowed: bool
    reason: str


@dataclass(frozen=True, slots=True)
class CustomerFacts:
    """What commerce knows of a person that decisions use."""

    preferred_store: str | None = None
    preferred_fulfilment: str | None = None
    kept_sizes: dict[str, str] = field(default_factory=dict)  # category -> size
    return_rate: float = 0.0
    units_bought: int = 0
    order_count: int = 0
    ship_to_country: str | None = None  # the person's address (identity's golden record)
    ship_to_region: str | None = None


@dataclass(frozen=True, slots=True)
class Person:
    """A live person as identity holds them, read once per decision: commerce's facts and the
    consent gate both work from this read instead of asking identity again."""

    person_id: str
    golden: Mapping[str, Any]  # identity's golden record
    identifiers: Sequence[tuple[str, str]]  # (kind, value), sorted
    merged_ids: frozenset[str]  # every id merged into this person, through any chain of merges


class Customers(Protocol):
    """Identity's who (``People``) and commerce's facts about them."""

    def find(self, ws: str, person_id: str) -> Person | None:
        """The live person of ``person_id`` through any merges; None when no live person has it."""
        ...

    def facts(self, ws: str, person: Person) -> CustomerFacts: ...


class Consent(Protocol):
    def verdicts(self, ws: str, person: Person, purposes: Collection[str], channel: str
                 ) -> dict[str, Verdict]:
        """May the person be addressed for each purpose on ``channel`` now (fails closed); the
        person's consent is read once for all of them."""
        ...


class Stock(Protocol):
    def available(self, ws: str, skus: Sequence[str], channel: str, mode: str,
                  near: str | None, ship_to: str | None) -> dict[str, int]:
        """Units available to promise per SKU on the channel's pool, for the fulfilment mode, near
        the location (the person's store) when given; shipped (``ship``) from the pool's
        locations in the ``ship_to`` country when it is known; an unknown SKU has 0."""
        ...


class Prices(Protocol):
    def conflicts(self, ws: str) -> dict[str, str]:
        """Products with an open cross-channel price conflict now, with its reason."""
        ...


class SegmentMembership(Protocol):
    def check(self, ws: str, person_id: str, segment_id: str) -> Verdict:
        """Is the person a member of the segment now, and why (or why not)."""
        ...
