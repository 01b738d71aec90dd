"""What a client can ask of identity resolution while the server runs it: how far it has read
the log, the records it placed (with the names they carry), the merges the probabilistic tier
made, and one micro-batch of matching on demand. Read by the status API (``status_api``), which
is how the demo brand, a client, shows its people."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import orjson

from frontoffice.identity.hub import IdentityHub
from frontoffice.identity.review import MATCH, PairDecision, decision_of, identity_source
from frontoffice.identity.review_store import ReviewSql
from frontoffice.identity.store import IdentitySql
from frontoffice.projection.contract import ProjectionMoved
from frontoffice.storage.sql import SqlStore


@dataclass(frozen=True, slots=True)
class Status:
    log_seq: int
    """The newest event of the workspace's log."""
    resolved_seq: int
    """The newest event identity resolution has read (caught up when equal to ``log_seq``)."""
    people: int
    records: int
    review_pending: int
    model_trained_at: str | None


def status(store: SqlStore, ws: str) -> Status:
    sql, review = IdentitySql(store), ReviewSql(store)
    return Status(store.last_seq(ws), sql.checkpoint(ws)[0], sql.count_persons(ws),
                  sql.count_records(ws), review.count(ws), review.state(ws).trained_at)


def records(store: SqlStore, ws: str, after_seq: int, limit: int) -> list[dict[str, Any]]:
    """The records identity placed, in log order: whose they are and the name they carry."""
    out = []
    for row in IdentitySql(store).records(ws, after_seq=after_seq, limit=limit):
        given, family, *_ = orjson.loads(row.data).get("n") or [None, None]
        out.append({"record_id": row.record_id, "seq": row.seq, "person_id": row.person_id,
                    "given_name": given, "family_name": family})
    return out


def matches(store: SqlStore, ws: str, after_seq: int, limit: int
            ) -> tuple[list[dict[str, Any]], int | None]:
    """The merges the matcher decided (``identity.match`` events of the log), each with its
    weight, the evidence and the person both records belong to now; and the seq to read on
    from (None: the end)."""
    found: list[PairDecision] = []
    read = after_seq
    events = store.events(ws, after_seq=after_seq, limit=limit, source_id=identity_source(ws))
    for event in events:
        decision = decision_of(event.record)
        if isinstance(decision, PairDecision) and decision.kind == MATCH:
            found.append(decision)
        read = event.seq
    persons = IdentitySql(store).persons_of(ws, [d.record_a for d in found])
    return [{"record_a": d.record_a, "record_b": d.record_b, "rule": d.rule, "detail": d.detail,
             "weight": d.weight, "probability": d.probability, "person_id": persons.get(d.record_a)}
            for d in found], read if len(events) == limit else None


def match_now(hub: IdentityHub, ws: str, rescore_all: bool) -> dict[str, Any]:
    """One micro-batch now (what the worker runs within its interval). When the worker moved
    the projection meanwhile, the merges found are already in the log and it applies them: the
    run is tried once more, which finds them made."""
    try:
        report = hub.match(ws, rescore_all)
    except ProjectionMoved:
        report = hub.match(ws, rescore_all)
    return asdict(report)
