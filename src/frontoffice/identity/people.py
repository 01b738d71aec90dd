"""Identity's port for the other capabilities: who a person id is now, which ids were merged into a
person, a person's identifiers, and the merges and splits as they happen. Privacy, outbound and
consent ask this port; none of them reads identity's tables.

A merge leaves its old ids behind as redirects (``A → B``); a later merge of ``B`` into ``C``
makes a chain ``A → B → C``. Chains are followed here, never flattened in the tables: a split
that brings ``B`` back must leave ``A`` pointing at ``B`` again.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from frontoffice.domain.events import StoredEvent


@dataclass(frozen=True, slots=True)
class PersonChange:
    """One entry of identity's outbox, in order: ``person.merged`` (``payload["merged"]``: the ids
    merged into ``person_id``), ``person.split`` (``payload["into"]``: the persons split off), …"""

    id: int
    type: str
    person_id: str
    payload: Mapping[str, Any]


class People(Protocol):
    def resolve_id(self, workspace_id: str, person_id: str) -> str | None:
        """The live id of ``person_id``, through any chain of merges; None when no live person
        has it (never known, erased, or a chain that loops)."""
        ...

    def merged_ids(self, workspace_id: str, person_ids: Collection[str]) -> dict[str, set[str]]:
        """For each (live) person id, every id merged into it through any chain of merges."""
        ...

    def identifiers(self, workspace_id: str, person_ids: Collection[str], kinds: Collection[str]
                    ) -> dict[str, list[tuple[str, str]]]:
        """Each person's ``(kind, value)`` identifiers of ``kinds``, sorted; a person with none is
        absent."""
        ...

    def holders(self, workspace_id: str, kind: str, values: Collection[str]) -> dict[str, set[str]]:
        """For each normalised ``kind`` value, the people holding it; absent when nobody does."""
        ...

    def golden(self, workspace_id: str, person_ids: Collection[str]) -> dict[str, dict[str, Any]]:
        """The golden record of each live person id (absent: not a live person)."""
        ...

    def of_events(self, workspace_id: str, seqs: Collection[int]) -> dict[int, str]:
        """The person identity placed each event (by seq) with; absent when not projected yet."""
        ...

    def of_stored(self, workspace_id: str, events: Sequence[StoredEvent]) -> dict[int, str]:
        """``of_events`` for events at hand, found by their records' key (one lookup an event,
        where a lookup by seq reads every record of the workspace)."""
        ...

    def placed_upto(self, workspace_id: str) -> int:
        """The log seq identity has projected up to: an event after it may not be placed yet."""
        ...

    def record_ids(self, workspace_id: str, person_ids: Collection[str]) -> set[str]:
        """The records (``source:message``) identity placed with these people."""
        ...

    def changes(self, workspace_id: str, after_id: int, limit: int) -> list[PersonChange]:
        """Up to ``limit`` entries of the outbox after ``after_id``, oldest first."""
        ...

    def names(self, workspace_id: str) -> Iterator[tuple[str, str, str]]:
        """``(person_id, given, family)`` of every live person from their golden name traits (a
        name typed in one field is the given name, family empty), in person id order."""
        ...
