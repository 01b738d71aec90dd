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
  person merges them on purpose.

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
KINDS = frozenset({MATCH, ACCEPT, REJECT})


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
        return EventRecord(
            message_id=self.message_id, family=IDENTITY_FAMILY, type=self.kind, event=None,
            user_id=None, anonymous_id=None, previous_id=None, group_id=None, timestamp=at,
            original_timestamp=None, sent_at=None, received_at=at, payload=orjson.dumps(self.payload()))


def decision_of(record: EventRecord) -> PairDecision | None:
    """The decision carried by a log event, or None for any other event."""
    if record.family != IDENTITY_FAMILY or record.type not in KINDS:
        return None
    return PairDecision.from_payload(orjson.loads(record.payload))


def apply(graph: Graph, decision: PairDecision) -> None:
    """Apply one decision to the graph: a match or accept is an edge, a reject a separation."""
    if decision.kind == REJECT:
        graph.separate([decision.record_a], [decision.record_b], decision.evidence())
    else:
        graph.add_edge(MatchEdge(decision.record_a, decision.record_b, decision.evidence(),
                                 forced=decision.kind == ACCEPT))
