"""The probabilistic tier's live state, in SQLAlchemy Core: trained model, matcher cursor, review queue.

None of it is needed to rebuild people: merges and decisions are events in the log. The queue is
the matcher's output waiting for a person; its rows say what was decided, by whom and when.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson
import sqlalchemy as sa

from frontoffice.domain.events import iso, now
from frontoffice.storage import core
from frontoffice.storage.sql import SqlStore
from frontoffice.storage.tables import schema

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


def _item(r: sa.Row[Any]) -> ReviewItem:
    return ReviewItem(int(r.id), r.record_a, r.record_b, r.person_a, r.person_b, float(r.match_weight),
                      float(r.match_probability), r.explanation, orjson.loads(r.side_a),
                      orjson.loads(r.side_b),
                      r.status, str(r.created_at), None if r.decided_at is None else str(r.decided_at),
                      r.decided_by)


class ReviewSql:
    def __init__(self, store: SqlStore) -> None:
        self._store = store
        self._dialect = store.dialect
        tables = schema(store.dialect).tables
        self._matcher = tables["identity_matcher"]
        self._review = tables["identity_review"]
        self._training = tables["identity_training"]

    def _all(self, statement: sa.Executable) -> list[sa.Row[Any]]:
        with self._store.connect() as conn:
            return list(conn.execute(statement).all())

    def _wrote(self, statement: sa.Insert | sa.Update) -> bool:
        """Whether ``statement`` wrote a row: RETURNING says so (psycopg's rowcount may be -1)."""
        with self._store.begin() as conn:
            return conn.execute(statement.returning(self._review.c.id)).first() is not None

    # -- matcher state -------------------------------------------------------------------
    def state(self, ws: str) -> MatcherState:
        m = self._matcher.c
        rows = self._all(sa.select(m.model, m.trained_at, m.trained_records, m.last_seq, m.matched_at)
                         .where(m.workspace_id == ws))
        if not rows:
            return MatcherState(None, None, 0, 0, None)
        r = rows[0]
        return MatcherState(r.model, r.trained_at, int(r.trained_records), int(r.last_seq), r.matched_at)

    def _update(self, ws: str, *where: sa.ColumnElement[bool], **values: object) -> None:
        """Update the workspace's matcher row, made first if it has none."""
        m = self._matcher.c
        with self._store.begin() as conn:
            conn.execute(core.insert(self._matcher, self._dialect)
                         .values(workspace_id=ws, trained_records=0, last_seq=0)
                         .on_conflict_do_nothing(index_elements=[m.workspace_id]))
            conn.execute(sa.update(self._matcher).where(m.workspace_id == ws, *where).values(**values))

    def claim_training(self, ws: str, holder: str, now: str, until: str) -> bool:
        """Whether ``holder`` may train the workspace's model now (ISO-8601 UTC times): nobody
        holds the lease, or its holder's ran out (a process that died training)."""
        t = self._training
        statement = core.insert(t, self._dialect).values(workspace_id=ws, holder=holder, until=until)
        claim = statement.on_conflict_do_update(
            index_elements=[t.c.workspace_id], set_={"holder": holder, "until": until}, where=t.c.until < now)
        with self._store.begin() as conn:
            return conn.execute(claim.returning(t.c.holder)).first() is not None

    def release_training(self, ws: str, holder: str) -> None:
        with self._store.begin() as conn:
            conn.execute(self._training.delete().where(self._training.c.workspace_id == ws,
                                                       self._training.c.holder == holder))

    def training_until(self, ws: str) -> str | None:
        """When the lease of whoever trains the workspace's model now ends (None: nobody)."""
        rows = self._all(sa.select(self._training.c.until).where(self._training.c.workspace_id == ws))
        return str(rows[0].until) if rows else None

    def save_model(self, ws: str, model_json: str, records: int) -> None:
        self._update(ws, model=model_json, trained_at=iso(now()), trained_records=records)

    def advance(self, ws: str, last_seq: int) -> None:
        """The matcher has scored every record up to ``last_seq`` (never moves back)."""
        self._update(ws, self._matcher.c.last_seq < last_seq, last_seq=last_seq, matched_at=iso(now()))

    def rewind(self, ws: str) -> None:
        """Score every record again on the next run (a full re-cluster)."""
        self._update(ws, last_seq=0)

    # -- the queue -----------------------------------------------------------------------
    def enqueue(self, ws: str, item: ReviewItem) -> bool:
        """Queue a pair once (sorted record ids); False when it was queued or decided before."""
        a, b = sorted((item.record_a, item.record_b))
        first = item.record_a == a
        sides = (item.side_a, item.side_b) if first else (item.side_b, item.side_a)
        persons = (item.person_a, item.person_b) if first else (item.person_b, item.person_a)
        q = self._review.c
        return self._wrote(core.insert(self._review, self._dialect).values(
            workspace_id=ws, record_a=a, record_b=b, person_a=persons[0], person_b=persons[1],
            match_weight=item.match_weight, match_probability=item.match_probability,
            explanation=item.explanation, side_a=orjson.dumps(sides[0]).decode(),
            side_b=orjson.dumps(sides[1]).decode(), status=PENDING, created_at=iso(now()))
            .on_conflict_do_nothing(index_elements=[q.workspace_id, q.record_a, q.record_b]))

    def items(self, ws: str, status: str | None = PENDING, after_id: int = 0,
              limit: int = 50) -> list[ReviewItem]:
        q = self._review.c
        select = sa.select(self._review).where(q.workspace_id == ws, q.id > after_id)
        if status:
            select = select.where(q.status == status)
        return [_item(r) for r in self._all(select.order_by(q.id).limit(limit))]

    def item(self, ws: str, review_id: int) -> ReviewItem | None:
        q = self._review.c
        rows = self._all(sa.select(self._review).where(q.workspace_id == ws, q.id == review_id))
        return _item(rows[0]) if rows else None

    def decide(self, ws: str, review_id: int, status: str, by: str) -> bool:
        """Pending → accepted or rejected, once; False when someone decided it first."""
        q = self._review.c
        return self._wrote(sa.update(self._review)
                           .where(q.workspace_id == ws, q.id == review_id, q.status == PENDING)
                           .values(status=status, decided_at=iso(now()), decided_by=by))

    def count(self, ws: str, status: str = PENDING) -> int:
        q = self._review.c
        with self._store.connect() as conn:
            return int(conn.execute(sa.select(sa.func.count()).select_from(self._review)
                                    .where(q.workspace_id == ws, q.status == status)).scalar_one())

    def rejected_pairs(self, ws: str) -> set[tuple[str, str]]:
        q = self._review.c
        rows = self._all(sa.select(q.record_a, q.record_b).where(q.workspace_id == ws, q.status == REJECTED))
        return {(r.record_a, r.record_b) for r in rows}
