"""Review queue and change feed use cases, shared by the API and the CLI."""

from __future__ import annotations

from typing import Any

from frontoffice.domain.events import iso, now
from frontoffice.errors import AlreadyExists, InvalidInput, NotFound
from frontoffice.identity.review import ACCEPT, REJECT, PairDecision
from frontoffice.services.identity import IdentityHub, record_decision
from frontoffice.storage.identity_review_sql import ACCEPTED, PENDING, REJECTED, STATUSES, ReviewSql
from frontoffice.storage.identity_sql import IdentitySql
from frontoffice.storage.sql import SqlStore

MAX_PAGE = 500


def _page(limit: int) -> int:
    if not 1 <= limit <= MAX_PAGE:
        raise InvalidInput(f"limit must be between 1 and {MAX_PAGE}, got {limit}.")
    return limit


def review_items(store: SqlStore, workspace_id: str, status: str | None = PENDING, after_id: int = 0,
                 limit: int = 50) -> list[dict[str, Any]]:
    """Queue entries oldest first (``after_id``: the last id of the previous page), each with the
    people its two records belong to now (a later merge may already have joined them)."""
    if status is not None and status not in STATUSES:
        raise InvalidInput(f"Unknown review status {status!r}; use one of: {', '.join(STATUSES)}.")
    items = ReviewSql(store).items(workspace_id, status, after_id, _page(limit))
    current = IdentitySql(store).persons_of(workspace_id, sorted({r for i in items
                                                                   for r in (i.record_a, i.record_b)}))
    out = []
    for item in items:
        entry = item.as_dict()
        entry["current_person_ids"] = [current.get(item.record_a), current.get(item.record_b)]
        out.append(entry)
    return out


def decide(store: SqlStore, hub: IdentityHub, workspace_id: str, review_id: int, accept: bool,
           by: str, reason: str = "") -> dict[str, Any]:
    """Accept (merge the two people) or reject (never merge these records automatically) a
    queued pair. The decision is an event of the log, so every rebuild applies it again."""
    sql = ReviewSql(store)
    item = sql.item(workspace_id, review_id)
    if item is None:
        raise NotFound(f"No review {review_id}; list them with GET .../identity/review or "
                       "`frontoffice identity review list`.")
    status = ACCEPTED if accept else REJECTED
    if item.status != PENDING or not sql.decide(workspace_id, review_id, status, by):
        done = sql.item(workspace_id, review_id) or item
        raise AlreadyExists(f"Review {review_id} was already {done.status} by {done.decided_by} at "
                            f"{done.decided_at}; to undo it, split or merge the people instead.")
    why = f" ({reason})" if reason else ""
    if accept:
        detail = f"accepted by {by} from review {review_id}, {item.explanation}{why}"
    else:
        detail = (f"rejected by {by} from review {review_id}: not the same person{why}; "
                  f"{item.explanation}")
    decision = PairDecision(ACCEPT if accept else REJECT, item.record_a, item.record_b, "review", detail,
                            item.match_weight, item.match_probability, review_id, by)
    record_decision(store, hub, workspace_id, decision.record(iso(now())))
    return review_items(store, workspace_id, None, review_id - 1, 1)[0]


def changes(store: SqlStore, workspace_id: str, after_id: int = 0, limit: int = 100) -> list[dict[str, Any]]:
    """``person.merged`` / ``person.split`` / ``person.updated`` events after ``after_id``, in order."""
    if after_id < 0:
        raise InvalidInput(f"after must be 0 or the id of a change already read, got {after_id}.")
    return IdentitySql(store).outbox(workspace_id, after_id, _page(limit))
