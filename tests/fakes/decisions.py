"""Decisions' ports in memory (``frontoffice.decisions.ports``); the SQL store passes the same
contract (tests/integration/test_decisions_store_contract.py)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

from frontoffice.decisions.ports import (
    CustomerFacts,
    LoggedDecision,
    ModelVersion,
    Outcome,
    Person,
    StoredAction,
    Verdict,
)


@dataclass
class FakeDecisionsStore:
    """``Actions``, ``DecisionLog`` and ``Models`` over lists."""

    actions: dict[str, list[tuple[str, StoredAction]]] = field(default_factory=dict)
    logged: list[tuple[str, LoggedDecision]] = field(default_factory=list)
    outcome_rows: list[tuple[str, Outcome]] = field(default_factory=list)
    models: list[tuple[str, ModelVersion, bytes]] = field(default_factory=list)
    cursors: dict[str, int] = field(default_factory=dict)

    def save(self, ws: str, action_id: str, status: str, doc: dict[str, Any], at: str) -> int:
        versions = self.actions.setdefault(action_id, [])
        version = 1 + sum(1 for w, _ in versions if w == ws)
        versions.append((ws, StoredAction(action_id, version, status, doc, at)))
        return version

    def current(self, ws: str) -> list[StoredAction]:
        return [mine[-1] for aid in sorted(self.actions)
                if (mine := [a for w, a in self.actions[aid] if w == ws])]

    def versions(self, ws: str, action_id: str) -> list[StoredAction]:
        return [a for w, a in self.actions.get(action_id, []) if w == ws]

    def stamp(self, ws: str) -> tuple[int, str]:
        mine = [a for versions in self.actions.values() for w, a in versions if w == ws]
        return len(mine), max((a.created_at for a in mine), default="")

    def log(self, ws: str, decision: LoggedDecision) -> None:
        self.logged.append((ws, decision))

    def log_many(self, entries: Sequence[tuple[str, LoggedDecision]]) -> None:
        self.logged.extend(entries)

    def decisions_named(self, ws: str, decision_ids: Collection[str]) -> set[str]:
        return {d.decision_id for w, d in self.logged if w == ws and d.decision_id in decision_ids}

    def decision(self, ws: str, decision_id: str) -> LoggedDecision | None:
        return next((d for w, d in self.logged if w == ws and d.decision_id == decision_id), None)

    def of_person(self, ws: str, person_id: str, since: str) -> list[LoggedDecision]:
        return sorted((d for w, d in self.logged if w == ws and d.person_id == person_id
                       and d.at >= since), key=lambda d: d.at)

    def shown_total(self, ws: str, action_ids: Collection[str]) -> dict[str, int]:
        counts: dict[str, int] = {}
        for w, d in self.logged:
            for aid in d.chosen:
                if w == ws and aid in action_ids:
                    counts[aid] = counts.get(aid, 0) + 1
        return counts

    def record(self, ws: str, outcome: Outcome) -> bool:
        if any(w == ws and o.outcome_id == outcome.outcome_id for w, o in self.outcome_rows):
            return False
        self.outcome_rows.append((ws, outcome))
        return True

    def outcomes(self, ws: str, decision_ids: Collection[str]) -> list[Outcome]:
        return sorted((o for w, o in self.outcome_rows if w == ws and o.decision_id in decision_ids),
                      key=lambda o: (o.at, o.outcome_id))

    def unsettled_purchases(self, ws: str, before: str) -> list[tuple[str, str]]:
        ended = {(o.decision_id, o.action_id) for w, o in self.outcome_rows
                 if w == ws and o.kind in ("kept", "returned")}
        return sorted({(o.decision_id, o.action_id) for w, o in self.outcome_rows
                       if w == ws and o.kind == "purchase" and o.at < before} - ended)

    def cursor(self, ws: str) -> int:
        return self.cursors.get(ws, 0)

    def set_cursor(self, ws: str, seq: int) -> None:
        self.cursors[ws] = seq

    def decisions(self, ws: str, after: str, limit: int) -> list[LoggedDecision]:
        return sorted((d for w, d in self.logged if w == ws and d.at > after),
                      key=lambda d: (d.at, d.decision_id))[:limit]

    def save_model(self, ws: str, kind: str, blob: bytes, metrics: dict[str, Any], at: str) -> int:
        version = 1 + sum(1 for w, m, _ in self.models if w == ws and m.kind == kind)
        self.models.append((ws, ModelVersion(kind, version, "candidate", metrics, at), blob))
        return version

    def model_versions(self, ws: str, kind: str) -> list[ModelVersion]:
        return [m for w, m, _ in self.models if w == ws and m.kind == kind]

    def model_blob(self, ws: str, kind: str, version: int) -> bytes | None:
        return next((b for w, m, b in self.models
                     if w == ws and m.kind == kind and m.version == version), None)

    def set_model_status(self, ws: str, kind: str, version: int, status: str) -> None:
        self.models = [(w, ModelVersion(m.kind, m.version, status, m.metrics, m.created_at)
                        if w == ws and m.kind == kind and m.version == version else m, b)
                       for w, m, b in self.models]


@dataclass
class FakeCustomers:
    facts_of: dict[str, CustomerFacts] = field(default_factory=dict)
    merged: dict[str, str] = field(default_factory=dict)  # old id -> live id

    def find(self, ws: str, person_id: str) -> Person | None:
        live = self.merged.get(person_id, person_id)
        if live not in self.facts_of:
            return None
        return Person(live, {}, (), frozenset(o for o, into in self.merged.items() if into == live))

    def facts(self, ws: str, person: Person) -> CustomerFacts:
        return self.facts_of[person.person_id]


@dataclass
class FakeConsent:
    refused: set[tuple[str, str, str]] = field(default_factory=set)  # person, purpose, channel
    reads: int = 0  # times a person's consent was read

    def verdicts(self, ws: str, person: Person, purposes: Collection[str], channel: str
                 ) -> dict[str, Verdict]:
        self.reads += 1
        return {purpose: Verdict(False, f"consent: {purpose} withdrawn")
                if (person.person_id, purpose, channel) in self.refused
                else Verdict(True, f"consent: {purpose} given") for purpose in purposes}


@dataclass
class FakeStock:
    units: dict[tuple[str, str], int] = field(default_factory=dict)  # (sku, mode) -> available
    shipped_to: dict[tuple[str, str], int] = field(default_factory=dict)  # (sku, country) -> ship

    def available(self, ws: str, skus: Sequence[str], channel: str, mode: str,
                  near: str | None, ship_to: str | None) -> dict[str, int]:
        if mode == "ship" and ship_to is not None and self.shipped_to:
            return {sku: self.shipped_to.get((sku, ship_to), 0) for sku in skus}
        return {sku: self.units.get((sku, mode), 0) for sku in skus}


@dataclass
class FakePrices:
    open: dict[str, str] = field(default_factory=dict)

    def conflicts(self, ws: str) -> dict[str, str]:
        return dict(self.open)


@dataclass
class FakeSegments:
    members: set[tuple[str, str]] = field(default_factory=set)  # (person, segment)

    def check(self, ws: str, person_id: str, segment_id: str) -> Verdict:
        if (person_id, segment_id) in self.members:
            return Verdict(True, "member")
        return Verdict(False, "not a member")
