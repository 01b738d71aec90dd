"""Consent when people merge: keep each person's consent (over all their subjects) in step.

The worker calls `PersonConsentHub.catch_up` after the identity and consent projections. A person
is recomputed when the identity outbox says they were merged or split, or when the consent of one
of their subjects moved; the result depends only on the identity index and the subjects' current
consent, so recomputing is idempotent and `rebuild` (drop + recompute everyone) gives the same
rows. Subject-level consent is never rewritten: the ledger keeps what each subject said.
"""

from __future__ import annotations

from dataclasses import dataclass

from frontoffice.consent.merge import PersonConsent, merge_states
from frontoffice.projection.contract import ProjectionMoved, WorkspaceLocks
from frontoffice.storage.consent_person_sql import ConflictRow, PersonConsentSql, PersonPurpose
from frontoffice.storage.identity_sql import IdentitySql
from frontoffice.storage.sql import SqlStore

OUTBOX_BATCH = 1000


class PersonConsentHub:
    def __init__(self, store: SqlStore) -> None:
        self.store = store
        self.sql = PersonConsentSql(store)
        self._identity = IdentitySql(store)
        self._lock = WorkspaceLocks()

    def person(self, ws: str, person_id: str) -> PersonConsent | None:
        states = self.sql.states(ws, self.sql.subjects_of(ws, person_id))
        return merge_states(f"person_id:{person_id}", states) if states else None

    def catch_up(self, ws: str) -> int:
        """Recompute the persons touched since the checkpoint; returns how many were recomputed."""
        with self._lock(ws):
            cp = self.sql.checkpoint(ws)
            persons: set[str] = set()
            gone: set[str] = set()
            last_outbox = cp.last_outbox_id
            while rows := self._identity.outbox(ws, after_id=last_outbox, limit=OUTBOX_BATCH):
                for row in rows:
                    payload = row["payload"]
                    if row["type"] == "person.merged":
                        persons.add(row["person_id"])
                        gone |= {str(p) for p in payload.get("merged", ())}
                    elif row["type"] == "person.split":
                        persons |= {row["person_id"], *(str(p) for p in payload.get("into", ()))}
                last_outbox = rows[-1]["id"]
            changed, last_seq = self.sql.subjects_changed_since(ws, cp.last_state_seq)
            persons |= self.sql.persons_of(ws, changed)
            gone -= persons
            merged = {pid: self.person(ws, pid) for pid in sorted(persons)}
            if merged or gone or last_outbox != cp.last_outbox_id or last_seq != cp.last_state_seq:
                try:
                    self.sql.save(ws, merged, gone, last_outbox, last_seq, cp)
                except ProjectionMoved:
                    return 0  # another process recomputed them; the next round picks up the rest
            return len(merged)

    def rebuild(self, ws: str) -> int:
        """Drop person-level consent and conflicts and recompute every person from scratch."""
        with self._lock(ws):
            self.sql.reset(ws)
        return self.catch_up(ws)


@dataclass(frozen=True, slots=True)
class PersonConsentView:
    person_id: str
    subjects: tuple[str, ...]
    purposes: tuple[PersonPurpose, ...]
    conflicts: tuple[ConflictRow, ...]


def person_consent(store: SqlStore, ws: str, person_id: str) -> PersonConsentView:
    """A person's merged consent as stored (call `catch_up` first for the latest)."""
    sql = PersonConsentSql(store)
    return PersonConsentView(
        person_id,
        tuple(sql.subjects_of(ws, person_id)),
        tuple(sql.person(ws, person_id)),
        tuple(sql.conflicts(ws, person_id)),
    )
