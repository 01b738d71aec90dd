"""Decisions' tables in SQLAlchemy Core (SQLite and PostgreSQL): implements ``ports.Actions``,
``ports.DecisionLog`` and ``ports.Models``; the outcome projection's cursor."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import orjson
import sqlalchemy as sa

from frontoffice.decisions.ports import LoggedDecision, ModelVersion, Outcome, StoredAction
from frontoffice.decisions.tables import decisions_schema
from frontoffice.storage.sql import SqlStore


def _action(r: sa.Row[Any]) -> StoredAction:
    return StoredAction(r.action_id, int(r.version), r.status, orjson.loads(r.doc), r.created_at)


def _decision(r: sa.Row[Any]) -> LoggedDecision:
    return LoggedDecision(r.decision_id, r.person_id, r.channel, r.placement, r.at,
                          r.model_version, orjson.loads(r.chosen), orjson.loads(r.doc))


def _outcome(r: sa.Row[Any]) -> Outcome:
    return Outcome(r.outcome_id, r.decision_id, r.action_id, r.kind, float(r.reward), r.at,
                   r.source)


@dataclass(frozen=True, slots=True)
class _Hot:
    """The statements every decision runs, built once: a statement built per call costs ~4x its
    execution (SQLAlchemy's cache key is generated anew for each new statement object)."""

    log: sa.Insert
    of_person: sa.Select[Any]
    stamp: sa.Select[int, Any]
    promoted: sa.Select[Any]


@cache
def _hot() -> _Hot:
    tables = decisions_schema().tables
    a, d, m = (tables[n].c for n in ("decisions_actions", "decisions_log", "decisions_models"))
    ws: sa.BindParameter[str] = sa.bindparam("ws")
    return _Hot(
        log=tables["decisions_log"].insert(),
        of_person=sa.select(tables["decisions_log"]).where(
            d.workspace_id == ws, d.person_id == sa.bindparam("person"),
            d.at >= sa.bindparam("since")).order_by(d.at),
        stamp=sa.select(sa.func.count().label("n"), sa.func.max(a.created_at).label("at"))
        .where(a.workspace_id == ws),
        promoted=sa.select(m.kind, m.version, m.status, m.metrics, m.created_at)
        .where(m.workspace_id == ws, m.kind == sa.bindparam("kind")).order_by(m.version))


class DecisionsStore:
    def __init__(self, store: SqlStore) -> None:
        self._store = store
        tables = decisions_schema().tables
        self._actions = tables["decisions_actions"]
        self._log = tables["decisions_log"]
        self._outcomes = tables["decisions_outcomes"]
        self._models = tables["decisions_models"]
        self._cursor = tables["decisions_cursor"]
        self._hot = _hot()

    # -- the catalogue ---------------------------------------------------------------------
    def save(self, ws: str, action_id: str, status: str, doc: dict[str, Any], at: str) -> int:
        a = self._actions.c
        with self._store.begin() as tx:
            last = tx.execute(sa.select(sa.func.max(a.version)).where(
                a.workspace_id == ws, a.action_id == action_id)).scalar_one()
            version = int(last or 0) + 1
            tx.execute(self._actions.insert().values(
                workspace_id=ws, action_id=action_id, version=version, status=status,
                doc=orjson.dumps(doc).decode(), created_at=at))
        return version

    def current(self, ws: str) -> list[StoredAction]:
        a = self._actions.c
        newest = (sa.select(a.action_id, sa.func.max(a.version).label("version"))
                  .where(a.workspace_id == ws).group_by(a.action_id).subquery())
        query = (sa.select(self._actions).join(newest, sa.and_(
            a.action_id == newest.c.action_id, a.version == newest.c.version))
            .where(a.workspace_id == ws).order_by(a.action_id))
        with self._store.connect() as conn:
            return [_action(r) for r in conn.execute(query)]

    def versions(self, ws: str, action_id: str) -> list[StoredAction]:
        a = self._actions.c
        with self._store.connect() as conn:
            return [_action(r) for r in conn.execute(sa.select(self._actions).where(
                a.workspace_id == ws, a.action_id == action_id).order_by(a.version))]

    def stamp(self, ws: str) -> tuple[int, str]:
        with self._store.connect() as conn:
            row = conn.execute(self._hot.stamp, {"ws": ws}).one()
        return int(row.n), row.at or ""

    # -- the decision log and outcomes -----------------------------------------------------
    def log(self, ws: str, decision: LoggedDecision) -> None:
        self.log_many([(ws, decision)])

    def log_many(self, entries: Sequence[tuple[str, LoggedDecision]]) -> None:
        """One INSERT of many rows, in one transaction."""
        rows = [{"workspace_id": ws, "decision_id": d.decision_id, "person_id": d.person_id,
                 "channel": d.channel, "placement": d.placement, "at": d.at,
                 "model_version": d.model_version, "chosen": orjson.dumps(d.chosen).decode(),
                 "doc": orjson.dumps(d.doc).decode()} for ws, d in entries]
        with self._store.begin() as tx:
            tx.execute(self._hot.log, rows)

    def decisions_named(self, ws: str, decision_ids: Collection[str]) -> set[str]:
        d = self._log.c
        with self._store.connect() as conn:
            return set(conn.execute(sa.select(d.decision_id).where(
                d.workspace_id == ws, d.decision_id.in_(sorted(decision_ids)))).scalars())

    def decision(self, ws: str, decision_id: str) -> LoggedDecision | None:
        d = self._log.c
        with self._store.connect() as conn:
            row = conn.execute(sa.select(self._log).where(
                d.workspace_id == ws, d.decision_id == decision_id)).first()
        return None if row is None else _decision(row)

    def of_person(self, ws: str, person_id: str, since: str) -> list[LoggedDecision]:
        with self._store.connect() as conn:
            return [_decision(r) for r in conn.execute(self._hot.of_person, {
                "ws": ws, "person": person_id, "since": since})]

    def shown_total(self, ws: str, action_ids: Collection[str]) -> dict[str, int]:
        """Counted from the log's ranked lists (a decision shows each chosen action once)."""
        d = self._log.c
        wanted, counts = set(action_ids), dict[str, int]()
        with self._store.connect() as conn:
            for row in conn.execute(sa.select(d.chosen).where(d.workspace_id == ws)):
                for aid in orjson.loads(row.chosen):
                    if aid in wanted:
                        counts[aid] = counts.get(aid, 0) + 1
        return counts

    def record(self, ws: str, outcome: Outcome) -> bool:
        o = self._outcomes.c
        with self._store.begin() as tx:
            if tx.execute(sa.select(o.outcome_id).where(
                    o.workspace_id == ws, o.outcome_id == outcome.outcome_id)).first():
                return False
            tx.execute(self._outcomes.insert().values(
                workspace_id=ws, outcome_id=outcome.outcome_id, decision_id=outcome.decision_id,
                action_id=outcome.action_id, kind=outcome.kind, reward=outcome.reward,
                at=outcome.at, source=outcome.source))
        return True

    def outcomes(self, ws: str, decision_ids: Collection[str]) -> list[Outcome]:
        o = self._outcomes.c
        with self._store.connect() as conn:
            return [_outcome(r) for r in conn.execute(sa.select(self._outcomes).where(
                o.workspace_id == ws, o.decision_id.in_(sorted(decision_ids)))
                .order_by(o.at, o.outcome_id))]

    def decisions(self, ws: str, after: str, limit: int) -> list[LoggedDecision]:
        d = self._log.c
        with self._store.connect() as conn:
            return [_decision(r) for r in conn.execute(sa.select(self._log).where(
                d.workspace_id == ws, d.at > after).order_by(d.at, d.decision_id).limit(limit))]

    def unsettled_purchases(self, ws: str, before: str) -> list[tuple[str, str]]:
        o = self._outcomes.c
        ended = (sa.select(o.decision_id, o.action_id)
                 .where(o.workspace_id == ws, o.kind.in_(("kept", "returned"))))
        query = (sa.select(o.decision_id, o.action_id).distinct()
                 .where(o.workspace_id == ws, o.kind == "purchase", o.at < before,
                        sa.tuple_(o.decision_id, o.action_id).not_in(ended))
                 .order_by(o.decision_id, o.action_id))
        with self._store.connect() as conn:
            return [(r.decision_id, r.action_id) for r in conn.execute(query)]

    # -- model versions --------------------------------------------------------------------
    def save_model(self, ws: str, kind: str, blob: bytes, metrics: dict[str, Any], at: str) -> int:
        m = self._models.c
        with self._store.begin() as tx:
            last = tx.execute(sa.select(sa.func.max(m.version)).where(
                m.workspace_id == ws, m.kind == kind)).scalar_one()
            version = int(last or 0) + 1
            tx.execute(self._models.insert().values(
                workspace_id=ws, kind=kind, version=version, status="candidate", blob=blob,
                metrics=orjson.dumps(metrics).decode(), created_at=at))
        return version

    def model_versions(self, ws: str, kind: str) -> list[ModelVersion]:
        with self._store.connect() as conn:
            return [ModelVersion(r.kind, int(r.version), r.status, orjson.loads(r.metrics),
                                 r.created_at)
                    for r in conn.execute(self._hot.promoted, {"ws": ws, "kind": kind})]

    def model_blob(self, ws: str, kind: str, version: int) -> bytes | None:
        m = self._models.c
        with self._store.connect() as conn:
            found = conn.execute(sa.select(m.blob).where(
                m.workspace_id == ws, m.kind == kind, m.version == version)).scalar_one_or_none()
        return None if found is None else bytes(found)

    def set_model_status(self, ws: str, kind: str, version: int, status: str) -> None:
        m = self._models.c
        with self._store.begin() as tx:
            tx.execute(self._models.update().where(
                m.workspace_id == ws, m.kind == kind, m.version == version).values(status=status))

    # -- the outcome projection's cursor -----------------------------------------------------
    def cursor(self, ws: str) -> int:
        c = self._cursor.c
        with self._store.connect() as conn:
            found = conn.execute(sa.select(c.last_seq).where(c.workspace_id == ws)).scalar_one_or_none()
        return int(found or 0)

    def set_cursor(self, ws: str, seq: int) -> None:
        c = self._cursor.c
        with self._store.begin() as tx:
            if tx.execute(self._cursor.update().where(c.workspace_id == ws)
                               .values(last_seq=seq)).rowcount == 0:
                tx.execute(self._cursor.insert().values(workspace_id=ws, last_seq=seq))
