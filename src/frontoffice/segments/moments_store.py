"""Moments' rows: the entered memberships they follow (a cursor over the history), the events and
segment changes they and the audience syncs follow (their own cursors), each person's next date of
a date moment, and each firing with its decision, in SQLAlchemy Core."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

import sqlalchemy as sa

from frontoffice.segments.model import Event
from frontoffice.storage import core
from frontoffice.storage.sql import SqlStore
from frontoffice.storage.tables import schema

BIRTH_DATES = ("trait:birthday", "trait:birthDate")  # the golden record's birth date, in the facts
ORDER_EVENTS = ("order.created", "Order Completed")  # commerce's orders and tracked purchases


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

    # -- the triggers beyond entering a segment ------------------------------------------
    def position(self, ws: str, name: str) -> int | None:
        c = self.t["segments_moment_cursors"].c
        with self.store.connect() as conn:
            found = conn.execute(sa.select(c.position).where(c.workspace_id == ws, c.name == name)).scalar()
        return None if found is None else int(found)

    def set_position(self, ws: str, name: str, position: int) -> None:
        with self.store.begin() as conn:
            conn.execute(core.insert(self.t["segments_moment_cursors"], self.store.dialect).values(
                workspace_id=ws, name=name, position=position).on_conflict_do_update(
                index_elements=["workspace_id", "name"], set_={"position": position}))

    def last_event(self, ws: str) -> int:
        e = self.t["segments_events"].c
        with self.store.connect() as conn:
            return int(conn.execute(sa.select(sa.func.max(e.seq)).where(e.workspace_id == ws)).scalar() or 0)

    def events_since(self, ws: str, after_seq: int, names: Collection[str],
                     limit: int = 1000) -> list[tuple[int, str, Event]]:
        """(seq, person, event) of the projected events named ``names`` after ``after_seq``."""
        e = self.t["segments_events"].c
        with self.store.connect() as conn:
            rows = conn.execute(sa.select(e.seq, e.person_id, e.name, e.at, e.props).where(
                e.workspace_id == ws, e.seq > after_seq, e.name.in_(sorted(names)))
                .order_by(e.seq).limit(limit)).all()
        return [(int(r.seq), r.person_id, Event(int(r.seq), r.name, int(r.at), r.props)) for r in rows]

    def changes_since(self, ws: str, segment: str, after_id: int, limit: int = 1000) -> list[dict[str, Any]]:
        """The segment's entries and exits after history id ``after_id``, oldest first."""
        h = self.t["segments_history"].c
        with self.store.connect() as conn:
            rows = conn.execute(sa.select(h.id, h.person_id, h.change, h.at, h.cause, h.why).where(
                h.workspace_id == ws, h.segment == segment, h.id > after_id)
                .order_by(h.id).limit(limit)).all()
        return [{str(k): v for k, v in r._mapping.items()} for r in rows]

    def unscheduled(self, ws: str, moment: str, date: str, limit: int = 1000) -> list[tuple[str, str | int]]:
        """(person, origin) of the people a date moment has no next date for yet: the birth date
        their golden record holds, or the time (epoch ms) of their first order."""
        due = self.t["segments_moment_due"].c
        scheduled = sa.select(due.person_id).where(due.workspace_id == ws, due.moment == moment)
        if date == "birthday":
            f = self.t["segments_facts"].c
            query = sa.select(f.person_id, f.value.label("origin")).where(
                f.workspace_id == ws, f.key.in_(BIRTH_DATES), f.person_id.not_in(scheduled))
        else:
            e = self.t["segments_events"].c
            query = sa.select(e.person_id, sa.func.min(e.at).label("origin")).where(
                e.workspace_id == ws, e.name.in_(ORDER_EVENTS), e.person_id.not_in(scheduled)
            ).group_by(e.person_id)
        with self.store.connect() as conn:
            rows = conn.execute(query.order_by(query.selected_columns[0]).limit(limit)).all()
        return [(r.person_id, r.origin) for r in rows]

    def schedule(self, ws: str, moment: str, dues: Sequence[tuple[str, int, str]]) -> None:
        """Each (person, due at, occurrence) of a date moment, replacing the one before."""
        table = self.t["segments_moment_due"]
        with self.store.begin() as conn:
            for person, at, occurrence in dues:
                stmt = core.insert(table, self.store.dialect).values(
                    workspace_id=ws, moment=moment, person_id=person, due_at=at, occurrence=occurrence)
                conn.execute(stmt.on_conflict_do_update(
                    index_elements=["workspace_id", "moment", "person_id"],
                    set_={"due_at": at, "occurrence": occurrence}))

    def dates_due(self, ws: str, now_ms: int, limit: int = 1000) -> list[tuple[str, str, str]]:
        """(moment, person, occurrence) of the date moments come due, earliest first."""
        d = self.t["segments_moment_due"].c
        with self.store.connect() as conn:
            rows = conn.execute(sa.select(d.moment, d.person_id, d.occurrence).where(
                d.workspace_id == ws, d.due_at <= now_ms).order_by(d.due_at, d.person_id).limit(limit)).all()
        return [(r.moment, r.person_id, r.occurrence) for r in rows]

    def next_due(self, ws: str) -> int | None:
        """The earliest instant a date moment or a deferred firing comes due."""
        d, f = self.t["segments_moment_due"].c, self.t["segments_firings"].c
        with self.store.connect() as conn:
            dates = conn.execute(sa.select(sa.func.min(d.due_at)).where(d.workspace_id == ws)).scalar()
            deferred = conn.execute(sa.select(sa.func.min(f.resume_at)).where(
                f.workspace_id == ws, f.resume_at.is_not(None))).scalar()
        found = [int(v) for v in (dates, deferred) if v is not None]
        return min(found) if found else None
