"""The review queue at scale: sorted by match weight, decided a weight range at a time.

A queue of a thousand pairs is judged by weight: the reviewer reads a few pairs around a weight,
previews what accepting (or rejecting) everything in a range would change, then decides the range
in one go. Every decision is still one event of the log per pair (``identity.review``), exactly
as if made one by one, so a rebuild applies them again.

Counts add up: ``pending = selected + outside``; for an accept, ``selected = joins +
already_together`` (pairs whose two people an earlier merge already joined).
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import Any

from frontoffice.domain.events import iso, now
from frontoffice.errors import InvalidInput
from frontoffice.identity.review import ACCEPT, REJECT, PairDecision, identity_source
from frontoffice.projection.contract import ProjectionMoved
from frontoffice.services.identity import IdentityHub
from frontoffice.storage.identity_review_sql import (
    ACCEPTED,
    PENDING,
    REJECTED,
    STATUSES,
    ReviewItem,
    ReviewSql,
)
from frontoffice.storage.identity_sql import IdentitySql
from frontoffice.storage.port import AppendBatch
from frontoffice.storage.sql import SqlStore

_PAGE = 500


@dataclass(frozen=True, slots=True)
class WeightRange:
    """Match weights ``low <= w < high``."""

    low: float = -math.inf
    high: float = math.inf

    def __post_init__(self) -> None:
        if math.isnan(self.low) or math.isnan(self.high) or self.low >= self.high:
            raise InvalidInput(f"min weight ({self.low}) must be below max weight ({self.high}).")

    def holds(self, weight: float) -> bool:
        return self.low <= weight < self.high


@dataclass(frozen=True, slots=True)
class BulkPreview:
    action: str
    pending: int
    """Pending pairs in the whole queue."""
    selected: int
    """Pending pairs in the weight range: what the decision would decide."""
    outside: int
    """Pending pairs outside the range, left pending (``pending = selected + outside``)."""
    joins: int
    """Accept: selected pairs whose two people are apart now (each joins two groups of records)."""
    already_together: int
    """Accept: selected pairs an earlier merge already put in one person (``selected = joins +
    already_together``). Reject: 0."""
    people_before: int
    """Distinct people the selected pairs touch now."""
    people_after: int
    """... and how many they would be after the decision (accept joins them; reject keeps them)."""
    lowest: float | None
    highest: float | None
    review_ids: list[int]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _pending(store: SqlStore, ws: str, status: str | None = PENDING) -> Iterator[ReviewItem]:
    sql, after = ReviewSql(store), 0
    while page := sql.items(ws, status, after, _PAGE):
        yield from page
        after = page[-1].id


def by_weight(store: SqlStore, ws: str, status: str | None = PENDING, weights: WeightRange | None = None,
              offset: int = 0, limit: int = 50) -> tuple[int, list[dict[str, Any]]]:
    """``(count in range, a page of entries)``, the strongest first, each with its people now."""
    if status is not None and status not in STATUSES:
        raise InvalidInput(f"Unknown review status {status!r}; use one of: {', '.join(STATUSES)}.")
    if offset < 0 or not 1 <= limit <= _PAGE:
        raise InvalidInput(f"offset must be 0 or more and limit between 1 and {_PAGE}.")
    weights = weights or WeightRange()
    found = sorted((i for i in _pending(store, ws, status) if weights.holds(i.match_weight)),
                   key=lambda i: (-i.match_weight, i.id))
    page = found[offset:offset + limit]
    current = IdentitySql(store).persons_of(ws, sorted({r for i in page for r in (i.record_a, i.record_b)}))
    out = []
    for item in page:
        entry = item.as_dict()
        entry["current_person_ids"] = [current.get(item.record_a), current.get(item.record_b)]
        out.append(entry)
    return len(found), out


def preview(store: SqlStore, ws: str, accept: bool, weights: WeightRange) -> BulkPreview:
    """What deciding every pending pair in ``weights`` would change, without changing anything."""
    pending = list(_pending(store, ws))
    chosen = [i for i in pending if weights.holds(i.match_weight)]
    person = IdentitySql(store).persons_of(ws, sorted({r for i in chosen for r in (i.record_a, i.record_b)}))
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    together = 0
    for item in chosen:
        a = person.get(item.record_a, item.record_a)
        b = person.get(item.record_b, item.record_b)
        if a == b:
            together += 1
            continue
        ra, rb = find(a), find(b)
        if accept and ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    before = len(parent)
    after = len({find(p) for p in parent})
    seen = [i.match_weight for i in chosen]
    return BulkPreview(
        "accept" if accept else "reject", len(pending), len(chosen), len(pending) - len(chosen),
        len(chosen) - together if accept else 0, together if accept else 0, before, after,
        min(seen, default=None), max(seen, default=None), [i.id for i in chosen])


def decide_range(store: SqlStore, hub: IdentityHub, ws: str, accept: bool, weights: WeightRange,
                 by: str, reason: str = "") -> BulkPreview:
    """Accept or reject every pending pair in ``weights``: one decision event per pair, each
    saying it was decided in bulk and by whom; returns the preview it acted on."""
    plan = preview(store, ws, accept, weights)
    sql, status = ReviewSql(store), ACCEPTED if accept else REJECTED
    why = f"in bulk, match weight in [{weights.low:g}, {weights.high:g})" + (f", {reason}" if reason else "")
    at = iso(now())
    records = []
    for item in _pending(store, ws):
        if not weights.holds(item.match_weight) or not sql.decide(ws, item.id, status, by):
            continue
        detail = (f"accepted by {by} from review {item.id} ({why}), {item.explanation}" if accept
                  else f"rejected by {by} from review {item.id} ({why}): not the same person; "
                  f"{item.explanation}")
        decision = PairDecision(ACCEPT if accept else REJECT, item.record_a, item.record_b, "review", detail,
                                item.match_weight, item.match_probability, item.id, by)
        records.append(decision.record(at))
    if records:
        store.append([AppendBatch(ws, identity_source(ws), records, origin="identity")])
        with contextlib.suppress(ProjectionMoved):  # the running worker applies them then
            hub.catch_up(ws)
    return plan
