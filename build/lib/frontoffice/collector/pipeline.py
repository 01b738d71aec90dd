"""From a parsed collector body to a batch for the log, and from the stored result to a reply.

Both halves are plain functions so the same rules run wherever the work is done: in the API
process, or in an ingest process of the pool (``collector/pool.py``) that takes the parsing,
validation and durable append off the API process's interpreter lock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from frontoffice.domain.events import Limits, Rejection, json_depth_exceeds, normalise_batch
from frontoffice.storage.port import AppendBatch, AppendResult


@dataclass(frozen=True, slots=True)
class Incoming:
    """What the API process knows about a request before its events are looked at."""

    workspace_id: str
    source_id: str
    forced_type: str | None
    gpc: bool
    received_at: datetime
    path: str


@dataclass(frozen=True, slots=True)
class Reply:
    status: int
    body: dict[str, Any]
    headers: dict[str, str] | None = None


def refusal(status: int, code: str, message: str, headers: dict[str, str] | None = None,
            **extra: Any) -> Reply:
    return Reply(status, {"code": code, "message": message, **extra}, headers)


@dataclass(frozen=True, slots=True)
class Prepared:
    batch: AppendBatch
    rejected: list[Rejection]


def prepare(incoming: Incoming, body: dict[str, Any], limits: Limits) -> Prepared | Reply:
    """Validate and normalise the events of one request; a ``Reply`` refuses it whole."""
    if json_depth_exceeds(body, limits.max_json_depth + 2):
        return refusal(400, "too_deep", f"JSON nests deeper than {limits.max_json_depth} levels.")
    forced_type = incoming.forced_type
    if forced_type is None:
        items = body.get("batch")
        if not isinstance(items, list):
            return refusal(400, "invalid_request", "'batch' must be an array of events.")
        if not items:
            return refusal(400, "invalid_batch", "The batch is empty: it holds no event to "
                           "store. Send at least one event in 'batch'.", rejected=[])
    else:
        items = [body]
    batch_fields: dict[str, Any] = body if forced_type is None else {}
    if incoming.gpc:
        # Global Privacy Control arrives as a header; keep it on every event it came with
        # so consent (a projection of the log) can honour it.
        context = batch_fields.get("context")
        batch_fields = {**batch_fields,
                        "context": {**(context if isinstance(context, dict) else {}), "gpc": True}}
    accepted, rejected = normalise_batch(
        items, batch=batch_fields, forced_type=forced_type, source_id=incoming.source_id,
        received_at=incoming.received_at, limits=limits, check_depth=False)
    if forced_type is not None and rejected:
        first = rejected[0]
        status = 413 if first.code == "event_too_large" else 400
        return refusal(status, first.code, first.reason, rejected=[r.as_dict() for r in rejected])
    return Prepared(AppendBatch(
        incoming.workspace_id, incoming.source_id, accepted, rejected, origin="collector",
        reference=f"{incoming.path} {incoming.received_at.isoformat()}"), rejected)


def finish(prepared: Prepared, result: AppendResult) -> Reply:
    """The reply to the sender. An event of an erased person counts as accepted: a write key is
    public, and "suppressed" would tell anyone holding it that an identifier was erased. The drop
    is recorded for the operator (``privacy_suppressed_events``), never answered."""
    listed = [r.as_dict() for r in prepared.rejected]
    if prepared.rejected and not prepared.batch.events:
        return refusal(400, "invalid_batch",
                       f"All {len(listed)} events are invalid and were quarantined.",
                       rejected=listed)
    return Reply(200, {"success": True, "accepted": result.inserted + len(result.suppressed),
                       "duplicates": result.duplicates, "rejected": listed})
