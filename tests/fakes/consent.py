"""In-memory consent ports (``frontoffice.consent.ports``) and the slice of identity's ``People``
port consent asks; ``tests/integration/test_consent_ports_contract.py`` runs the same assertions
on these and on the real stores."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from frontoffice.consent.ledger import ConsentChange, ConsentState
from frontoffice.consent.merge import PersonConsent
from frontoffice.consent.ports import Checkpoint, ConflictRow, LedgerRow, PersonPurpose
from frontoffice.consent.projector import Projection, evidence_as_dict
from frontoffice.domain.events import StoredEvent
from frontoffice.identity.people import PersonChange
from frontoffice.projection.contract import ProjectionMoved


@dataclass
class FakeLog:
    stored: list[StoredEvent] = field(default_factory=list)

    def events(self, workspace_id: str, *, after_seq: int = 0, limit: int = 1000,
               source_id: str | None = None, families: Collection[str] | None = None,
               types: Collection[str] | None = None, upto: int | None = None) -> list[StoredEvent]:
        found = [e for e in self.stored if e.workspace_id == workspace_id and e.seq > after_seq
                 and source_id in (None, e.source_id) and (upto is None or e.seq <= upto)
                 and (families is None or e.record.family in families)
                 and (types is None or e.record.type in types)]
        return sorted(found, key=lambda e: e.seq)[:limit]

    def last_seq(self, workspace_id: str) -> int:
        return max((e.seq for e in self.stored if e.workspace_id == workspace_id), default=0)


@dataclass
class FakeConsentLedger:
    rows: dict[tuple[str, str], LedgerRow] = field(default_factory=dict)  # (ws, change_id)
    state: dict[tuple[str, str, str], tuple[str, int]] = field(default_factory=dict)  # -> change_id, seq
    subject_evidence: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)
    checkpoints: dict[str, int] = field(default_factory=dict)

    def salt(self, ws: str) -> bytes:
        return f"salt-of-{ws}".encode()

    def checkpoint(self, ws: str) -> int:
        return self.checkpoints.get(ws, 0)

    def change(self, ws: str, change_id: str) -> ConsentChange:
        return self.rows[(ws, change_id)].change

    def subjects_as_of(self, ws: str, keys: Collection[str], up_to_seq: int
                       ) -> tuple[dict[str, list[ConsentChange]], dict[str, dict[str, str]]]:
        changes: dict[str, list[ConsentChange]] = {}
        for r in self.ledger(ws, up_to_seq=up_to_seq):
            if r.change.person_key in keys:
                changes.setdefault(r.change.person_key, []).append(r.change)
        evidence = {k: dict(self.subject_evidence[(ws, k)]) for k in keys if (ws, k) in self.subject_evidence}
        return changes, evidence

    def apply(self, ws: str, after_seq: int, batch: Projection) -> None:
        if self.checkpoint(ws) != after_seq:
            raise ProjectionMoved(f"The consent projection of {ws} moved past seq {after_seq}; retry.")
        self.checkpoints[ws] = batch.last_seq
        for seq, c in batch.changes:
            self.rows.setdefault((ws, c.change_id), LedgerRow(seq, c))
        moved = {(c.person_key, c.purpose) for _, c in batch.changes}
        for s in (s for s in batch.subjects.values() if s.changed):
            self.subject_evidence[(ws, s.key)] = evidence_as_dict(s.evidence)
            for purpose, c in s.state.current.items():
                if (s.key, purpose) in moved:
                    self.state[(ws, s.key, purpose)] = (c.change_id, batch.last_seq)

    def reset(self, ws: str) -> None:
        self.checkpoints.pop(ws, None)
        self.state = {k: v for k, v in self.state.items() if k[0] != ws}
        self.subject_evidence = {k: v for k, v in self.subject_evidence.items() if k[0] != ws}

    def ledger(self, ws: str, subject: str | None = None, up_to_seq: int | None = None) -> list[LedgerRow]:
        found = [r for (w, _), r in self.rows.items() if w == ws and subject in (None, r.change.person_key)
                 and (up_to_seq is None or r.seq <= up_to_seq)]
        return sorted(found, key=lambda r: (r.seq, r.change.change_id))

    def current(self, ws: str, subject: str | None = None) -> list[tuple[str, str, str, str, str]]:
        return [(s, p, cid, self.change(ws, cid).status, self.change(ws, cid).at.isoformat())
                for (w, s, p), (cid, _) in sorted(self.state.items()) if w == ws and subject in (None, s)]

    def evidence(self, ws: str, subject: str) -> dict[str, str] | None:
        found = self.subject_evidence.get((ws, subject))
        return None if found is None else dict(found)


@dataclass
class FakePersonConsentRows:
    consent: FakeConsentLedger
    purposes: dict[tuple[str, str], list[PersonPurpose]] = field(default_factory=dict)  # (ws, person)
    recorded: dict[tuple[str, str], list[ConflictRow]] = field(default_factory=dict)
    checkpoints: dict[str, Checkpoint] = field(default_factory=dict)

    def states(self, ws: str, subjects: Collection[str]) -> list[ConsentState]:
        current: dict[str, dict[str, ConsentChange]] = {}
        for (w, s, p), (cid, _) in self.consent.state.items():
            if w == ws and s in subjects:
                current.setdefault(s, {})[p] = self.consent.change(ws, cid)
        return [ConsentState(k, v) for k, v in sorted(current.items())]

    def subjects_changed_since(self, ws: str, seq: int) -> tuple[list[str], int]:
        moved = [(s, at) for (w, s, _), (_, at) in self.consent.state.items() if w == ws and at > seq]
        return sorted({s for s, _ in moved}), max([seq, *(at for _, at in moved)])

    def checkpoint(self, ws: str) -> Checkpoint:
        return self.checkpoints.get(ws, Checkpoint(0, 0, 0))

    def save(self, ws: str, merged: Mapping[str, PersonConsent | None], gone: Collection[str],
             last_outbox_id: int, last_state_seq: int, seen: Checkpoint) -> None:
        if self.checkpoint(ws) != seen:
            raise ProjectionMoved(f"Person-level consent of {ws} was recomputed by another process.")
        version = seen.version + int(bool(merged or gone))
        self.checkpoints[ws] = Checkpoint(last_outbox_id, last_state_seq, version)
        for pid in [*merged, *gone]:
            self.purposes.pop((ws, pid), None)
            self.recorded.pop((ws, pid), None)
        for pid, pc in merged.items():
            if pc is None:
                continue
            self.purposes[(ws, pid)] = [
                PersonPurpose(p, w.change.status, w.change.person_key, w.change.change_id,
                              w.change.at.isoformat(), w.change.method, w.change.explicit, w.reason)
                for p, w in sorted(pc.purposes.items())]
            self.recorded[(ws, pid)] = [
                ConflictRow(c.purpose, c.kept.person_key, c.kept.status, c.kept.change_id,
                            c.kept.at.isoformat(), c.overridden.person_key, c.overridden.status,
                            c.overridden.change_id, c.overridden.at.isoformat(), c.reason)
                for c in pc.conflicts]

    def reset(self, ws: str) -> None:
        self.checkpoints.pop(ws, None)
        self.purposes = {k: v for k, v in self.purposes.items() if k[0] != ws}
        self.recorded = {k: v for k, v in self.recorded.items() if k[0] != ws}

    def person(self, ws: str, person_id: str) -> list[PersonPurpose]:
        return list(self.purposes.get((ws, person_id), ()))

    def conflicts(self, ws: str, person_id: str) -> list[ConflictRow]:
        return list(self.recorded.get((ws, person_id), ()))


@dataclass
class FakePeople:
    """Who holds which identifier, and the outbox of merges and splits, as identity would write them."""

    held: dict[str, dict[str, set[tuple[str, str]]]] = field(default_factory=dict)  # ws -> person -> ids
    outbox: list[tuple[str, PersonChange]] = field(default_factory=list)

    def add(self, ws: str, person_id: str, *subjects: str) -> None:
        ids = self.held.setdefault(ws, {}).setdefault(person_id, set())
        ids |= {(kind, value) for kind, _, value in (s.partition(":") for s in subjects)}

    def merge(self, ws: str, into: str, *others: str) -> None:
        for other in others:
            self.add(ws, into, *(f"{k}:{v}" for k, v in self.held[ws].pop(other)))
        self._record(ws, "person.merged", into, {"merged": list(others)})

    def split(self, ws: str, person_id: str, into: str, *subjects: str) -> None:
        moved = {(kind, value) for kind, _, value in (s.partition(":") for s in subjects)}
        self.held[ws][person_id] -= moved
        self.held[ws][into] = moved
        self._record(ws, "person.split", person_id, {"into": [into]})

    def _record(self, ws: str, kind: str, person_id: str, payload: dict[str, Any]) -> None:
        self.outbox.append((ws, PersonChange(len(self.outbox) + 1, kind, person_id, payload)))

    def resolve_id(self, workspace_id: str, person_id: str) -> str | None:
        return person_id if person_id in self.held.get(workspace_id, {}) else None

    def merged_ids(self, workspace_id: str, person_ids: Collection[str]) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {p: set() for p in person_ids}
        for ws, change in self.outbox:
            if ws == workspace_id and change.type == "person.merged" and change.person_id in out:
                out[change.person_id] |= set(change.payload["merged"])
        return out

    def identifiers(self, workspace_id: str, person_ids: Collection[str], kinds: Collection[str]
                    ) -> dict[str, list[tuple[str, str]]]:
        persons = self.held.get(workspace_id, {})
        found = {p: sorted(i for i in persons.get(p, ()) if i[0] in kinds) for p in person_ids}
        return {p: ids for p, ids in found.items() if ids}

    def holders(self, workspace_id: str, kind: str, values: Collection[str]) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        for person, ids in self.held.get(workspace_id, {}).items():
            for value in {v for k, v in ids if k == kind} & set(values):
                out.setdefault(value, set()).add(person)
        return out

    def changes(self, workspace_id: str, after_id: int, limit: int) -> list[PersonChange]:
        return [c for ws, c in self.outbox if ws == workspace_id and c.id > after_id][:limit]
