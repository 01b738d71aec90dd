"""Identity's port for the other capabilities: who a person id is now, and which ids were merged
into a person. Privacy, outbound and consent ask this port; none of them reads identity's tables.

A merge leaves its old ids behind as redirects (``A → B``); a later merge of ``B`` into ``C``
makes a chain ``A → B → C``. Chains are followed here, never flattened in the tables: a split
that brings ``B`` back must leave ``A`` pointing at ``B`` again.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from typing import Protocol


class People(Protocol):
    def resolve_id(self, workspace_id: str, person_id: str) -> str | None:
        """The live id of ``person_id``, through any chain of merges; None when no live person
        has it (never known, erased, or a chain that loops)."""
        ...

    def merged_ids(self, workspace_id: str, person_ids: Collection[str]) -> dict[str, set[str]]:
        """For each (live) person id, every id merged into it through any chain of merges."""
        ...

    def names(self, workspace_id: str) -> Iterator[tuple[str, str, str]]:
        """``(person_id, given, family)`` of every live person from their golden name traits (a
        name typed in one field is the given name, family empty), in person id order."""
        ...
