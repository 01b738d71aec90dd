"""Consent when people merge: keep each person's consent (over all their subjects) in step.

The worker calls `PersonConsentHub.catch_up` after the identity and consent projections. A person
is recomputed when identity says they were merged or split, or when the consent of one of their
subjects moved; the result depends only on who holds which subject key (identity's ``People``) and
the subjects' current consent, so recomputing is idempotent and `rebuild` (drop + recompute
everyone) gives the same rows. Subject-level consent is never rewritten: the ledger keeps what each
subject said.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from frontoffice.consent.merge import PersonConsent, merge_states
from frontoffice.consent.person_store import PersonConsentStore
from frontoffice.consent.ports import (
    SUBJECT_ID_KINDS,
    ConflictRow,
    PersonConsentRows,
    PersonPurpose,
    persons_holding,
)
from frontoffice.identity.people import People
from frontoffice.identity.people_store import PeopleSql
from frontoffice.projection.contract import ProjectionMoved, WorkspaceLocks
from frontoffice.storage.sql import SqlStore

OUTBOX_BATCH = 1000


def subjects_of(people: People, ws: str, person_id: str) -> list[str]:
    """A person's subject keys (``kind:value``) in key order."""
    found = people.identifiers(ws, [person_id], SUBJECT_ID_KINDS).get(person_id, [])
    return [f"{kind}:{value}" for kind, value in found]


class PersonConsentHub:
    def __init__(self, people: People, rows: PersonConsentRows) -> None:
        self.people, self.rows = people, rows
        self._lock = WorkspaceLocks()

    @classmethod
    def of(cls, store: SqlStore) -> PersonConsentHub:
        """The hub of a store's identity (through its ``People`` port) and consent tables."""
        people = PeopleSql(store)
        return cls(people, PersonConsentStore(store, people))

    def person(self, ws: str, person_id: str) -> PersonConsent | None:
        return self.persons(ws, [person_id])[person_id]

    def persons(self, ws: str, person_ids: Collection[str]) -> dict[str, PersonConsent | None]:
        """Each person's consent merged over all their subjects (None: no consent on any), read in
        two queries however many persons."""
        held = self.people.identifiers(ws, person_ids, SUBJECT_ID_KINDS)
        subjects = {pid: [f"{kind}:{value}" for kind, value in ids] for pid, ids in held.items()}
        every = {s for keys in subjects.values() for s in keys}
        states = {s.person_key: s for s in self.rows.states(ws, every)}
        merged: dict[str, PersonConsent | None] = {}
        for pid in sorted(person_ids):
            found = [states[s] for s in subjects.get(pid, ()) if s in states]
            merged[pid] = merge_states(f"person_id:{pid}", found) if found else None
        return merged

    def catch_up(self, ws: str) -> int:
        """Recompute the persons touched since the checkpoint; returns how many were recomputed."""
        with self._lock(ws):
            cp = self.rows.checkpoint(ws)
            persons: set[str] = set()
            gone: set[str] = set()
            last_outbox = cp.last_outbox_id
            while changes := self.people.changes(ws, last_outbox, OUTBOX_BATCH):
                for change in changes:
                    if change.type == "person.merged":
                        persons.add(change.person_id)
                        gone |= {str(p) for p in change.payload.get("merged", ())}
                    elif change.type == "person.split":
                        persons |= {change.person_id, *(str(p) for p in change.payload.get("into", ()))}
                last_outbox = changes[-1].id
            changed, last_seq = self.rows.subjects_changed_since(ws, cp.last_state_seq)
            if changed:
                persons |= persons_holding(self.people, ws, changed)
            gone -= persons
            merged = self.persons(ws, persons)
            if merged or gone or last_outbox != cp.last_outbox_id or last_seq != cp.last_state_seq:
                try:
                    self.rows.save(ws, merged, gone, last_outbox, last_seq, cp)
                except ProjectionMoved:
                    return 0  # another process recomputed them; the next round picks up the rest
            return len(merged)

    def rebuild(self, ws: str) -> int:
        """Drop person-level consent and conflicts and recompute every person from scratch."""
        with self._lock(ws):
            self.rows.reset(ws)
        return self.catch_up(ws)

    def view(self, ws: str, person_id: str) -> PersonConsentView:
        """A person's merged consent as stored (call `catch_up` first for the latest)."""
        return PersonConsentView(person_id, tuple(subjects_of(self.people, ws, person_id)),
                                 tuple(self.rows.person(ws, person_id)),
                                 tuple(self.rows.conflicts(ws, person_id)))


@dataclass(frozen=True, slots=True)
class PersonConsentView:
    person_id: str
    subjects: tuple[str, ...]
    purposes: tuple[PersonPurpose, ...]
    conflicts: tuple[ConflictRow, ...]


def person_consent(store: SqlStore, ws: str, person_id: str) -> PersonConsentView:
    """A person's merged consent as stored (call `catch_up` first for the latest)."""
    return PersonConsentHub.of(store).view(ws, person_id)
