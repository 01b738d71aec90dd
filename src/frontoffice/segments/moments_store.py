"""Moments' rows: the entered memberships they follow (a cursor over the history) and each firing
with its decision, in SQLAlchemy Core."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from frontoffice.storage import core
from frontoffice.storage.sql import SqlStore
from frontoffice.storage.tables import schema


class MomentsStore:
    def __init__(self, store: SqlStore) -> None:
        self.store = store
        self.t = schema(store.dialect).tables

    def entered_since(self, ws: str, after_id: int, limit: int = 1000) -> list[tuple[int, str, str]]:
        """(history id, person, segment) of the entries after ``after_id``."""
        h = self.t["segments_history"].c
        with self.store.connect() as conn:
            rows = conn.execute(sa.select(h.id, h.person_id, h.segment).where(
                h.workspace_id == ws, h.id > after_id, h.change == "entered")
                .order_by(h.id).limit(limit)).all()
        return [(int(r.id), r.person_id, r.segment) for r in rows]

    def last_history(self, ws: str) -> int:
        c = self.t["segments_cursor"].c
        with self.store.connect() as conn:
            found = conn.execute(sa.select(c.last_history).where(c.workspace_id == ws)).scalar()
        return int(found or 0)

    def set_last_history(self, ws: str, history_id: int) -> None:
        with self.store.begin() as conn:
            conn.execute(core.insert(self.t["segments_cursor"], self.store.dialect).values(
                workspace_id=ws, last_seq=0, last_change=0, last_history=history_id).on_conflict_do_update(
                index_elements=["workspace_id"], set_={"last_history": history_id}))

    def skip_history(self, ws: str) -> None:
        """Follow only entries made from now on (after a rebuild re-enters everyone)."""
        h = self.t["segments_history"].c
        with self.store.connect() as conn:
            last = conn.execute(sa.select(sa.func.max(h.id)).where(h.workspace_id == ws)).scalar()
        self.set_last_history(ws, int(last or 0))

    def fired_at(self, ws: str, moment: str, person_id: str) -> list[int]:
        f = self.t["segments_firings"].c
        with self.store.connect() as conn:
            found = conn.execute(sa.select(f.at).where(
                f.workspace_id == ws, f.moment == moment, f.person_id == person_id, f.decision == "fired"))
            return [int(v) for v in found.scalars()]

    def log(self, ws: str, row: dict[str, Any]) -> None:
        with self.store.begin() as conn:
            conn.execute(self.t["segments_firings"].insert().values(workspace_id=ws, **row))

    def deferred_due(self, ws: str, now_ms: int) -> list[dict[str, Any]]:
        """Deferred firings whose time has come; each is marked done as it is handed out."""
        table = self.t["segments_firings"]
        f = table.c
        with self.store.begin() as conn:
            rows = conn.execute(sa.select(f.id, f.moment, f.person_id, f.trigger).where(
                f.workspace_id == ws, f.resume_at.is_not(None), f.resume_at <= now_ms)).all()
            if rows:
                conn.execute(table.update().where(f.id.in_([r.id for r in rows])).values(resume_at=None))
        return [{"moment": r.moment, "person_id": r.person_id, "trigger": r.trigger} for r in rows]

    def firings(self, ws: str, moment: str | None = None, person_id: str | None = None,
                limit: int = 200) -> list[dict[str, Any]]:
        f = self.t["segments_firings"].c
        query = sa.select(f.id, f.moment, f.person_id, f.trigger, f.decision, f.rule, f.reason, f.message_id,
                          f.at, f.resume_at).where(f.workspace_id == ws)
        if moment is not None:
            query = query.where(f.moment == moment)
        if person_id is not None:
            query = query.where(f.person_id == person_id)
        with self.store.connect() as conn:
            rows = conn.execute(query.order_by(f.id.desc()).limit(limit)).all()
        return [{str(k): v for k, v in r._mapping.items()} for r in rows]
