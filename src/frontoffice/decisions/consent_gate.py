"""Decisions' consent port: outbound's consent gate (the person's merged consent, region pack and
suppressions, purpose × channel, failing closed), fed the person ``decide`` has read already.

The gate asks identity's ``People`` for the person's merged ids, identifiers and golden record;
``OnePerson`` answers those from ``decide``'s read of them (``Person``) and asks identity for
anything else, so a decision reads each of them once. The consent ledger is read by the gate, at
the gate, every time (``OneScan``: the subjects written in another spelling in one statement).
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from typing import Any

from frontoffice.consent.ledger import ConsentChange
from frontoffice.consent.store import ConsentStore
from frontoffice.decisions.adapters import PERSON_KINDS
from frontoffice.decisions.ports import Person, Verdict
from frontoffice.domain.events import StoredEvent, now
from frontoffice.identity.people import People, PersonChange
from frontoffice.identity.people_store import PeopleSql
from frontoffice.outbound.lookup import OutboundGate
from frontoffice.privacy.suppressions import SuppressionList
from frontoffice.storage.sql import SqlStore


class OnePerson:
    """Identity's ``People`` as one decision's gate asks it: the decided person's merged ids,
    identifiers (of ``PERSON_KINDS``) and golden record from ``person``, the rest from ``people``."""

    def __init__(self, people: People, ws: str, person: Person) -> None:
        self._people, self._ws, self._person = people, ws, person

    def _only(self, ws: str, person_ids: Collection[str]) -> bool:
        return ws == self._ws and set(person_ids) == {self._person.person_id}

    def resolve_id(self, workspace_id: str, person_id: str) -> str | None:
        if self._only(workspace_id, [person_id]):
            return person_id
        return self._people.resolve_id(workspace_id, person_id)

    def merged_ids(self, workspace_id: str, person_ids: Collection[str]) -> dict[str, set[str]]:
        if self._only(workspace_id, person_ids):
            return {self._person.person_id: set(self._person.merged_ids)}
        return self._people.merged_ids(workspace_id, person_ids)

    def identifiers(self, workspace_id: str, person_ids: Collection[str], kinds: Collection[str]
                    ) -> dict[str, list[tuple[str, str]]]:
        if not self._only(workspace_id, person_ids) or not set(kinds) <= set(PERSON_KINDS):
            return self._people.identifiers(workspace_id, person_ids, kinds)
        held = [(kind, value) for kind, value in self._person.identifiers if kind in kinds]
        return {self._person.person_id: held} if held else {}

    def golden(self, workspace_id: str, person_ids: Collection[str]) -> dict[str, dict[str, Any]]:
        if self._only(workspace_id, person_ids):
            return {self._person.person_id: dict(self._person.golden)}
        return self._people.golden(workspace_id, person_ids)

    def holders(self, workspace_id: str, kind: str, values: Collection[str]) -> dict[str, set[str]]:
        return self._people.holders(workspace_id, kind, values)

    def of_events(self, workspace_id: str, seqs: Collection[int]) -> dict[int, str]:
        return self._people.of_events(workspace_id, seqs)

    def of_stored(self, workspace_id: str, events: Sequence[StoredEvent]) -> dict[int, str]:
        return self._people.of_stored(workspace_id, events)

    def placed_upto(self, workspace_id: str) -> int:
        return self._people.placed_upto(workspace_id)

    def record_ids(self, workspace_id: str, person_ids: Collection[str]) -> set[str]:
        return self._people.record_ids(workspace_id, person_ids)

    def changes(self, workspace_id: str, after_id: int, limit: int) -> list[PersonChange]:
        return self._people.changes(workspace_id, after_id, limit)

    def names(self, workspace_id: str) -> Iterator[tuple[str, str, str]]:
        return self._people.names(workspace_id)


ALIAS_KINDS = ("email", "phone")
"""The kinds the gate looks for subjects written in another spelling of
(``outbound.people.PeopleReader.aliases``)."""


class OneScan:
    """Consent's records as one decision's gate reads them: the subjects written of every one of
    ``ALIAS_KINDS`` in one statement (the gate asks kind by kind); the rest as asked."""

    def __init__(self, consent: ConsentStore, ws: str) -> None:
        self._consent, self._ws = consent, ws
        self._written: dict[str, list[str]] | None = None

    def subjects_as_of(self, ws: str, keys: Collection[str], up_to_seq: int
                       ) -> tuple[dict[str, list[ConsentChange]], dict[str, dict[str, str]]]:
        return self._consent.subjects_as_of(ws, keys, up_to_seq)

    def written_subjects(self, ws: str, kind: str) -> list[str]:
        if ws != self._ws or kind not in ALIAS_KINDS:
            return self._consent.written_subjects(ws, kind)
        if self._written is None:
            self._written = self._consent.written_subjects_of(ws, ALIAS_KINDS)
        return list(self._written.get(kind, []))


class GateConsent:
    """Outbound's consent gate: the person's merged consent, region pack and suppressions."""

    def __init__(self, store: SqlStore) -> None:
        self._people, self._consent = PeopleSql(store), ConsentStore(store)
        self._suppressions = SuppressionList(store)

    def verdicts(self, ws: str, person: Person, purposes: Collection[str], channel: str
                 ) -> dict[str, Verdict]:
        # one gate: the person is loaded once for every purpose; their live id (``decide``
        # resolved it), so the gate places nobody again
        gate = OutboundGate(OnePerson(self._people, ws, person), OneScan(self._consent, ws),
                            self._suppressions, ws, now())
        out = {}
        for purpose in purposes:
            verdict = gate.check(f"person:{person.person_id}", purpose, channel)
            out[purpose] = Verdict(verdict.allowed, f"{verdict.rule}: {verdict.reason}")
        return out
