"""In-memory outbound ports: identity's people, consent's records and the outbound log, so the
gate's rules run without a database (``tests/unit/outbound``). ``tests/integration/
test_outbound_contract.py`` runs the same assertions on these and on the real store."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from frontoffice.consent.ledger import ConsentChange, new_change
from frontoffice.domain.events import StoredEvent
from frontoffice.identity.extract import normalise_identifier, record_id
from frontoffice.identity.model import IdKind
from frontoffice.normalise import Invalid
from frontoffice.outbound.ports import Logged, OutboundPorts, OutboxMessage
from frontoffice.vault.subjects import matching_keys

GRANTED_AT = datetime(2026, 11, 2, tzinfo=UTC)


@dataclass
class FakePeople:
    """Identity's ``People`` port: live persons with their golden record, the identifier index,
    merge redirects (``old → into``) and which event (seq, record id) went to whom."""

    golden_records: dict[str, dict[str, Any]] = field(default_factory=dict)
    index: set[tuple[str, str, str]] = field(default_factory=set)  # (kind, value, person_id)
    redirects: dict[str, str] = field(default_factory=dict)
    events: dict[int, tuple[str, str]] = field(default_factory=dict)  # seq → (record_id, person_id)

    def add(self, person_id: str, traits: dict[str, Any], identifiers: Sequence[tuple[str, str]]) -> None:
        self.golden_records[person_id] = {k: {"value": v} for k, v in traits.items()}
        self.index |= {(kind, value, person_id) for kind, value in identifiers}

    def erase(self, person_id: str) -> None:
        self.golden_records.pop(person_id, None)
        self.index = {row for row in self.index if row[2] != person_id}

    def resolve_id(self, workspace_id: str, person_id: str) -> str | None:
        seen: set[str] = set()
        while person_id not in seen:
            if person_id in self.golden_records:
                return person_id
            seen.add(person_id)
            if person_id not in self.redirects:
                return None
            person_id = self.redirects[person_id]
        return None

    def merged_ids(self, workspace_id: str, person_ids: Collection[str]) -> dict[str, set[str]]:
        return {p: {old for old in self.redirects if old != p and self.resolve_id(workspace_id, old) == p}
                for p in person_ids}

    def identifiers(self, workspace_id: str, person_ids: Collection[str], kinds: Collection[str]
                    ) -> dict[str, list[tuple[str, str]]]:
        out: dict[str, list[tuple[str, str]]] = {}
        for kind, value, pid in sorted(self.index):
            if pid in person_ids and kind in kinds:
                out.setdefault(pid, []).append((kind, value))
        return out

    def holders(self, workspace_id: str, kind: str, values: Collection[str]) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        for k, value, pid in self.index:
            if k == kind and value in values:
                out.setdefault(value, set()).add(pid)
        return out

    def golden(self, workspace_id: str, person_ids: Collection[str]) -> dict[str, dict[str, Any]]:
        return {p: self.golden_records[p] for p in person_ids if p in self.golden_records}

    def of_events(self, workspace_id: str, seqs: Collection[int]) -> dict[int, str]:
        return {seq: self.events[seq][1] for seq in seqs if seq in self.events}

    def of_stored(self, workspace_id: str, events: Sequence[StoredEvent]) -> dict[int, str]:
        """The record of that very event (its source and message id), as the store finds it."""
        out: dict[int, str] = {}
        for e in events:
            found = self.events.get(e.seq)
            if found and found[0] == record_id(e.source_id, e.record.message_id):
                out[e.seq] = found[1]
        return out

    def placed_upto(self, workspace_id: str) -> int:
        return max(self.events, default=0)

    def record_ids(self, workspace_id: str, person_ids: Collection[str]) -> set[str]:
        return {rid for rid, pid in self.events.values() if pid in person_ids}


@dataclass
class FakeConsents:
    """Consent's records by subject key as written, and each subject's region evidence."""

    changes: dict[str, list[ConsentChange]] = field(default_factory=dict)
    evidence: dict[str, dict[str, str]] = field(default_factory=dict)

    def record(self, subject: str, purposes: dict[str, str], at: datetime, *, explicit: bool = False) -> None:
        for purpose, status in purposes.items():
            self.changes.setdefault(subject, []).append(new_change(
                subject, purpose, status, source="fake", at=at, method="api", explicit=explicit))
        self.evidence.setdefault(subject, {})

    def forget(self, subjects: Collection[str]) -> None:
        for subject in subjects:
            self.changes.pop(subject, None)
            self.evidence.pop(subject, None)

    def subjects_as_of(self, ws: str, keys: Collection[str], up_to_seq: int
                       ) -> tuple[dict[str, list[ConsentChange]], dict[str, dict[str, str]]]:
        return ({k: list(self.changes[k]) for k in keys if k in self.changes},
                {k: dict(self.evidence[k]) for k in keys if k in self.evidence})

    def written_subjects(self, ws: str, kind: str) -> list[str]:
        return sorted(s for s in self.changes if s.startswith(kind + ":"))


@dataclass
class FakeSuppressions:
    """Privacy's suppression list, by identifier key (the real one holds their keyed hashes)."""

    keys: set[str] = field(default_factory=set)

    def suppress(self, identifiers: Collection[str]) -> None:
        for identifier in identifiers:
            kind, _, value = identifier.partition(":")
            self.keys |= matching_keys(kind, value)

    def suppressed(self, ws: str, identifiers: Collection[str]) -> set[str]:
        return {i for i in identifiers if matching_keys(*i.split(":", 1)) & self.keys}


