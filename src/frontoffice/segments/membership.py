"""Segments' read port for other capabilities: is a person in a segment now, since when and why.
Next-best-action's eligibility and the inbox's VIP routing ask it (they never read segments'
tables)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import sqlalchemy as sa

from frontoffice.storage.sql import SqlStore
from frontoffice.storage.tables import schema


@dataclass(frozen=True, slots=True)
class Member:
    segment: str
    since: str
    why: str


class Membership(Protocol):
    def of(self, ws: str, person_id: str, segment: str) -> Member | None:
        """The person's membership of ``segment`` now (None: not a member)."""
        ...


class MembershipSql:
    def __init__(self, store: SqlStore) -> None:
        self.store = store
        self._members = schema(store.dialect).tables["segments_members"]

    def of(self, ws: str, person_id: str, segment: str) -> Member | None:
        m = self._members.c
        with self.store.connect() as conn:
            row = conn.execute(sa.select(m.since, m.why).where(
                m.workspace_id == ws, m.segment == segment, m.person_id == person_id)).first()
        return None if row is None else Member(segment, str(row.since), str(row.why))
