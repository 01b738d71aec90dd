"""The suppression list as other capabilities ask it: is this identifier an erased person's?

An erasure lists the keyed hash of every identifier of the person (``privacy_suppressions``); the
collector drops their late events, and the outbound gate refuses them (``outbound.ports``).
"""

from __future__ import annotations

from collections.abc import Collection

import sqlalchemy as sa

from frontoffice.privacy.subjects import matching_keys
from frontoffice.storage.core import batches
from frontoffice.storage.sql import SqlStore
from frontoffice.storage.tables import schema


class SuppressionList:
    def __init__(self, store: SqlStore) -> None:
        self._store = store
        self._table = schema(store.dialect).tables["privacy_suppressions"]

    def suppressed(self, ws: str, identifiers: Collection[str]) -> set[str]:
        """Which of the ``kind:value`` identifiers (as written) belong to an erased person."""
        vault = self._store.vault
        by_hash: dict[str, set[str]] = {}
        for identifier in identifiers:
            kind, _, value = identifier.partition(":")
            for key in matching_keys(kind, value):
                by_hash.setdefault(vault.hash(ws, key), set()).add(identifier)
        t = self._table.c
        found: set[str] = set()
        with self._store.connect() as conn:
            for chunk in batches(sorted(by_hash)):
                for h in conn.execute(sa.select(t.identifier_hash).where(
                        t.workspace_id == ws, t.identifier_hash.in_(chunk))).scalars():
                    found |= by_hash[h]
        return found