@dataclass
class FakeOutboundLog:
    """The decision log and the outbox, as lists."""

    decisions: list[tuple[str, Logged]] = field(default_factory=list)
    messages: list[tuple[str, OutboxMessage]] = field(default_factory=list)

    def log(self, ws: str, rows: Sequence[Logged]) -> None:
        self.decisions += [(ws, r) for r in rows]

    def logged(self, ws: str, request_id: str | None = None) -> list[dict[str, Any]]:
        return [{"path": r.path, "request_id": r.request_id, "person": r.verdict.person, "action": r.action,
                 "purpose": r.purpose, "channel": r.channel, "allowed": r.verdict.allowed,
                 "reason": r.verdict.reason, "rule": r.verdict.rule, "region": r.verdict.region, "at": ""}
                for w, r in self.decisions if w == ws and request_id in (None, r.request_id)]

    def enqueue(self, ws: str, message: OutboxMessage, logged: Logged) -> bool:
        if any(w == ws and m.message_id == message.message_id for w, m in self.messages):
            return False
        self.messages.append((ws, message))
        self.log(ws, [logged])
        return True

    def outbox(self, ws: str) -> list[dict[str, Any]]:
        return [{"message_id": m.message_id, "person_id": m.person_id, "channel": m.channel,
                 "address": m.address, "purpose": m.purpose, "template_id": m.template_id,
                 "variables": m.variables, "status": "queued", "reason": m.reason, "rule": m.rule,
                 "created_at": ""} for w, m in self.messages if w == ws]


def fake_ports() -> tuple[OutboundPorts, FakePeople, FakeConsents, FakeSuppressions]:
    people, consents, suppressions = FakePeople(), FakeConsents(), FakeSuppressions()
    return OutboundPorts(people, consents, suppressions, FakeOutboundLog()), people, consents, suppressions


@dataclass
class FakeTown:
    """A workspace on the fakes (``tests/unit/outbound/gating_cases.Town``): a person per user id
    (``p_<user>``) holding the user id, the e-mail and the phone of its traits, normalised."""

    ports: OutboundPorts
    people: FakePeople
    consents: FakeConsents
    suppressions: FakeSuppressions
    ws: str = "ws_fake"
    users: dict[str, str] = field(default_factory=dict)

    def person(self, user: str, traits: dict[str, Any]) -> None:
        pid = self.users[user] = "p_" + user
        ids = [("user_id", user)]
        for kind in ("email", "phone"):
            if kind in traits:
                normal = normalise_identifier(IdKind(kind), traits[kind])
                assert not isinstance(normal, Invalid)
                ids.append((kind, normal.value))
        self.people.add(pid, traits, ids)

    def consent(self, subject: str, purposes: dict[str, str], *, explicit: bool) -> None:
        self.consents.record(subject, purposes, GRANTED_AT, explicit=explicit)

    def erase(self, user: str) -> None:
        pid = self.users[user]
        held = self.people.identifiers(self.ws, [pid], ("user_id", "email", "phone")).get(pid, [])
        self.suppressions.suppress([f"{k}:{v}" for k, v in held])
        self.consents.forget({f"person_id:{pid}", *(f"{k}:{v}" for k, v in held)})
        self.people.erase(pid)


def fake_town() -> FakeTown:
    return FakeTown(*fake_ports())
