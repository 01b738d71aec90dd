"""Pair decisions of the probabilistic tier and of reviewers, as events of the log.

The log is the source of truth, so a decision about two records is an event of family
``identity`` (source ``frontoffice-identity:<workspace>``), applied by the projector at its place
in the log and therefore again on every rebuild:

- ``identity.match``: the micro-batch matcher scored the pair above the auto-merge threshold, or
  its namesake pass found two people who alone share a rare name; an automatic edge, so every
  over-merge rule of the graph still applies to it;
- ``identity.accept``: a reviewer said "the same person"; a forced edge (overrides limits and
  conflicts, as a person's merge does);
- ``identity.reject``: a reviewer said "not the same person"; the two records never share a
  person automatically again, whichever tier proposes it (a shared email included), until a
  person merges them on purpose;
- ``identity.split``: a person split records off a profile; the two sides never share a person
  again (``ManualDecision``);
- ``identity.merge``: a person merged two profiles (a forced edge between their first records).

Pure: no I/O. The service layer appends the records this module makes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import orjson

from frontoffice.domain.events import EventRecord
from frontoffice.identity.graph import Graph
from frontoffice.identity.model import MatchEvidence
from frontoffice.identity.rules import MatchEdge

IDENTITY_FAMILY = "identity"
MATCH, ACCEPT, REJECT = "identity.match", "identity.accept", "identity.reject"
SPLIT, MERGE = "identity.split", "identity.merge"
KINDS = frozenset({MATCH, ACCEPT, REJECT})
MANUAL_KINDS = frozenset({SPLIT, MERGE})


def identity_source(workspace_id: str) -> str:
    """Source id of the identity decisions frontoffice writes for a workspace."""
    return f"frontoffice-identity:{workspace_id}"


@dataclass(frozen=True, slots=True)
class PairDecision:
    """One decision about two records, with the words that justify it."""

    kind: str  # MATCH | ACCEPT | REJECT
    record_a: str
    record_b: str
    rule: str  # "probabilistic" or "namesake" (the matcher) or "review" (a person on the queue)
    detail: str
    weight: float | None = None
    probability: float | None = None
    review_id: int | None = None
    by: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown pair decision {self.kind!r}; use one of {sorted(KINDS)}")

    @property
    def message_id(self) -> str:
        """Deterministic: the same match found twice (two matchers racing, a re-cluster) is stored
        once by the log's de-duplication; a review is decided once."""
        a, b = sorted((self.record_a, self.record_b))
        digest = hashlib.blake2b(f"{a}\x00{b}".encode(), digest_size=10).hexdigest()
        suffix = f":{self.review_id}" if self.review_id is not None else ""
        return f"{self.kind}:{digest}{suffix}"

    def evidence(self) -> MatchEvidence:
        return MatchEvidence(self.rule, self.detail, self.weight, self.probability)

    def payload(self) -> dict[str, Any]:
        return {"kind": self.kind, "records": [self.record_a, self.record_b], "rule": self.rule,
                "detail": self.detail, "weight": self.weight, "probability": self.probability,
                "review_id": self.review_id, "by": self.by}

    @classmethod
    def from_payload(cls, data: dict[str, Any]) -> PairDecision:
        a, b = data["records"]
        return cls(data["kind"], a, b, data["rule"], data["detail"], data.get("weight"),
                   data.get("probability"), data.get("review_id"), data.get("by"))

    def record(self, at: str) -> EventRecord:
        """The log event of this decision (``at``: ISO-8601 UTC)."""
        return _event(self.message_id, self.kind, at, self.payload())


@dataclass(frozen=True, slots=True)
class ManualDecision:
    """A person's split (records of ``side_a`` never again share a person with ``side_b``) or
    merge (a forced edge between ``side_a[0]`` and ``side_b[0]``), with why and when."""

    kind: str  # SPLIT | MERGE
    side_a: tuple[str, ...]
    side_b: tuple[str, ...]
    detail: str
    at: str  # ISO-8601 UTC; part of the id, so the same split made again later is a new event

    def __post_init__(self) -> None:
        if self.kind not in MANUAL_KINDS:
            raise ValueError(f"unknown manual decision {self.kind!r}; use one of {sorted(MANUAL_KINDS)}")
        if not self.side_a or not self.side_b:
            raise ValueError("a manual decision needs records on both sides")

    @property
    def message_id(self) -> str:
        """The same decision sent twice at the same instant (a retried request) is stored once."""
        text = "\x00".join((self.kind, *sorted(self.side_a), "\x01", *sorted(self.side_b), self.at))
        return f"{self.kind}:{hashlib.blake2b(text.encode(), digest_size=12).hexdigest()}"

    def evidence(self) -> MatchEvidence:
        return MatchEvidence("manual", self.detail, None)

    def payload(self) -> dict[str, Any]:
        return {"kind": self.kind, "side_a": list(self.side_a), "side_b": list(self.side_b),
                "rule": "manual", "detail": self.detail}

    @classmethod
    def from_payload(cls, data: dict[str, Any], at: str) -> ManualDecision:
        return cls(data["kind"], tuple(data["side_a"]), tuple(data["side_b"]), data["detail"], at)

    def record(self) -> EventRecord:
        """The log event of this decision."""
        return _event(self.message_id, self.kind, self.at, self.payload())


def _event(message_id: str, kind: str, at: str, payload: dict[str, Any]) -> EventRecord:
    """A decision as an event of family ``identity``: about nobody, so stored in clear."""
    return EventRecord(
        message_id=message_id, family=IDENTITY_FAMILY, type=kind, event=None, user_id=None,
        anonymous_id=None, previous_id=None, group_id=None, timestamp=at, original_timestamp=None,
        sent_at=None, received_at=at, payload=orjson.dumps(payload))


Decision = PairDecision | ManualDecision


def decision_of(record: EventRecord) -> Decision | None:
    """The decision carried by a log event, or None for any other event."""
    if record.family != IDENTITY_FAMILY:
        return None
    if record.type in KINDS:
        return PairDecision.from_payload(orjson.loads(record.payload))
    if record.type in MANUAL_KINDS:
        return ManualDecision.from_payload(orjson.loads(record.payload), record.timestamp)
    return None


def apply(graph: Graph, decision: Decision) -> None:
    """Apply one decision to the graph: a match, accept or merge is an edge (forced for a
    person's), a reject or split a separation."""
    if isinstance(decision, ManualDecision):
        if decision.kind == SPLIT:
            graph.separate(decision.side_a, decision.side_b, decision.evidence())
        else:
            graph.add_edge(MatchEdge(decision.side_a[0], decision.side_b[0], decision.evidence(),
                                     forced=True))
    elif decision.kind == REJECT:
        graph.separate([decision.record_a], [decision.record_b], decision.evidence())
    else:
        graph.add_edge(MatchEdge(decision.record_a, decision.record_b, decision.evidence(),
                                 forced=decision.kind == ACCEPT))
