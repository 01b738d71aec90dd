"""The suppression list as other capabilities ask it: is this identifier an erased person's?

An erasure lists the keyed hash of every identifier of the person (``privacy_suppressions``); the
collector drops their late events, and the outbound gate refuses them (``outbound.ports``).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING

from frontoffice.vault.subjects import matching_keys

if TYPE_CHECKING:
    from frontoffice.storage.sql import SqlStore


class SuppressionList:
    def __init__(self, store: SqlStore) -> None:
        self._store = store

    def suppressed(self, ws: str, identifiers: Collection[str]) -> set[str]:
        """Which of the ``kind:value`` identifiers (as written: any spelling the list may hold
        them under) belong to an erased person."""
        by_key: dict[str, set[str]] = {}
        for identifier in identifiers:
            kind, _, value = identifier.partition(":")
            for key in matching_keys(kind, value):
                by_key.setdefault(key, set()).add(identifier)
        listed = self._store.suppressed_identifiers(ws, by_key) if by_key else set()
        return {identifier for key in listed for identifier in by_key[key]}
