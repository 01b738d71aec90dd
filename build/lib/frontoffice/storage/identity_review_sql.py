"""The probabilistic tier's live state (migration 0008): trained model, matcher cursor, review queue.

None of it is needed to rebuild people: merges and decisions are events in the log. The queue is
the matcher's output waiting for a person; its rows say what was decided, by whom and when.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import orjson

from frontoffice.domain.events import iso, now
from frontoffice.storage.sql import SqlStore

PENDING, ACCEPTED, REJECTED = "pending", "accepted", "rejected"
STATUSES = (PENDING, ACCEPTED, REJECTED)


@dataclass(frozen=True, slots=True)
class ReviewItem:
    id: int
    record_a: str
    record_b: str
    person_a: str
    person_b: str
    match_weight: float
    match_probability: float
    explanation: str
    side_a: dict[str, Any]
    side_b: dict[str, Any]
    status: str
    created_at: str
    decided_at: str | None = None
    decided_by: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "records": [self.record_a, self.record_b],
                "person_ids": [self.person_a, self.person_b], "match_weight": self.match_weight,
                "match_probability": self.match_probability, "explanation": self.explanation,
                "sides": [self.side_a, self.side_b], "status": self.status,
                "created_at": self.created_at, "decided_at": self.decided_at,
                "decided_by": self.decided_by}


@dataclass(frozen=True, slots=True)
class MatcherState:
    model: str | None
    trained_at: str | None
    trained_records: int
    last_seq: int
    matched_at: str | None


_COLUMNS = ("id, record_a, record_b, person_a, person_b, match_weight, match_probability, explanation, "
            "side_a, side_b, status, created_at, decided_at, decided_by")


def _item(r: Sequence[Any]) -> ReviewItem:
    return ReviewItem(int(r[0]), r[1], r[2], r[3], r[4], float(r[5]), float(r[6]), r[7],
                      orjson.loads(r[8]), orjson.loads(r[9]), r[10], str(r[11]),
                      None if r[12] is None else str(r[12]), r[13])


class ReviewSql:
    def __init__(self, store: SqlStore) -> None:
        self._store = store

    # -- matcher state -------------------------------------------------------------------
    def state(self, ws: str) -> MatcherState:
        rows = self._store.query("SELECT model, trained_at, trained_records, last_seq, matched_at FROM "
                                 "identity_matcher WHERE workspace_id = ?", (ws,))
        if not rows:
            return MatcherState(None, None, 0, 0, None)
        r = rows[0]
        return MatcherState(r[0], r[1], int(r[2]), int(r[3]), r[4])

    def _ensure(self, ws: str) -> None:
        self._store.execute("INSERT INTO identity_matcher (workspace_id, trained_records, last_seq) "
                            "VALUES (?, 0, 0) ON CONFLICT (workspace_id) DO NOTHING", (ws,))

    def save_model(self, ws: str, model_json: str, records: int) -> None:
        self._ensure(ws)
        self._store.execute("UPDATE identity_matcher SET model = ?, trained_at = ?, trained_records = ? "
                            "WHERE workspace_id = ?", (model_json, iso(now()), records, ws))

    def advance(self, ws: str, last_seq: int) -> None:
        """The matcher has scored every record up to ``last_seq`` (never moves back)."""
        self._ensure(ws)
        self._store.execute("UPDATE identity_matcher SET last_seq = ?, matched_at = ? WHERE "
                            "workspace_id = ? AND last_seq < ?", (last_seq, iso(now()), ws, last_seq))

    def rewind(self, ws: str) -> None:
        """Score every record again on the next run (a full re-cluster)."""
        self._ensure(ws)
        self._store.execute("UPDATE identity_matcher SET last_seq = 0 WHERE workspace_id = ?", (ws,))

    # -- the queue -----------------------------------------------------------------------
    def enqueue(self, ws: str, item: ReviewItem) -> bool:
        """Queue a pair once (sorted record ids); False when it was queued or decided before."""
        a, b = sorted((item.record_a, item.record_b))
        first = item.record_a == a
        sides = (item.side_a, item.side_b) if first else (item.side_b, item.side_a)
        persons = (item.person_a, item.person_b) if first else (item.person_b, item.person_a)
        return self._store.execute(
            "INSERT INTO identity_review (workspace_id, record_a, record_b, person_a, person_b, "
            "match_weight, match_probability, explanation, side_a, side_b, status, created_at) VALUES "
            "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (workspace_id, record_a, record_b) DO NOTHING",
            (ws, a, b, *persons, item.match_weight, item.match_probability, item.explanation,
             orjson.dumps(sides[0]).decode(), orjson.dumps(sides[1]).decode(), PENDING,
             iso(now()))) == 1

    def items(self, ws: str, status: str | None = PENDING, after_id: int = 0,
              limit: int = 50) -> list[ReviewItem]:
        where = "workspace_id = ? AND id > ?" + (" AND status = ?" if status else "")
        params: tuple[Any, ...] = (ws, after_id, status) if status else (ws, after_id)
        rows = self._store.query(f"SELECT {_COLUMNS} FROM identity_review WHERE {where} ORDER BY id "
                                 "LIMIT ?", (*params, limit))
        return [_item(r) for r in rows]

    def item(self, ws: str, review_id: int) -> ReviewItem | None:
        rows = self._store.query(f"SELECT {_COLUMNS} FROM identity_review WHERE workspace_id = ? AND "
                                 "id = ?", (ws, review_id))
        return _item(rows[0]) if rows else None

    def decide(self, ws: str, review_id: int, status: str, by: str) -> bool:
        """Pending → accepted or rejected, once; False when someone decided it first."""
        return self._store.execute(
            "UPDATE identity_review SET status = ?, decided_at = ?, decided_by = ? WHERE "
            "workspace_id = ? AND id = ? AND status = ?",
            (status, iso(now()), by, ws, review_id, PENDING)) == 1

    def count(self, ws: str, status: str = PENDING) -> int:
        return int(self._store.query("SELECT count(*) FROM identity_review WHERE workspace_id = ? AND "
                                     "status = ?", (ws, status))[0][0])

    def rejected_pairs(self, ws: str) -> set[tuple[str, str]]:
        rows = self._store.query("SELECT record_a, record_b FROM identity_review WHERE workspace_id = ? "
                                 "AND status = ?", (ws, REJECTED))
        return {(r[0], r[1]) for r in rows}
