"""What segments' use cases need: its own tables (``SegmentsData``), the person an event belongs
to and what identity knows of them (identity's ``People``), and whether consent allows a purpose
on a channel (``ConsentCheck``, answered by the outbound gate). ``segments.store`` implements
them on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from frontoffice.segments.model import Event


@dataclass(frozen=True, slots=True)
class Definition:
    kind: str  # trait | segment | moment
    name: str
    version: int
    body: Mapping[str, Any]
    active: bool
    created_at: str


@dataclass(frozen=True, slots=True)
class Change:
    segment: str
    version: int
    change: str  # entered | exited
    why: str


@dataclass
class Outcome:
    """What one evaluation of a person changes."""

    person_id: str
    at: str
    cause: str
    facts: dict[str, str] = field(default_factory=dict)
    values: dict[str, tuple[str, str]] = field(default_factory=dict)  # trait → (value, explain) JSON
    changes: list[Change] = field(default_factory=list)
    due_at: int | None = None
    partial: bool = False  # values holds only the traits evaluated again; the others stand
    facts_stored: bool = False  # the facts are those stored already: not written again


@dataclass(frozen=True, slots=True)
class NewEvent:
    seq: int
    person_id: str
    name: str
    at: int
    props: Mapping[str, Any]


class SegmentsData(Protocol):
    def definitions(self, ws: str, kind: str) -> list[Definition]:
        """The active definitions of ``kind``, by name."""
        ...

    def versions(self, ws: str, kind: str, name: str) -> list[Definition]: ...

    def save_definition(self, ws: str, kind: str, name: str, body: Mapping[str, Any], at: str) -> int:
        """Store a new active version (the previous one stays, inactive); its number."""
        ...

    def deactivate(self, ws: str, kind: str, name: str) -> bool: ...

    def cursor(self, ws: str) -> int: ...

    def last_change(self, ws: str) -> int:
        """The last entry of identity's change feed followed."""
        ...

    def set_last_change(self, ws: str, change_id: int) -> None: ...

    def replace(self, ws: str, placed: Mapping[int, str], queue: Mapping[str, str]) -> None:
        """Move each event (by seq) to the person now holding it and queue ``queue``'s people
        (person → cause) for evaluation now, at once."""
        ...

    def stamp(self, ws: str) -> tuple[int, int]:
        """What changes whenever a definition is saved or deleted (cheap to read)."""
        ...

    def apply(self, ws: str, events: Sequence[NewEvent], cursor: int, outcomes: Sequence[Outcome]) -> None:
        """Store the events and the outcomes of evaluating their people, and move the cursor, at once."""
        ...

    def due(self, ws: str, now: int, limit: int) -> list[tuple[str, str]]:
        """(person, cause) of the people due for evaluation at ``now``, earliest first."""
        ...

    def next_due(self, ws: str) -> int | None: ...

    def due_at(self, ws: str, person_ids: Collection[str]) -> dict[str, int]:
        """When each of these people is due for evaluation (those with a time)."""
        ...

    def person_events(self, ws: str, person_ids: Collection[str]) -> dict[str, list[Event]]: ...

    def members_of(self, ws: str, person_ids: Collection[str]) -> dict[str, set[str]]: ...

    def facts(self, ws: str, person_ids: Collection[str]) -> dict[str, dict[str, str]]:
        """Each person's facts as last evaluated (``trait:``, ``reach:``, ``consent:``, ``context:``)."""
        ...

    def save(self, ws: str, outcomes: Sequence[Outcome]) -> None:
        """Facts, values, memberships, history and due times of evaluated people, at once."""
        ...

    def predicted(self, ws: str, person_ids: Collection[str]) -> dict[str, dict[str, str]]:
        """Each person's predicted traits (``predicted:<name>`` → value), which evaluations keep."""
        ...

    def write_predicted(self, ws: str, name: str, values: Mapping[str, float], provenance: str,
                        at: str) -> int:
        """Replace a predicted trait of every person, with its provenance; queue who changed."""
        ...

    def touch_all(self, ws: str, cause: str) -> int:
        """Queue every person with events for evaluation now (a definition changed)."""
        ...

    def reset(self, ws: str) -> None:
        """Drop everything projected (never the definitions or the firings)."""
        ...

    # reads
    dialect: str

    def run(self, sql: str) -> list[str]:
        """The person ids a compiled batch query selects."""
        ...

    def person_splits(self, ws: str, shards: int, least: int = 1) -> list[str]:
        """Up to ``shards - 1`` ascending person ids splitting the workspace's events into ranges
        of about as many events each, and at least ``least`` events each."""
        ...

    def memberships(self, queries: Sequence[str], segments: Sequence[str]) -> dict[str, list[str]]:
        """Each segment's members, in person order, from compiled ``Compiler.memberships``
        queries over disjoint ranges of people (rows: a person, then one 0/1 a segment, in
        ``segments`` order), run at once and streamed."""
        ...

    def members(self, ws: str, segment: str, limit: int) -> list[dict[str, Any]]: ...

    def sizes(self, ws: str) -> dict[str, int]: ...

    def history(self, ws: str, person_id: str | None = None, segment: str | None = None,
                limit: int = 200) -> list[dict[str, Any]]: ...

    def values(self, ws: str, person_id: str) -> list[dict[str, Any]]: ...

    def daily_changes(self, ws: str, segment: str) -> list[tuple[str, int, int]]:
        """(day, entered, exited) of every day the segment changed, oldest first."""
        ...


class ConsentCheck(Protocol):
    def allowed(self, ws: str, person_ids: Collection[str], consents: Collection[tuple[str, str]],
                now_ms: int) -> dict[str, set[tuple[str, str]]]:
        """For each person, the (purpose, channel) pairs the consent gate allows now."""
        ...


class CommerceCheck(Protocol):
    """What conditions read of commerce, through commerce's port (never its tables)."""

    def facts(self, ws: str, identifiers: Mapping[str, Sequence[tuple[str, str]]]
              ) -> dict[str, dict[str, str]]:
        """Each person's commerce facts (``commerce:open_return``, ``commerce:bought_category:<c>``,
        ``commerce:late_delivery``), found through the customer keys of their identifiers."""
        ...

    def buyers(self, ws: str, order_ids: Collection[str]) -> dict[str, list[tuple[str, str]]]:
        """Each known order's buyer as identity's identifiers (kind, normalised value)."""
        ...
